"""Who may log in: accounts, password checks with a lockout, and the demo accounts.

The failed-attempt count and the lockout live in the database and are changed there in single
conditional statements, so every app process (gunicorn worker) sees and respects one count.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queries.scope import ROLES, Viewer
from store.ladingen import real_load_exists
from store.schema import gebruikers

MAX_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so a wrong name costs as long as a wrong password;
    made on first use, not at every worker's start."""
    return _hasher.hash("geen-account")


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
    """account is set only when the login succeeded. reden: 'ok', 'onjuist' (a wrong password,
    or an unknown name) or 'geblokkeerd' (refused during a lockout: no password checked).
    poging: the attempt's number in the database's order since the count was last cleared,
    when a password was checked; geblokkeerd_tot: when this attempt started a lockout, or the
    running lockout that refused it."""

    account: Account | None
    reden: str
    geblokkeerd_tot: dt.datetime | None = None
    poging: int | None = None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def account_of(row) -> Account:
    return Account(row.gebruikersnaam, row.rol, row.medewerker_id, bool(row.demo))


def usable(demo_mode: bool):
    """Active accounts with a known role; demo accounts only in demo mode, and never once a
    real export was loaded, whatever the app was told."""
    c = gebruikers.c
    where: list[sa.ColumnElement[bool]] = [c.actief.is_(True), c.rol.in_(ROLES)]
    if demo_mode:
        where.append(sa.or_(c.demo.is_(False), ~real_load_exists()))
    else:
        where.append(c.demo.is_(False))
    return where


def account_for_medewerker(
    engine: sa.Engine, medewerker_id: str, demo_mode: bool
) -> Account | None:
    """The active account linked to a medewerker (single sign-on), or None when there is
    none or more than one (ambiguous: refuse rather than guess)."""
    query = sa.select(gebruikers).where(
        gebruikers.c.medewerker_id == medewerker_id, *usable(demo_mode)
    )
    with engine.connect() as conn:
        rows = conn.execute(query.limit(2)).all()
    return account_of(rows[0]) if len(rows) == 1 else None


def demo_accounts(engine: sa.Engine) -> list[Account]:
    """The demo accounts in role order (the app offers them only in demo mode)."""
    query = sa.select(gebruikers).where(*usable(True), gebruikers.c.demo.is_(True))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    order = {rol: i for i, rol in enumerate(ROLES)}
    return sorted((account_of(r) for r in rows), key=lambda a: order[a.rol])


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
    """Check a password. The attempt is counted before the check, in one conditional UPDATE
    that succeeds only while the account is not locked and below the limit, so parallel
    attempts on any number of workers check at most max_attempts passwords in a row; the
    attempt that reaches the limit locks the account for `lockout`. During a lockout no
    password is checked, not even the right one. An unknown name and a locked account cost
    the same time as a wrong password: each verifies against a hash."""
    now = now or utcnow()
    with engine.begin() as conn:
        reserved = conn.execute(
            _reserve(gebruikersnaam, demo_mode, now, max_attempts, lockout)
        ).first()
        locked = None
        if reserved is None:
            locked = conn.execute(
                _count_refused(gebruikersnaam, demo_mode, now, max_attempts, lockout)
            ).first()
    if reserved is None:
        _verify(_dummy_hash(), wachtwoord)
        if locked is None:
            return LoginResult(None, "onjuist")
        return LoginResult(None, "geblokkeerd", locked.geblokkeerd_tot)
    attempt = reserved.mislukte_pogingen
    if not _verify(reserved.wachtwoord_hash, wachtwoord):
        return LoginResult(None, "onjuist", reserved.geblokkeerd_tot, attempt)
    _reset(engine, gebruikersnaam, wachtwoord, reserved.wachtwoord_hash, attempt, now)
    return LoginResult(account_of(reserved), "ok", poging=attempt)


def _expired(now: dt.datetime):
    c = gebruikers.c
    return sa.and_(c.geblokkeerd_tot.is_not(None), c.geblokkeerd_tot <= now)


def _counted_before(now: dt.datetime):
    """The failures so far: none once a lockout has run out."""
    return sa.case((_expired(now), 0), else_=gebruikers.c.mislukte_pogingen)


def _password_accounts(gebruikersnaam: str, demo_mode: bool) -> list:
    """The usable account of that name, if it has a password (not single-sign-on-only)."""
    c = gebruikers.c
    return [c.gebruikersnaam == gebruikersnaam, c.wachtwoord_hash.is_not(None), *usable(demo_mode)]


def _reserve(
    gebruikersnaam: str,
    demo_mode: bool,
    now: dt.datetime,
    max_attempts: int,
    lockout: dt.timedelta,
):
    """Count one attempt, only while not locked and below the limit; the database serialises
    these UPDATEs on the row, so no two attempts get the same number."""
    c = gebruikers.c
    count = _counted_before(now) + 1
    return (
        gebruikers.update()
        .where(
            *_password_accounts(gebruikersnaam, demo_mode),
            sa.or_(c.geblokkeerd_tot.is_(None), _expired(now)),
            _counted_before(now) < max_attempts,
        )
        .values(
            mislukte_pogingen=count,
            geblokkeerd_tot=sa.case((count >= max_attempts, now + lockout), else_=None),
        )
        .returning(
            c.gebruikersnaam,
            c.rol,
            c.medewerker_id,
            c.demo,
            c.wachtwoord_hash,
            c.mislukte_pogingen,
            c.geblokkeerd_tot,
        )
    )


def _count_refused(
    gebruikersnaam: str,
    demo_mode: bool,
    now: dt.datetime,
    max_attempts: int,
    lockout: dt.timedelta,
):
    """An attempt refused during a lockout is counted too, without a password check: a right
    password that raced a burst of wrong ones then sees that it was not alone, and leaves the
    lockout the burst earned in place. An account at or over the limit without a running
    lockout (the limit was lowered) is locked now."""
    c = gebruikers.c
    locked = c.geblokkeerd_tot > now
    return (
        gebruikers.update()
        .where(
            *_password_accounts(gebruikersnaam, demo_mode),
            # What _reserve refused: a success may have cleared the lockout in between.
            sa.or_(locked, _counted_before(now) >= max_attempts),
        )
        .values(
            mislukte_pogingen=c.mislukte_pogingen + 1,
            geblokkeerd_tot=sa.case((locked, c.geblokkeerd_tot), else_=now + lockout),
        )
        .returning(c.geblokkeerd_tot)
    )


def _reset(
    engine: sa.Engine,
    gebruikersnaam: str,
    wachtwoord: str,
    hashed: str,
    attempt: int,
    now: dt.datetime,
) -> None:
    """After a right password: clear the count and any lockout, but only when no other attempt
    was counted since this one. A right password in a parallel burst of wrong ones leaves the
    burst counted, so the burst still ends in a lockout."""
    c = gebruikers.c
    alone = c.mislukte_pogingen == attempt
    values = {
        "mislukte_pogingen": sa.case((alone, 0), else_=c.mislukte_pogingen),
        "geblokkeerd_tot": sa.case((alone, None), else_=c.geblokkeerd_tot),
        "laatst_ingelogd": now,
    }
    if _hasher.check_needs_rehash(hashed):
        values["wachtwoord_hash"] = _hasher.hash(wachtwoord)
    with engine.begin() as conn:
        conn.execute(gebruikers.update().where(c.gebruikersnaam == gebruikersnaam).values(values))


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
