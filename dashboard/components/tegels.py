"""KPI tiles and status badges: a number or a status in colour, icon and words."""

from dash import html

from dashboard.components.theme import THEME


def status_badge(key: str, text: str | None = None) -> html.Span:
    """Colour plus icon plus words, so the status never depends on colour alone."""
    spec = THEME["status"][key]
    return html.Span(
        [html.Span(spec["icon"], **{"aria-hidden": "true"}), " ", text or spec["label"]],
        className=f"badge badge-{key}",
    )


def kpi_tile(
    label: str,
    value: str,
    sub: str | None = None,
    status: str | None = None,
    tile_id: str | None = None,
    badge: str | None = None,
    figuur: str | None = None,
) -> html.Div:
    """One number with its label; status colours the edge and adds a badge (its own words
    in badge, else the status label). figuur: the registered figure the number shows."""
    shown = {"data-figuur": figuur} if figuur else {}
    children = [
        html.Div(label, className="kpi-label"),
        html.Div(value, className="kpi-value", **shown),
    ]
    if sub:
        children.append(html.Div(sub, className="kpi-sub"))
    if status:
        children.append(status_badge(status, badge))
    extra = {"id": tile_id} if tile_id else {}
    return html.Div(children, className=f"kpi kpi-{status or 'neutraal'}", **extra)


def tiles(*children) -> html.Div:
    return html.Div(list(children), className="kpi-row")
