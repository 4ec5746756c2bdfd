"""A registered figure as the user reads it: its value in the Dutch format at the figure's own
decimals, in an element that names the figure (data-figuur) so tests can trace every number."""

from dash import html

from dashboard.components.formats import fmt_number, fmt_pct
from queries.figuren import figuur

UNITS = {"aantal": "", "pct": "%", "dagen": " dagen", "fte": " fte"}


def fmt_figuur(key: str, value: float | int | None) -> str:
    """The value of figure key with its unit, at its decimals: '82,6%', '8,0 dagen', '922'."""
    f = figuur(key)
    if f.eenheid == "pct":
        return fmt_pct(value, f.decimalen)
    text = fmt_number(value, f.decimalen)
    return text if value is None else f"{text}{UNITS[f.eenheid]}"


def figuur_value(key: str, value: float | int | None, className: str = "kpi-value") -> html.Div:
    """The value of figure key in an element that names it."""
    return html.Div(fmt_figuur(key, value), className=className, **{"data-figuur": key})
