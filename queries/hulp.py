"""Hulp wachttijd: how long help took to start, and who is still waiting, per hulp soort and
per gemeente of the jeugdige."""

from datetime import date
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.houder import ALLE, narrow
from queries.kalender import add_months, months_later
from queries.perioden import covers
from queries.scope import Viewer, scope_key, visible_maatregelen
from queries.snapshot import Snapshot

# Help started in this many months before the peildatum counts for the median.
GESTART_MAANDEN = 12
ONBEKEND = "onbekend"
PER = ("hulp_soort", "gemeente")


def hulp_rows(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """Help requested by as_of for the visible measures (within filters): hulp_soort, gemeente
    (empty: onbekend), wachtdagen of help started in the 12 months before as_of, wachtend on
    as_of (not started, measure active) and wachtend_lang (beyond hulp_maanden)."""
    key = ("hulp_rows", scope_key(viewer), config_key(config))
    every = snap.memo(
        key,
        partial(_hulp_rows, snap, viewer, as_of, config),
        day=as_of,
        shared=viewer.sees_everything,
    )
    return narrow(every, filters).drop(_HOLDER)


# The measure's soort and holder, kept until a figure's filters have narrowed the rows.
_HOLDER = ("soort", "medewerker_id", "team_id", "regio")


def _hulp_rows(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    measures = snap["maatregelen"].select(
        "maatregel_id", "jeugdige_id", "soort", actief=covers("start", "einde", as_of)
    )
    held = visible_maatregelen(snap, viewer, as_of).join(measures, on="maatregel_id")
    gestart = pl.when(pl.col("gestart") <= as_of).then(pl.col("gestart"))
    since = add_months(as_of, -GESTART_MAANDEN)
    wachtend = gestart.is_null() & pl.col("actief")
    return (
        snap["hulp"]
        .filter(pl.col("aangevraagd") <= as_of)
        .rename({"soort": "hulp_soort"})
        .join(held.select("maatregel_id", "jeugdige_id", "actief", *_HOLDER), on="maatregel_id")
        .join(snap["jeugdigen"].select("jeugdige_id", "gemeente"), on="jeugdige_id", how="left")
        .select(
            "hulp_id",
            "maatregel_id",
            pl.col("hulp_soort", "gemeente").fill_null(ONBEKEND),
            "aangevraagd",
            gestart.alias("gestart"),
            pl.when(gestart > since)
            .then((gestart - pl.col("aangevraagd")).dt.total_days())
            .alias("wachtdagen"),
            wachtend.alias("wachtend"),
            (wachtend & (months_later(pl.col("aangevraagd"), config.hulp_maanden) < as_of)).alias(
                "wachtend_lang"
            ),
            *_HOLDER,
        )
    )


def _figures() -> list[pl.Expr]:
    waiting = pl.col("wachtend").sum()
    return [
        pl.col("wachtdagen").count().alias("hulp_gestart_12m"),
        pl.col("wachtdagen").median().alias("hulp_wachttijd_mediaan"),
        waiting.cast(pl.Int64).alias("hulp_wachtend"),
        pl.when(waiting > 0)
        .then(100 * pl.col("wachtend_lang").sum() / waiting)
        .alias("hulp_wachtend_lang_pct"),
    ]


def hulp_wachttijd(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    per: str = "hulp_soort",
    filters: Filters = ALLE,
) -> pl.DataFrame:
    """Per hulp_soort or gemeente: help started in the 12 months before as_of and its median
    days from aangevraagd to gestart, help waiting on as_of and the share waiting too long."""
    if per not in PER:
        raise ValueError(f"per moet een van {', '.join(PER)} zijn, niet {per!r}")
    rows = hulp_rows(snap, viewer, as_of, config, filters)
    return rows.group_by(per).agg(_figures()).sort(per)


def _totaal(key: str):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return hulp_rows(snap, viewer, as_of, config, f).select(_figures()).item(0, key)

    return bereken


FIGUREN = (
    Figuur("hulp_gestart_12m", "Hulp gestart in 12 maanden", "periode", "aantal", 0,
           "Hulptrajecten gestart in de 12 maanden tot en met de peildatum.",
           _totaal("hulp_gestart_12m")),
    Figuur("hulp_wachttijd_mediaan", "Wachttijd hulp (mediaan)", "periode", "dagen", 1,
           "De mediaan van de kalenderdagen van aanvraag tot start, over de hulp gestart in de "
           "12 maanden tot en met de peildatum.",
           _totaal("hulp_wachttijd_mediaan"), hoger_beter=False),
    Figuur("hulp_wachtend", "Wacht op hulp", "voorraad", "aantal", 0,
           "Hulptrajecten aangevraagd op of voor de peildatum en op de peildatum niet gestart, "
           "bij een actieve maatregel.", _totaal("hulp_wachtend"), hoger_beter=False),
    Figuur("hulp_wachtend_lang_pct", "Wacht langer dan 3 maanden", "voorraad", "pct", 1,
           "Van de hulp die op de peildatum wacht, het aandeel dat langer dan 3 maanden na de "
           "aanvraag nog niet is gestart.",
           _totaal("hulp_wachtend_lang_pct"), hoger_beter=False),
)  # fmt: skip
