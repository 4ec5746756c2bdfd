"""Time in the CRT: per measure handed from the CRT to a regular team, the days of its stay."""

from dataclasses import dataclass
from datetime import date
from typing import cast

import polars as pl

from queries.afbouw import (
    known_toewijzingen,
    overdrachten,
    overdrachten_in_scope,
    with_team_names,
)
from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.perioden import month_ends
from queries.scope import Viewer
from queries.snapshot import Snapshot

BUCKETS = ("< 3 maanden", "3-6 maanden", "6-12 maanden", ">= 12 maanden")


def crt_stays(t: pl.LazyFrame, soorten: tuple[str, ...] = ("CRT",)) -> pl.LazyFrame:
    """CRT (or soorten) toewijzingen with crt_sinds: the first day of the unbroken stay in
    teams of those soorten they belong to."""
    covered_until = pl.col("tot").fill_null(date.max).cum_max().shift(1)
    return (
        t.filter(pl.col("team_soort").is_in(soorten))
        .sort("maatregel_id", "vanaf")
        .with_columns(covered_until.over("maatregel_id").alias("_tot_eerder"))
        .with_columns(
            (pl.col("_tot_eerder").is_null() | (pl.col("vanaf") > pl.col("_tot_eerder")))
            .cum_sum()
            .over("maatregel_id")
            .alias("_verblijf")
        )
        .with_columns(pl.col("vanaf").min().over("maatregel_id", "_verblijf").alias("crt_sinds"))
        .drop("_tot_eerder", "_verblijf")
    )


@dataclass(frozen=True)
class TimeInCrt:
    """Transfers out of the CRT in the window with the days spent in it, and their summary."""

    per_maatregel: pl.DataFrame
    mediaan_dagen: float | None
    verdeling: pl.DataFrame


def _bucket() -> pl.Expr:
    d = pl.col("dagen_in_crt")
    return (
        pl.when(d < 91)
        .then(pl.lit(BUCKETS[0]))
        .when(d < 182)
        .then(pl.lit(BUCKETS[1]))
        .when(d < 365)
        .then(pl.lit(BUCKETS[2]))
        .otherwise(pl.lit(BUCKETS[3]))
    )


def time_in_crt(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 24,
    regio: str | None = None,
) -> TimeInCrt:
    """Per measure moved from the CRT to a regular team in the window (with regio: a team of
    that region): days from the start of its unbroken CRT stay to the transfer, with the
    median and buckets of 3, 6 and 12 months."""
    t = known_toewijzingen(snap, as_of)
    first_day = month_ends(as_of, months)[0].replace(day=1)
    stays = crt_stays(t).select("maatregel_id", pl.col("vanaf").alias("spec_vanaf"), "crt_sinds")
    transfers = overdrachten_in_scope(
        overdrachten(t)
        .filter((pl.col("team_soort") == "CRT") & (pl.col("datum") >= first_day))
        .join(stays, on=["maatregel_id", "spec_vanaf"]),
        snap,
        viewer,
        regio,
    )
    soort = snap["maatregelen"].lazy().select("maatregel_id", "soort")
    per = (
        transfers.join(soort, on="maatregel_id", how="left")
        .select(
            "maatregel_id",
            "soort",
            "van_team_id",
            pl.col("team_id").alias("naar_team_id"),
            "regio",
            "crt_sinds",
            pl.col("datum").alias("overdracht_op"),
            (pl.col("datum") - pl.col("crt_sinds")).dt.total_days().alias("dagen_in_crt"),
        )
        .sort("overdracht_op", "maatregel_id")
        .collect()
    )
    per = with_team_names(snap, per, "van_team_id", "naar_team_id")
    counts = per.group_by(_bucket().alias("duur")).agg(pl.len().alias("aantal"))
    verdeling = (
        pl.DataFrame({"duur": BUCKETS})
        .join(counts, on="duur", how="left")
        .with_columns(pl.col("aantal").fill_null(0).cast(pl.Int64))
    )
    # Series.median is typed for every dtype; of a column of days it is a float or None.
    median = cast(float | None, per["dagen_in_crt"].median()) if per.height else None
    return TimeInCrt(per_maatregel=per, mediaan_dagen=median, verdeling=verdeling)


def _mediaan(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
    return time_in_crt(snap, viewer, as_of, config, regio=f.regio).mediaan_dagen


FIGUREN = (
    Figuur("dagen_in_crt", "Dagen in het CRT", "stroom", "dagen", 0,
           "Per maatregel de kalenderdagen van de start van het ononderbroken verblijf in het "
           "CRT tot de overdracht naar een regulier team, of tot de peildatum als de maatregel "
           "nog in het CRT is.", hoger_beter=False),
    Figuur("mediaan_dagen_in_crt", "Mediaan tijd in het CRT", "stroom", "dagen", 0,
           "Mediaan van de dagen in het CRT van de maatregelen die in de periode tot en met de "
           "peildatum (standaard 24 maanden; op de pagina de gekozen periode) van het CRT naar "
           "een regulier team gingen, in de gekozen regio.", _mediaan, hoger_beter=False),
)  # fmt: skip
