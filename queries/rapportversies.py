"""The Voortgangsrapportage as MT vastgesteld it: the PDF and workbook as sent, the Samenvatting
frozen, the settings and the load it came from (table `rapport_versies`, the app's own data: a
load never changes it). Only a manager vaststelt; a refusal is audited (as queries.besluiten).
"""

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl
import sqlalchemy as sa

from queries.audit import entry, record
from queries.figuren import figuur
from queries.gebruikers import Account, utcnow
from queries.rapportage import SHEETS, SUMMARY_KEYS
from queries.scope import Viewer
from store.auditketen import append, audit_key
from store.schema import rapport_versies as _versies

# MT vaststelt the report the inspections get; no other role.
VASTSTELLERS = ("manager",)
# The report's sections a toelichting can go with: the Samenvatting (with Per regio) and one per
# figure.
SECTIES = ("Samenvatting", *SHEETS[2:])
MAX_TOELICHTING = 2000
BESTANDEN = ("pdf", "xlsx")

SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "id": pl.Int64,
    "peildatum": pl.Date,
    "instellingen": pl.String,
    "toelichting": pl.String,
    "load_id": pl.Int64,
    "vastgesteld_door": pl.String,
    "tijdstip": pl.Datetime("us"),
}
VERGELIJKING_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "kpi": pl.String,
    "Cijfer": pl.String,
    "Waarde": pl.Float64,
    "Vorige versie": pl.Float64,
    "Verschil": pl.Float64,
}


class VaststellingGeweigerd(PermissionError):
    """The account may not vaststellen or read the versions; the refusal is in the audit log."""


@dataclass(frozen=True)
class Rapport:
    """A report as it is to be vastgesteld: built by the caller for one peildatum."""

    peildatum: date
    instellingen: Mapping[str, str | None]
    samenvatting: Mapping[str, float | None]
    pdf: bytes
    xlsx: bytes
    load_id: int | None


def frozen_summary(summary: pl.DataFrame) -> dict[str, float | None]:
    """The Samenvatting of queries.rapportage.progress_report as {figure key: value}."""
    return dict(zip(SUMMARY_KEYS, summary["Waarde"].to_list(), strict=True))


def geldige_toelichting(toelichting: Mapping[str, str | None]) -> dict[str, str]:
    """The toelichting per section, trimmed, empty ones left out; a Dutch ValueError for an
    unknown section or a text that is too long."""
    out = {}
    for sectie, text in toelichting.items():
        if sectie not in SECTIES:
            raise ValueError(f"onbekende sectie {sectie!r} in de toelichting")
        if text is not None and not isinstance(text, str):
            raise ValueError(f"de toelichting bij {sectie} is geen tekst")
        text = (text or "").strip()
        if len(text) > MAX_TOELICHTING:
            raise ValueError(
                f"de toelichting bij {sectie} heeft {len(text)} tekens; ten hoogste "
                f"{MAX_TOELICHTING}"
            )
        if text:
            out[sectie] = text
    return out


def _check(rapport: Rapport) -> None:
    if not isinstance(rapport.peildatum, date):
        raise ValueError("een vaststelling heeft een peildatum nodig")
    if not rapport.pdf or not rapport.xlsx:
        raise ValueError("een vaststelling heeft het rapport als PDF en als Excel nodig")
    unknown = set(rapport.samenvatting) - set(SUMMARY_KEYS)
    if unknown:
        raise ValueError(f"onbekende cijfers in de samenvatting: {', '.join(sorted(unknown))}")


def vaststellen(
    engine: sa.Engine,
    account: Account,
    rapport: Rapport,
    toelichting: Mapping[str, str | None],
    *,
    at: dt.datetime | None = None,
) -> int:
    """Keep the report as vastgesteld by the account; returns the version's id. The version
    and its audit row are written together; a refusal is audited and raises
    VaststellingGeweigerd, bad input a Dutch ValueError."""
    at = at or utcnow()
    onderwerp = f"voortgangsrapportage {rapport.peildatum}"
    if account.rol not in VASTSTELLERS:
        refused = f"vaststellen niet voor de rol {account.rol}"
        record(engine, account, "geweigerd", onderwerp, refused, at=at)
        raise VaststellingGeweigerd(refused)
    _check(rapport)
    notes = geldige_toelichting(toelichting)
    row = {
        "peildatum": rapport.peildatum,
        "instellingen": json.dumps(dict(rapport.instellingen), sort_keys=True),
        "toelichting": json.dumps(notes, ensure_ascii=False),
        "samenvatting": json.dumps(dict(rapport.samenvatting)),
        "pdf": rapport.pdf,
        "xlsx": rapport.xlsx,
        "load_id": rapport.load_id,
        "vastgesteld_door": account.gebruikersnaam,
        "tijdstip": at,
    }
    # The toelichting is free text and stays out of the audit log, which can never be corrected.
    details = f"lading {rapport.load_id}, toelichting bij {len(notes)} secties"
    with engine.connect() as conn:
        append(conn, entry(account, "vastgesteld", onderwerp, details, at=at), audit_key())
        new_id = conn.execute(_versies.insert().values(row).returning(_versies.c.id))
        versie_id = int(new_id.scalar_one())
        conn.commit()
    return versie_id


def _may_read(engine: sa.Engine, viewer: Viewer, onderwerp: str) -> bool:
    if viewer.role in VASTSTELLERS:
        return True
    record(engine, viewer, "geweigerd", onderwerp, f"rapportversies niet voor de rol {viewer.role}")
    return False


def versies(engine: sa.Engine, viewer: Viewer) -> pl.DataFrame:
    """Every vastgestelde version, newest first, without its files; none for another role."""
    if not _may_read(engine, viewer, "rapportversies"):
        return pl.DataFrame(schema=SCHEMA)
    query = sa.select(*(_versies.c[name] for name in SCHEMA)).order_by(_versies.c.id.desc())
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)


def bestand(engine: sa.Engine, viewer: Viewer, versie_id: int, soort: str) -> bytes | None:
    """A version's PDF or workbook as vastgesteld; None when there is no such version."""
    if soort not in BESTANDEN:
        raise ValueError(f"onbekend bestand {soort!r}")
    if not _may_read(engine, viewer, f"rapportversie {versie_id}"):
        return None
    with engine.connect() as conn:
        return conn.execute(
            sa.select(_versies.c[soort]).where(_versies.c.id == versie_id)
        ).scalar_one_or_none()


def _summary_of(conn: sa.Connection, versie_id: int) -> tuple[date, dict] | None:
    row = conn.execute(
        sa.select(_versies.c.peildatum, _versies.c.samenvatting).where(_versies.c.id == versie_id)
    ).one_or_none()
    return None if row is None else (row.peildatum, json.loads(row.samenvatting))


def vorige(engine: sa.Engine, versie_id: int | None, peildatum: date) -> int | None:
    """The version vastgesteld last before versie_id (None: before any new one) for a
    peildatum up to peildatum: the one a new version is compared with."""
    query = sa.select(sa.func.max(_versies.c.id)).where(_versies.c.peildatum <= peildatum)
    if versie_id is not None:
        query = query.where(_versies.c.id < versie_id)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one_or_none()


def vergelijk(
    samenvatting: Mapping[str, float | None], eerder: Mapping[str, float | None] | None
) -> pl.DataFrame:
    """Per Samenvatting figure: its value, the value in the previous version and the
    difference, rounded by the figure's own decimals (none without a previous version)."""
    rows = []
    for key in SUMMARY_KEYS:
        f = figuur(key)
        now, then = samenvatting.get(key), (eerder or {}).get(key)
        diff = None if now is None or then is None else f.rond(now - then)
        rows.append({"kpi": key, "Cijfer": f.naam, "Waarde": now, "Vorige versie": then,
                     "Verschil": diff})  # fmt: skip
    return pl.DataFrame(rows, schema=VERGELIJKING_SCHEMA)


def vergelijking(
    engine: sa.Engine, viewer: Viewer, versie_id: int
) -> tuple[pl.DataFrame, int | None]:
    """A version's frozen Samenvatting beside the previous vastgestelde version's; (frame,
    the previous version's id or None). An empty frame for another role or no such version."""
    if not _may_read(engine, viewer, f"rapportversie {versie_id}"):
        return pl.DataFrame(schema=VERGELIJKING_SCHEMA), None
    with engine.connect() as conn:
        this = _summary_of(conn, versie_id)
    if this is None:
        return pl.DataFrame(schema=VERGELIJKING_SCHEMA), None
    peildatum, samenvatting = this
    before = vorige(engine, versie_id, peildatum)
    if before is None:
        return vergelijk(samenvatting, None), None
    with engine.connect() as conn:
        earlier = _summary_of(conn, before)
    return vergelijk(samenvatting, earlier[1] if earlier else None), before


def samenvatting_van(engine: sa.Engine, viewer: Viewer, versie_id: int) -> dict[str, float | None]:
    """A version's frozen Samenvatting ({} when there is none or for another role)."""
    if not _may_read(engine, viewer, f"rapportversie {versie_id}"):
        return {}
    with engine.connect() as conn:
        this = _summary_of(conn, versie_id)
    return {} if this is None else this[1]
