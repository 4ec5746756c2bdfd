"""The audit trail: who looked at what and when. Appending is one INSERT; reading is for the
functioneel beheerder only. The database refuses UPDATE and DELETE on the table.

Each row is chained (store.auditketen), so a changed, removed or inserted row breaks the chain
even for whoever can switch the triggers off (`python -m etl audit verify` finds the break).
"""

import datetime as dt

import polars as pl
import sqlalchemy as sa

from queries.figuur import Figuur
from queries.gebruikers import Account, utcnow
from queries.scope import Viewer
from store.auditketen import append, audit_key
from store.schema import audit_log as audit_log_table

ACTIES = (
    "login",
    "login_mislukt",
    "logout",
    "pagina",
    "medewerker_bekeken",
    "maatregel_bekeken",
    "export",
    "geweigerd",
    "besluit",
    "agenda",
    "mail",
    "mail_instelling",
    "gesprek",
    "afspraak_afgerond",
    "vastgesteld",
)

# Texts come from requests: a forged 60 KB path must not fill the log.
MAX_TEXT = 256

SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "id": pl.Int64,
    "tijdstip": pl.Datetime("us"),
    "gebruikersnaam": pl.String,
    "rol": pl.String,
    "medewerker_id": pl.String,
    "actie": pl.String,
    "onderwerp": pl.String,
    "details": pl.String,
    "aantal": pl.Int64,
}


class Clipped(str):
    """A text clip() made: clipping it again keeps it, length note and all."""


def clip(value: str | None, limit: int = MAX_TEXT) -> str | None:
    """At most `limit` characters and the full length; never a NUL, which PostgreSQL refuses
    (so a path with %00 in it cannot dodge the log)."""
    if value is None or isinstance(value, Clipped):
        return value
    value = value.replace("\x00", "\ufffd")
    if len(value) > limit:
        value = f"{value[:limit]}…({len(value):,} tekens)".replace(",", ".")
    return Clipped(value)


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
    aantal: int | None = None,
) -> None:
    """Append one event; actor is the account, a viewer, or just the name someone typed.
    aantal: how many alike requests this one row stands for."""
    row = entry(actor, actie, onderwerp, details, at=at, aantal=aantal)
    key = audit_key()
    with engine.connect() as conn:
        append(conn, row, key)
        conn.commit()


def entry(
    actor: Account | Viewer | str | None,
    actie: str,
    onderwerp: str | None = None,
    details: str | None = None,
    *,
    at: dt.datetime | None = None,
    aantal: int | None = None,
) -> dict:
    """The audit row record() appends, for a caller that appends it in its own transaction."""
    if actie not in ACTIES:
        raise ValueError(f"onbekende actie {actie!r}")
    row = _who(actor) | {
        "tijdstip": at or utcnow(),
        "actie": actie,
        "onderwerp": clip(onderwerp),
        "details": clip(details),
        "aantal": aantal,
    }
    row["gebruikersnaam"] = clip(row["gebruikersnaam"])
    return row


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
    columns = [audit_log_table.c[name] for name in SCHEMA]
    query = (
        sa.select(*columns)
        .order_by(audit_log_table.c.tijdstip.desc(), audit_log_table.c.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(audit_log_table.c.tijdstip >= since)
    if until is not None:
        query = query.where(audit_log_table.c.tijdstip < until)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)


def event_counts(log: pl.DataFrame) -> dict[str, int]:
    """Events in an audit_log frame, a folded row counting as its `aantal` requests, under
    the figures' keys."""
    weight = pl.col("aantal").fill_null(1)
    counted = log.select(
        weight.sum().alias("audit_gebeurtenissen"),
        weight.filter(pl.col("actie") == "geweigerd").sum().alias("audit_geweigerd"),
        weight.filter(pl.col("actie") == "login_mislukt").sum().alias("audit_login_mislukt"),
    )
    return {name: int(value or 0) for name, value in counted.row(0, named=True).items()}


_IN_PERIODE = (
    "in het auditlog in de gekozen periode tot nu (en van de gekozen actie); een regel met "
    "samengevoegde geweigerde verzoeken telt als zoveel verzoeken"
)
FIGUREN = (
    Figuur("audit_gebeurtenissen", "Gebeurtenissen", "stroom", "aantal", 0,
           f"Gebeurtenissen {_IN_PERIODE}."),
    Figuur("audit_geweigerd", "Geweigerde verzoeken", "stroom", "aantal", 0,
           f"Geweigerde verzoeken (geen sessie of geen recht) {_IN_PERIODE}.",
           hoger_beter=False),
    Figuur("audit_login_mislukt", "Mislukte inlogpogingen", "stroom", "aantal", 0,
           f"Mislukte inlogpogingen {_IN_PERIODE}.", hoger_beter=False),
    Figuur("audit_verzoeken", "Verzoeken in de regel", "stroom", "aantal", 0,
           "Per regel van het auditlog: de geweigerde verzoeken zonder sessie van één adres in "
           "één minuut die de regel samenvat; leeg voor een gewone gebeurtenis."),
)  # fmt: skip
