"""The dashboard's side of the audit trail: page views, the worker shown, exports, refusals.

One INSERT per event and nothing read on the way; the same event twice in one request is
written once. Callback requests are inspected before Dash runs them, so a forged request for
a worker or team outside the viewer's scope is logged as refused (the query layer returns
nothing of it either way). A page that opens one measure logs its own refusal
(out_of_scope), since only the page knows the day it is seen on.
"""

import logging

import dash
import flask
import polars as pl
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data
from dashboard.urlstate import parse_search
from queries import audit
from queries.scope import Viewer, visible_medewerkers
from queries.snapshot import NoDataError
from queries.toegang import Account

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
PAGES_LOCATION = "_pages_location"


def record(
    actie: str,
    onderwerp: str | None = None,
    details: str | None = None,
    *,
    who: Account | str | None = None,
) -> None:
    """Append an event for this request's account (or `who`); never breaks the request."""
    if flask.has_request_context():
        done = flask.g.setdefault("audit_done", set())
        key = (actie, onderwerp, details)
        if key in done:
            return
        done.add(key)
        if who is None:
            who = flask.g.get("account")
    try:
        audit.record(data.engine(), who, actie, onderwerp, details)
    except SQLAlchemyError:
        log.exception("Audit: %s %s niet vastgelegd", actie, onderwerp)


def worker_shown(medewerker_id: str | None) -> None:
    """A page shows this worker's caseload."""
    if medewerker_id:
        record("medewerker_bekeken", medewerker_id)


def measure_shown(maatregel_id: str) -> None:
    """A page shows this measure."""
    record("maatregel_bekeken", maatregel_id)


def out_of_scope(subject: str, where: str) -> None:
    """A request for something the viewer may not see: logged as refused."""
    record("geweigerd", subject, f"buiten bereik ({where})")


def _values(body: dict):
    """(id, property, value) of every input and state in a Dash callback request."""
    for group in ("inputs", "state"):
        for item in body.get(group) or []:
            for entry in item if isinstance(item, list) else [item]:
                if isinstance(entry, dict):
                    yield entry.get("id"), entry.get("property"), entry.get("value")


def requested_params(body: dict) -> tuple[dict, str | None, str | None]:
    """What a callback asks for: URL parameters and slicer values, and the page's path/search."""
    params: dict = {}
    pathname = search = None
    for cid, prop, value in _values(body):
        if cid == PAGES_LOCATION and prop == "pathname":
            pathname = value
        elif cid == PAGES_LOCATION and prop == "search":
            search = value
            params.update(parse_search(value or ""))
        elif isinstance(cid, dict) and cid.get("type") == "pagina-url" and prop == "search":
            params.update(parse_search(value or ""))
        elif isinstance(cid, str) and prop == "value" and isinstance(value, str):
            for key in ("medewerker", "team"):
                if cid.endswith(f"-{key}") and value:
                    params[key] = value
    return params, pathname, search


def check_scope(viewer: Viewer, params: dict, where: str) -> list[str]:
    """Log as refused every requested worker or team outside the viewer's scope."""
    wanted = {k: params.get(k) for k in ("medewerker", "team") if params.get(k)}
    if viewer.sees_everything or not wanted:
        return []
    try:
        staff = visible_medewerkers(data.snapshot(), viewer)
    except (NoDataError, SQLAlchemyError):
        return []
    allowed = {
        "medewerker": set(staff["medewerker_id"].to_list()),
        "team": set(staff.select(pl.col("team_id").unique())["team_id"].to_list()),
    }
    refused = [f"{k} {v}" for k, v in wanted.items() if str(v) not in allowed[k]]
    for subject in refused:
        out_of_scope(subject, where)
    return refused


def _page(pathname: str | None) -> dict | None:
    for page in dash.page_registry.values():
        if pathname in (page["relative_path"], page["path"]):
            return page
    return None


def page_view(viewer: Viewer, pathname: str | None, search: str | None) -> None:
    """A page was opened: recorded as viewed, or as refused when the role may not open it."""
    page = _page(pathname)
    if page is None or not page.get("roles"):
        return
    if viewer.role not in page["roles"]:
        record("geweigerd", pathname, "pagina niet voor deze rol")
    else:
        record("pagina", pathname, (search or "").lstrip("?") or None)


def inspect_callback() -> None:
    """before_request: log page views and out-of-scope requests of Dash callbacks."""
    request = flask.request
    account = flask.g.get("account")
    if request.path != CALLBACK_PATH or account is None:
        return
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return
    params, pathname, search = requested_params(body)
    if "_pages_content.children" in str(body.get("output", "")):
        page_view(account.viewer, pathname, search)
    check_scope(account.viewer, params, pathname or "callback")
