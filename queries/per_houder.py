"""Figures per holder of measures: the worklist counts of the current holder, and timeliness
attributed to the holder on the deadline day (norms.md, "Attribution")."""

from datetime import date
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.kalender import add_months
from queries.perioden import covers
from queries.scope import MANAGER, Viewer, holder_filter, scope_key
from queries.snapshot import Snapshot
from queries.termijnen import termijn_historie, werklijst
from queries.tijdigheid import COUNTED, of_soort

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
           "aan de norm is voldaan, geteld bij wie de maatregel op de peildatum heeft.",
           _signaal("verlopen_termijnen"), hoger_beter=False),
    Figuur("binnenkort_termijnen", "Termijnen binnenkort", "voorraad", "aantal", 0,
           "Open termijnen van actieve maatregelen die binnen het ingestelde aantal werkdagen "
           "(standaard 5) na de peildatum verlopen, geteld bij wie de maatregel op de peildatum "
           "heeft.",
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
        termijn_historie(snap, MANAGER, as_of, config, sinds=since)
        .filter(pl.col("status").is_in(COUNTED))
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
        shared=True,
    )
    scope = holder_filter(snap, viewer)
    return of_soort(rows if scope is None else rows.filter(scope), soort)


def _raw_share(status: pl.Expr) -> pl.Expr:
    """share without its rounding: the registry rounds."""
    counted = status.is_in(COUNTED).sum()
    return pl.when(counted > 0).then(100 * (status == "tijdig").sum() / counted)


def _houder_cijfers() -> list[pl.Expr]:
    """Per norm its share and its tijdig, te_laat and verlopen counts; all counted deadlines."""
    exprs = [pl.len().cast(pl.Int64).alias("termijnen_houder")]
    for norm, key in HOUDER_FIGUREN.items():
        status = pl.col("status").filter(pl.col("norm") == norm)
        exprs.append(_raw_share(status).cast(pl.Float64).alias(key))
        exprs += [(status == s).sum().cast(pl.Int64).alias(f"{norm}_{s}") for s in COUNTED]
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

    def per_group() -> pl.DataFrame:
        rows = toegerekende_termijnen(snap, viewer, as_of, config, soort)
        return rows.group_by(by).agg(_houder_cijfers()).sort(by, nulls_last=True)

    key = ("tijdigheid_per_houder", scope_key(viewer), config_key(config), by, soort)
    return snap.memo(key, per_group, day=as_of, shared=viewer.sees_everything)


def _per_houder(key: str):
    """bereken of an attributed figure: over the deadlines of the holders the filters name."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        rows = toegerekende_termijnen(snap, viewer, as_of, config, f.soort).filter(f.houder())
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
