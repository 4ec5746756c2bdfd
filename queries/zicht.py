"""Zicht op de jeugdige: when each child was last seen face-to-face (and seen alone), and the
share of active measures whose child was seen within the last weeks."""

from datetime import date

import polars as pl

from queries.afbouw import with_team_names
from queries.bruikbare_contacten import GEZIEN_MET, GEZIEN_VORM
from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.houder import ALLE, HOUDERS, actief_in_scope, narrow
from queries.scope import Viewer, scope_key
from queries.snapshot import Snapshot

ZICHT_COLUMNS = (
    "maatregel_id", "soort", "start", "einde_gepland", "medewerker_id", "naam", "team_id",
    "team_soort", "regio", "rol", "houder", "laatst_gezien", "dagen_sinds_gezien",
    "laatst_alleen_gezien", "dagen_sinds_alleen_gezien", "jeugdige_alleen_gezien_laatst",
    "gezien_6w",
)  # fmt: skip


def laatst_gezien(snap: Snapshot, as_of: date, ids: pl.LazyFrame) -> pl.LazyFrame:
    """Per measure in ids seen by as_of (contacts from its start): laatst_gezien,
    laatst_alleen_gezien and jeugdige_alleen_gezien_laatst (at the last time seen)."""
    starts = snap["maatregelen"].lazy().join(ids, on="maatregel_id", how="semi")
    alone = pl.col("jeugdige_alleen_gezien").fill_null(False)
    # Every cut of the contacts keeps those that see the child (bruikbare_contacten).
    return (
        snap["contacten"]
        .lazy()
        .join(starts.select("maatregel_id", "start"), on="maatregel_id")
        .filter(
            (pl.col("datum") <= as_of)
            & (pl.col("datum") >= pl.col("start"))
            & (pl.col("vorm") == GEZIEN_VORM)
            & pl.col("met").is_in(GEZIEN_MET)
        )
        .group_by("maatregel_id")
        .agg(
            pl.col("datum").max().alias("laatst_gezien"),
            pl.col("datum").filter(alone).max().alias("laatst_alleen_gezien"),
            pl.col("jeugdige_alleen_gezien")
            .sort_by("datum", "contact_id")
            .last()
            .alias("jeugdige_alleen_gezien_laatst"),
        )
    )


def dagen_sinds(as_of: date, column: str) -> pl.Expr:
    """Calendar days from the date in column to as_of (null when never)."""
    return (pl.lit(as_of) - pl.col(column)).dt.total_days()


def _zicht(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    active = actief_in_scope(snap, viewer, as_of)
    seen = laatst_gezien(snap, as_of, active.lazy().select("maatregel_id")).collect()
    staff = snap["medewerkers"].select("medewerker_id", "naam")
    window = 7 * config.gezien_weken
    return (
        active.join(seen, on="maatregel_id", how="left")
        .join(staff, on="medewerker_id", how="left")
        .with_columns(
            dagen_sinds_gezien=dagen_sinds(as_of, "laatst_gezien"),
            dagen_sinds_alleen_gezien=dagen_sinds(as_of, "laatst_alleen_gezien"),
        )
        # Seen in the window (as_of - window days, as_of]: at most window - 1 days ago.
        .with_columns(gezien_6w=(pl.col("dagen_sinds_gezien") < window).fill_null(False))
        .select(ZICHT_COLUMNS)
        .sort("dagen_sinds_gezien", "start", "maatregel_id", descending=[True, False, False])
    )


def zicht(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """Per visible measure active on as_of (within filters): holder, houder, last seen and
    seen alone with the days since, and gezien_6w; never seen first, then longest ago."""
    # One frame per scope and day; a region's or soort's rows keep its order.
    every = snap.memo(
        ("zicht", scope_key(viewer), config_key(config)),
        lambda: _zicht(snap, viewer, as_of, config),
        day=as_of,
        shared=viewer.sees_everything,
    )
    return narrow(every, filters)


def niet_gezien(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """The rows of zicht whose child was not seen in the window: never, or too long ago; with
    the holder's team name."""
    rows = zicht(snap, viewer, as_of, config, filters).filter(~pl.col("gezien_6w"))
    return with_team_names(snap, rows, "team_id")


def _share(frame: pl.DataFrame) -> float | None:
    return 100 * int(frame["gezien_6w"].sum()) / frame.height if frame.height else None


def gezien_6w_pct(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    filters: Filters = ALLE,
    houder: str | None = None,
) -> float | None:
    """Share of the active measures (of one holder kind) whose child was seen in the window."""
    frame = zicht(snap, viewer, as_of, config, filters)
    if houder is not None:
        frame = frame.filter(pl.col("houder") == houder)
    return _share(frame)


def _per(frame: pl.DataFrame, keys: list[str]) -> pl.LazyFrame:
    return (
        frame.lazy()
        .group_by(keys)
        .agg(
            pl.len().alias("actief"),
            pl.col("gezien_6w").sum().alias("gezien"),
            (100 * pl.col("gezien_6w").mean()).alias("gezien_6w_pct"),
            (~pl.col("gezien_6w")).sum().alias("niet_gezien_6w"),
        )
    )


def gezien_per_houder(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """Per holder kind (all four, also without measures): active, seen, the share and the
    count not seen in the window."""
    frame = zicht(snap, viewer, as_of, config, filters)
    kinds = pl.LazyFrame({"houder": list(HOUDERS), "houder_naam": list(HOUDERS.values())})
    return (
        kinds.join(_per(frame, ["houder"]), on="houder", how="left", maintain_order="left")
        .with_columns(pl.col("actief", "gezien", "niet_gezien_6w").fill_null(0).cast(pl.Int64))
        .collect()
    )


def gezien_per_medewerker(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """Per holder of an active measure: active, seen, the share and the count not seen."""
    frame = zicht(snap, viewer, as_of, config, filters).filter(
        pl.col("medewerker_id").is_not_null()
    )
    return (
        _per(frame, ["medewerker_id", "naam", "team_id"])
        .with_columns(pl.col("actief", "gezien", "niet_gezien_6w").cast(pl.Int64))
        .sort("gezien_6w_pct", "naam", nulls_last=True)
        .collect()
    )


def _pct_of(houder: str | None):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return gezien_6w_pct(snap, viewer, as_of, config, f, houder)

    return bereken


# The counts of _per under the keys of their figures.
PER_FIGUREN = {"actief": "actieve_maatregelen", "gezien": "jeugdige_gezien_6w"}


def _gezien_count(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters) -> int:
    return int(zicht(snap, viewer, as_of, config, f)["gezien_6w"].sum())


def _niet_gezien_count(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters
) -> int:
    return niet_gezien(snap, viewer, as_of, config, f).height


_GEZIEN = (
    "een face-to-face contact met de jeugdige (met jeugdige of jeugdige en ouder; een contact "
    "met alleen een ouder telt niet)"
)
_VENSTER = "in de 6 weken tot en met de peildatum (peildatum - 42 dagen uitgesloten)"
FIGUREN = (
    Figuur("gezien_6w_pct", "Jeugdige gezien in 6 weken", "voorraad", "pct", 1,
           f"Aandeel actieve maatregelen met {_GEZIEN} {_VENSTER}.",
           _pct_of(None), hoger_beter=True),
    *(
        Figuur(f"gezien_6w_pct_{key}", f"Jeugdige gezien in 6 weken, {label.lower()}",
               "voorraad", "pct", 1,
               f"Als jeugdige gezien in 6 weken, over de actieve maatregelen met als houder: "
               f"{label.lower()}.", _pct_of(key), hoger_beter=True)
        for key, label in HOUDERS.items()
    ),
    Figuur("jeugdige_gezien_6w", "Jeugdige gezien in 6 weken (aantal)", "voorraad", "aantal", 0,
           f"Actieve maatregelen met {_GEZIEN} {_VENSTER}.", _gezien_count, hoger_beter=True),
    Figuur("niet_gezien_6w", "Jeugdige langer niet gezien", "voorraad", "aantal", 0,
           f"Actieve maatregelen zonder {_GEZIEN} {_VENSTER}, of nooit.",
           _niet_gezien_count, hoger_beter=False),
    Figuur("dagen_sinds_gezien", "Dagen sinds gezien", "voorraad", "dagen", 0,
           f"Per maatregel de kalenderdagen sinds het laatste {_GEZIEN}, vanaf de start en tot "
           "en met de peildatum; leeg als de jeugdige nog niet is gezien."),
    Figuur("dagen_sinds_alleen_gezien", "Dagen sinds alleen gezien", "voorraad", "dagen", 0,
           "Per maatregel de kalenderdagen sinds het laatste face-to-face contact waarin de "
           "jeugdige alleen is gezien (jeugdige alleen gezien = ja); leeg als dat nog niet is "
           "gebeurd."),
)  # fmt: skip
