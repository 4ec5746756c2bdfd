"""Timeliness figures per start month, worker, team or region, built on the deadlines.
A share is tijdig / (tijdig + te_laat + verlopen): open and vervallen deadlines are left out."""

from datetime import date
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.kalender import add_months
from queries.perioden import covers
from queries.scope import MANAGER, Viewer, holder_filter
from queries.snapshot import JB_SOORTEN, Snapshot
from queries.termijnen import (
    VOOGDIJ_SOORTEN,
    instrument,
    termijn_historie,
    termijnen,
    werklijst,
)

GROUPS = ("start_maand", "medewerker_id", "team_id", "regio")
_COUNTED = ("tijdig", "te_laat", "verlopen")
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
    """Percentage tijdig of the counted statuses, one decimal; None when nothing counts."""
    counted = status.is_in(_COUNTED).sum()
    return pl.when(counted > 0).then((100 * (status == "tijdig").sum() / counted).round(1))


def percentage(flag: pl.Expr) -> pl.Expr:
    """Percentage of non-null flags that are true, one decimal; None when there are none."""
    n = flag.count()
    return pl.when(n > 0).then((100 * flag.sum() / n).round(1))


def maatregel_cijfers(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, voogdij: bool = True
) -> pl.DataFrame:
    """Per visible measure started by as_of: holder, the one-off norms' statuses, days to first
    contact, risicotaxatie_actueel and (unless voogdij=False) voogdij contacts in the last year."""
    # dagen_eerste_contact: calendar days from start to the eerste_contact event, if any by
    # as_of. risicotaxatie_actueel (active measures only): the latest taxatie with the right
    # instrument is dated on or after as_of minus actueel_maanden (3), for JB and JR alike.
    # voogdij=False spares a pass over every contact for callers that do not show contacts per
    # year.
    dl = termijnen(snap, viewer, as_of, config)
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
    if not voogdij:
        return out
    year_ago = add_months(as_of, -12)
    measures = base.filter(pl.col("actief") & pl.col("soort").is_in(VOOGDIJ_SOORTEN)).select(
        "maatregel_id", "start", van=pl.max_horizontal(pl.col("start"), pl.lit(year_ago))
    )
    contacts = (
        snap["contacten"]
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
    Columns: maatregel_id, contacten_jaar, verwacht, deadline, status (verlopen or open)."""
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
            verwacht=pl.min_horizontal(
                pl.lit(VOOGDIJ_CONTACTEN_PER_JAAR, dtype=pl.Int64),
                months_active // config.voogdij_contact_maanden,
            ),
        )
        .join(current.select("maatregel_id", "deadline", "status"), on="maatregel_id", how="left")
        .filter((pl.col("contacten_jaar") < pl.col("verwacht")) | verlopen)
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
        days.mean().round(1).alias("gem_dagen_eerste_contact"),
        days.median().round(1).alias("mediaan_dagen_eerste_contact"),
        share(pl.col("plan_status").filter(actief)).alias("plan_tijdig_pct"),
        cohort.alias("plan_tijdig_pct_cohort"),
        share(pl.col("hulp_status").filter(actief)).alias("hulp_tijdig_pct"),
        percentage(pl.col("risicotaxatie_actueel")).alias("risicotaxatie_actueel_pct"),
    ]
    if voogdij:
        vg_days = pl.col("voogdij_dagen").sum()
        exprs.append(
            pl.when(vg_days > 0)
            .then((365 * pl.col("voogdij_contacten").sum() / vg_days).round(1))
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
    soort (a SOORT_KEUZES key) the measures."""
    if by not in GROUPS:
        raise ValueError(f"by moet een van {', '.join(GROUPS)} zijn, niet {by!r}")
    frame = of_soort(maatregel_cijfers(snap, viewer, as_of, config), soort)
    if since is not None:
        in_cohort = pl.col("start") >= since
        frame = frame.with_columns(
            pl.when(in_cohort).then(pl.col(c)) for c in ("ec_status", "dagen_eerste_contact")
        )
    return frame.group_by(by).agg(figures(since)).sort(by, nulls_last=True)


# Worklist counts per worker --------------------------------------------------------------


def _signaal_expressies(config: Config) -> list[pl.Expr]:
    status = pl.col("status")
    binnenkort = (status == "open") & (pl.col("werkdagen_tot") <= config.binnenkort_werkdagen)
    return [
        (status == "verlopen").sum().cast(pl.Int64).alias("verlopen_termijnen"),
        binnenkort.sum().cast(pl.Int64).alias("binnenkort_termijnen"),
    ]


def termijnen_per_medewerker(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> pl.DataFrame:
    """Per worker holding visible active measures on as_of: their verlopen deadlines and the open
    ones due within config.binnenkort_werkdagen werkdagen (verlopen_termijnen,
    binnenkort_termijnen)."""
    todo = werklijst(snap, viewer, as_of, config).filter(pl.col("medewerker_id").is_not_null())
    return todo.group_by("medewerker_id").agg(_signaal_expressies(config)).sort("medewerker_id")


def _signaal(key: str):
    """bereken of a worklist count over the measures of the holders the filters name."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        todo = of_soort(werklijst(snap, viewer, as_of, config, f.medewerker_id), f.soort)
        for col, value in (("team_id", f.team_id), ("regio", f.regio)):
            if value is not None:
                todo = todo.filter(pl.col(col) == value)
        return todo.select(_signaal_expressies(config)).row(0, named=True)[key]

    return bereken


_SIGNAAL_FIGUREN = (
    Figuur("verlopen_termijnen", "Verlopen termijnen", "voorraad", "aantal", 0,
           "Termijnen van actieve maatregelen die op de peildatum verstreken zijn zonder dat "
           "aan de norm is voldaan, bij wie de maatregel op de peildatum heeft.",
           _signaal("verlopen_termijnen"), hoger_beter=False),
    Figuur("binnenkort_termijnen", "Termijnen binnenkort", "voorraad", "aantal", 0,
           "Open termijnen van actieve maatregelen die binnen het ingestelde aantal werkdagen "
           "(standaard 5) na de peildatum verlopen, bij wie de maatregel op de peildatum heeft.",
           _signaal("binnenkort_termijnen")),
)  # fmt: skip


# Attribution ------------------------------------------------------------------------------

HOUDER_GROUPS = ("medewerker_id", "team_id", "regio")
# The figure of each norm's timeliness, attributed to the holder on the deadline day.
HOUDER_FIGUREN = {
    "eerste_contact": "eerste_contact_tijdig_pct_houder",
    "plan_van_aanpak": "plan_tijdig_pct_houder",
    "hulp_gestart": "hulp_tijdig_pct_houder",
    "risicotaxatie": "rt_termijn_tijdig_pct_houder",
    "plan_evaluatie": "plan_evaluatie_tijdig_pct_houder",
    "voogdij_contact": "voogdij_contact_tijdig_pct_houder",
}
HOUDER_MAANDEN = 12


def _attributed(snap: Snapshot, as_of: date, config: Config) -> pl.DataFrame:
    """Every counted deadline of every measure whose day falls in the 12 months up to as_of,
    with the holder on that day; deadlines of a day without a holder are left out."""
    # The day is the deadline, or the day it was met when that came first. The history is
    # the manager's: a deadline counts for whoever held the measure then, whoever holds it now.
    dag = pl.min_horizontal("deadline", "voldaan_op")
    since = add_months(as_of, -HOUDER_MAANDEN)
    rows = (
        termijn_historie(snap, MANAGER, as_of, config)
        .filter(pl.col("status").is_in(_COUNTED))
        .select("maatregel_id", "soort", "norm", "interval", "status", dag=dag)
        .filter((pl.col("dag") > since) & (pl.col("dag") <= as_of))
    )
    teams = snap["teams"].select("team_id", "regio")
    return (
        rows.join(snap["toewijzingen"], on="maatregel_id")
        .filter(covers("vanaf", "tot", pl.col("dag")))
        # As scope.holders: of two covering toewijzingen the later one holds the measure.
        .sort("vanaf")
        .unique(["maatregel_id", "norm", "interval"], keep="last")
        .join(teams, on="team_id", how="left")
        .select(
            "maatregel_id",
            "soort",
            "norm",
            "interval",
            "status",
            "dag",
            "medewerker_id",
            "team_id",
            "regio",
        )  # fmt: skip
        .sort("maatregel_id", "norm", "interval")
    )


def toegerekende_termijnen(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, soort: str | None = None
) -> pl.DataFrame:
    """The counted deadlines (tijdig, te_laat, verlopen) whose day falls in the 12 months
    before as_of, each with its holder on that day, as far as the viewer may see that holder."""
    rows = snap.memo(
        ("toegerekend", as_of, config_key(config)),
        partial(_attributed, snap, as_of, config),
        chosen=True,
    )
    scope = holder_filter(snap, viewer)
    return of_soort(rows if scope is None else rows.filter(scope), soort)


def _raw_share(status: pl.Expr) -> pl.Expr:
    """share without its rounding: the registry rounds."""
    counted = status.is_in(_COUNTED).sum()
    return pl.when(counted > 0).then(100 * (status == "tijdig").sum() / counted)


def _houder_cijfers() -> list[pl.Expr]:
    """Per norm its share and its tijdig, te_laat and verlopen counts; all counted deadlines."""
    exprs = [pl.len().cast(pl.Int64).alias("termijnen_houder")]
    for norm, key in HOUDER_FIGUREN.items():
        status = pl.col("status").filter(pl.col("norm") == norm)
        exprs.append(_raw_share(status).cast(pl.Float64).alias(key))
        exprs += [(status == s).sum().cast(pl.Int64).alias(f"{norm}_{s}") for s in _COUNTED]
    return exprs


def tijdigheid_per_houder(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    by: str = "medewerker_id",
    soort: str | None = None,
) -> pl.DataFrame:
    """Timeliness per holder (medewerker_id, team_id or regio) of the deadlines attributed to
    them: the holder on the deadline day, over the 12 months before as_of. Raw shares."""
    if by not in HOUDER_GROUPS:
        raise ValueError(f"by moet een van {', '.join(HOUDER_GROUPS)} zijn, niet {by!r}")
    rows = toegerekende_termijnen(snap, viewer, as_of, config, soort)
    return rows.group_by(by).agg(_houder_cijfers()).sort(by, nulls_last=True)


def _per_houder(key: str):
    """bereken of an attributed figure: over the deadlines of the holders the filters name."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        rows = toegerekende_termijnen(snap, viewer, as_of, config, f.soort)
        for col, value in (
            ("medewerker_id", f.medewerker_id),
            ("team_id", f.team_id),
            ("regio", f.regio),
        ):
            if value is not None:
                rows = rows.filter(pl.col(col) == value)
        return rows.select(_houder_cijfers()).row(0, named=True)[key]

    return bereken


_TOEGEREKEND = (
    "Toegerekend aan wie de maatregel had op de termijndag (of op de dag dat aan de norm werd "
    "voldaan, als dat eerder was), over de 12 maanden voor de peildatum; termijnen op een dag "
    "zonder toewijzing tellen voor niemand. Tijdig / (tijdig + te laat + verlopen)."
)
FIGUREN = (
    *_SIGNAAL_FIGUREN,
    Figuur("termijnen_houder", "Termijnen toegerekend", "periode", "aantal", 0,
           "Aantal termijnen (tijdig, te laat of verlopen) toegerekend aan wie de maatregel had "
           "op de termijndag, over de 12 maanden voor de peildatum.",
           _per_houder("termijnen_houder")),
    Figuur("eerste_contact_tijdig_pct_houder", "1e contact tijdig (toegerekend)", "periode",
           "pct", 1, "Aandeel eerste face-to-face contacten binnen 5 werkdagen na de start. "
           + _TOEGEREKEND, _per_houder("eerste_contact_tijdig_pct_houder"), hoger_beter=True),
    Figuur("plan_tijdig_pct_houder", "Plan tijdig (toegerekend)", "periode", "pct", 1,
           "Aandeel eerste plannen van aanpak binnen 6 weken na de uitspraak. " + _TOEGEREKEND,
           _per_houder("plan_tijdig_pct_houder"), hoger_beter=True),
    Figuur("hulp_tijdig_pct_houder", "Hulp tijdig (toegerekend)", "periode", "pct", 1,
           "Aandeel maatregelen met hulp waarvan de eerste hulp binnen 3 maanden na de uitspraak "
           "is gestart. " + _TOEGEREKEND, _per_houder("hulp_tijdig_pct_houder"),
           hoger_beter=True),
    Figuur("rt_termijn_tijdig_pct_houder", "RT-termijn tijdig (toegerekend)", "periode", "pct",
           1, "Aandeel risicotaxatietermijnen gehaald: de eerste binnen 6 weken na de start, "
           "daarna binnen de termijn van het instrument na de vorige (ARIJ 3 maanden, LIJ 6 "
           "maanden). " + _TOEGEREKEND, _per_houder("rt_termijn_tijdig_pct_houder"),
           hoger_beter=True),
    Figuur("plan_evaluatie_tijdig_pct_houder", "Evaluatie plan tijdig (toegerekend)",
           "periode", "pct", 1, "Aandeel evaluaties van het plan van aanpak binnen de termijn "
           "na het vorige plan (jeugdbescherming 12, jeugdreclassering 6 maanden). "
           + _TOEGEREKEND, _per_houder("plan_evaluatie_tijdig_pct_houder"), hoger_beter=True),
    Figuur("voogdij_contact_tijdig_pct_houder", "Contact voogdij tijdig (toegerekend)",
           "periode", "pct", 1, "Aandeel voogdijcontacttermijnen gehaald: contact met de "
           "jeugdige binnen 3 maanden na het vorige. " + _TOEGEREKEND,
           _per_houder("voogdij_contact_tijdig_pct_houder"), hoger_beter=True),
)  # fmt: skip
