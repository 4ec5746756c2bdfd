"""Logging in: the Dutch login form, logout, and the gate in front of every request that needs
a logged-in account (dashboard.session decides whether a session still lasts).

Without a session a page request goes to /login; Dash's callback and layout requests get an
empty 401, and are written to the audit log as refused. A failed login answers alike whether
the name is unknown, the password wrong or the account locked: the same text, status and time.
"""

import html
import logging
import os
from datetime import timedelta
from urllib.parse import quote, urlsplit

import flask
from sqlalchemy.exc import SQLAlchemyError

from dashboard import audit_trail, data, session
from queries import sessies
from queries.gebruikers import LOCKOUT, MAX_ATTEMPTS, LoginResult, demo_accounts, verify_login

log = logging.getLogger(__name__)

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
SWITCH_PATH = "/bekijk-als"
PUBLIC_PATHS = {LOGIN_PATH, "/health", "/favicon.ico", "/_favicon.ico"}
# /agenda/: a calendar program has no session; the token in the path is checked instead.
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/login/", "/agenda/")
WRONG = "Gebruikersnaam of wachtwoord onjuist."
# The name of the session cookie over HTTPS: the browser keeps a __Host- cookie only when it is
# Secure, for Path=/ and without a Domain, so no sibling (sub)domain can plant or read it.
SECURE_COOKIE_NAME = "__Host-session"
# Why a session ended -> the notice on the login page it leads to.
END_NOTICES = {
    sessies.INACTIEF: "verlopen",
    sessies.MAXIMALE_DUUR: "maximaal",
    sessies.UITGELOGD: "uitgelogd",
}


def secure_cookies() -> bool:
    return os.environ.get("CASELOAD_SECURE_COOKIES") == "1"


def lockout_settings() -> tuple[int, int]:
    """(attempts, minutes) before and of a lockout: CASELOAD_LOGIN_POGINGEN and
    CASELOAD_BLOKKEER_MINUTEN, default 5 and 15."""
    attempts = int(os.environ.get("CASELOAD_LOGIN_POGINGEN", MAX_ATTEMPTS))
    minutes = int(os.environ.get("CASELOAD_BLOKKEER_MINUTEN", LOCKOUT.total_seconds() // 60))
    return attempts, minutes


def register(server: flask.Flask, demo: bool) -> None:
    """Add the gate, /login and /logout (and single sign-on when configured) to the server."""
    secure = secure_cookies()
    server.config.update(
        CASELOAD_DEMO=demo,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
    )
    if secure:
        server.config["SESSION_COOKIE_NAME"] = SECURE_COOKIE_NAME
    server.before_request(_gate)
    server.before_request(audit_trail.inspect_callback)
    server.add_url_rule(LOGIN_PATH, "login", _login, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "logout", _logout, methods=["POST"])
    from dashboard import oidc

    if oidc.configured():
        oidc.register(server)


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _wants_page(request: flask.Request) -> bool:
    """A browser navigating (gets a redirect), not Dash or a script (gets a bare 401)."""
    return (
        request.method == "GET"
        and not request.path.startswith("/_dash-")
        and "text/html" in request.headers.get("Accept", "")
    )


def _gate():
    request = flask.request
    if request.path == SWITCH_PATH and request.method == "POST":
        # Open without a session too: in demo mode a visitor starts by choosing an account.
        return _switch_guard(request)
    if _is_public(request.path):
        return None
    account = session.current_account()
    if account is not None:
        flask.g.account = account
        return None
    if _wants_page(request):
        target = quote(request.full_path.rstrip("?"))
        notice = END_NOTICES.get(flask.g.get("session_end"))
        suffix = f"&melding={notice}" if notice else ""
        return flask.redirect(f"{LOGIN_PATH}?volgende={target}{suffix}")
    audit_trail.record("geweigerd", request.path, "geen geldige sessie")
    return flask.Response(status=401)


def _switch_guard(request: flask.Request):
    """The demo switch logs in as someone else: only from this site's own page, with the
    session's form token, so another site cannot switch a visitor's account."""
    if not _same_origin(request):
        audit_trail.record("geweigerd", SWITCH_PATH, "verzoek van een andere site")
        flask.abort(403)
    if not session.csrf_ok(request.form.get("csrf")):
        audit_trail.record("geweigerd", SWITCH_PATH, "formulier zonder geldig CSRF-token")
        flask.abort(400)
    return None


def _same_origin(request: flask.Request) -> bool:
    """Origin (or, without it, Referer) names this host. Only the host is compared: behind a
    TLS proxy the app itself is reached over http."""
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent:
        return False
    parts = urlsplit(sent)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute URL someone slipped into the link, and no
    character a header or a browser would read otherwise (line breaks, tabs, backslashes)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _login():
    request = flask.request
    if request.method == "GET":
        if session.current_account() is not None:
            return flask.redirect(_safe_next(request.args.get("volgende")))
        return _page(notice=request.args.get("melding"))
    if not session.csrf_ok(request.form.get("csrf")):
        audit_trail.record("geweigerd", LOGIN_PATH, "formulier zonder geldig CSRF-token")
        return _page(error="Het formulier was verlopen. Probeer het opnieuw.", status=400)
    name = request.form.get("gebruikersnaam", "").strip()
    password = request.form.get("wachtwoord", "")
    attempts, minutes = lockout_settings()
    try:
        result = verify_login(
            data.engine(),
            name,
            password,
            session.demo_mode(),
            max_attempts=attempts,
            lockout=timedelta(minutes=minutes),
        )
    except SQLAlchemyError:
        log.exception("Inloggen: database niet bereikbaar")
        return _page(error="De database is nu niet bereikbaar. Probeer het later.", status=503)
    if result.account is None:
        audit_trail.record("login_mislukt", LOGIN_PATH, _failure(result, attempts), who=name[:200])
        # One answer for every failure, so it tells no one which names exist or are locked;
        # 200, not 401: the browser shows the form again, without a console error.
        return _page(error=WRONG, name=name, hint=_lockout_hint(attempts, minutes))
    session.log_in(result.account)
    return flask.redirect(_safe_next(request.form.get("volgende")), code=303)


def _failure(result: LoginResult, attempts: int) -> str:
    """The audit line's detail: for the beheerder, not for the person at the form."""
    if result.poging is None:
        return result.reden
    locked = ", account geblokkeerd" if result.geblokkeerd_tot else ""
    return f"{result.reden}, poging {result.poging} van {attempts}{locked}"


def _lockout_hint(attempts: int, minutes: int) -> str:
    return (
        f"Na {attempts} mislukte pogingen achter elkaar wordt een account {minutes} minuten "
        "geblokkeerd; ook het juiste wachtwoord werkt dan niet."
    )


def _logout():
    if not session.csrf_ok(flask.request.form.get("csrf")):
        return flask.Response(status=400)
    from dashboard import oidc

    sign_on = oidc.signed_on()
    session.log_out(sessies.UITGELOGD)
    provider_logout = oidc.end_provider_session(sign_on)
    if provider_logout is not None:
        return provider_logout
    return flask.redirect(f"{LOGIN_PATH}?melding=uitgelogd", code=303)


NOTICES = {
    "uitgelogd": "U bent uitgelogd.",
    "verlopen": "U was te lang niet actief en bent uitgelogd. Log opnieuw in.",
    "maximaal": "Uw sessie had de maximale duur bereikt en is beëindigd. Log opnieuw in.",
    "sso": "Inloggen via single sign-on is niet gelukt. Vraag het functioneel beheer om hulp.",
}


def _demo_buttons() -> str:
    if not session.demo_mode():
        return ""
    try:
        accounts = demo_accounts(data.engine())
    except SQLAlchemyError:
        return ""
    if not accounts:
        return ""
    token = html.escape(session.csrf_token())
    buttons = "".join(
        f'<button type="submit" name="gebruikersnaam" value="{html.escape(a.gebruikersnaam)}" '
        f'id="demo-{html.escape(a.rol)}" class="button button-secondary">'
        f"{html.escape(label)}</button>"
        for a, label in ((a, session.demo_label(a)) for a in accounts)
    )
    return (
        '<section class="login-demo" aria-labelledby="demo-kop">'
        '<h2 id="demo-kop">Demo-accounts</h2>'
        "<p>Dit is een demonstratie met verzonnen gegevens. Elk demo-account heeft het "
        f"wachtwoord <code>{html.escape(session.DEMO_PASSWORD)}</code>; "
        "of klik op een rol om direct in te loggen.</p>"
        f'<form method="post" action="{LOGIN_PATH}" class="demo-users">'
        f'<input type="hidden" name="csrf" value="{token}">'
        f'<input type="hidden" name="wachtwoord" value="{html.escape(session.DEMO_PASSWORD)}">'
        f"{buttons}</form></section>"
    )


def _page(
    error: str | None = None,
    notice: str | None = None,
    name: str = "",
    status: int = 200,
    hint: str | None = None,
):
    token = html.escape(session.csrf_token())
    target = html.escape(_safe_next(flask.request.values.get("volgende")))
    message = ""
    if error:
        message = f'<p class="message message-fout" role="alert">{html.escape(error)}</p>'
        if hint:
            message += f'<p class="login-hint">{html.escape(hint)}</p>'
    elif notice in NOTICES:
        message = f'<p class="message message-info" role="status">{NOTICES[notice]}</p>'
    from dashboard import oidc

    sso = ""
    if oidc.configured():
        sso = (
            f'<p class="login-sso"><a class="button" href="{oidc.START_PATH}">'
            "Inloggen met het account van uw organisatie</a></p>"
        )
    body = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggen · Caseload en termijnen</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="stylesheet" href="/assets/login.css">
</head>
<body>
<header class="header"><div class="header-top"><span class="brand">Caseload en termijnen</span>
</div></header>
<main class="main login">
<h1>Inloggen</h1>
{message}
<form method="post" action="{LOGIN_PATH}" class="card login-form">
<input type="hidden" name="csrf" value="{token}">
<input type="hidden" name="volgende" value="{target}">
<label for="gebruikersnaam">Gebruikersnaam</label>
<input id="gebruikersnaam" name="gebruikersnaam" autocomplete="username" required
 value="{html.escape(name)}" autofocus>
<label for="wachtwoord">Wachtwoord</label>
<input id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required>
<button type="submit" class="button" id="inloggen">Inloggen</button>
</form>
{sso}
{_demo_buttons()}
</main>
</body>
</html>"""
    return flask.Response(body, status=status, mimetype="text/html")
