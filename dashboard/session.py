"""Who is looking: the logged-in account of a server-side session, never a callback's input.

dashboard.inloggen logs people in. The signed Flask cookie carries a random session token; the
table `sessies` (queries.sessies) decides on every request whether that session still lasts and
whose it is, so a logout, a timeout or a disabled account ends it on every worker at once, and
a cookie copied before the end no longer opens anything. In demo mode (CASELOAD_DEMO=1) the
"Bekijk als (demo)" selector logs in as one of the demo accounts, through the same log_in().
"""

import datetime as dt
import hmac
import os
import secrets
from dataclasses import dataclass

import flask
import polars as pl
from sqlalchemy.exc import SQLAlchemyError

from dashboard import audit_trail, data
from dashboard.components.formats import ROLE_LABELS
from dashboard.viewer import SESSION_KEY
from queries import sessies
from queries.gebruikers import Account, demo_accounts, utcnow
from queries.laadhistorie import demo_allowed
from queries.scope import ROLES, Viewer
from queries.snapshot import NoDataError
from store.sleutels import machine_key

ACCOUNT_KEY = "gebruiker"
TOKEN_KEY = "sessie"
CSRF_KEY = "csrf"
# The same as etl.gebruikers.DEMO_PASSWORD; the app accepts demo accounts only in demo mode.
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoUser:
    key: str
    label: str
    account: Account

    @property
    def viewer(self) -> Viewer:
        return self.account.viewer


def demo_mode() -> bool:
    """Asked for at start, and still only demo loads in the database (asked once per request,
    so a real load switches demo mode off at once on every worker)."""
    if not (flask.has_app_context() and flask.current_app.config.get("CASELOAD_DEMO")):
        return False
    try:
        return data.per_request(("demo_allowed",), lambda: demo_allowed(data.engine()))
    except SQLAlchemyError:
        return False


def idle_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=float(os.environ.get("CASELOAD_IDLE_MINUTES", "30")))


def session_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=float(os.environ.get("CASELOAD_SESSION_MAX_HOURS", "10")))


def _cookie_account() -> Account | None:
    """The account the cookie names: for the audit line of its end, and while the database is
    away."""
    name = flask.session.get(ACCOUNT_KEY)
    stored = flask.session.get(SESSION_KEY)
    if not isinstance(name, str) or not isinstance(stored, dict):
        return None
    role = stored.get("role")
    return Account(name, role, stored.get("medewerker_id")) if role in ROLES else None


def current_account() -> Account | None:
    """The account of this request's session while that session lasts in the database; None
    without one, and once it ended (flask.g.session_end then says why)."""
    if not flask.has_request_context():
        return None
    if "account" in flask.g:
        return flask.g.account
    token = flask.session.get(TOKEN_KEY)
    if not isinstance(token, str):
        return None
    try:
        result = sessies.check(data.engine(), token, demo_mode(), now=utcnow(), idle=idle_timeout())
    except SQLAlchemyError:
        # The database is away: no case data can be read and no audit line written either, so
        # the pages may say so to the cookie's account; the check runs again once it is back.
        account = _cookie_account()
        if account is not None:
            flask.g.account = account
        return account
    account = result.account
    if account is None:
        if result.ended_now:
            _record_end(result.reden)
        flask.session.clear()
        flask.g.session_end = result.reden
        return None
    viewer = {"role": account.rol, "medewerker_id": account.medewerker_id}
    if flask.session.get(SESSION_KEY) != viewer:
        flask.session[SESSION_KEY] = viewer
    flask.g.account = account
    return account


def log_in(account: Account) -> None:
    """A new session for the account: a new token and a new CSRF token, nothing of the session
    before kept (no fixation); a session this browser still had ends first."""
    _end_session(sessies.UITGELOGD)
    token = sessies.start(
        data.engine(), account.gebruikersnaam, now=utcnow(), lifetime=session_lifetime()
    )
    flask.session.clear()
    flask.session[TOKEN_KEY] = token
    flask.session[ACCOUNT_KEY] = account.gebruikersnaam
    flask.session[SESSION_KEY] = {"role": account.rol, "medewerker_id": account.medewerker_id}
    flask.session[CSRF_KEY] = secrets.token_urlsafe(32)
    flask.session.permanent = False
    flask.g.account = account
    audit_trail.record("login", account.gebruikersnaam, "demo" if account.demo else None)


def log_out(reason: str) -> None:
    _end_session(reason)
    flask.session.clear()
    flask.g.pop("account", None)


def _end_session(reason: str) -> None:
    """End this browser's session in the database, if it has one, and log it once."""
    token = flask.session.get(TOKEN_KEY)
    if not isinstance(token, str):
        return
    if sessies.end(data.engine(), token, reason, now=utcnow()):
        _record_end(reason)


def _record_end(reason: str) -> None:
    who = _cookie_account()
    audit_trail.record("logout", who.gebruikersnaam if who else None, reason, who=who)


def csrf_token() -> str:
    """This session's token for forms; created on first use."""
    token = flask.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = flask.session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_ok(sent: str | None) -> bool:
    token = flask.session.get(CSRF_KEY)
    return isinstance(token, str) and isinstance(sent, str) and hmac.compare_digest(token, sent)


def demo_label(account: Account) -> str:
    """'Naam, rol (team)' from the loaded staff list; 'Demo rol' when they are not in it."""
    role = ROLE_LABELS.get(account.rol, account.rol)
    if account.rol == "beheerder":
        return "Functioneel beheerder (demo)"
    if account.medewerker_id is None:
        return f"Demo {role}"
    try:
        snap = data.snapshot()
    except (NoDataError, SQLAlchemyError):
        return f"Demo {role}"
    person = snap["medewerkers"].filter(pl.col("medewerker_id") == account.medewerker_id)
    if person.height == 0:
        return f"Demo {role}"
    row = person.row(0, named=True)
    teams = snap["teams"].filter(pl.col("team_id") == row["team_id"])["naam"]
    team = teams[0] if teams.len() else row["team_id"]
    return f"{row['naam']}, {role} ({team})"


def demo_users() -> tuple[DemoUser, ...]:
    """The demo accounts, one per role, as the selector and the login page offer them."""
    if not demo_mode():
        return ()
    try:
        accounts = demo_accounts(data.engine())
    except SQLAlchemyError:
        return ()
    return tuple(DemoUser(a.rol, demo_label(a), a) for a in accounts)


def demo_key(viewer: Viewer) -> str | None:
    """The demo user matching the viewer, for the selector's current value."""
    for user in demo_users():
        if user.viewer == viewer:
            return user.key
    return None


def secret_key() -> str:
    """CASELOAD_SECRET_KEY, else a random key kept in data/secret_key, so that every worker
    process on this machine signs sessions alike and sessions survive a restart."""
    key = os.environ.get("CASELOAD_SECRET_KEY")
    if key:
        return key
    return machine_key(data.DEFAULT_SQLITE.parent / "secret_key")
