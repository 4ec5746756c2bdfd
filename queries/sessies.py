"""Server-side sessions: the signed cookie carries a random token, the table `sessies` holds its
SHA-256 (never the token itself), and every request checks that row, so every app process
(gunicorn worker) agrees at once when a session has ended.

A session ends at logout, after the idle timeout, at its maximum lifetime, and when its
account is disabled or no longer usable; `reden` records which. Ending is one conditional
UPDATE, so of two workers that notice the same end only one records it.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from queries.gebruikers import Account, account_of, gebruikers, usable
from store.schema import sessies as _sessies

UITGELOGD = "uitgelogd"
INACTIEF = "inactief"
MAXIMALE_DUUR = "maximale duur"
UITGESCHAKELD = "account uitgeschakeld"
# laatst_gezien is written at most this often per session, whichever worker serves it.
SEEN_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Check:
    """account is set while the session lasts. Otherwise reden says why it ended (None for a
    token the table does not know) and ended_now whether this check ended it."""

    account: Account | None
    reden: str | None = None
    ended_now: bool = False


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    engine: sa.Engine, gebruikersnaam: str, *, now: dt.datetime, lifetime: dt.timedelta
) -> str:
    """A new session for the account; returns its token (for the cookie only)."""
    token = secrets.token_urlsafe(32)
    row = {
        "id": session_id(token),
        "gebruikersnaam": gebruikersnaam,
        "aangemaakt": now,
        "laatst_gezien": now,
        "verloopt": now + lifetime,
    }
    with engine.begin() as conn:
        conn.execute(_sessies.insert().values(row))
    return token


def check(
    engine: sa.Engine,
    token: str,
    demo_mode: bool,
    *,
    now: dt.datetime,
    idle: dt.timedelta,
) -> Check:
    """The session's account while the session lasts; ends it (once) when it should not."""
    s, g = _sessies.c, gebruikers.c
    query = (
        sa.select(
            s.laatst_gezien,
            s.verloopt,
            s.beeindigd,
            s.reden,
            g.gebruikersnaam,
            g.rol,
            g.medewerker_id,
            g.demo,
            sa.and_(*usable(demo_mode)).label("bruikbaar"),
        )
        .select_from(_sessies.outerjoin(gebruikers, g.gebruikersnaam == s.gebruikersnaam))
        .where(s.id == session_id(token))
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return Check(None)
    if row.beeindigd is not None:
        return Check(None, row.reden)
    if not row.bruikbaar:
        reden = UITGESCHAKELD
    elif now >= row.verloopt:
        reden = MAXIMALE_DUUR
    elif now - row.laatst_gezien > idle:
        reden = INACTIEF
    else:
        resolution = min(SEEN_RESOLUTION, idle / 4)
        # Most requests come within the resolution: the row just read says so, which spares
        # every such request a second round trip.
        if now - row.laatst_gezien >= resolution:
            _seen(engine, token, now, resolution)
        return Check(account_of(row))
    return Check(None, reden, end(engine, token, reden, now=now))


def _seen(engine: sa.Engine, token: str, now: dt.datetime, resolution: dt.timedelta) -> None:
    """Move the idle clock, unless some worker did so within `resolution`."""
    s = _sessies.c
    with engine.begin() as conn:
        conn.execute(
            _sessies.update()
            .where(
                s.id == session_id(token),
                s.beeindigd.is_(None),
                s.laatst_gezien <= now - resolution,
            )
            .values(laatst_gezien=now)
        )


def end(engine: sa.Engine, token: str, reden: str, *, now: dt.datetime) -> bool:
    """End the session; True when this call ended it (False: already ended, or unknown)."""
    s = _sessies.c
    with engine.begin() as conn:
        done = conn.execute(
            _sessies.update()
            .where(s.id == session_id(token), s.beeindigd.is_(None))
            .values(beeindigd=now, reden=reden)
        )
    return done.rowcount == 1
