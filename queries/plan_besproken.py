"""Plan besproken: whether the latest plan van aanpak was discussed with the jeugdige and with
the ouders, over the active measures that have a plan."""

from datetime import date
from functools import partial

import polars as pl

from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.houder import ALLE, actief_in_scope, narrow
from queries.scope import Viewer, scope_key
from queries.snapshot import Snapshot


def laatste_plannen(
    snap: Snapshot, viewer: Viewer, as_of: date, filters: Filters = ALLE
) -> pl.DataFrame:
    """Per visible measure active on as_of with a plan by then: its latest plan (on a tie, the
    highest plan_id) and whether it was discussed with the jeugdige and the ouders (empty: nee)."""
    every = snap.memo(
        ("laatste_plannen", scope_key(viewer)),
        partial(_laatste, snap, viewer, as_of),
        day=as_of,
        shared=viewer.sees_everything,
    )
    return narrow(every, filters).drop("soort")


def _laatste(snap: Snapshot, viewer: Viewer, as_of: date) -> pl.DataFrame:
    active = actief_in_scope(snap, viewer, as_of)
    latest = (
        snap["plannen"]
        .join(active.select("maatregel_id"), on="maatregel_id", how="semi")
        .filter(pl.col("vastgesteld") <= as_of)
        .sort("vastgesteld", "plan_id")
        .unique("maatregel_id", keep="last")
    )
    return active.join(latest, on="maatregel_id").select(
        "maatregel_id",
        "soort",
        "medewerker_id",
        "team_id",
        "regio",
        "plan_id",
        "vastgesteld",
        pl.col("met_jeugdige_besproken").fill_null(False),
        pl.col("met_ouders_besproken").fill_null(False),
    )


def _pct(column: str):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, _config: Config, f: Filters):
        plans = laatste_plannen(snap, viewer, as_of, f)
        return 100 * int(plans[column].sum()) / plans.height if plans.height else None

    return bereken


_OVER = (
    "Over de actieve maatregelen met een plan van aanpak op de peildatum: het aandeel waarvan "
    "het laatste plan"
)
FIGUREN = (
    Figuur("plan_besproken_jeugdige_pct", "Plan besproken met jeugdige", "voorraad", "pct", 1,
           f"{_OVER} met de jeugdige is besproken (leeg telt als nee).",
           _pct("met_jeugdige_besproken"), hoger_beter=True),
    Figuur("plan_besproken_ouders_pct", "Plan besproken met ouders", "voorraad", "pct", 1,
           f"{_OVER} met de ouders is besproken (leeg telt als nee).",
           _pct("met_ouders_besproken"), hoger_beter=True),
)  # fmt: skip
