"""A page's cards: a titled section, and the Dutch chart that often fills one."""

from dash import dcc, html

from dashboard.components.theme import GRAPH_CONFIG


def section(title: str, *children, section_id: str | None = None) -> html.Section:
    extra = {"id": section_id} if section_id else {}
    return html.Section([html.H2(title), *children], className="card", **extra)


def graph(figure: dict, graph_id: str, height: int = 320) -> dcc.Graph:
    """A plotly chart with the Dutch locale."""
    return dcc.Graph(
        id=graph_id, figure=figure, config=GRAPH_CONFIG, style={"height": f"{height}px"}
    )
