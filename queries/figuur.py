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
        if self.decimalen == 0:
            return int(round(value))
        return round(float(value), self.decimalen)

    def expr(self, column: str | None = None) -> pl.Expr:
        """The rounding of rond as a polars expression over a column (default: the key)."""
        col = pl.col(column or self.key)
        if self.decimalen == 0:
            return col.round(0).cast(pl.Int64)
        return col.cast(pl.Float64).round(self.decimalen)
