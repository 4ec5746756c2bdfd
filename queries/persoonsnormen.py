"""Deadlines of the person norms (caseloadgesprek, VOG, SKJ) as of a day, per viewer."""

from datetime import date
from functools import partial
from typing import cast

import polars as pl

from queries.config import Config
from queries.gesprekken import alle_gesprekken
from queries.kalender import Kalender
from queries.scope import Viewer, in_service, visible_medewerkers
from queries.snapshot import Snapshot
from queries.termijnen import ENGINE, chain, status_expr

PERSOON_NORMEN = ("caseloadgesprek", "vog", "skj")
SKJ_FUNCTIES = (
    "jeugdbeschermer",
    "jeugdreclasseerder",
    "praktijkbegeleider",
    "gedragswetenschapper",
)

_PERSOON_NORM = pl.Enum(PERSOON_NORMEN)
_STAFF = ("naam", "functie", "team_id")


_ONE = {"interval": pl.lit(1, dtype=pl.Int32), "voldaan_op": pl.lit(None, dtype=pl.Date)}


def _kalender_for(staff: pl.DataFrame, as_of: date, config: Config) -> Kalender:
    if staff.height == 0:
        return Kalender.covering(as_of, as_of, config)
    # Series.min and max are typed for every dtype; these columns hold dates.
    vog = cast(date | None, staff["vog_datum"].max())
    first = cast(date, staff["in_dienst"].min())
    lasts = [as_of, *(d for d in (vog,) if d is not None)]
    return Kalender.covering(min(first, as_of), max(lasts), config)


def _caseloadgesprek(
    snap: Snapshot,
    staff: pl.LazyFrame,
    as_of: date,
    kal: Kalender,
    config: Config,
    gesprekken: pl.DataFrame | None,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The current deadline of every caseload holder, and every met interval: a talk of the
    export or the app (gesprekken, queries.gesprekken.lees_gesprekken) meets it alike."""
    holders_of_caseload = staff.filter(pl.col("functie").is_in(config.caseload_functies))
    talks = (
        alle_gesprekken(snap, gesprekken, as_of)
        .lazy()
        .join(holders_of_caseload.select("medewerker_id", "in_dienst"), on="medewerker_id")
        .filter(pl.col("datum") >= pl.col("in_dienst"))
        .select("medewerker_id", "datum", "in_dienst")
    )
    volgende = partial(kal.months_deadline, n=config.caseloadgesprek_maanden)
    first = volgende(pl.col("in_dienst"))
    met = chain(talks, "medewerker_id", volgende, first)
    latest = met.group_by("medewerker_id").agg(pl.col("volgende").max(), pl.col("interval").max())
    norm = pl.lit("caseloadgesprek", dtype=_PERSOON_NORM)
    current = holders_of_caseload.join(latest, on="medewerker_id", how="left").select(
        "medewerker_id",
        norm=norm,
        interval=(pl.col("interval") + 1).fill_null(1).cast(pl.Int32),
        deadline=pl.coalesce("volgende", first),
        voldaan_op=pl.lit(None, dtype=pl.Date),
    )
    history = met.select(
        "medewerker_id", norm=norm, interval="interval", deadline="deadline", voldaan_op="datum"
    )
    return current, history


def _vog(staff: pl.LazyFrame, as_of: date, kal: Kalender, config: Config) -> pl.LazyFrame:
    return staff.filter(pl.col("vog_datum") <= as_of).select(
        "medewerker_id",
        norm=pl.lit("vog", dtype=_PERSOON_NORM),
        deadline=kal.months_deadline(pl.col("vog_datum"), config.vog_maanden),
        **_ONE,
    )


def _skj(staff: pl.LazyFrame) -> pl.LazyFrame:
    registered = pl.col("functie").is_in(SKJ_FUNCTIES) & pl.col("skj_geldig_tot").is_not_null()
    return staff.filter(registered).select(
        "medewerker_id", norm=pl.lit("skj", dtype=_PERSOON_NORM), deadline="skj_geldig_tot", **_ONE
    )


def _staff_rows(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    history: bool,
    gesprekken: pl.DataFrame | None,
) -> pl.DataFrame:
    staff = visible_medewerkers(snap, viewer).filter(in_service(as_of))
    kal = _kalender_for(staff, as_of, config)
    gesprek, met = _caseloadgesprek(snap, staff.lazy(), as_of, kal, config, gesprekken)
    parts = [gesprek, _vog(staff.lazy(), as_of, kal, config), _skj(staff.lazy())]
    if history:
        parts.append(met)
    return (
        pl.concat(parts, how="diagonal_relaxed")
        .with_columns(einde=pl.lit(None, dtype=pl.Date))
        .with_columns(status=status_expr(as_of))
        .join(staff.lazy().select("medewerker_id", *_STAFF), on="medewerker_id")
        .sort("medewerker_id", "norm", "interval")
        .select("medewerker_id", "norm", "deadline", "status", "voldaan_op", *_STAFF, "interval")
        .with_columns(pl.col("norm").cast(pl.String))
        .collect(engine=ENGINE)
    )


def persoonstermijnen(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    gesprekken: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Current person-norm deadlines of every visible medewerker in service on as_of; the
    talks recorded in the app (gesprekken) count beside the export's.
    VOG and SKJ are only known as their latest value, so they are open or verlopen, never met."""
    return _staff_rows(snap, viewer, as_of, config, False, gesprekken).drop("interval")


def persoonstermijn_historie(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    gesprekken: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """As staff_deadlines, plus every met caseloadgesprek interval, numbered per person."""
    return _staff_rows(snap, viewer, as_of, config, True, gesprekken)
