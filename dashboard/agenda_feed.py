"""GET /agenda/<token>.ics: a worker's open deadlines and afspraken as an iCalendar feed.

A calendar program fetches it without a session, so the token in the path is the only key
(queries.agenda checks it and the account behind it on every fetch). An unknown or revoked
token gets 404 and is audited; too many requests per token or per client address get 429 with
Retry-After. The limits are counted in this process, so under gunicorn each worker counts its
own share (the effective limit is at most the workers times the setting).
"""

import datetime as dt
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field

import flask
import icalendar
import polars as pl

from dashboard import audit_trail, data, session
from dashboard.components.formats import NORM_LABELS
from queries import agenda
from queries.gebruikers import Account
from queries.snapshot import NoDataError

PATH_PREFIX = "/agenda/"
SUFFIX = ".ics"
TOKEN_IN_PATH = re.compile(r"/agenda/[^?#\s]*")
CALENDAR_NAME = "Termijnen caseloaddashboard"
PRODID = "-//Caseloaddashboard//Termijnen//NL"
UID_DOMAIN = "caseloaddashboard"
# Calendar programs that honour it ask again after an hour; Outlook decides for itself.
REFRESH = dt.timedelta(hours=1)
WINDOW_SECONDS = 600
# Requests per WINDOW_SECONDS; a calendar program asks a few times an hour at most.
PER_TOKEN_ENV, PER_TOKEN_DEFAULT = "CASELOAD_AGENDA_PER_TOKEN", 20
# Outlook on the web fetches every subscriber's feed from a few Microsoft addresses.
PER_ADDRESS_ENV, PER_ADDRESS_DEFAULT = "CASELOAD_AGENDA_PER_ADRES", 600
# Per window and limiter: keys beyond it share one count, so memory stays bounded.
MAX_KEYS = 10_000
OTHER_KEYS = "overige"
NOT_FOUND = "Deze agenda bestaat niet (meer). Maak op Mijn caseload een nieuwe link."
NO_DATA = "Er is nog geen export geladen; de agenda volgt na de eerste lading."
TOO_MANY = "Te veel verzoeken voor deze agenda. Probeer het later opnieuw."


@dataclass
class RateLimiter:
    """At most `limit` hits per key per fixed window of `window` seconds, in this process."""

    window: int = WINDOW_SECONDS
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _current: int = -1
    _counts: dict[str, int] = field(default_factory=dict)

    def hit(self, key: str, limit: int, now: float | None = None) -> int | None:
        """Count a hit; None when it is within the limit, else the seconds until the window
        ends (for Retry-After). A limit of 0 or less counts nothing."""
        if limit <= 0:
            return None
        now = time.time() if now is None else now
        window = int(now // self.window)
        with self._lock:
            if window != self._current:
                self._current, self._counts = window, {}
            if key not in self._counts and len(self._counts) >= MAX_KEYS:
                key = OTHER_KEYS
            self._counts[key] = self._counts.get(key, 0) + 1
            over = self._counts[key] > limit
        return max(1, math.ceil((window + 1) * self.window - now)) if over else None


PER_TOKEN = RateLimiter()
PER_ADDRESS = RateLimiter()


def _limit(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        return default


def masked(path: str) -> str:
    """A request path fit for a log: an agenda link's token replaced by dots."""
    return TOKEN_IN_PATH.sub(f"{PATH_PREFIX}…{SUFFIX}", path)


def register(server: flask.Flask) -> None:
    server.add_url_rule(f"{PATH_PREFIX}<path:name>", "agenda", _feed, methods=["GET", "HEAD"])


def feed_url(token: str) -> str:
    """The link to subscribe to: on CASELOAD_BASE_URL when set (the address calendar programs
    reach the dashboard on), else on the address this request came in on."""
    base = os.environ.get("CASELOAD_BASE_URL") or flask.request.host_url
    return f"{base.rstrip('/')}{PATH_PREFIX}{token}{SUFFIX}"


def _plain(text: str, status: int, **headers: str) -> flask.Response:
    return flask.Response(text, status=status, mimetype="text/plain", headers=headers)


def _refuse(reden: str, who: Account | str | None = None) -> flask.Response:
    # An unknown token is anonymous: folded per client address and minute by audit_trail.
    audit_trail.record("geweigerd", agenda.ONDERWERP, reden, who=who)
    return _plain(NOT_FOUND, 404)


def _feed(name: str) -> flask.Response:
    address = audit_trail.client_address()
    wait = PER_ADDRESS.hit(address, _limit(PER_ADDRESS_ENV, PER_ADDRESS_DEFAULT))
    token = name.removesuffix(SUFFIX) if name.endswith(SUFFIX) else None
    if wait is None and token:
        # Counted under its hash: the token itself is never kept, not even in memory.
        key = agenda.token_hash(token)
        wait = PER_TOKEN.hit(key, _limit(PER_TOKEN_ENV, PER_TOKEN_DEFAULT))
    if wait is not None:
        audit_trail.record("geweigerd", agenda.ONDERWERP, "te veel verzoeken")
        return _plain(TOO_MANY, 429, **{"Retry-After": str(wait)})
    if not token:
        return _refuse(agenda.ONBEKEND)
    engine = data.engine()
    result = agenda.check(engine, token, session.demo_mode())
    if result.account is None or result.medewerker_id is None:
        return _refuse(result.reden or agenda.ONBEKEND, result.gebruikersnaam)
    try:
        snap = data.snapshot()
    except NoDataError:
        return _plain(NO_DATA, 503, **{"Retry-After": "3600"})
    day = data.as_of({}, snap)
    rows = agenda.feed_items(engine, snap, result.medewerker_id, day, data.config())
    agenda.opgehaald(engine, result.account, rows.height, day)
    body = render(rows)
    response = flask.Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="termijnen.ics"'
    return response


def summary(row: dict) -> str:
    """'<norm> <maatregel_id>' for a deadline; an afspraak says where it comes from."""
    if row["soort"] == "afspraak":
        return " ".join(p for p in (agenda.AFSPRAAK, row["maatregel_id"]) if p)
    return f"{NORM_LABELS.get(row['norm'], row['norm'])} {row['maatregel_id']}"


def render(rows: pl.DataFrame) -> bytes:
    """agenda.items() as an iCalendar of all-day events: ids and norms only, no description."""
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())
    for row in rows.iter_rows(named=True):
        event = icalendar.Event()
        event.add("uid", f"{row['uid']}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row["datum"])
        event.add("dtend", row["datum"] + dt.timedelta(days=1))
        event.add("summary", summary(row))
        # All-day reminders of a deadline, not time taken: shown as free.
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
