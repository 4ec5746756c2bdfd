import re
from datetime import date

import dash_ag_grid as dag
import polars as pl
import pytest
from dash import dcc

from dashboard.components import widgets as w
from tests.unit.dashboard.helpers import text


def test_data_grid_shows_empty_state_without_rows():
    df = pl.DataFrame({"a": []}, schema={"a": pl.Int64})
    grid = w.data_grid("g", df, [w.column("a", "A")], "Geen openstaande termijnen")
    assert not isinstance(grid, dag.AgGrid)
    assert text(grid) == "Geen openstaande termijnen"


def test_data_grid_is_dutch_and_pages_long_tables():
    df = pl.DataFrame({"d": [date(2026, 1, 2)] * 30, "n": [1.5] * 30})
    columns = [w.column("d", "Datum", w.DATE), w.column("n", "Getal", w.NUMBER, decimals=1)]
    grid = w.data_grid("g", df, columns, "leeg", page_size=25)
    assert grid.dashGridOptions["localeText"]["noRowsToShow"] == "Geen rijen om te tonen"
    assert grid.dashGridOptions["pagination"] is True
    assert grid.rowData[0] == {"d": "2026-01-02", "n": 1.5}
    assert "datumNL" in grid.columnDefs[0]["valueFormatter"]["function"]
    printable = w.data_grid("g", df, columns, "leeg", page_size=25, print_layout=True)
    assert "pagination" not in printable.dashGridOptions


def test_export_frame_uses_headers_and_plain_text_of_links():
    df = pl.DataFrame({"id": ["1"], "link": ["Werklijst"], "href": ["/x?m=1"], "n": [3]})
    columns = [
        w.column("link", "Werklijst", w.LINK, href_field="href", exportField="id"),
        w.column("n", "Aantal", w.NUMBER),
    ]
    out = w.export_frame(df, columns)
    assert out.columns == ["Werklijst", "Aantal"]
    assert out.row(0) == ("1", 3)
    assert columns[0]["cellRendererParams"] == {"hrefField": "href"}
    grid = w.data_grid("g", df, columns, "leeg")
    assert all(w.EXPORT_FIELD not in c for c in grid.columnDefs)


def _as_picker_shows(display_format: str, day: date) -> str:
    """What the picker shows for day, reading its moment.js-style day, month and year tokens."""
    tokens = {"DD": "%d", "MM": "%m", "YYYY": "%Y"}
    assert re.fullmatch(r"(DD|MM|YYYY|[-/. ])+", display_format), display_format
    return day.strftime(re.sub(r"DD|MM|YYYY", lambda m: tokens[m.group()], display_format))


def test_peildatum_slicer_is_a_dutch_calendar_up_to_the_export_date():
    label, picker = w.peildatum_slicer("p", date(2026, 3, 4), date(2026, 3, 31)).children
    assert isinstance(picker, dcc.DatePickerSingle)
    assert label.htmlFor == picker.id == "p-peildatum"
    assert _as_picker_shows(picker.display_format, date(2026, 3, 4)) == "04-03-2026"
    assert _as_picker_shows(picker.display_format, date(2026, 12, 1)) == w.fmt_date(
        date(2026, 12, 1)
    )
    assert (picker.date, picker.max_date_allowed) == ("2026-03-04", "2026-03-31")
    assert picker.min_date_allowed == w.EARLIEST_DATE.isoformat()
    assert picker.first_day_of_week == 1  # Monday
    # The picker names its input after the placeholder, so that must say what it is.
    assert "Peildatum" in picker.placeholder and "dd-mm-jjjj" in picker.placeholder


def test_a_link_column_renders_an_in_app_link_from_its_href_field():
    col = w.column("naam", "Medewerker", w.LINK, href_field="naam_href")
    assert (col["cellRenderer"], col["cellRendererParams"]) == ("Link", {"hrefField": "naam_href"})
    with pytest.raises(ValueError, match="href_field"):
        w.column("naam", "Medewerker", w.LINK)


def test_grid_section_builds_the_table_of_its_query_and_keeps_failures_inside():
    df = pl.DataFrame({"n": [1, 2]})

    def build(viewer, params):
        return df.head(params["rows"]), [w.column("n", "Aantal", w.NUMBER)]

    section = w.grid_section("p", None, {"rows": 2}, build, "p_tabel", "Tabel", "Leeg", "Uitleg")
    assert section.id == "sectie-p_tabel"
    grid = section.children[-1]
    assert isinstance(grid, dag.AgGrid) and grid.id == "p-p_tabel"
    assert "Uitleg" in text(section) and "Tabel als CSV downloaden" in str(section)
    empty = w.grid_section("p", None, {"rows": 0}, build, "p_tabel", "Tabel", "Leeg")
    assert "Leeg" in text(empty)
    broken = w.grid_section("p", None, {}, build, "p_tabel", "Tabel", "Leeg")
    assert "kon niet worden gemaakt" in text(broken)


def test_regio_team_slicers_offer_each_team_once_by_name_and_grey_out_a_single_choice():
    units = pl.DataFrame(
        {
            "team_id": ["B", "A", "B", "C"],
            "team_naam": ["Team Zuid", "Team Noord", "Team Zuid", "Team Midden"],
            "regio": ["Oost", "Oost", "Oost", None],
        }
    )
    bar = w.regio_team_slicers("p", date(2026, 1, 5), date(2026, 1, 31), units, {"team": "A"})
    regio, team = (s.children[1] for s in bar.children[1:])
    assert regio.options == [{"label": "Oost", "value": "Oost"}] and regio.disabled
    assert [o["value"] for o in team.options] == ["C", "A", "B"] and not team.disabled
    assert team.value == "A" and regio.value is None
    assert bar.children[0].children[1].id == "p-peildatum"
