"""What a figure is: its Dutch name, basis, unit, decimals, definition and how it is computed.
Domain modules declare their figures with it; queries.figuren collects them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:
    from queries.config import Config
    from queries.scope import Viewer
    from queries.snapshot import Snapshot

Basis = Literal["voorraad", "cohort", "periode", "stroom"]
Eenheid = Literal["aantal", "pct", "dagen", "fte"]
Waarde = float | int | None

BASIS_LABELS = {
    "voorraad": "Stand op de peildatum",
    "cohort": "Cohort naar startmaand, beoordeeld op de peildatum",
    "periode": "Periode tot en met de peildatum",
    "stroom": "Stroom in een periode",
}
EENHEID_LABELS = {"aantal": "aantal", "pct": "%", "dagen": "dagen", "fte": "fte"}


@dataclass(frozen=True)
class Filters:
    """The scope within the viewer's rights that a figure is asked for."""

    regio: str | None = None
    soort: str | None = None
    team_id: str | None = None
    medewerker_id: str | None = None
    # "Started since S" of the cohort figures; None: the norms.toml default.
    cohort: date | None = None
    # A start month "YYYY-MM" for the per-month cohort figures; None: the latest not lopend.
    start_maand: str | None = None

    def houder(self) -> pl.Expr:
        """The rows whose regio, team_id and medewerker_id columns are the ones named."""
        named = [
            pl.col(column) == value
            for column in ("regio", "team_id", "medewerker_id")
            if (value := getattr(self, column)) is not None
        ]
        return pl.all_horizontal(named) if named else pl.lit(True)


# A sum of floats depends on its order: 11,35 arrives as 11,349999999999998 on one run and as
# 11,350000000000001 on the next. Cutting that noise off first makes the rounding the same on
# every page and file; halves then go away from zero, as a reader rounds by hand.
_RUIS_DECIMALEN = 9


def afgerond(value: pl.Expr, decimalen: int) -> pl.Expr:
    """value at decimalen decimals, a whole number when decimalen is 0: the only rounding."""
    rounded = (
        value.cast(pl.Float64).round(_RUIS_DECIMALEN).round(decimalen, mode="half_away_from_zero")
    )
    return rounded.cast(pl.Int64) if decimalen == 0 else rounded


Bereken = Callable[["Snapshot", "Viewer", date, "Config", Filters], Waarde]


@dataclass(frozen=True)
class Figuur:
    key: str
    naam: str
    basis: Basis
    eenheid: Eenheid
    decimalen: int
    definitie: str
    bereken: Bereken | None = None
    # True when a higher value is better, False when lower is, None when neither.
    hoger_beter: bool | None = None

    def rond(self, value: Waarde) -> Waarde:
        """The value at the figure's decimals: the one rounding every screen and file shows."""
        if value is None:
            return None
        return pl.select(afgerond(pl.lit(float(value)), self.decimalen)).item()

    def expr(self, column: str | None = None) -> pl.Expr:
        """The rounding of rond as a polars expression over a column (default: the key)."""
        return afgerond(pl.col(column or self.key), self.decimalen)
