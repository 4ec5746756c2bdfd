"""Mijn caseload: a jeugdzorgwerker's deadlines, measures and caseload against the norm."""

from datetime import date

import polars as pl
import pytest
from dash import no_update

from dashboard import data
from queries.caseload import caseload
from queries.scope import Viewer
from queries.termijnen import werklijst
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, tile_value

JZW = Viewer("jeugdzorgwerker", "1001")


@pytest.fixture
def mijn(app):
    from dashboard.pages import mijn_caseload

    return mijn_caseload


def snap():
    return data.snapshot()


def test_mijn_caseload_tiles_match_the_queries(mijn, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    page = mijn.layout()
    expected = werklijst(snap(), JZW, EXPORT_DATE, data.config(), medewerker_id="1001")
    verlopen = expected.filter(pl.col("status") == "verlopen").height
    assert verlopen > 0
    assert tile_value(page, "tegel-verlopen") == str(verlopen)
    row = caseload(snap(), JZW, EXPORT_DATE, data.config()).row(0, named=True)
    assert tile_value(page, "tegel-actief") == str(row["actief"])
    assert tile_value(page, "tegel-ruimte") == f"{row['ruimte']:.1f}".replace(".", ",")
    grid = find(page, "mijn-caseload-termijnen")
    assert len(grid.rowData) == expected.height
    assert grid.rowData[0]["status_key"] == "verlopen"
    assert grid.rowData[0]["dagen_verlopen"] > 0


def test_a_jeugdzorgwerker_cannot_open_another_workers_caseload(mijn, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    df, _ = mijn.deadlines_table(JZW, {"medewerker": "1002"})
    assert set(df["medewerker_id"]) == {"1001"}
    measures, _ = mijn.measures_table(JZW, {"medewerker": "1002"})
    assert set(measures["maatregel_id"]) == {"M2025-0101", "M2025-0102"}


def test_peildatum_recomputes_point_in_time(mijn, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    state = mijn.STATE
    earlier = date(2025, 9, 3)
    values = [earlier.isoformat(), "1001", None]
    body, search, shown, *slicers, title = state.from_controls(JZW, values, {})
    assert search == "?peildatum=2025-09-03&medewerker=1001"
    assert shown == {"peildatum": "2025-09-03", "medewerker": "1001", "soort": None}
    assert slicers == [no_update] * 3
    assert title == "Mijn caseload"
    expected = werklijst(snap(), JZW, earlier, data.config(), medewerker_id="1001")
    assert len(find(body, "mijn-caseload-termijnen").rowData) == expected.height
    skip = (no_update,) * 7
    assert state.from_controls(JZW, ["2025-09-03", "1001", None], shown) == skip
    assert state.from_controls(JZW, ["0202-01-01", "1001", None], shown) == skip
    only_ots, search, *_ = state.from_controls(JZW, ["2025-11-01", "1001", "OTS"], shown)
    assert search.endswith("&soort=OTS")
    assert {r["soort"] for r in find(only_ots, "mijn-caseload-termijnen").rowData} == {"OTS"}


def test_back_button_restores_the_view_and_the_slicers(mijn, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    state = mijn.STATE
    shown = {"peildatum": "2025-09-03", "medewerker": "1001", "soort": "OTS"}
    body, search, new_shown, peildatum, medewerker, soort, _title = state.from_url(
        JZW, "", "/mijn-caseload", shown
    )
    assert (peildatum, medewerker, soort) == ("2025-11-01", "1001", None)
    assert new_shown == {"peildatum": "2025-11-01", "medewerker": "1001", "soort": None}
    assert search is no_update
    assert find(body, "mijn-caseload-termijnen") is not None
    # The URL the page wrote itself comes back: nothing to do.
    again = state.from_url(JZW, "?peildatum=2025-11-01", "/mijn-caseload", new_shown)
    assert again == (no_update,) * 7
    # Another page's URL change is not this page's business.
    assert state.from_url(JZW, "", "/team", shown) == (no_update,) * 7
