from datetime import date
from pathlib import Path

import polars as pl
from plotly.offline import get_plotlyjs_version

from dashboard.charts import (
    CATEGORY_COLOURS,
    bar_figure,
    legend_on_top,
    line_figure,
    month_axis,
    month_start,
    stacked_area_figure,
    team_colours,
)
from tests.frames import sample_snapshot

MONTHS = [date(2025, 8, 31), date(2025, 9, 30), date(2025, 10, 31)]
ROOT = Path(__file__).resolve().parents[3]
# The trace types plotly.js's basic build registers.
BASIC_TRACES = {"scatter", "bar", "pie"}


def test_every_chart_has_dutch_separators_and_a_pinned_title():
    fig = line_figure("Aandeel", MONTHS, [("A", [1.0, 2.0, None], "#000")], "%", suffix="%")
    layout = fig["layout"]
    assert layout["separators"] == ",."
    assert layout["title"]["text"] == "Aandeel"
    assert (layout["title"]["yref"], layout["title"]["yanchor"]) == ("container", "top")
    assert fig["data"][0]["x"] == ["2025-08-31", "2025-09-30", "2025-10-31"]
    assert fig["data"][0]["y"] == [1.0, 2.0, None]
    assert layout["yaxis"]["ticksuffix"] == "%"


def test_lines_differ_by_dash_as_well_as_colour():
    series = [(name, [1, 2, 3], "#000") for name in "ABC"]
    fig = line_figure("t", MONTHS, series, "n")
    assert [t["line"]["dash"] for t in fig["data"]] == ["solid", "dash", "dot"]


def test_legend_makes_room_for_its_rows():
    assert legend_on_top(1)["showlegend"] is False
    assert legend_on_top(3)["margin"]["t"] == 48 + 24
    assert legend_on_top(8)["margin"]["t"] == 48 + 4 * 24


def test_month_axis_thins_ticks_for_long_periods():
    assert month_axis(13)["dtick"] == "M1"
    assert month_axis(24)["dtick"] == "M3"
    assert month_start("2026-02") == date(2026, 2, 1)


def test_stacked_area_uses_the_category_colours():
    df = pl.DataFrame({"maand_einde": MONTHS, "vaste_jzw": [5, 6, 7], "crt": [3, 2, 1]})
    fig = stacked_area_figure("Voorraad", df, "maand_einde", ["vaste_jzw", "crt"])
    assert [t["name"] for t in fig["data"]] == ["Vaste jeugdzorgwerker", "CRT"]
    assert [t["fillcolor"] for t in fig["data"]] == [
        CATEGORY_COLOURS["vaste_jzw"],
        CATEGORY_COLOURS["crt"],
    ]
    assert {t["stackgroup"] for t in fig["data"]} == {"voorraad"}


def test_bars_on_categories():
    fig = bar_figure("Fte", ["Team A", "Team B"], [("vast", [1, 2], "#000")], "fte", "stack", False)
    assert fig["layout"]["barmode"] == "stack"
    assert fig["layout"]["xaxis"]["type"] == "category"
    assert fig["data"][0]["x"] == ["Team A", "Team B"]


def test_team_colours_are_fixed_per_team():
    colours = team_colours(sample_snapshot())
    assert list(colours) == ["CRT", "DRE-A", "GRN-A"]
    assert colours == team_colours(sample_snapshot())
    assert len(set(colours.values())) == 3


def test_the_served_plotly_bundle_is_the_basic_build_plotly_py_targets():
    # dcc.Graph uses window.Plotly when the assets define it, instead of the 4.8 MB full build.
    bundles = sorted((ROOT / "assets").glob("plotly-basic-*.min.js"))
    assert len(bundles) == 1
    header = bundles[0].read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in header


def test_charts_only_use_traces_of_the_basic_bundle():
    figures = [
        line_figure("t", MONTHS, [("a", [1, 2, 3], "#000")], "%"),
        bar_figure("t", MONTHS, [("a", [1, 2, 3], "#000")], "n"),
        stacked_area_figure(
            "t", pl.DataFrame({"maand_einde": MONTHS, "crt": [1, 2, 3]}), "maand_einde", ["crt"]
        ),
    ]
    assert {t["type"] for f in figures for t in f["data"]} <= BASIC_TRACES


def test_charts_keep_fixed_margins():
    # automargin makes plotly measure and draw a chart twice; the margins leave room instead.
    figures = [
        line_figure("t", MONTHS, [("a", [1, 2, 3], "#000")], "%"),
        bar_figure("t", ["A", "B"], [("a", [1, 2], "#000")], "n", dates=False),
    ]
    for figure in figures:
        layout = figure["layout"]
        assert not any(layout[axis].get("automargin") for axis in ("xaxis", "yaxis"))
        assert layout["margin"]["l"] >= 60 and layout["margin"]["b"] >= 50
