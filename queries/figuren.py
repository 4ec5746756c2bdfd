"""The registry: every figure the dashboard shows, once. Pages, the report and the exports
take a figure's value, rounding, name and definition from here and compute none themselves."""

from datetime import date

import polars as pl

from queries import (
    afbouw,
    afbouw_projectie,
    audit,
    besluiten,
    caseload,
    gesprekken,
    hulp,
    kpis,
    laadhistorie,
    overdracht,
    per_houder,
    personeel,
    plan_besproken,
    termijnen,
    tijd_in_crt,
    uitval,
    verlenging,
    voogdij,
    werktoedeling,
    zicht,
)
from queries.config import Config
from queries.figuur import BASIS_LABELS, EENHEID_LABELS, Figuur, Filters, Waarde
from queries.scope import Viewer
from queries.snapshot import Snapshot

GEEN_FILTERS = Filters()
REGISTER: dict[str, Figuur] = {}
for _figuur in (
    *kpis.FIGUREN,
    *laadhistorie.FIGUREN,
    *afbouw.FIGUREN,
    *afbouw_projectie.FIGUREN,
    *tijd_in_crt.FIGUREN,
    *overdracht.FIGUREN,
    *audit.FIGUREN,
    *caseload.FIGUREN,
    *per_houder.FIGUREN,
    *personeel.FIGUREN,
    *zicht.FIGUREN,
    *plan_besproken.FIGUREN,
    *voogdij.FIGUREN,
    *hulp.FIGUREN,
    *verlenging.FIGUREN,
    *termijnen.FIGUREN,
    *besluiten.FIGUREN,
    *gesprekken.FIGUREN,
    *werktoedeling.FIGUREN,
    *uitval.FIGUREN,
):
    if _figuur.key in REGISTER:
        raise ValueError(f"cijfer {_figuur.key!r} is twee keer gedefinieerd")
    REGISTER[_figuur.key] = _figuur


def figuur(key: str) -> Figuur:
    """The registered figure named key."""
    try:
        return REGISTER[key]
    except KeyError:
        raise KeyError(f"onbekend cijfer {key!r}") from None


def waarde(
    key: str,
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    filters: Filters = GEEN_FILTERS,
) -> Waarde:
    """The figure's value for the viewer's scope, the filters and the peildatum, rounded."""
    f = figuur(key)
    if f.bereken is None:
        raise ValueError(f"cijfer {key!r} bestaat alleen per rij, niet als los getal")
    return f.rond(f.bereken(snap, viewer, as_of, config, filters))


def rond(frame: pl.DataFrame) -> pl.DataFrame:
    """frame with every column that names a registered figure at that figure's decimals."""
    return frame.with_columns(REGISTER[c].expr() for c in frame.columns if c in REGISTER)


def definities(keys: list[str] | None = None) -> pl.DataFrame:
    """The Definities sheet: name, basis, unit and definition of each figure (default: all)."""
    chosen = [figuur(k) for k in keys] if keys is not None else list(REGISTER.values())
    return pl.DataFrame(
        {
            "Cijfer": [f.naam for f in chosen],
            "Soort cijfer": [BASIS_LABELS[f.basis] for f in chosen],
            "Eenheid": [EENHEID_LABELS[f.eenheid] for f in chosen],
            "Decimalen": [f.decimalen for f in chosen],
            "Definitie": [f.definitie for f in chosen],
        },
        schema={
            "Cijfer": pl.String,
            "Soort cijfer": pl.String,
            "Eenheid": pl.String,
            "Decimalen": pl.Int64,
            "Definitie": pl.String,
        },
    )
