"""Which role may use which callback: declared where the callback is registered, enforced for
every request to Dash's callback endpoint, here and nowhere else.

A page's callbacks get its roles (page_callback, page_clientside_callback); the shell and the
shared download callback declare their own (app_callback, app_clientside_callback). enforce()
reads the role from the session's account, never from the request, and answers a callback the
role may not use with 403 and a line in the audit log. create_app refuses to start while a
callback has no declared roles, and a request for an output nobody declared is refused too.

Dash names a callback by its outputs (the keys of app.callback_map, the "output" of a request)
and returns no handle to that name: a wrapper reads it from the spec Dash has just appended to
its callback list. Clientside callbacks never reach the server, but declare roles all the same,
so that the startup check has no exceptions to keep track of.
"""

from collections.abc import Callable

import dash
import flask
from dash import Dash
from dash._callback import GLOBAL_CALLBACK_LIST, GLOBAL_CALLBACK_MAP

from dashboard import audit_trail, session
from queries.scope import ROLES

Roles = tuple[str, ...]
# A request body -> the roles that may have what it asks, and how the audit log names that.
Access = Callable[[dict], tuple[Roles, str]]

REFUSED = "Geen toegang: deze gegevens zijn niet voor uw rol."
# Audit subjects come from the request: a forged one must not fill the log.
SUBJECT_LENGTH = 200

ACCESS: dict[str, Access] = {}


class UndeclaredCallbackError(RuntimeError):
    """A callback was registered without the roles that may use it."""


def first_output(output: str) -> str:
    """'component.property' of a callback's first output, for the audit log."""
    return output.strip(".").split("...")[0].split("@")[0]


def declare(output: str, roles: Roles | Access) -> None:
    """The roles that may use the callback with this output, or how a request's body says."""
    if callable(roles):
        ACCESS[output] = roles
        return
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Onbekende rol(len) {sorted(unknown)} voor callback {output}")
    fixed = (tuple(roles), first_output(output))
    ACCESS[output] = lambda _body: fixed


def _declare_last(callbacks: list, roles: Roles | Access) -> None:
    declare(callbacks[-1]["output"], roles)


def page_callback(roles: Roles, *args, **kwargs):
    """dash.callback for a page's callback, usable by the page's roles only."""
    decorator = dash.callback(*args, **kwargs)
    _declare_last(GLOBAL_CALLBACK_LIST, roles)
    return decorator


def page_clientside_callback(roles: Roles, function, *args, **kwargs) -> None:
    dash.clientside_callback(function, *args, **kwargs)
    _declare_last(GLOBAL_CALLBACK_LIST, roles)


def app_callback(app: Dash, roles: Roles | Access, *args, **kwargs):
    """app.callback for the shell's and the shared download's callbacks."""
    decorator = app.callback(*args, **kwargs)
    _declare_last(app._callback_list, roles)
    return decorator


def app_clientside_callback(app: Dash, roles: Roles, function, *args, **kwargs) -> None:
    app.clientside_callback(function, *args, **kwargs)
    _declare_last(app._callback_list, roles)


# Dash Pages adds the router on the first request, so it cannot declare its own roles. Every
# role may use it: the layout it renders shows a page's content to that page's roles only,
# and audit_trail logs the refusal.
declare(".._pages_content.children..._pages_store.data..", ROLES)
declare("_pages_dummy.children", ROLES)


def undeclared(app: Dash) -> list[str]:
    """Outputs of the app's callbacks, and of dash.callback's not yet handed to an app, that
    have no declared roles."""
    return [output for output in (*app.callback_map, *GLOBAL_CALLBACK_MAP) if output not in ACCESS]


def check_declared(app: Dash) -> None:
    """Refuse to start with a callback that any logged-in role could use."""
    missing = undeclared(app)
    if missing:
        raise UndeclaredCallbackError(
            "Callback zonder rollen (registreer met dashboard.components.guard): "
            + ", ".join(missing)
        )


def refuse(subject: str, reason: str) -> flask.Response:
    audit_trail.record("geweigerd", subject[:SUBJECT_LENGTH], reason)
    return flask.Response(REFUSED, status=403, mimetype="text/plain")


def enforce() -> flask.Response | None:
    """before_request: a callback request the session's role may not use gets 403."""
    if flask.request.path != audit_trail.CALLBACK_PATH:
        return None
    account = session.current_account()
    if account is None:
        # The login gate answers and logs a request without a session.
        return None
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        # Names no callback: Dash answers it with an error and runs nothing.
        return None
    output = body.get("output")
    access = ACCESS.get(output) if isinstance(output, str) else None
    if access is None:
        return refuse(str(output), "callback zonder toegestane rollen")
    roles, subject = access(body)
    if account.rol not in roles:
        return refuse(subject, f"callback niet voor de rol {account.rol}")
    return None


def register(app: Dash) -> None:
    """Enforce the declared roles on the app's callback requests."""
    app.server.before_request(enforce)
