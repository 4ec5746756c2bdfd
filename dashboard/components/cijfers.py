"""Registered figures on a page: a tile or a grid column that shows a figure with the
registry's name, decimals and definition, marked with data-figuur."""

from dashboard.components.formats import fmt_number, fmt_pct
from dashboard.components.grid import NUMBER, PCT, column
from dashboard.components.tegels import kpi_tile
from queries.figuren import figuur
from queries.figuur import Waarde

UNITS = {"aantal": "", "pct": "%", "dagen": " dagen", "fte": " fte"}


def fmt_figuur(key: str, value: Waarde) -> str:
    """A figure's value in Dutch at the registry's decimals, with its unit: '82,6%',
    '8,0 dagen', '922'."""
    f = figuur(key)
    value = f.rond(value)
    if f.eenheid == "pct":
        return fmt_pct(value, f.decimalen)
    text = fmt_number(value, f.decimalen)
    return text if value is None else f"{text}{UNITS[f.eenheid]}"


def fmt_verschil(key: str, value: Waarde) -> str:
    """A difference of a figure with its sign, a percentage's in points: '+2,5 pt', '−3'; the
    sign of the rounded value, so a tiny fall reads '0,0 pt'."""
    value = figuur(key).rond(value)
    if value is None:
        return "–"
    text = fmt_figuur(key, abs(value)).replace("%", " pt")
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{text}"


def figuur_tile(
    key: str,
    value: Waarde,
    label: str | None = None,
    sub: str | None = None,
    status: str | None = None,
    badge: str | None = None,
) -> object:
    """A KPI tile of a registered figure, id tegel-<key>; label defaults to the figure's name."""
    return kpi_tile(
        label or figuur(key).naam,
        fmt_figuur(key, value),
        sub=sub,
        status=status,
        badge=badge,
        tile_id=f"tegel-{key}",
        figuur=key,
    )


def figuur_column(key: str, header: str | None = None, **extra) -> dict:
    """A grid column whose field is the figure's key, at its decimals, its definition as tip."""
    f = figuur(key)
    kind = PCT if f.eenheid == "pct" else NUMBER
    extra.setdefault("headerTooltip", f.definitie)
    return column(key, header or f.naam, kind, decimals=f.decimalen, **extra)
