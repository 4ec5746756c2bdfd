"""Deadlines of the person norms (caseloadgesprek, VOG, SKJ) as of a day, per viewer."""

from datetime import date

import polars as pl

from queries.config import Config
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


def _staff_rows(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, history: bool
) -> pl.DataFrame:
    staff = visible_medewerkers(snap, viewer).filter(in_service(as_of))
    if staff.height == 0:
        firsts, lasts = [as_of], [as_of]
    else:
        firsts = [staff["in_dienst"].min(), as_of]
        lasts = [as_of, *(d for d in (staff["vog_datum"].max(),) if d is not None)]
    kal = Kalender.covering(min(firsts), max(lasts), config)
    months = config.caseloadgesprek_maanden
    holders_of_caseload = staff.lazy().filter(pl.col("functie").is_in(config.caseload_functies))
    talks = (
        snap["caseloadgesprekken"]
        .lazy()
        .filter(pl.col("datum") <= as_of)
        .join(holders_of_caseload.select("medewerker_id", "in_dienst"), on="medewerker_id")
        .filter(pl.col("datum") >= pl.col("in_dienst"))
        .select("medewerker_id", "datum", "in_dienst")
    )
    first = kal.months_deadline(pl.col("in_dienst"), months)
    met = chain(talks, "medewerker_id", lambda d: kal.months_deadline(d, months), first)
    latest = met.group_by("medewerker_id").agg(pl.col("volgende").max(), pl.col("interval").max())
    gesprek = holders_of_caseload.join(latest, on="medewerker_id", how="left").select(
        "medewerker_id",
        norm=pl.lit("caseloadgesprek", dtype=_PERSOON_NORM),
        interval=(pl.col("interval") + 1).fill_null(1).cast(pl.Int32),
        deadline=pl.coalesce("volgende", first),
        voldaan_op=pl.lit(None, dtype=pl.Date),
    )
    one = {"interval": pl.lit(1, dtype=pl.Int32), "voldaan_op": pl.lit(None, dtype=pl.Date)}
    vog = (
        staff.lazy()
        .filter(pl.col("vog_datum") <= as_of)
        .select(
            "medewerker_id",
            norm=pl.lit("vog", dtype=_PERSOON_NORM),
            deadline=kal.months_deadline(pl.col("vog_datum"), config.vog_maanden),
            **one,
        )
    )
    skj = (
        staff.lazy()
        .filter(pl.col("functie").is_in(SKJ_FUNCTIES) & pl.col("skj_geldig_tot").is_not_null())
        .select(
            "medewerker_id",
            norm=pl.lit("skj", dtype=_PERSOON_NORM),
            deadline="skj_geldig_tot",
            **one,
        )
    )
    parts = [gesprek, vog, skj]
    if history:
        parts.append(
            met.select(
                "medewerker_id",
                norm=pl.lit("caseloadgesprek", dtype=_PERSOON_NORM),
                interval="interval",
                deadline="deadline",
                voldaan_op="datum",
            )
        )
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


def staff_deadlines(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """Current person-norm deadlines of every visible medewerker in service on as_of.
    VOG and SKJ are only known as their latest value, so they are open or verlopen, never met."""
    return _staff_rows(snap, viewer, as_of, config, history=False).drop("interval")


def staff_deadline_history(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> pl.DataFrame:
    """As staff_deadlines, plus every met caseloadgesprek interval, numbered per person."""
    return _staff_rows(snap, viewer, as_of, config, history=True)
