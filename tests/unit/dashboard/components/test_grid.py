from datetime import UTC, date, datetime

import dash_ag_grid as dag
import polars as pl
import pytest

from dashboard.components import widgets as w
from dashboard.components.formats import SOORT_LABELS
from dashboard.components.grid import (
    DATE,
    EXPORT_FIELD,
    LINK,
    NUMBER,
    ONE_LINE,
    PCT,
    SCREEN_ROWS,
    STATUS,
    column,
    data_grid,
    export_frame,
    grid_section,
    records,
)
from tests.unit.dashboard.helpers import text


def test_records_are_json_safe_iso_dates_and_no_nan():
    moment = datetime(2025, 3, 4, 9, 30, 12)
    df = pl.DataFrame(
        {
            "dag": [date(2025, 3, 4), None],
            "tijd": [moment, None],
            "utc": [moment.replace(tzinfo=UTC), None],
            "pct": [float("nan"), 12.5],
            "n": [1, None],
        }
    )
    assert records(df) == [
        {"dag": "2025-03-04", "tijd": "2025-03-04 09:30", "utc": "2025-03-04 09:30+00:00",
         "pct": None, "n": 1},
        {"dag": None, "tijd": None, "utc": None, "pct": 12.5, "n": None},
    ]  # fmt: skip


def test_data_grid_shows_empty_state_without_rows():
    df = pl.DataFrame({"a": []}, schema={"a": pl.Int64})
    grid = data_grid("g", df, [column("a", "A")], "Geen openstaande termijnen")
    assert not isinstance(grid, dag.AgGrid)
    assert text(grid) == "Geen openstaande termijnen"


def test_data_grid_is_dutch_and_pages_long_tables():
    df = pl.DataFrame({"d": [date(2026, 1, 2)] * 30, "n": [1.5] * 30})
    columns = [column("d", "Datum", DATE), column("n", "Getal", NUMBER, decimals=1)]
    grid = data_grid("g", df, columns, "leeg", page_size=25)
    assert grid.dashGridOptions["localeText"]["noRowsToShow"] == "Geen rijen om te tonen"
    assert grid.dashGridOptions["pagination"] is True
    assert grid.rowData[0] == {"d": "2026-01-02", "n": 1.5}
    assert "datumNL" in grid.columnDefs[0]["valueFormatter"]["function"]
    printable = data_grid("g", df, columns, "leeg", page_size=25, print_layout=True)
    assert "pagination" not in printable.dashGridOptions


def test_export_frame_uses_headers_and_plain_text_of_links():
    df = pl.DataFrame({"id": ["1"], "link": ["Werklijst"], "href": ["/x?m=1"], "n": [3]})
    columns = [
        column("link", "Werklijst", LINK, href_field="href", exportField="id"),
        column("n", "Aantal", NUMBER),
    ]
    out = export_frame(df, columns)
    assert out.columns == ["Werklijst", "Aantal"]
    assert out.row(0) == ("1", 3)
    assert columns[0]["cellRendererParams"] == {"hrefField": "href"}
    grid = data_grid("g", df, columns, "leeg")
    assert all(EXPORT_FIELD not in c for c in grid.columnDefs)


def test_a_link_column_renders_an_in_app_link_from_its_href_field():
    col = column("naam", "Medewerker", LINK, href_field="naam_href")
    assert (col["cellRenderer"], col["cellRendererParams"]) == ("Link", {"hrefField": "naam_href"})
    with pytest.raises(ValueError, match="href_field"):
        column("naam", "Medewerker", LINK)


def test_grid_section_builds_the_table_of_its_query_and_keeps_failures_inside():
    df = pl.DataFrame({"n": [1, 2]})

    def build(viewer, params):
        return df.head(params["rows"]), [column("n", "Aantal", NUMBER)]

    section = grid_section("p", None, {"rows": 2}, build, "p_tabel", "Tabel", "Leeg", "Uitleg")
    assert section.id == "sectie-p_tabel"
    grid = section.children[-1]
    assert isinstance(grid, dag.AgGrid) and grid.id == "p-p_tabel"
    assert "Uitleg" in text(section) and "Tabel als CSV downloaden" in str(section)
    empty = grid_section("p", None, {"rows": 0}, build, "p_tabel", "Tabel", "Leeg")
    assert "Leeg" in text(empty)
    broken = grid_section("p", None, {}, build, "p_tabel", "Tabel", "Leeg")
    assert "kon niet worden gemaakt" in text(broken)


@pytest.mark.parametrize("rows", [SCREEN_ROWS, SCREEN_ROWS + 1, 3 * SCREEN_ROWS + 7])
def test_a_long_table_shows_its_head_on_screen_and_says_how_long_it_is(rows):
    def build(viewer, params):
        return pl.DataFrame({"n": range(rows)}), [column("n", "Aantal", NUMBER)]

    section = grid_section("p", None, {}, build, "p_tabel", "Tabel", "Leeg", "Uitleg")
    shown = [r["n"] for r in section.children[-1].rowData]
    assert shown == list(range(min(rows, SCREEN_ROWS)))
    said = text(section)
    assert said.startswith("Tabel") and "Uitleg" in said
    cut = f"de eerste {SCREEN_ROWS:,} van {rows:,} rijen".replace(",", ".")
    assert (cut in said) == (rows > SCREEN_ROWS)
    assert ("CSV en Excel bevatten alle rijen" in said) == (rows > SCREEN_ROWS)


def test_a_grid_shows_voogdij_as_a_word_and_the_export_does_too():
    columns = [column("soort", "Soort", labels=SOORT_LABELS), column("n", "Aantal")]
    df = pl.DataFrame({"soort": ["voogdij", "voorlopige_voogdij", "OTS", "onbekend"], "n": [1] * 4})
    grid = data_grid("g", df, columns, "leeg")
    assert [r["soort"] for r in grid.rowData] == [
        "Voogdij",
        "Voorlopige voogdij",
        "OTS",
        "onbekend",
    ]
    assert "labels" not in grid.columnDefs[0]
    assert export_frame(df, columns)["Soort"].to_list() == [r["soort"] for r in grid.rowData]
    # The frame keeps its codes for filters and links.
    assert df["soort"][0] == "voogdij"


def test_a_grid_table_prints_its_cells_as_the_screen_shows_them():
    df = pl.DataFrame(
        {"maatregel_id": ["M1", "M2"], "deadline": [date(2025, 11, 1), None], "pct": [82.56, None],
         "soort": ["voogdij", "OTS"]}
    )  # fmt: skip
    columns = [
        w.column("maatregel_id", "Maatregel"),
        w.column("deadline", "Uiterlijk", w.DATE),
        w.column("pct", "Aandeel", w.PCT, decimals=1),
        w.column("soort", "Soort", labels=w.SOORT_LABELS),
    ]
    table = w.document_table(df, columns)
    assert table.kolommen == ("Maatregel", "Uiterlijk", "Aandeel", "Soort")
    assert table.rijen == [("M1", "01-11-2025", "82,6%", "Voogdij"), ("M2", "–", "–", "OTS")]
    assert table.rechts == frozenset({2})


def test_the_columns_a_user_acts_on_stay_in_view_and_names_wrap():
    columns = [
        column("a", "A"),
        column("m", "Maatregel", LINK, href_field="m_href"),
        column("s", "Status", STATUS),
        column("r", "Regio", LINK, href_field="r_href", pinned=None),
    ]
    assert [c.get("pinned") for c in columns] == [None, "left", "left", None]
    df = pl.DataFrame(
        {"a": ["Team Noord-Drenthe"], "m": ["Maatregel 2025-000123"], "m_href": ["/x"], "s": ["x"]}
    )
    grid = data_grid("g", df, columns[:3], "leeg")
    wrapped = [(c.get("wrapText"), c.get("autoHeight")) for c in grid.columnDefs]
    assert wrapped == [(True, True), (True, True), (None, None)]


def test_a_text_column_whose_every_value_fits_a_line_is_not_measured():
    columns = [column("m", "Maatregel", LINK, href_field="m_href"), column("t", "Team")]
    fits = "x" * ONE_LINE
    df = pl.DataFrame({"m": ["M0000001", fits], "m_href": ["/a", "/b"], "t": [None, fits + "y"]})
    grid = data_grid("g", df, columns, "leeg")
    assert [c.get("autoHeight") for c in grid.columnDefs] == [None, True]
    assert grid.columnDefs[1]["wrapText"]


def test_numbers_and_dates_stay_on_one_line_so_the_grid_does_not_measure_them():
    columns = [column("n", "N", NUMBER), column("p", "P", PCT), column("d", "D", DATE)]
    df = pl.DataFrame({"n": [1], "p": [2.0], "d": ["2026-01-01"]})
    grid = data_grid("g", df, columns, "leeg")
    assert not any(c.get("wrapText") or c.get("autoHeight") for c in grid.columnDefs)
    assert "autoHeight" not in grid.defaultColDef


def test_tab_leaves_a_grid_and_the_arrow_keys_move_inside_it():
    df = pl.DataFrame({"a": [1]})
    options = data_grid("g", df, [column("a", "A")], "leeg").dashGridOptions
    assert options["tabToNextCell"] == {"function": "false"}
    assert options["tabToNextHeader"] == {"function": "false"}
