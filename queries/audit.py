"""The audit trail: who looked at what and when. Appending is one INSERT; reading is for the
functioneel beheerder only. The database refuses UPDATE and DELETE on the table."""

import datetime as dt

import polars as pl
import sqlalchemy as sa

from queries.scope import Viewer
from queries.toegang import Account, utcnow

ACTIES = (
    "login",
    "login_mislukt",
    "logout",
    "pagina",
    "medewerker_bekeken",
    "maatregel_bekeken",
    "export",
    "geweigerd",
)

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("tijdstip", sa.DateTime),
    sa.column("gebruikersnaam", sa.String),
    sa.column("rol", sa.String),
    sa.column("medewerker_id", sa.String),
    sa.column("actie", sa.String),
    sa.column("onderwerp", sa.Text),
    sa.column("details", sa.Text),
)

SCHEMA = {
    "id": pl.Int64,
    "tijdstip": pl.Datetime("us"),
    "gebruikersnaam": pl.String,
    "rol": pl.String,
    "medewerker_id": pl.String,
    "actie": pl.String,
    "onderwerp": pl.String,
    "details": pl.String,
}


def _who(actor: Account | Viewer | str | None) -> dict:
    if isinstance(actor, Account):
        return {"gebruikersnaam": actor.gebruikersnaam, "rol": actor.rol,
                "medewerker_id": actor.medewerker_id}  # fmt: skip
    if isinstance(actor, Viewer):
        return {"gebruikersnaam": None, "rol": actor.role, "medewerker_id": actor.medewerker_id}
    return {"gebruikersnaam": actor, "rol": None, "medewerker_id": None}


def record(
    engine: sa.Engine,
    actor: Account | Viewer | str | None,
    actie: str,
    onderwerp: str | None = None,
    details: str | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append one event; actor is the account, a viewer, or just the name someone typed."""
    if actie not in ACTIES:
        raise ValueError(f"onbekende actie {actie!r}")
    row = _who(actor) | {
        "tijdstip": at or utcnow(),
        "actie": actie,
        "onderwerp": onderwerp,
        "details": details,
    }
    with engine.begin() as conn:
        conn.execute(_log.insert().values(row))


def audit_log(
    engine: sa.Engine,
    viewer: Viewer,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50_000,
) -> pl.DataFrame:
    """Events from since (inclusive) to until (exclusive), newest first; empty for anyone
    but a beheerder."""
    if viewer.role != "beheerder":
        return pl.DataFrame(schema=SCHEMA)
    query = sa.select(_log).order_by(_log.c.tijdstip.desc(), _log.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(_log.c.tijdstip >= since)
    if until is not None:
        query = query.where(_log.c.tijdstip < until)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)
