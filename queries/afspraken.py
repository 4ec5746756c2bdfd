"""Afspraken uit een caseloadgesprek: what a talk agreed, owned by a medewerker, with a due date.

They are the app's own data (table `afspraken`) and count in no deadline figure. As of a day an
afspraak exists once its talk has taken place, and is afgerond, verlopen or open.
"""

from datetime import date

import polars as pl
import sqlalchemy as sa

from store.schema import afspraken as _afspraken
from store.schema import gesprekken as _gesprekken

OPEN, VERLOPEN, AFGEROND = "open", "verlopen", "afgerond"
STATUS_TEKST = {OPEN: "open", VERLOPEN: "verlopen", AFGEROND: "afgerond"}

SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "afspraak_id": pl.Int64,
    "gesprek_id": pl.Int64,
    "gesprek_datum": pl.Date,
    "medewerker_id": pl.String,
    "maatregel_id": pl.String,
    "omschrijving": pl.String,
    "deadline": pl.Date,
    "afgerond_op": pl.Date,
}


def lees_afspraken(
    engine: sa.Engine,
    medewerker_ids: list[str] | None = None,
    *,
    gesprek_met: str | None = None,
) -> pl.DataFrame:
    """Every afspraak with its talk's date, of the owners named and of the talks held with the
    medewerker gesprek_met (default: all), oldest first."""
    a, g = _afspraken, _gesprekken
    query = (
        sa.select(
            a.c.id.label("afspraak_id"),
            a.c.gesprek_id,
            g.c.datum.label("gesprek_datum"),
            a.c.medewerker_id,
            a.c.maatregel_id,
            a.c.omschrijving,
            a.c.deadline,
            a.c.afgerond_op,
        )
        .join(g, g.c.id == a.c.gesprek_id)
        .order_by(a.c.id)
    )
    if medewerker_ids is not None:
        query = query.where(a.c.medewerker_id.in_(medewerker_ids))
    if gesprek_met is not None:
        query = query.where(g.c.medewerker_id == gesprek_met)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)


def status_op(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """lees_afspraken's rows that exist on as_of, with their status on that day."""
    done = pl.col("afgerond_op").is_not_null() & (pl.col("afgerond_op") <= as_of)
    return frame.filter(pl.col("gesprek_datum") <= as_of).with_columns(
        pl.when(done)
        .then(pl.lit(AFGEROND))
        .when(pl.col("deadline") < as_of)
        .then(pl.lit(VERLOPEN))
        .otherwise(pl.lit(OPEN))
        .alias("status")
    )


def niet_afgerond(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The afspraken still to do on as_of (open or verlopen), by deadline."""
    return (
        status_op(frame, as_of).filter(pl.col("status") != AFGEROND).sort("deadline", "afspraak_id")
    )
