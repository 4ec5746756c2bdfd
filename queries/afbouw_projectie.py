"""CRT afbouw ahead: when the CRT reaches its target, and the room regular teams have for it."""

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.afbouw import in_scope, stock_per_month
from queries.caseload import caseload_lazy, held_active
from queries.config import Config
from queries.scope import Viewer
from queries.snapshot import JB_SOORTEN, Snapshot


def crt_target(config: Config, regio: str | None = None) -> int | None:
    """The CRT target size for the scope: the organisation's without regio, else the region's
    own; None when that region has none (the organisation's target is not split over regions)."""
    if regio is None:
        return config.crt_doel
    return dict(config.crt_doel_regio).get(regio)


@dataclass(frozen=True)
class Projection:
    """When the CRT reaches its target at the mean net decrease of the last months; crt_doel
    None: no target for the scope, so no projection."""

    crt_nu: int
    crt_doel: int | None
    tempo_per_maand: float
    maanden_nodig: int | None
    maand: str | None
    toelichting: str


def projection(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> Projection:
    """Month (YYYY-MM) the CRT stock (with regio: that region's) reaches crt_target at the
    mean net monthly decrease over the last config.afbouw_tempo_maanden month ends; None when
    it is not decreasing or there is no target."""
    n = config.afbouw_tempo_maanden
    crt = stock_per_month(snap, viewer, as_of, config, months=n + 1, regio=regio)["crt"].to_list()
    now, doel = crt[-1], crt_target(config, regio)
    pace = (crt[0] - now) / n
    if doel is None:
        return Projection(now, None, pace, None, None, "Geen regiodoel ingesteld.")
    if now <= doel:
        return Projection(now, doel, pace, 0, as_of.strftime("%Y-%m"), "Doel bereikt.")
    if pace <= 0:
        return Projection(now, doel, pace, None, None, "Niet bij dit tempo.")
    needed = math.ceil((now - doel) / pace)
    month_index = as_of.year * 12 + as_of.month - 1 + needed
    maand = f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    pace_txt = f"{pace:.1f}".replace(".", ",")
    return Projection(now, doel, pace, needed, maand, f"Bij {pace_txt} minder per maand: {maand}.")


def regular_room(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.LazyFrame:
    room = caseload_lazy(snap, viewer, as_of, config).filter(pl.col("team_soort") == "regulier")
    return room if regio is None else room.filter(pl.col("regio") == regio)


def crt_now(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.LazyFrame:
    held = held_active(snap, as_of, config).filter(pl.col("team_soort") == "CRT")
    return in_scope(held, snap, viewer, regio)


def capacity(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> pl.DataFrame:
    """Per region (or only regio): positive room of regular jeugdzorgwerkers (split _jb/_jr by
    function) against the CRT stock on as_of (split JB/JR); saldo = ruimte - crt_gewogen."""
    room = (
        regular_room(snap, viewer, as_of, config, regio)
        .with_columns(pl.col("ruimte").clip(lower_bound=0).alias("pos"))
        .group_by("regio")
        .agg(
            pl.len().alias("medewerkers"),
            (pl.col("ruimte") > 0).sum().alias("met_ruimte"),
            pl.col("pos").sum().alias("ruimte_positief"),
            pl.col("pos").filter(pl.col("functie") == "jeugdbeschermer").sum().alias("ruimte_jb"),
            pl.col("pos")
            .filter(pl.col("functie") == "jeugdreclasseerder")
            .sum()
            .alias("ruimte_jr"),
        )
    )
    crt = (
        crt_now(snap, viewer, as_of, config, regio)
        .group_by("regio")
        .agg(
            pl.len().alias("crt"),
            pl.col("soort").is_in(JB_SOORTEN).sum().alias("crt_jb"),
            (pl.col("soort") == "JR").sum().alias("crt_jr"),
            pl.col("gewicht").sum().alias("crt_gewogen"),
        )
    )
    return (
        room.join(crt, on="regio", how="full", coalesce=True)
        .with_columns(
            pl.col("medewerkers", "met_ruimte", "crt", "crt_jb", "crt_jr")
            .fill_null(0)
            .cast(pl.Int64),
            pl.col("ruimte_positief", "ruimte_jb", "ruimte_jr", "crt_gewogen")
            .fill_null(0.0)
            .round(4),
        )
        .with_columns((pl.col("ruimte_positief") - pl.col("crt_gewogen")).round(4).alias("saldo"))
        .sort("regio")
        .collect()
    )
