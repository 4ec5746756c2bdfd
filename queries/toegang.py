"""Who may log in: accounts, password checks with a lockout, and the demo accounts.

The failed-attempt count and the lockout live in the database, so every app process (gunicorn
worker) sees the same count.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queries.laadhistorie import real_load_exists
from queries.scope import ROLES, Viewer

MAX_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)

_accounts = sa.table(
    "gebruikers",
    sa.column("gebruikersnaam", sa.String),
    sa.column("medewerker_id", sa.String),
    sa.column("rol", sa.String),
    sa.column("wachtwoord_hash", sa.Text),
    sa.column("demo", sa.Boolean),
    sa.column("actief", sa.Boolean),
    sa.column("mislukte_pogingen", sa.Integer),
    sa.column("geblokkeerd_tot", sa.DateTime),
    sa.column("laatst_ingelogd", sa.DateTime),
)
_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("geen-account")


@dataclass(frozen=True)
class Account:
    gebruikersnaam: str
    rol: str
    medewerker_id: str | None = None
    demo: bool = False

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.rol, self.medewerker_id)


@dataclass(frozen=True)
class LoginResult:
    """account is set only when the login succeeded; reden is 'ok', 'onjuist' or 'geblokkeerd'."""

    account: Account | None
    reden: str
    geblokkeerd_tot: dt.datetime | None = None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _account(row) -> Account:
    return Account(row.gebruikersnaam, row.rol, row.medewerker_id, bool(row.demo))


def _usable(demo_mode: bool):
    """Active accounts with a known role; demo accounts only in demo mode, and never once a
    real export was loaded, whatever the app was told."""
    c = _accounts.c
    where = [c.actief.is_(True), c.rol.in_(ROLES)]
    if demo_mode:
        where.append(sa.or_(c.demo.is_(False), ~real_load_exists()))
    else:
        where.append(c.demo.is_(False))
    return where


def find_account(engine: sa.Engine, gebruikersnaam: str, demo_mode: bool) -> Account | None:
    """The active account with this name (one indexed lookup), or None."""
    query = sa.select(_accounts).where(
        _accounts.c.gebruikersnaam == gebruikersnaam, *_usable(demo_mode)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _account(row) if row else None


def account_for_medewerker(
    engine: sa.Engine, medewerker_id: str, demo_mode: bool
) -> Account | None:
    """The active account linked to a medewerker (single sign-on), or None when there is
    none or more than one (ambiguous: refuse rather than guess)."""
    query = sa.select(_accounts).where(
        _accounts.c.medewerker_id == medewerker_id, *_usable(demo_mode)
    )
    with engine.connect() as conn:
        rows = conn.execute(query.limit(2)).all()
    return _account(rows[0]) if len(rows) == 1 else None


def demo_accounts(engine: sa.Engine) -> list[Account]:
    """The demo accounts in role order (the app offers them only in demo mode)."""
    query = sa.select(_accounts).where(*_usable(True), _accounts.c.demo.is_(True))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    order = {rol: i for i, rol in enumerate(ROLES)}
    return sorted((_account(r) for r in rows), key=lambda a: order[a.rol])


def verify_login(
    engine: sa.Engine,
    gebruikersnaam: str,
    wachtwoord: str,
    demo_mode: bool,
    *,
    now: dt.datetime | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    lockout: dt.timedelta = LOCKOUT,
) -> LoginResult:
    """Check a password. After max_attempts wrong ones in a row the account is locked for
    `lockout`; during a lockout even the right password is refused."""
    now = now or utcnow()
    c = _accounts.c
    query = sa.select(_accounts).where(c.gebruikersnaam == gebruikersnaam, *_usable(demo_mode))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or row.wachtwoord_hash is None:
        _verify(_DUMMY_HASH, wachtwoord)
        return LoginResult(None, "onjuist")
    if row.geblokkeerd_tot is not None and row.geblokkeerd_tot > now:
        return LoginResult(None, "geblokkeerd", row.geblokkeerd_tot)
    if not _verify(row.wachtwoord_hash, wachtwoord):
        return _count_failure(engine, gebruikersnaam, now, max_attempts, lockout)
    values = {"mislukte_pogingen": 0, "geblokkeerd_tot": None, "laatst_ingelogd": now}
    if _hasher.check_needs_rehash(row.wachtwoord_hash):
        values["wachtwoord_hash"] = _hasher.hash(wachtwoord)
    with engine.begin() as conn:
        conn.execute(_accounts.update().where(c.gebruikersnaam == gebruikersnaam).values(values))
    return LoginResult(_account(row), "ok")


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(
    engine: sa.Engine,
    gebruikersnaam: str,
    now: dt.datetime,
    max_attempts: int,
    lockout: dt.timedelta,
) -> LoginResult:
    """One more failed attempt, counted in the database in one statement (no lost updates
    between processes); the attempt that reaches the limit starts the lockout."""
    c = _accounts.c
    with engine.begin() as conn:
        count = conn.execute(
            _accounts.update()
            .where(c.gebruikersnaam == gebruikersnaam)
            .values(mislukte_pogingen=c.mislukte_pogingen + 1)
            .returning(c.mislukte_pogingen)
        ).scalar_one()
        if count < max_attempts:
            return LoginResult(None, "onjuist")
        until = now + lockout
        conn.execute(
            _accounts.update()
            .where(c.gebruikersnaam == gebruikersnaam)
            .values(mislukte_pogingen=0, geblokkeerd_tot=until)
        )
    return LoginResult(None, "geblokkeerd", until)
