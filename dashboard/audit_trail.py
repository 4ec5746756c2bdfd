"""The dashboard's side of the audit trail: page views, the worker shown, exports, refusals.

One INSERT per event and nothing read on the way; the same event twice in one request is
written once. Callback requests are inspected before Dash runs them, so a forged request for
a worker or team outside the viewer's scope is logged as refused (the query layer returns
nothing of it either way). A page that opens one measure logs its own refusal
(out_of_scope), since only the page knows the day it is seen on.

Refusals of anonymous requests are folded: per worker process at most one row per client
address per minute, with the number of requests in `aantal`, kept in memory and written once
the minute is over (by a background thread, or at exit); a flood of them costs a few rows.
"""

import atexit
import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass

import dash
import flask
import polars as pl
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data
from dashboard.urlstate import parse_search
from dashboard.viewer import ANONYMOUS as ANONYMOUS_VIEWER
from dashboard.viewer import current_viewer
from queries import audit
from queries.gebruikers import Account, utcnow
from queries.scope import Viewer, visible_medewerkers
from queries.snapshot import NoDataError

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
PAGES_LOCATION = "_pages_location"
# How many proxies in front of the app append to X-Forwarded-For; 0: the peer is the client.
PROXY_HOPS_ENV = "CASELOAD_PROXY_HOPS"
WINDOW_SECONDS = 60
# Per window and worker; addresses beyond it share one row, so memory stays bounded.
MAX_ADDRESSES = 1_000
OTHER_ADDRESSES = "overige adressen"
FLUSH_EVERY_SECONDS = 5
EPOCH = dt.datetime(1970, 1, 1)


def record(
    actie: str,
    onderwerp: str | None = None,
    details: str | None = None,
    *,
    who: Account | str | None = None,
) -> None:
    """Append an event for this request's account (or `who`); never breaks the request.
    An anonymous refusal is folded into its client's row of this minute."""
    if flask.has_request_context():
        done = flask.g.setdefault("audit_done", set())
        key = (actie, onderwerp, details)
        if key in done:
            return
        done.add(key)
        if who is None:
            who = flask.g.get("account")
        if who is None and actie == "geweigerd" and current_viewer() == ANONYMOUS_VIEWER:
            ANONYMOUS.add(client_address(), onderwerp, details, utcnow())
            return
    _write(who, actie, onderwerp, details)


def _write(who, actie, onderwerp, details, engine: sa.Engine | None = None, **extra) -> None:
    try:
        audit.record(engine or data.engine(), who, actie, onderwerp, details, **extra)
    except SQLAlchemyError:
        log.exception("Audit: %s %s niet vastgelegd", actie, audit.clip(onderwerp))


def client_address() -> str:
    """The peer's address, or with CASELOAD_PROXY_HOPS=n the one the n-th proxy from us wrote
    in X-Forwarded-For (what the client itself wrote there is never trusted)."""
    request = flask.request
    try:
        hops = int(os.environ.get(PROXY_HOPS_ENV) or 0)
    except ValueError:
        hops = 0
    forwarded = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
    if hops > 0 and len(forwarded) >= hops and forwarded[-hops]:
        return audit.clip(forwarded[-hops], 64)
    return request.remote_addr or "onbekend"


@dataclass
class _Folded:
    engine: sa.Engine
    tijdstip: dt.datetime
    onderwerp: str | None
    details: str | None
    aantal: int = 0


class AnonymousRefusals:
    """Anonymous refusals per (minute, client address), written when their minute is over."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, sa.Engine, str], _Folded] = {}
        self._flusher_pid: int | None = None

    def add(self, address: str, onderwerp: str | None, details: str | None, now: dt.datetime):
        window, engine = _window(now), data.engine()
        with self._lock:
            folded = self._pending.get((window, engine, address))
            if folded is None:
                if sum(1 for w, *_ in self._pending if w == window) >= MAX_ADDRESSES:
                    address = OTHER_ADDRESSES
                # Clipped on the way in: the buffer never holds a 60 KB path.
                folded = self._pending.setdefault(
                    (window, engine, address),
                    _Folded(engine, now, audit.clip(onderwerp), audit.clip(details)),
                )
            folded.aantal += 1
            due = any(w < window for w, *_ in self._pending)
        self._start_flusher()
        if due:
            self.flush(now)

    def flush(self, now: dt.datetime | None = None) -> int:
        """Write every window that ended before `now` (all of them when now is None); the
        number of rows written."""
        current = None if now is None else _window(now)
        with self._lock:
            keys = [k for k in self._pending if current is None or k[0] < current]
            rows = [(k[2], self._pending.pop(k)) for k in keys]
        for address, folded in sorted(rows, key=lambda row: row[1].tijdstip):
            details = f"{folded.details}; adres {address}" if folded.details else address
            _write(None, "geweigerd", folded.onderwerp, details, engine=folded.engine,
                   at=folded.tijdstip, aantal=folded.aantal)  # fmt: skip
        return len(rows)

    def _start_flusher(self) -> None:
        # Per process: a gunicorn worker forked from a preloaded app has no thread of its own.
        if self._flusher_pid == os.getpid():
            return
        self._flusher_pid = os.getpid()
        threading.Thread(target=self._flush_forever, name="audit-flush", daemon=True).start()
        atexit.register(self.flush)

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_EVERY_SECONDS)
            try:
                self.flush(utcnow())
            except Exception:
                log.exception("Audit: geweigerde anonieme verzoeken niet vastgelegd")


def _window(at: dt.datetime) -> int:
    return int((at - EPOCH).total_seconds()) // WINDOW_SECONDS


ANONYMOUS = AnonymousRefusals()


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
