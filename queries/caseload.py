"""Caseload per jeugdzorgwerker on a day: measures held, weighted, against the norm per fte."""

# medewerkers.team_id and fte are the export's current values (the contract keeps no history),
# so a past day uses today's team and fte for the people in service on that day.

from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.perioden import covers
from queries.scope import (
    Viewer,
    holder_filter,
    in_service,
    scope_key,
    visible_maatregel,
    visible_medewerkers,
)
from queries.snapshot import Snapshot
from queries.zicht import dagen_sinds, laatst_gezien

SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij", "JR")
_SUMS = ("medewerkers", "fte", "actief", *SOORTEN, "contactpersoon", "gewogen", "norm", "ruimte")


def active_on(day: date | pl.Expr) -> pl.Expr:
    """Measure active on day: start <= day < einde (empty: active)."""
    return covers("start", "einde", day)


def weight(as_of: date, config: Config) -> pl.Expr:
    """Weight of a measure on as_of: per soort, times the start-phase factor in its first weeks."""
    per_soort = pl.col("soort").replace_strict(
        config.caseload_gewicht, default=1.0, return_dtype=pl.Float64
    )
    startfase = pl.lit(as_of) < pl.col("start") + timedelta(weeks=config.startfase_weken)
    return per_soort * pl.when(startfase).then(config.startfase_factor).otherwise(1.0)


def held_active(
    snap: Snapshot,
    as_of: date,
    config: Config,
    # A None among them (a viewer without an id) holds nothing.
    medewerkers: Sequence[str | None] | None = None,
) -> pl.LazyFrame:
    """Assigned active measures on as_of with their holder (as scope.holders picks it), team
    soort, regio, soort and gewicht; with medewerkers, only the measures they hold."""
    measures = (
        snap["maatregelen"]
        .lazy()
        .filter(active_on(as_of))
        .select("maatregel_id", "soort", "subsoort", "start", "einde_gepland")
    )
    teams = snap["teams"].lazy().select("team_id", pl.col("soort").alias("team_soort"), "regio")
    # Filtering the covering toewijzingen first keeps this to the active measures only.
    covering = snap["toewijzingen"].lazy().filter(covers("vanaf", "tot", as_of))
    if medewerkers is not None:
        # Only measures one of them covers can be theirs; the holder is still picked among all
        # covering toewijzingen of those measures.
        theirs = covering.filter(pl.col("medewerker_id").is_in(medewerkers)).select("maatregel_id")
        measures = measures.join(theirs, on="maatregel_id", how="semi")
    held = (
        covering.join(measures, on="maatregel_id")
        .sort("vanaf")
        .unique("maatregel_id", keep="last")
        .join(teams, on="team_id", how="left")
        .select(
            "maatregel_id",
            "medewerker_id",
            "team_id",
            "rol",
            "team_soort",
            "regio",
            "soort",
            "subsoort",
            "start",
            "einde_gepland",
            weight(as_of, config).alias("gewicht"),
        )
    )
    if medewerkers is None:
        return held
    return held.filter(pl.col("medewerker_id").is_in(medewerkers))


def _workers(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.LazyFrame:
    teams = (
        snap["teams"]
        .lazy()
        .select(
            "team_id",
            pl.col("naam").alias("team_naam"),
            pl.col("soort").alias("team_soort"),
            "regio",
        )
    )
    return (
        visible_medewerkers(snap, viewer)
        .lazy()
        .filter(pl.col("functie").is_in(config.caseload_functies) & in_service(as_of))
        .select("medewerker_id", "naam", "functie", "team_id", pl.col("fte").fill_null(0.0))
        .join(teams, on="team_id", how="left")
    )


def caseload_lazy(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.LazyFrame:
    """caseload() as a lazy frame, for the roll-ups and the afbouw capacity."""
    return caseload(snap, viewer, as_of, config).lazy()


def _caseload(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    workers = _workers(snap, viewer, as_of, config).collect()
    ids = None if viewer.sees_everything else workers["medewerker_id"].to_list()
    counts = (
        held_active(snap, as_of, config, ids)
        .group_by("medewerker_id")
        .agg(
            pl.len().alias("actief"),
            *((pl.col("soort") == s).sum().alias(s) for s in SOORTEN),
            (pl.col("rol") == "contactpersoon").sum().alias("contactpersoon"),
            pl.col("gewicht").sum().alias("gewogen"),
        )
    )
    count_cols = ("actief", *SOORTEN, "contactpersoon")
    return (
        workers.lazy()
        .join(counts, on="medewerker_id", how="left")
        .with_columns(
            *(pl.col(c).fill_null(0).cast(pl.Int64) for c in count_cols),
            pl.col("gewogen").fill_null(0.0),
            (pl.col("fte") * config.caseload_norm_per_fte).round(4).alias("norm"),
        )
        .with_columns((pl.col("norm") - pl.col("gewogen")).round(4).alias("ruimte"))
        .with_columns((pl.col("ruimte") < 0).alias("boven_norm"))
        .sort("team_id", "naam", "medewerker_id")
        .collect()
    )


def caseload(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """Per visible jeugdzorgwerker in service: measures held (contactpersoon: the part held in
    that role), by soort, gewogen, norm = norm per fte x fte, ruimte = norm - gewogen. Kept
    per day: most pages and the roll-ups start from it."""
    key = ("caseload", scope_key(viewer), config_key(config))
    return snap.memo(
        key,
        partial(_caseload, snap, viewer, as_of, config),
        day=as_of,
        shared=viewer.sees_everything,
    )


def caseload_by(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, level: str = "team_id"
) -> pl.DataFrame:
    """Caseload summed per team ("team_id") or region ("regio"); ruimte_positief sums only the
    room of workers under the norm, boven_norm counts the workers over it."""
    if level not in ("team_id", "regio"):
        raise ValueError(f"level moet team_id of regio zijn, niet {level!r}")
    keys = ["team_id", "team_naam", "team_soort", "regio"] if level == "team_id" else ["regio"]
    return (
        caseload_lazy(snap, viewer, as_of, config)
        .with_columns(pl.lit(1).alias("medewerkers"))
        .group_by(keys)
        .agg(
            *(pl.col(c).sum() for c in _SUMS),
            pl.col("ruimte").clip(lower_bound=0).sum().alias("ruimte_positief"),
            pl.col("boven_norm").sum().cast(pl.Int64),
        )
        .with_columns(pl.col("medewerkers").cast(pl.Int64))
        .sort(keys)
        .collect()
    )


def _latest(table: pl.DataFrame, day: str, ids: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """Per measure in ids, its latest `day` on or before as_of."""
    return (
        table.lazy()
        .join(ids, on="maatregel_id", how="semi")
        .filter(pl.col(day) <= as_of)
        .group_by("maatregel_id")
        .agg(pl.col(day).max())
    )


def maatregelen_van(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    medewerker_id: str | None = None,
) -> pl.DataFrame:
    """A worker's (default: the viewer's) active measures with when the jeugdige was last seen
    and seen alone (queries.zicht), the latest plan and risicotaxatie."""
    medewerker_id = medewerker_id or viewer.medewerker_id
    visible = visible_medewerkers(snap, viewer)["medewerker_id"]
    held = held_active(snap, as_of, config, [medewerker_id])
    scope = holder_filter(snap, viewer)
    if scope is not None:
        held = held.filter(scope)
    if medewerker_id not in visible:
        held = held.filter(pl.lit(False))
    active = held.collect()
    ids = active.lazy().select("maatregel_id")
    seen, plans, taxaties = pl.collect_all(
        [
            laatst_gezien(snap, as_of, ids),
            _latest(snap["plannen"], "vastgesteld", ids, as_of).rename(
                {"vastgesteld": "laatste_plan"}
            ),
            _latest(snap["risicotaxaties"], "datum", ids, as_of).rename(
                {"datum": "laatste_risicotaxatie"}
            ),
        ]
    )
    return (
        active.lazy()
        .join(seen.lazy(), on="maatregel_id", how="left")
        .join(plans.lazy(), on="maatregel_id", how="left")
        .join(taxaties.lazy(), on="maatregel_id", how="left")
        .select(
            "maatregel_id",
            "soort",
            "subsoort",
            "start",
            "einde_gepland",
            "rol",
            "team_id",
            "gewicht",
            "laatst_gezien",
            dagen_sinds(as_of, "laatst_gezien").alias("dagen_sinds_gezien"),
            "laatst_alleen_gezien",
            dagen_sinds(as_of, "laatst_alleen_gezien").alias("dagen_sinds_alleen_gezien"),
            "jeugdige_alleen_gezien_laatst",
            "laatste_plan",
            "laatste_risicotaxatie",
        )
        .sort("dagen_sinds_gezien", "start", "maatregel_id", descending=[True, False, False])
        .collect()
    )


def maatregel(snap: Snapshot, viewer: Viewer, as_of: date, maatregel_id: str) -> pl.DataFrame:
    """One measure as of the day with its holder (scope.holders) by name and team; no row when
    the viewer may not see it. einde only when it fell on or before as_of."""
    held = visible_maatregel(snap, viewer, as_of, maatregel_id)
    staff = snap["medewerkers"].select("medewerker_id", "naam")
    teams = snap["teams"].select("team_id", pl.col("naam").alias("team_naam"))
    return (
        held.join(
            snap["maatregelen"].select(
                "maatregel_id", "soort", "subsoort", "start", "einde_gepland", "einde"
            ),
            on="maatregel_id",
        )
        .join(staff, on="medewerker_id", how="left")
        .join(teams, on="team_id", how="left")
        .select(
            "maatregel_id",
            "soort",
            "subsoort",
            "start",
            "einde_gepland",
            pl.when(pl.col("einde") <= as_of).then("einde").alias("einde"),
            "medewerker_id",
            "naam",
            "team_id",
            "team_naam",
            "rol",
            "team_soort",
            "regio",
        )
    )


# Figures ---------------------------------------------------------------------------------

# The caseload columns of a worker's row under the keys of their figures.
CASELOAD_FIGUREN = {
    "actief": "caseload_actief",
    "gewogen": "caseload_gewogen",
    "norm": "caseload_norm",
    "ruimte": "caseload_ruimte",
}


def caseload_rijen(frame: pl.DataFrame) -> pl.DataFrame:
    """caseload() rows with their figure columns named by the figures' keys."""
    return frame.rename(CASELOAD_FIGUREN)


# caseload_by's sums per team or region, by the figures' keys.
CASELOAD_BY_FIGUREN = CASELOAD_FIGUREN | {
    "medewerkers": "jeugdzorgwerkers",
    "fte": "caseload_fte",
    "boven_norm": "medewerkers_boven_norm",
}


def caseload_by_rijen(frame: pl.DataFrame) -> pl.DataFrame:
    """caseload_by() rows with their figure columns named by the figures' keys."""
    return frame.rename({k: v for k, v in CASELOAD_BY_FIGUREN.items() if k in frame.columns})


def _caseload_of(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
    rows = snap.memo(
        ("caseload", scope_key(viewer), as_of, config_key(config)),
        lambda: caseload(snap, viewer, as_of, config),
        chosen=True,
    )
    return rows.filter(f.houder())


def caseload_cijfers(frame: pl.DataFrame) -> dict[str, float | int | None]:
    """Sums over caseload rows: workers, measures held, gewogen, norm, ruimte, gewogen per fte
    and the workers over the norm, under the figures' keys."""
    fte = pl.col("fte").sum()
    return frame.select(
        pl.len().cast(pl.Int64).alias("jeugdzorgwerkers"),
        fte.alias("caseload_fte"),
        *(pl.col(col).sum().alias(key) for col, key in CASELOAD_FIGUREN.items()),
        pl.when(fte > 0).then(pl.col("gewogen").sum() / fte).alias("gewogen_per_fte"),
        pl.col("boven_norm").sum().cast(pl.Int64).alias("medewerkers_boven_norm"),
    ).row(0, named=True)


def _caseload_figuur(key: str):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return caseload_cijfers(_caseload_of(snap, viewer, as_of, config, f))[key]

    return bereken


def alleen_gezien_laatst(maatregelen: pl.DataFrame) -> int:
    """Of maatregelen_van's measures, those whose jeugdige was seen alone the last time seen."""
    return maatregelen.filter(pl.col("jeugdige_alleen_gezien_laatst")).height


def _alleen_gezien(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
    return alleen_gezien_laatst(maatregelen_van(snap, viewer, as_of, config, f.medewerker_id))


_JZW = (
    "jeugdzorgwerkers in dienst op de peildatum (functies van de caseloadnorm) die de kijker "
    "mag zien, binnen de gekozen regio, het team of de medewerker"
)
FIGUREN = (
    Figuur("jeugdzorgwerkers", "Jeugdzorgwerkers", "voorraad", "aantal", 0,
           f"Aantal {_JZW}.", _caseload_figuur("jeugdzorgwerkers")),
    Figuur("caseload_fte", "Fte jeugdzorgwerkers", "voorraad", "fte", 1,
           f"Som van de fte van de {_JZW}.", _caseload_figuur("caseload_fte")),
    Figuur("caseload_actief", "Maatregelen in de caseload", "voorraad", "aantal", 0,
           "Actieve maatregelen op de peildatum die een jeugdzorgwerker heeft (ook als "
           f"contactpersoon), opgeteld over de {_JZW}.", _caseload_figuur("caseload_actief")),
    Figuur("caseload_gewogen", "Gewogen caseload", "voorraad", "aantal", 1,
           "Som van de gewichten van de actieve maatregelen op de peildatum (gewicht naar "
           f"soort en fase van de maatregel), opgeteld over de {_JZW}.",
           _caseload_figuur("caseload_gewogen"), hoger_beter=False),
    Figuur("caseload_norm", "Caseloadnorm", "voorraad", "aantal", 1,
           f"Gewogen norm per fte maal de fte, opgeteld over de {_JZW}.",
           _caseload_figuur("caseload_norm")),
    Figuur("caseload_ruimte", "Ruimte in de caseload", "voorraad", "aantal", 1,
           "Caseloadnorm min gewogen caseload op de peildatum (negatief: boven de norm), "
           f"opgeteld over de {_JZW}.", _caseload_figuur("caseload_ruimte"), hoger_beter=True),
    Figuur("gewogen_per_fte", "Gewogen caseload per fte", "voorraad", "aantal", 1,
           f"Gewogen caseload gedeeld door de fte, beide opgeteld over de {_JZW}.",
           _caseload_figuur("gewogen_per_fte"), hoger_beter=False),
    Figuur("medewerkers_boven_norm", "Boven de norm", "voorraad", "aantal", 0,
           f"Aantal {_JZW} met een gewogen caseload boven hun caseloadnorm.",
           _caseload_figuur("medewerkers_boven_norm"), hoger_beter=False),
    Figuur("alleen_gezien_laatst", "Jeugdige alleen gezien", "voorraad", "aantal", 0,
           "Actieve maatregelen van de medewerker op de peildatum waarvan de jeugdige de laatste "
           "keer dat hij face-to-face is gezien, alleen (zonder ouder) is gezien.",
           _alleen_gezien, hoger_beter=True),
)  # fmt: skip
