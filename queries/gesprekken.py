"""Caseloadgesprekken recorded in the app: the talk, its notes per measure and in general, and
its afspraken (queries.afspraken), with who may record and read them.

Notes and afspraken are for the worker, their begeleider_id, the teammanager of their team and
MT; a gedragswetenschapper or beheerder sees the talk's figures, never its text. A talk counts
for the caseloadgesprek person norm like an exported row (queries.persoonsnormen).
"""

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import cast

import polars as pl
import sqlalchemy as sa

from queries.afspraken import AFGEROND, VERLOPEN, lees_afspraken, status_op
from queries.audit import entry, record
from queries.figuur import Figuur
from queries.gebruikers import Account, utcnow
from queries.scope import Viewer, own_team
from queries.snapshot import Snapshot
from store.auditketen import append, audit_key
from store.schema import afspraken as _afspraken
from store.schema import gesprek_notities as _notities
from store.schema import gesprekken as _gesprekken

# A praktijkbegeleider records the talks of the workers they guide; the teammanager of the
# worker's team and MT may record one too (a talk held while the begeleider is away).
VASTLEGGERS = ("praktijkbegeleider", "teammanager", "manager")
MAX_NOTITIE = 2000
MAX_NOTITIE_MAATREGEL = 1000
MAX_AFSPRAAK = 300
MAX_AFSPRAKEN = 20
EARLIEST = date(2000, 1, 1)

GESPREK_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "gesprek_id": pl.Int64,
    "medewerker_id": pl.String,
    "begeleider_id": pl.String,
    "datum": pl.Date,
    "vastgelegd_door": pl.String,
}
VERSLAG_SCHEMA = GESPREK_SCHEMA | {"notitie": pl.String}
NOTITIE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "gesprek_id": pl.Int64,
    "maatregel_id": pl.String,
    "notitie": pl.String,
}


class GesprekGeweigerd(PermissionError):
    """The account may not record or read this; the refusal is in the audit log."""


@dataclass(frozen=True)
class Afspraak:
    omschrijving: str
    medewerker_id: str
    deadline: date
    maatregel_id: str | None = None


@dataclass(frozen=True)
class Gesprek:
    medewerker_id: str
    datum: date
    notitie: str | None = None
    # maatregel_id -> the short note on that measure.
    notities: dict[str, str] = field(default_factory=dict)
    afspraken: tuple[Afspraak, ...] = ()


def _worker(snap: Snapshot, medewerker_id: str) -> dict | None:
    rows = snap["medewerkers"].filter(pl.col("medewerker_id") == medewerker_id)
    return rows.row(0, named=True) if rows.height else None


def weigering_lezen(snap: Snapshot, viewer: Viewer, medewerker_id: str) -> str | None:
    """Why the viewer may not read this worker's notes and afspraken; None when they may."""
    worker = _worker(snap, medewerker_id)
    if viewer.role == "manager":
        return None
    if viewer.role == "jeugdzorgwerker":
        if viewer.medewerker_id == medewerker_id:
            return None
        return "notities van een andere medewerker"
    if worker is None:
        return f"medewerker {medewerker_id} staat niet in de laatste export"
    if viewer.role == "praktijkbegeleider":
        if viewer.medewerker_id is not None and worker["begeleider_id"] == viewer.medewerker_id:
            return None
        return f"niet de praktijkbegeleider van medewerker {medewerker_id}"
    if viewer.role == "teammanager":
        if own_team(snap, viewer) == worker["team_id"]:
            return None
        return f"medewerker {medewerker_id} hoort niet bij het eigen team"
    return f"notities en afspraken niet voor de rol {viewer.role}"


def mag_lezen(snap: Snapshot, viewer: Viewer, medewerker_id: str | None) -> bool:
    """Whether the viewer may read the notes; for a page deciding what to draw (no audit)."""
    return medewerker_id is not None and weigering_lezen(snap, viewer, medewerker_id) is None


def weigering_vastleggen(snap: Snapshot, viewer: Viewer, medewerker_id: str) -> str | None:
    """Why the viewer may not record a talk with this worker; None when they may."""
    if viewer.role not in VASTLEGGERS:
        return f"caseloadgesprekken vastleggen niet voor de rol {viewer.role}"
    if _worker(snap, medewerker_id) is None:
        return f"medewerker {medewerker_id} staat niet in de laatste export"
    return weigering_lezen(snap, viewer, medewerker_id)


def mag_vastleggen(snap: Snapshot, viewer: Viewer, medewerker_id: str | None) -> bool:
    return medewerker_id is not None and weigering_vastleggen(snap, viewer, medewerker_id) is None


def maatregelen_op(snap: Snapshot, medewerker_id: str, day: date) -> list[str]:
    """The measures the worker held on day (any role), sorted: what a note may be about."""
    t = snap["toewijzingen"]
    held = t.filter(
        (pl.col("medewerker_id") == medewerker_id)
        & (pl.col("vanaf") <= day)
        & (pl.col("tot").is_null() | (pl.col("tot") > day))
    )
    return sorted(held["maatregel_id"].unique().to_list())


def eigenaren(snap: Snapshot, medewerker_id: str) -> list[str]:
    """Who may own an afspraak of this worker's talk: the worker and their begeleider."""
    worker = _worker(snap, medewerker_id)
    begeleider = worker["begeleider_id"] if worker else None
    return [medewerker_id, *([begeleider] if begeleider else [])]


def _tekst(value: str | None, limit: int, what: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        raise ValueError(f"{what} heeft ten hoogste {limit} tekens (nu {len(text)})")
    return text


def _afspraak(n: int, a: Afspraak, datum: date, owners: list[str], held: set[str]) -> Afspraak:
    """Afspraak n with its text trimmed, or ValueError with a Dutch message."""
    text = _tekst(a.omschrijving, MAX_AFSPRAAK, f"afspraak {n}")
    if text is None:
        raise ValueError(f"afspraak {n} heeft geen omschrijving")
    if a.medewerker_id not in owners:
        raise ValueError(f"afspraak {n}: de eigenaar is de medewerker of diens praktijkbegeleider")
    if not isinstance(a.deadline, date):
        raise ValueError(f"afspraak {n} heeft geen geldige datum waarop hij klaar moet zijn")
    if a.deadline < datum:
        raise ValueError(f"afspraak {n}: de datum ligt vóór het gesprek")
    if a.maatregel_id is not None and a.maatregel_id not in held:
        raise ValueError(f"afspraak {n}: maatregel {a.maatregel_id} hoort niet bij deze medewerker")
    return Afspraak(text, a.medewerker_id, a.deadline, a.maatregel_id)


def _gecontroleerd(snap: Snapshot, gesprek: Gesprek, vandaag: date) -> Gesprek:
    """The talk with its texts trimmed, or ValueError with a Dutch message."""
    if not isinstance(gesprek.datum, date) or gesprek.datum < EARLIEST:
        raise ValueError("kies een geldige datum voor het gesprek")
    if gesprek.datum > vandaag:
        raise ValueError("een gesprek kan niet in de toekomst zijn vastgelegd")
    notitie = _tekst(gesprek.notitie, MAX_NOTITIE, "de algemene notitie")
    held = set(maatregelen_op(snap, gesprek.medewerker_id, gesprek.datum))
    notities = {}
    for maatregel, text in gesprek.notities.items():
        if maatregel not in held:
            raise ValueError(
                f"maatregel {maatregel} hoorde op {gesprek.datum} niet bij deze medewerker"
            )
        kept = _tekst(text, MAX_NOTITIE_MAATREGEL, f"de notitie bij {maatregel}")
        if kept is not None:
            notities[maatregel] = kept
    if len(gesprek.afspraken) > MAX_AFSPRAKEN:
        raise ValueError(f"ten hoogste {MAX_AFSPRAKEN} afspraken per gesprek")
    owners = eigenaren(snap, gesprek.medewerker_id)
    afspraken = [
        _afspraak(n, a, gesprek.datum, owners, held)
        for n, a in enumerate(gesprek.afspraken, start=1)
    ]
    if notitie is None and not notities and not afspraken:
        raise ValueError("een gesprek zonder notitie of afspraak is niets om vast te leggen")
    return Gesprek(gesprek.medewerker_id, gesprek.datum, notitie, notities, tuple(afspraken))


def leg_vast(
    engine: sa.Engine,
    snap: Snapshot,
    account: Account,
    gesprek: Gesprek,
    *,
    at: dt.datetime | None = None,
) -> int:
    """Record the talk with its notes and afspraken and its audit row in one transaction;
    returns its id. A refusal is audited and raises GesprekGeweigerd, bad input ValueError."""
    at = at or utcnow()
    refused = weigering_vastleggen(snap, account.viewer, gesprek.medewerker_id)
    if refused is not None:
        record(engine, account, "geweigerd", f"gesprek {gesprek.medewerker_id}", refused, at=at)
        raise GesprekGeweigerd(refused)
    g = _gecontroleerd(snap, gesprek, at.date())
    worker = _worker(snap, g.medewerker_id) or {}
    # The free text stays out of the audit log, which can never be corrected.
    details = (f"gesprek op {g.datum}: {len(g.notities)} notities per maatregel, "
               f"{len(g.afspraken)} afspraken")  # fmt: skip
    with engine.connect() as conn:
        append(conn, entry(account, "gesprek", g.medewerker_id, details, at=at), audit_key())
        new = conn.execute(
            _gesprekken.insert()
            .values(
                medewerker_id=g.medewerker_id,
                begeleider_id=worker.get("begeleider_id"),
                datum=g.datum,
                notitie=g.notitie,
                vastgelegd_door=account.gebruikersnaam,
                tijdstip=at,
            )
            .returning(_gesprekken.c.id)
        )
        gesprek_id = int(new.scalar_one())
        if g.notities:
            conn.execute(
                _notities.insert(),
                [{"gesprek_id": gesprek_id, "maatregel_id": m, "notitie": t}
                 for m, t in g.notities.items()],
            )  # fmt: skip
        if g.afspraken:
            conn.execute(
                _afspraken.insert(),
                [{"gesprek_id": gesprek_id, "medewerker_id": a.medewerker_id,
                  "maatregel_id": a.maatregel_id, "omschrijving": a.omschrijving,
                  "deadline": a.deadline, "tijdstip": at} for a in g.afspraken],
            )  # fmt: skip
        conn.commit()
    return gesprek_id


def rond_af(
    engine: sa.Engine,
    snap: Snapshot,
    account: Account,
    afspraak_id: int,
    op: date,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Mark an afspraak afgerond on op, by whoever may read its talk; audited. A refusal is
    audited and raises GesprekGeweigerd, an afspraak already done or unknown ValueError."""
    at = at or utcnow()
    a, g = _afspraken, _gesprekken
    query = (
        sa.select(g.c.medewerker_id, g.c.datum, a.c.afgerond_op)
        .join(g, g.c.id == a.c.gesprek_id)
        .where(a.c.id == afspraak_id)
    )
    with engine.connect() as conn:
        found = conn.execute(query).first()
    subject = f"afspraak {afspraak_id}"
    if found is None:
        record(engine, account, "geweigerd", subject, "onbekende afspraak", at=at)
        raise GesprekGeweigerd("onbekende afspraak")
    refused = weigering_lezen(snap, account.viewer, found.medewerker_id)
    if refused is not None:
        record(engine, account, "geweigerd", subject, refused, at=at)
        raise GesprekGeweigerd(refused)
    if found.afgerond_op is not None:
        raise ValueError(f"deze afspraak is al afgerond op {found.afgerond_op}")
    if op < found.datum:
        raise ValueError("een afspraak kan niet vóór zijn gesprek zijn afgerond")
    if op > at.date():
        raise ValueError("een afspraak kan niet in de toekomst zijn afgerond")
    details = f"afgerond op {op} (gesprek met {found.medewerker_id})"
    with engine.connect() as conn:
        append(conn, entry(account, "afspraak_afgerond", subject, details, at=at), audit_key())
        conn.execute(
            a.update()
            .where(a.c.id == afspraak_id, a.c.afgerond_op.is_(None))
            .values(afgerond_op=op, afgerond_door=account.gebruikersnaam)
        )
        conn.commit()


def lees_gesprekken(engine: sa.Engine) -> pl.DataFrame:
    """Every talk recorded in the app without its text (for the person norm and the figures),
    oldest first."""
    g = _gesprekken
    query = sa.select(
        g.c.id.label("gesprek_id"), g.c.medewerker_id, g.c.begeleider_id, g.c.datum,
        g.c.vastgelegd_door,
    ).order_by(g.c.datum, g.c.id)  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=GESPREK_SCHEMA)


def alle_gesprekken(snap: Snapshot, app: pl.DataFrame | None, as_of: date) -> pl.DataFrame:
    """The talks of the export and the app dated on or before as_of, each person and date once.
    Columns medewerker_id, datum."""
    # The export's part is the same all day; the app's own talks change with every one held.
    export = snap.memo(
        ("gesprekken_export",), lambda: _unique_by(snap["caseloadgesprekken"], as_of), day=as_of
    )
    if app is None or app.is_empty():
        return export
    return _unique_by(pl.concat([export, app.select("medewerker_id", "datum")]), as_of)


def _unique_by(talks: pl.DataFrame, as_of: date) -> pl.DataFrame:
    return (
        talks.select("medewerker_id", "datum")
        .filter(pl.col("datum") <= as_of)
        .unique()
        .sort("medewerker_id", "datum")
    )


def vorige_gesprek(
    snap: Snapshot, app: pl.DataFrame | None, medewerker_id: str, as_of: date
) -> date | None:
    """The date of the worker's latest talk (export or app) on or before as_of."""
    talks = alle_gesprekken(snap, app, as_of).filter(pl.col("medewerker_id") == medewerker_id)
    return cast(date | None, talks["datum"].max())


def _geweigerd_lezen(
    engine: sa.Engine, snap: Snapshot, viewer: Viewer | Account, medewerker_id: str
) -> None:
    who = viewer.viewer if isinstance(viewer, Account) else viewer
    refused = weigering_lezen(snap, who, medewerker_id)
    if refused is not None:
        record(engine, viewer, "geweigerd", f"gesprekken {medewerker_id}", refused)
        raise GesprekGeweigerd(refused)


def verslagen(
    engine: sa.Engine, snap: Snapshot, viewer: Viewer | Account, medewerker_id: str, as_of: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The worker's talks dated on or before as_of with their general note, newest first, and
    the notes per measure. A refusal is audited and raises GesprekGeweigerd."""
    _geweigerd_lezen(engine, snap, viewer, medewerker_id)
    g, n = _gesprekken, _notities
    talks = (
        sa.select(
            g.c.id.label("gesprek_id"), g.c.medewerker_id, g.c.begeleider_id, g.c.datum,
            g.c.vastgelegd_door, g.c.notitie,
        )
        .where(g.c.medewerker_id == medewerker_id, g.c.datum <= as_of)
        .order_by(g.c.datum.desc(), g.c.id.desc())
    )  # fmt: skip
    notes = (
        sa.select(n.c.gesprek_id, n.c.maatregel_id, n.c.notitie)
        .join(g, g.c.id == n.c.gesprek_id)
        .where(g.c.medewerker_id == medewerker_id, g.c.datum <= as_of)
        .order_by(n.c.gesprek_id, n.c.maatregel_id)
    )
    with engine.connect() as conn:
        t = [dict(r) for r in conn.execute(talks).mappings().all()]
        m = [dict(r) for r in conn.execute(notes).mappings().all()]
    return pl.DataFrame(t, schema=VERSLAG_SCHEMA), pl.DataFrame(m, schema=NOTITIE_SCHEMA)


def afspraken_van(
    engine: sa.Engine, snap: Snapshot, viewer: Viewer | Account, medewerker_id: str, as_of: date
) -> pl.DataFrame:
    """The afspraken of the worker's talks that exist on as_of, with their status on that day
    (queries.afspraken.status_op), not done first, then by deadline. A refusal is audited
    and raises GesprekGeweigerd."""
    _geweigerd_lezen(engine, snap, viewer, medewerker_id)
    frame = lees_afspraken(engine, gesprek_met=medewerker_id)
    return (
        status_op(frame, as_of)
        .with_columns((pl.col("status") == AFGEROND).alias("_klaar"))
        .sort("_klaar", "deadline", "afspraak_id")
        .drop("_klaar")
    )


def afspraak_cijfers(
    engine: sa.Engine, medewerker_id: str, as_of: date, sinds: date | None
) -> dict[str, int]:
    """The figures of FIGUREN for one worker's talks on as_of, raw (no text, so for every role
    that may open the worker's talk page): afspraken not done, verlopen, and done since the
    previous talk `sinds` (all done when None)."""
    frame = status_op(lees_afspraken(engine, gesprek_met=medewerker_id), as_of)
    status = frame["status"]
    done = frame.filter(pl.col("status") == AFGEROND)
    if sinds is not None:
        done = done.filter(pl.col("afgerond_op") > sinds)
    return {
        "afspraken_open": int((status != AFGEROND).sum()),
        "afspraken_verlopen": int((status == VERLOPEN).sum()),
        "afspraken_afgerond_sinds": done.height,
    }


def dagen_sinds_gesprek(
    snap: Snapshot, app: pl.DataFrame | None, as_of: date, medewerker_ids: list[str]
) -> pl.DataFrame:
    """Per medewerker named, the latest talk (export or app) on or before as_of and the days
    since it (null: never). Columns medewerker_id, laatste_gesprek, dagen_sinds_gesprek."""
    latest = (
        alle_gesprekken(snap, app, as_of)
        .group_by("medewerker_id")
        .agg(pl.col("datum").max().alias("laatste_gesprek"))
    )
    return (
        pl.DataFrame({"medewerker_id": medewerker_ids}, schema={"medewerker_id": pl.String})
        .join(latest, on="medewerker_id", how="left")
        .with_columns(
            (pl.lit(as_of) - pl.col("laatste_gesprek")).dt.total_days().alias("dagen_sinds_gesprek")
        )
    )


_AFSPRAAK = "Afspraken uit de caseloadgesprekken van de medewerker, vastgelegd in de app"
# Talks and afspraken live in the database, not in the load: afspraak_cijfers and
# dagen_sinds_gesprek compute these. No afspraak counts in a deadline figure.
FIGUREN = (
    Figuur("afspraken_open", "Afspraken niet afgerond", "voorraad", "aantal", 0,
           f"{_AFSPRAAK}, op de peildatum nog niet afgerond (open of verlopen).",
           hoger_beter=False),
    Figuur("afspraken_verlopen", "Afspraken verlopen", "voorraad", "aantal", 0,
           f"{_AFSPRAAK}, op de peildatum niet afgerond en de afgesproken datum voorbij.",
           hoger_beter=False),
    Figuur("afspraken_afgerond_sinds", "Afspraken afgerond sinds het vorige gesprek", "stroom",
           "aantal", 0, f"{_AFSPRAAK}, afgerond na de datum van het vorige caseloadgesprek tot "
           "en met de peildatum.", hoger_beter=True),
    Figuur("dagen_sinds_gesprek", "Dagen sinds het laatste caseloadgesprek", "voorraad", "dagen",
           0, "Kalenderdagen van het laatste caseloadgesprek (uit de export of vastgelegd in de "
           "app, op of vóór de peildatum) tot de peildatum; leeg als er nooit een was.",
           hoger_beter=False),
)  # fmt: skip
