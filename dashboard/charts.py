"""What the MT pages share: plotly figures (monthly lines, stacked areas, bars) and grid links."""

from collections.abc import Sequence
from datetime import date

import polars as pl

from dashboard.components.theme import OKABE_ITO, THEME, plotly_layout
from queries.snapshot import Snapshot

# Who holds a measure: the same colour on every page and in the report.
CATEGORY_COLOURS = {
    "vaste_jzw": OKABE_ITO["blauw"],
    "ccp": OKABE_ITO["oranje"],
    "crt": OKABE_ITO["roodpaars"],
    "niet_toegewezen": OKABE_ITO["grijs"],
    "overig": OKABE_ITO["hemelsblauw"],
}
CATEGORY_LABELS = {
    "vaste_jzw": "Vaste jeugdzorgwerker",
    "ccp": "CCP",
    "crt": "CRT",
    "niet_toegewezen": "Niet toegewezen",
    "overig": "Contactpersoon in regulier team",
}
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def _layout(title: str, n_traces: int, **extra) -> dict:
    """The theme's layout with the legend on top; the title is pinned to the top edge, since
    plotly would centre it in the (taller) top margin, over the legend."""
    layout = plotly_layout(title, **legend_on_top(n_traces), **extra)
    layout["title"].update(yref="container", y=1, yanchor="top", pad={"t": 14})
    return layout


def legend_on_top(n: int) -> dict:
    """Legend between the title and the plot, so rotated month ticks never run into it;
    the top margin grows with the rows the legend may need in a half-width card."""
    rows = max(1, -(-n // 2)) if n > 3 else 1
    # Fixed margins with room for tick labels, month ticks turned aslant and the axis title:
    # plotly's automargin measured them and drew every chart a second time.
    return {
        "showlegend": n > 1,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "margin": {"l": 64, "r": 16, "t": 48 + (24 * rows if n > 1 else 0), "b": 56},
    }


def team_colours(snap: Snapshot) -> dict[str, str]:
    """A fixed colour per team (by team_id order), the same on every chart."""
    ids = sorted(snap["teams"]["team_id"].to_list())
    series = THEME["series"]
    return {team: series[i % len(series)] for i, team in enumerate(ids)}


def month_axis(n: int = 13) -> dict:
    """A date axis with a tick per month, or per quarter when there are many months."""
    return {
        "type": "date",
        "tickformat": "%b %Y",
        "dtick": "M1" if n <= 13 else "M3",
        "hoverformat": "%B %Y",
        "showgrid": False,
    }


def month_start(maand: str) -> date:
    """'2026-02' -> 1 February 2026, to put a month on a date axis."""
    return date.fromisoformat(f"{maand}-01")


def _dates(values: Sequence[date]) -> list[str]:
    return [d.isoformat() for d in values]


def line_figure(
    title: str,
    x: Sequence[date],
    series: list[tuple[str, Sequence, str]],
    y_title: str,
    suffix: str = "",
    y_range: list[float] | None = None,
    height: int = 320,
) -> dict:
    """One line per (name, values, colour) over month ends; the dash differs per line too,
    so lines stay apart without colour."""
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": _dates(x),
            "y": list(values),
            "line": {"color": colour, "width": 2.5, "dash": DASHES[i % len(DASHES)]},
            "marker": {"size": 6},
            "hovertemplate": f"%{{y:.1f}}{suffix}<extra>{name}</extra>",
        }
        for i, (name, values, colour) in enumerate(series)
    ]
    yaxis = {
        "title": {"text": y_title},
        "rangemode": "tozero",
        "ticksuffix": suffix,
    }
    if y_range:
        yaxis["range"] = y_range
    return {
        "data": traces,
        "layout": _layout(
            title,
            len(traces),
            height=height,
            xaxis=month_axis(len(x)),
            yaxis=yaxis,
            hovermode="x unified",
        ),
    }


def stacked_area_figure(title: str, df: pl.DataFrame, x: str, keys: Sequence[str]) -> dict:
    """Stacked areas of df[key] over df[x] in the category colours."""
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "stackgroup": "voorraad",
            "name": CATEGORY_LABELS[key],
            "x": _dates(df[x]),
            "y": df[key].to_list(),
            "line": {"color": CATEGORY_COLOURS[key], "width": 1},
            "fillcolor": CATEGORY_COLOURS[key],
            "hovertemplate": f"%{{y}}<extra>{CATEGORY_LABELS[key]}</extra>",
        }
        for key in keys
    ]
    return {
        "data": traces,
        "layout": _layout(
            title,
            len(traces),
            height=360,
            xaxis=month_axis(df.height),
            yaxis={"title": {"text": "Actieve maatregelen"}},
            hovermode="x unified",
        ),
    }


def bar_figure(
    title: str,
    x: Sequence,
    series: list[tuple[str, Sequence, str]],
    y_title: str,
    barmode: str = "group",
    dates: bool = True,
    height: int = 320,
) -> dict:
    """Bars per (name, values, colour), grouped or stacked."""
    xs = _dates(x) if dates else list(x)
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": xs,
            "y": list(values),
            "marker": {"color": colour},
            "hovertemplate": f"%{{y}}<extra>{name}</extra>",
        }
        for name, values, colour in series
    ]
    return {
        "data": traces,
        "layout": _layout(
            title,
            len(traces),
            height=height,
            barmode=barmode,
            xaxis=month_axis(len(xs)) if dates else {"type": "category"},
            yaxis={"title": {"text": y_title}},
            hovermode="x unified",
        ),
    }
