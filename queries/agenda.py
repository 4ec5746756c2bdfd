"""The personal agenda feed: a worker's open deadlines and afspraken as calendar items, behind a
secret link.

The link carries a random token; the table `agenda_tokens` holds only its SHA-256, so the link
is shown once, when it is made. An account has at most one active token: a new one revokes the
old, disabling the account revokes it (etl.gebruikers), and every fetch checks the account
again. Making, renewing and revoking are audited with the change, in one transaction.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

import polars as pl
import sqlalchemy as sa

from queries.afspraken import lees_afspraken, niet_afgerond
from queries.audit import entry
from queries.config import Config
from queries.gebruikers import Account, account_of, gebruikers, usable, utcnow
from queries.scope import Viewer
from queries.snapshot import Snapshot
from queries.termijnen import werklijst
from store.auditketen import append, audit_key
from store.schema import agenda_tokens as _tokens

# Why a token stopped working (agenda_tokens.reden).
VERNIEUWD = "vernieuwd"
INGETROKKEN = "ingetrokken door de gebruiker"
UITGESCHAKELD = "account uitgeschakeld"
ANDERE_MEDEWERKER = "account aan een andere medewerker gekoppeld"
ONBEKEND = "onbekend agenda-token"
AFSPRAAK = "Afspraak uit caseloadgesprek"
# The audit subject of every feed event; never the link itself, which opens the feed.
ONDERWERP = "agenda-abonnement"


class AgendaGeweigerd(ValueError):
    """A refused feed change, with a Dutch reason."""


@dataclass(frozen=True)
class Check:
    """account and medewerker_id are set when the token opens a feed. Otherwise reden says
    why not; gebruikersnaam names the token's account when the token is known."""

    account: Account | None
    medewerker_id: str | None = None
    reden: str | None = None
    gebruikersnaam: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke(conn: sa.Connection, gebruikersnaam: str, reden: str, now: dt.datetime) -> int:
    t = _tokens.c
    done = conn.execute(
        _tokens.update()
        .where(t.gebruikersnaam == gebruikersnaam, t.ingetrokken.is_(None))
        .values(ingetrokken=now, reden=reden)
    )
    return done.rowcount


def nieuw(engine: sa.Engine, account: Account, *, now: dt.datetime | None = None) -> str:
    """A new feed token for the account's own medewerker, revoking the one it had; returns
    the token (to show once). An account without a medewerker is refused and audited."""
    now = now or utcnow()
    if account.medewerker_id is None:
        reden = "account zonder medewerker heeft geen eigen termijnen"
        with engine.connect() as conn:
            append(conn, entry(account, "geweigerd", ONDERWERP, reden, at=now), audit_key())
            conn.commit()
        raise AgendaGeweigerd(reden)
    token = secrets.token_urlsafe(32)
    row = {
        "token_hash": token_hash(token),
        "gebruikersnaam": account.gebruikersnaam,
        "medewerker_id": account.medewerker_id,
        "aangemaakt": now,
    }
    renewed = actief_sinds(engine, account.gebruikersnaam) is not None
    details = "vernieuwd (vorige link ingetrokken)" if renewed else "aangemaakt"
    with engine.connect() as conn:
        # The audit row first: it takes the chain's lock, which starts the transaction.
        append(conn, entry(account, "agenda", ONDERWERP, details, at=now), audit_key())
        _revoke(conn, account.gebruikersnaam, VERNIEUWD, now)
        conn.execute(_tokens.insert().values(row))
        conn.commit()
    return token


def intrekken(engine: sa.Engine, account: Account, *, now: dt.datetime | None = None) -> bool:
    """Revoke the account's active token; True when there was one (then audited)."""
    now = now or utcnow()
    with engine.connect() as conn:
        append(conn, entry(account, "agenda", ONDERWERP, "ingetrokken", at=now), audit_key())
        if _revoke(conn, account.gebruikersnaam, INGETROKKEN, now) == 0:
            conn.rollback()
            return False
        conn.commit()
    return True


def actief_sinds(engine: sa.Engine, gebruikersnaam: str) -> dt.datetime | None:
    """When the account's active token was made; None without one."""
    t = _tokens.c
    query = sa.select(sa.func.max(t.aangemaakt)).where(
        t.gebruikersnaam == gebruikersnaam, t.ingetrokken.is_(None)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def check(
    engine: sa.Engine, token: str, demo_mode: bool, *, now: dt.datetime | None = None
) -> Check:
    """Whose feed the token opens, checked against the account as it is now: a token of an
    account no longer usable, or linked to another medewerker, is revoked here (once)."""
    t, g = _tokens.c, gebruikers.c
    query = (
        sa.select(
            t.gebruikersnaam,
            t.medewerker_id.label("token_medewerker_id"),
            t.ingetrokken,
            t.reden,
            g.rol,
            g.medewerker_id,
            g.demo,
            sa.and_(*usable(demo_mode)).label("bruikbaar"),
        )
        .select_from(_tokens.outerjoin(gebruikers, g.gebruikersnaam == t.gebruikersnaam))
        .where(t.token_hash == token_hash(token))
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return Check(None, reden=ONBEKEND)
    if row.ingetrokken is not None:
        return Check(None, reden=f"agenda-token ingetrokken ({row.reden})",
                     gebruikersnaam=row.gebruikersnaam)  # fmt: skip
    reden = None
    if not row.bruikbaar:
        reden = UITGESCHAKELD
    elif row.medewerker_id != row.token_medewerker_id:
        reden = ANDERE_MEDEWERKER
    if reden is not None:
        with engine.begin() as conn:
            _revoke(conn, row.gebruikersnaam, reden, now or utcnow())
        return Check(None, reden=f"agenda-token ingetrokken ({reden})",
                     gebruikersnaam=row.gebruikersnaam)  # fmt: skip
    return Check(account_of(row), row.medewerker_id, gebruikersnaam=row.gebruikersnaam)


def items(
    snap: Snapshot, medewerker_id: str, as_of: date, config: Config, afspraken: pl.DataFrame
) -> pl.DataFrame:
    """The feed's items on as_of: the open and verlopen deadlines of the measures the person
    holds (the worklist, scoped as that jeugdzorgwerker) and their afspraken not yet done
    (lees_afspraken's rows), by date. uid names the item alike in every fetch."""
    viewer = Viewer("jeugdzorgwerker", medewerker_id)
    deadlines = werklijst(snap, viewer, as_of, config, medewerker_id=medewerker_id).select(
        uid=pl.concat_str(
            pl.lit("termijn-"),
            pl.col("maatregel_id"),
            pl.lit("-"),
            pl.col("norm").cast(pl.String),
            pl.lit("-"),
            pl.col("deadline").dt.strftime("%Y%m%d"),
        ),
        datum=pl.col("deadline"),
        soort=pl.lit("termijn"),
        norm=pl.col("norm").cast(pl.String),
        maatregel_id=pl.col("maatregel_id"),
        status=pl.col("status"),
    )
    own = afspraken.filter(pl.col("medewerker_id") == medewerker_id)
    todo = niet_afgerond(own, as_of).select(
        uid=pl.concat_str(pl.lit("afspraak-"), pl.col("afspraak_id").cast(pl.String)),
        datum=pl.col("deadline"),
        soort=pl.lit("afspraak"),
        norm=pl.lit(None, pl.String),
        maatregel_id=pl.col("maatregel_id"),
        status=pl.col("status"),
    )
    return pl.concat([deadlines, todo]).sort("datum", "uid")


def feed_items(
    engine: sa.Engine, snap: Snapshot, medewerker_id: str, as_of: date, config: Config
) -> pl.DataFrame:
    """items() with the person's afspraken read from the database."""
    return items(snap, medewerker_id, as_of, config, lees_afspraken(engine, [medewerker_id]))


def opgehaald(engine: sa.Engine, account: Account, n: int, as_of: date) -> None:
    """Audit one fetch of the feed: whose, how many items, as of which day."""
    details = f"opgehaald: {n} items, peildatum {as_of.isoformat()}"
    with engine.connect() as conn:
        append(conn, entry(account, "agenda", ONDERWERP, details), audit_key())
        conn.commit()
