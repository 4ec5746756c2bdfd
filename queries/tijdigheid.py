"""Timeliness figures per start month, worker, team or region, built on the deadlines.
A share is tijdig / (tijdig + te_laat + verlopen): open and vervallen deadlines are left out."""

from datetime import date
from functools import partial

import polars as pl

from queries.bruikbare_contacten import contacten
from queries.config import Config, config_key
from queries.kalender import add_months
from queries.scope import Viewer, scope_key
from queries.snapshot import JB_SOORTEN, VOOGDIJ_SOORTEN, Snapshot
from queries.termijnen import eenmalige_termijnen, instrument, werklijst

GROUPS = ("start_maand", "medewerker_id", "team_id", "regio")
COUNTED = ("tijdig", "te_laat", "verlopen")
# What a soort filter accepts: a group (JB: jeugdbescherming, JR: jeugdreclassering) or one
# jeugdbescherming soort, in the order a slicer lists them.
SOORT_KEUZES: dict[str, tuple[str, ...]] = {
    "JB": JB_SOORTEN,
    **{s: (s,) for s in JB_SOORTEN},
    "JR": ("JR",),
}


def of_soort(frame: pl.DataFrame, soort: str | None) -> pl.DataFrame:
    """The rows whose soort falls under a SOORT_KEUZES key; every row when soort is None."""
    if soort is None:
        return frame
    if soort not in SOORT_KEUZES:
        raise ValueError(f"soort moet een van {', '.join(SOORT_KEUZES)} zijn, niet {soort!r}")
    return frame.filter(pl.col("soort").is_in(SOORT_KEUZES[soort]))


def share(status: pl.Expr) -> pl.Expr:
    """Percentage tijdig of the counted statuses, unrounded; None when nothing counts."""
    counted = status.is_in(COUNTED).sum()
    return pl.when(counted > 0).then(100 * (status == "tijdig").sum() / counted)


def percentage(flag: pl.Expr) -> pl.Expr:
    """Percentage of non-null flags that are true, unrounded; None when there are none."""
    n = flag.count()
    return pl.when(n > 0).then(100 * flag.sum() / n)


def maatregel_cijfers(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, voogdij: bool = True
) -> pl.DataFrame:
    """Per visible measure started by as_of: holder, the one-off norms' statuses, days to first
    contact, risicotaxatie_actueel and (unless voogdij=False) voogdij contacts in the last year."""
    key = ("maatregel_cijfers", scope_key(viewer), config_key(config), voogdij)
    build = partial(_met_voogdij if voogdij else _zonder_voogdij, snap, viewer, as_of, config)
    return snap.memo(key, build, day=as_of, shared=viewer.sees_everything)


def _zonder_voogdij(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    # dagen_eerste_contact: calendar days from start to the eerste_contact event, if any by
    # as_of. risicotaxatie_actueel (active measures only): the latest taxatie with the right
    # instrument is dated on or after as_of minus actueel_maanden (3), for JB and JR alike.
    # The one-off norms are all this needs, and every started measure has one.
    dl = eenmalige_termijnen(snap, viewer, as_of, config)
    base = dl.unique("maatregel_id").select(
        "maatregel_id", "soort", "start", "einde", "actief",
        "medewerker_id", "team_id", "rol", "team_soort", "regio",
    )  # fmt: skip

    def status_of(norm: str, name: str) -> pl.DataFrame:
        return dl.filter(pl.col("norm") == norm).select(
            "maatregel_id", pl.col("status").alias(name)
        )

    first_contact = dl.filter(pl.col("norm") == "eerste_contact").select(
        "maatregel_id",
        ec_status="status",
        dagen_eerste_contact=(pl.col("voldaan_op") - pl.col("start")).dt.total_days(),
    )
    since = add_months(as_of, -config.risicotaxatie_actueel_maanden)
    actueel = (
        snap["risicotaxaties"]
        .filter(pl.col("datum") <= as_of)
        .join(base.filter("actief").select("maatregel_id", "soort"), on="maatregel_id")
        .filter(pl.col("instrument") == instrument())
        .group_by("maatregel_id")
        .agg(laatste=pl.col("datum").max())
        .select("maatregel_id", rt=pl.col("laatste") >= since)
    )
    out = base.with_columns(start_maand=pl.col("start").dt.strftime("%Y-%m"))
    for frame in (
        first_contact,
        status_of("plan_van_aanpak", "plan_status"),
        status_of("hulp_gestart", "hulp_status"),
        actueel,
    ):
        out = out.join(frame, on="maatregel_id", how="left")
    out = out.with_columns(
        risicotaxatie_actueel=pl.when("actief").then(pl.col("rt").fill_null(False))
    ).drop("rt")
    return out


def _met_voogdij(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """The figures without voogdij contacts, and those contacts in the last year."""
    out = maatregel_cijfers(snap, viewer, as_of, config, voogdij=False)
    year_ago = add_months(as_of, -12)
    measures = out.filter(pl.col("actief") & pl.col("soort").is_in(VOOGDIJ_SOORTEN)).select(
        "maatregel_id", "start", van=pl.max_horizontal(pl.col("start"), pl.lit(year_ago))
    )
    contacts = (
        contacten(snap, config)
        .filter(
            pl.col("met").is_in(config.voogdij_contact_met)
            & (pl.col("datum") > year_ago)
            & (pl.col("datum") <= as_of)
        )
        .join(measures, on="maatregel_id")
        .filter(pl.col("datum") >= pl.col("start"))
        .group_by("maatregel_id")
        .agg(voogdij_contacten=pl.len())
    )
    per_measure = measures.join(contacts, on="maatregel_id", how="left").select(
        "maatregel_id",
        pl.col("voogdij_contacten").fill_null(0),
        voogdij_dagen=(pl.lit(as_of) - pl.col("van")).dt.total_days(),
    )
    return out.join(per_measure, on="maatregel_id", how="left")


# A voogdij measure asks for contact with the jeugdige at least this often a year.
VOOGDIJ_CONTACTEN_PER_JAAR = 4


def voogdij_behind(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, medewerker_id: str
) -> pl.DataFrame:
    """A worker's active voogdij measures behind on contact with the jeugdige: fewer contacts in
    the last 12 months (maatregel_cijfers' voogdij_contacten) than the norm asks (4 a year, fewer
    while the measure is younger), or the current voogdij_contact deadline has passed.
    Columns: maatregel_id, contacten_jaar, contacten_verwacht, deadline, status (verlopen or
    open)."""
    mine = maatregel_cijfers(snap, viewer, as_of, config).filter(
        pl.col("actief")
        & (pl.col("medewerker_id") == medewerker_id)
        & pl.col("soort").is_in(VOOGDIJ_SOORTEN)
    )
    current = werklijst(snap, viewer, as_of, config, medewerker_id=medewerker_id).filter(
        pl.col("norm") == "voogdij_contact"
    )
    months_active = ((pl.lit(as_of) - pl.col("start")).dt.total_days() // 30).cast(pl.Int64)
    verlopen = pl.col("status") == "verlopen"
    return (
        mine.select(
            "maatregel_id",
            contacten_jaar=pl.col("voogdij_contacten").cast(pl.Int64),
            contacten_verwacht=pl.min_horizontal(
                pl.lit(VOOGDIJ_CONTACTEN_PER_JAAR, dtype=pl.Int64),
                months_active // config.voogdij_contact_maanden,
            ),
        )
        .join(current.select("maatregel_id", "deadline", "status"), on="maatregel_id", how="left")
        .filter((pl.col("contacten_jaar") < pl.col("contacten_verwacht")) | verlopen)
        .with_columns(
            pl.when(verlopen).then(pl.lit("verlopen")).otherwise(pl.lit("open")).alias("status")
        )
        .sort("contacten_jaar", "maatregel_id")
    )


def figures(since: date | None, voogdij: bool = True) -> list[pl.Expr]:
    """The timeliness aggregations over a frame of maatregel_cijfers rows."""
    actief = pl.col("actief")
    days = pl.col("dagen_eerste_contact")
    cohort = (
        share(pl.col("plan_status").filter(actief & (pl.col("start") >= since)))
        if since is not None
        else pl.lit(None, dtype=pl.Float64)
    )
    exprs = [
        pl.len().alias("maatregelen"),
        actief.sum().alias("actief"),
        share(pl.col("ec_status")).alias("eerste_contact_tijdig_pct"),
        days.mean().alias("gem_dagen_eerste_contact"),
        days.median().alias("mediaan_dagen_eerste_contact"),
        share(pl.col("plan_status").filter(actief)).alias("plan_tijdig_pct"),
        cohort.alias("plan_tijdig_pct_cohort"),
        share(pl.col("hulp_status").filter(actief)).alias("hulp_tijdig_pct"),
        percentage(pl.col("risicotaxatie_actueel")).alias("risicotaxatie_actueel_pct"),
    ]
    if voogdij:
        vg_days = pl.col("voogdij_dagen").sum()
        exprs.append(
            pl.when(vg_days > 0)
            .then(365 * pl.col("voogdij_contacten").sum() / vg_days)
            .alias("voogdij_contacten_per_jaar")
        )
    return exprs


def timeliness(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    by: str = "start_maand",
    since: date | None = None,
    soort: str | None = None,
) -> pl.DataFrame:
    """Timeliness per start_maand or holder (medewerker_id, team_id, regio) of the visible
    measures started by as_of; since limits the first-contact figures and sets the plan cohort,
    soort (a SOORT_KEUZES key) the measures. Kept per day: Organisatie's tables ask per visit."""
    if by not in GROUPS:
        raise ValueError(f"by moet een van {', '.join(GROUPS)} zijn, niet {by!r}")

    def per_group() -> pl.DataFrame:
        frame = of_soort(maatregel_cijfers(snap, viewer, as_of, config), soort)
        if since is not None:
            in_cohort = pl.col("start") >= since
            frame = frame.with_columns(
                pl.when(in_cohort).then(pl.col(c)) for c in ("ec_status", "dagen_eerste_contact")
            )
        return frame.group_by(by).agg(figures(since)).sort(by, nulls_last=True)

    key = ("timeliness", scope_key(viewer), config_key(config), by, since, soort)
    return snap.memo(key, per_group, day=as_of, shared=viewer.sees_everything)
