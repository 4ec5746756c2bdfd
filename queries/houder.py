"""Who holds a measure on a day, as a kind (vaste jzw, CCP, CRT, niet toegewezen), and the
visible measures active on a day narrowed by a figure's filters."""

from datetime import date
from functools import partial

import polars as pl

from queries.figuur import Filters
from queries.perioden import covers
from queries.scope import Viewer, scope_key, visible_maatregelen
from queries.snapshot import Snapshot
from queries.tijdigheid import of_soort

# The holder kinds of the inspection's figures, in the order pages list them.
HOUDERS = {
    "vaste_jzw": "Vaste jeugdzorgwerker",
    "ccp": "CCP",
    "crt": "CRT",
    "niet_toegewezen": "Niet toegewezen",
}
ALLE = Filters()
# A contactpersoon in a regular team is none of the four (as in queries.kpis).
OVERIG = "overig"


def houder() -> pl.Expr:
    """The holder kind of a row with medewerker_id, rol and team_soort, as kpis counts them."""
    return (
        pl.when(pl.col("medewerker_id").is_null())
        .then(pl.lit("niet_toegewezen"))
        .when(pl.col("team_soort") == "CRT")
        .then(pl.lit("crt"))
        .when(pl.col("team_soort") == "CCP")
        .then(pl.lit("ccp"))
        .when((pl.col("rol") == "jeugdzorgwerker") & (pl.col("team_soort") == "regulier"))
        .then(pl.lit("vaste_jzw"))
        .otherwise(pl.lit(OVERIG))
        .alias("houder")
    )


def narrow(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The rows of a frame with soort and holder columns that fall within the filters."""
    return of_soort(frame, filters.soort).filter(filters.houder())


def actief_in_scope(
    snap: Snapshot, viewer: Viewer, as_of: date, filters: Filters = ALLE
) -> pl.DataFrame:
    """The visible measures active on as_of within the filters: maatregel_id, jeugdige_id,
    soort, start, einde_gepland, the holder's columns (scope.holders) and houder."""
    key = ("actief_in_scope", scope_key(viewer))
    every = snap.memo(
        key, partial(_actief, snap, viewer, as_of), day=as_of, shared=viewer.sees_everything
    )
    return narrow(every, filters)


def _actief(snap: Snapshot, viewer: Viewer, as_of: date) -> pl.DataFrame:
    active = (
        snap["maatregelen"]
        .filter(covers("start", "einde", as_of))
        .select("maatregel_id", "jeugdige_id", "soort", "start", "einde_gepland")
    )
    held = visible_maatregelen(snap, viewer, as_of).join(active, on="maatregel_id")
    return held.with_columns(houder())
