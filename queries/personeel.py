"""Staffing per team and month: formatie vs bezetting, verzuim, dienstverband, VOG/SKJ, diplomas."""

# medewerkers.team_id and fte are the export's current values (no history in the contract), so
# past months count people in service then with today's team and fte. A verzuim period runs
# from ziek_vanaf up to, not including, ziek_tot, like a toewijzing's tot (as queries.kpis does).

from datetime import date, timedelta

import polars as pl

from queries.config import Config
from queries.kalender import Kalender
from queries.perioden import month_ends, month_windows
from queries.persoonsnormen import SKJ_FUNCTIES
from queries.scope import Viewer, in_service, visible_medewerkers
from queries.snapshot import Snapshot

DIENSTVERBANDEN = ("vast", "tijdelijk", "zzp", "onbekend")
_ONE = timedelta(days=1)


def _teams(snap: Snapshot) -> pl.LazyFrame:
    return snap["teams"].lazy().select("team_id", pl.col("naam").alias("team_naam"), "regio")


def _staff(snap: Snapshot, viewer: Viewer) -> pl.LazyFrame:
    return (
        visible_medewerkers(snap, viewer)
        .lazy()
        .with_columns(pl.col("fte").fill_null(0.0))
        .join(_teams(snap), on="team_id", how="left")
    )


def _group_keys(by: str | None) -> list[str]:
    if by not in ("team_id", "regio", None):
        raise ValueError(f"by moet team_id, regio of None zijn, niet {by!r}")
    return {"team_id": ["team_id", "team_naam", "regio"], "regio": ["regio"], None: []}[by]


def bezetting(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, months: int = 13
) -> pl.DataFrame:
    """Per team and month: formatie_fte against bezetting_fte in service at month end (as_of for
    the current month); scoped viewers get their medewerkers' teams, counting only those."""
    window = month_windows(as_of, months)
    staff = _staff(snap, viewer)
    teams = _teams(snap)
    if not viewer.sees_everything:
        teams = teams.join(staff.select("team_id"), on="team_id", how="semi")
    filled = (
        staff.join_where(window, in_service(pl.col("maand_einde")))
        .group_by("team_id", "maand")
        .agg(pl.col("fte").sum().alias("bezetting_fte"), pl.len().alias("medewerkers"))
    )
    formatie = snap["formatie"].lazy().select("team_id", "maand", "formatie_fte")
    return (
        teams.join(window.select("maand"), how="cross")
        .join(formatie, on=["team_id", "maand"], how="left")
        .join(filled, on=["team_id", "maand"], how="left")
        .with_columns(
            pl.col("bezetting_fte").fill_null(0.0).round(4),
            pl.col("medewerkers").fill_null(0).cast(pl.Int64),
        )
        .with_columns(
            (pl.col("bezetting_fte") - pl.col("formatie_fte")).round(4).alias("verschil_fte")
        )
        .sort("team_id", "maand")
        .collect()
    )


def _werkdagen(cal: Kalender, lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """Werkdagen from lo to hi, both included; 0 when hi is before lo."""
    return pl.when(lo <= hi).then(cal.werkdagen_between(lo - _ONE, hi)).otherwise(0)


def verzuim(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 13,
    by: str | None = "team_id",
) -> pl.DataFrame:
    """Verzuim % per month and team ("team_id"), region ("regio") or organisation (None):
    absent fte-werkdagen (fte x percentage/100, empty: 100) / available fte-werkdagen x 100."""
    keys = _group_keys(by)
    window = month_windows(as_of, months)
    first = month_ends(as_of, months)[0]
    cal = Kalender(first.year - 1, as_of.year + 1, config)
    staff = _staff(snap, viewer).select("medewerker_id", *keys, "fte", "in_dienst", "uit_dienst")
    last_in_service = pl.col("uit_dienst").fill_null(date.max) - _ONE
    available = (
        staff.join(window, how="cross")
        .with_columns(
            _werkdagen(
                cal,
                pl.max_horizontal("in_dienst", "maand_start"),
                pl.min_horizontal(last_in_service, "maand_einde"),
            ).alias("dagen")
        )
        .group_by("maand", *keys)
        .agg((pl.col("fte") * pl.col("dagen")).sum().alias("beschikbaar_fte_dagen"))
    )
    absent = (
        snap["verzuim"]
        .lazy()
        .filter(pl.col("ziek_vanaf") <= as_of)
        .join(staff, on="medewerker_id")
        .join_where(
            window,
            pl.col("ziek_vanaf") <= pl.col("maand_einde"),
            pl.col("ziek_tot").fill_null(date.max) > pl.col("maand_start"),
        )
        .with_columns(
            _werkdagen(
                cal,
                pl.max_horizontal("ziek_vanaf", "in_dienst", "maand_start"),
                pl.min_horizontal(
                    pl.col("ziek_tot").fill_null(date.max) - _ONE, last_in_service, "maand_einde"
                ),
            ).alias("dagen")
        )
        .group_by("maand", *keys)
        .agg(
            (pl.col("fte") * pl.col("percentage").fill_null(100.0) / 100 * pl.col("dagen"))
            .sum()
            .alias("verzuim_fte_dagen")
        )
    )
    return (
        available.join(absent, on=["maand", *keys], how="left", nulls_equal=True)
        .with_columns(pl.col("verzuim_fte_dagen").fill_null(0.0))
        .with_columns(
            pl.when(pl.col("beschikbaar_fte_dagen") > 0)
            .then((100 * pl.col("verzuim_fte_dagen") / pl.col("beschikbaar_fte_dagen")).round(1))
            .alias("verzuim_pct"),
            pl.col("beschikbaar_fte_dagen", "verzuim_fte_dagen").round(4),
        )
        .select("maand", *keys, "verzuim_pct", "verzuim_fte_dagen", "beschikbaar_fte_dagen")
        .sort("maand", *keys)
        .collect()
    )


def dienstverband_mix(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, by: str | None = "team_id"
) -> pl.DataFrame:
    """Per team/region/organisation and dienstverband ("onbekend" when empty): medewerkers and
    fte in service on as_of, and the share of the group's fte."""
    keys = _group_keys(by)
    return (
        _staff(snap, viewer)
        .filter(in_service(as_of))
        .with_columns(pl.col("dienstverband").fill_null("onbekend"))
        .group_by(*keys, "dienstverband")
        .agg(pl.len().cast(pl.Int64).alias("medewerkers"), pl.col("fte").sum().round(4))
        .with_columns(
            (
                100
                * pl.col("fte")
                / (pl.col("fte").sum().over(keys) if keys else pl.col("fte").sum())
            )
            .round(1)
            .alias("aandeel_fte_pct")
        )
        .sort(
            *keys,
            pl.col("dienstverband").replace_strict(
                DIENSTVERBANDEN, list(range(len(DIENSTVERBANDEN))), default=len(DIENSTVERBANDEN)
            ),
        )
        .collect()
    )


def expiring(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, maanden: int = 3
) -> pl.DataFrame:
    """Per medewerker in service: VOG (vog_datum + config.vog_maanden) and SKJ registration
    expiring by as_of + maanden; status "verlopen" (before as_of) or "verloopt"."""
    # A vog_datum after as_of was not known yet on as_of.
    horizon = pl.lit(as_of).dt.offset_by(f"{maanden}mo")
    staff = _staff(snap, viewer).filter(in_service(as_of))
    cols = ("medewerker_id", "naam", "functie", "team_id", "team_naam")
    vog = staff.filter(pl.col("vog_datum") <= as_of).select(
        *cols,
        pl.lit("vog").alias("document"),
        pl.col("vog_datum").dt.offset_by(f"{config.vog_maanden}mo").alias("verloopt_op"),
    )
    skj = staff.filter(
        pl.col("functie").is_in(SKJ_FUNCTIES) & pl.col("skj_geldig_tot").is_not_null()
    ).select(*cols, pl.lit("skj").alias("document"), pl.col("skj_geldig_tot").alias("verloopt_op"))
    return (
        pl.concat([vog, skj])
        .filter(pl.col("verloopt_op") <= horizon)
        .with_columns(
            (pl.col("verloopt_op") - pl.lit(as_of)).dt.total_days().alias("dagen_tot"),
            pl.when(pl.col("verloopt_op") < as_of)
            .then(pl.lit("verlopen"))
            .otherwise(pl.lit("verloopt"))
            .alias("status"),
        )
        .sort("verloopt_op", "medewerker_id", "document")
        .collect()
    )


def missing_diplomas(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """Medewerkers in service in an SKJ function whose diploma is not known to be in the dossier."""
    return (
        _staff(snap, viewer)
        .filter(
            in_service(as_of)
            & pl.col("functie").is_in(SKJ_FUNCTIES)
            & pl.col("diploma_in_dossier").fill_null(False).not_()
        )
        .select("medewerker_id", "naam", "functie", "team_id", "team_naam", "diploma_in_dossier")
        .sort("team_id", "naam", "medewerker_id")
        .collect()
    )
