import base64
import io
from datetime import date

import flask
import openpyxl
import polars as pl
import pytest
from dash import no_update

import dashboard.pages
from dashboard import data
from dashboard.app import create_app
from dashboard.components.exports import EXPORTS, export_file
from etl.db import make_engine
from etl.schema import metadata
from queries.caseload import caseload, measures_of
from queries.scope import Viewer
from queries.termijnen import worklist
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value

JZW = Viewer("jeugdzorgwerker", "1001")
PB = Viewer("praktijkbegeleider", "2001")


@pytest.fixture
def pages(app):
    from dashboard.pages import caseloadgesprek, datakwaliteit, home, mijn_caseload, team

    return {
        "mijn": mijn_caseload,
        "gesprek": caseloadgesprek,
        "team": team,
        "data": datakwaliteit,
        "home": home,
        "package": dashboard.pages,
    }


def snap():
    return data.snapshot()


def test_mijn_caseload_tiles_match_the_queries(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    page = pages["mijn"].layout()
    expected = worklist(snap(), JZW, EXPORT_DATE, data.config(), medewerker_id="1001")
    verlopen = expected.filter(pl.col("status") == "verlopen").height
    assert verlopen > 0
    assert tile_value(page, "tegel-verlopen") == str(verlopen)
    row = caseload(snap(), JZW, EXPORT_DATE, data.config()).row(0, named=True)
    assert tile_value(page, "tegel-actief") == str(row["actief"])
    assert tile_value(page, "tegel-ruimte") == f"{row['ruimte']:.1f}".replace(".", ",")
    grid = find(page, "mijn-caseload-termijnen")
    assert len(grid.rowData) == expected.height
    assert grid.rowData[0]["status_key"] == "verlopen"
    assert "dagen verlopen" in grid.rowData[0]["aftellen"]


def test_a_jeugdzorgwerker_cannot_open_another_workers_caseload(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    df, _ = pages["mijn"].deadlines_table(JZW, {"medewerker": "1002"})
    assert set(df["medewerker_id"]) == {"1001"}
    measures, _ = pages["mijn"].measures_table(JZW, {"medewerker": "1002"})
    assert set(measures["maatregel_id"]) == {"M2025-0101", "M2025-0102"}


def test_peildatum_recomputes_point_in_time(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    state = pages["mijn"].STATE
    earlier = date(2025, 9, 3)
    values = [earlier.isoformat(), "1001", None]
    body, search, shown, *slicers = state.from_controls(JZW, values, {})
    assert search == "?peildatum=2025-09-03&medewerker=1001"
    assert shown == {"peildatum": "2025-09-03", "medewerker": "1001", "soort": None}
    assert slicers == [no_update] * 3
    expected = worklist(snap(), JZW, earlier, data.config(), medewerker_id="1001")
    assert len(find(body, "mijn-caseload-termijnen").rowData) == expected.height
    skip = (no_update,) * 6
    assert state.from_controls(JZW, ["2025-09-03", "1001", None], shown) == skip
    assert state.from_controls(JZW, ["0202-01-01", "1001", None], shown) == skip
    only_ots, search, *_ = state.from_controls(JZW, ["2025-11-01", "1001", "OTS"], shown)
    assert search.endswith("&soort=OTS")
    assert {r["soort"] for r in find(only_ots, "mijn-caseload-termijnen").rowData} == {"OTS"}


def test_back_button_restores_the_view_and_the_slicers(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    state = pages["mijn"].STATE
    shown = {"peildatum": "2025-09-03", "medewerker": "1001", "soort": "OTS"}
    body, search, new_shown, peildatum, medewerker, soort = state.from_url(
        JZW, "", "/mijn-caseload", shown
    )
    assert (peildatum, medewerker, soort) == ("2025-11-01", "1001", None)
    assert new_shown == {"peildatum": "2025-11-01", "medewerker": "1001", "soort": None}
    assert search is no_update
    assert find(body, "mijn-caseload-termijnen") is not None
    # The URL the page wrote itself comes back: nothing to do.
    again = state.from_url(JZW, "?peildatum=2025-11-01", "/mijn-caseload", new_shown)
    assert again == (no_update,) * 6
    # Another page's URL change is not this page's business.
    assert state.from_url(JZW, "", "/team", shown) == (no_update,) * 6


def test_peildatum_after_the_export_is_the_export_date(app):
    assert data.as_of({"peildatum": "2030-01-01"}) == EXPORT_DATE
    assert data.as_of({"peildatum": "niet-een-datum"}) == EXPORT_DATE
    assert data.as_of({"peildatum": "2025-10-01"}) == date(2025, 10, 1)


def test_team_lists_visible_workers_with_drill_down_links(pages, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    df, columns = pages["team"].team_table(PB, {"peildatum": "2025-11-01"})
    expected = caseload(snap(), PB, EXPORT_DATE, data.config())
    assert sorted(df["medewerker_id"]) == sorted(expected["medewerker_id"])
    sanne = df.filter(pl.col("medewerker_id") == "1001").row(0, named=True)
    assert sanne["naam_href"] == "/caseloadgesprek?medewerker=1001&peildatum=2025-11-01"
    assert sanne["verlopen"] == 2
    only_drenthe, _ = pages["team"].team_table(PB, {"regio": "Drenthe"})
    assert only_drenthe["medewerker_id"].to_list() == ["1002"]


def test_team_drills_into_the_worklist_for_roles_without_caseload_talks(pages, as_viewer):
    viewer = Viewer("gedragswetenschapper", "1001")
    as_viewer(viewer.role, viewer.medewerker_id)
    df, _ = pages["team"].team_table(viewer, {})
    assert all(link.startswith("/mijn-caseload?") for link in df["naam_href"])


def test_caseloadgesprek_sections(pages, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    params = {"medewerker": "1001", "weken": "6"}
    page = pages["gesprek"].layout(**params)
    assert "Caseloadgesprek met Sanne Koster" in text(page)
    assert tile_value(page, "tegel-vorig-gesprek") == "03-07-2025"
    f2f, _ = pages["gesprek"].f2f_table(PB, params)
    mine = measures_of(snap(), PB, EXPORT_DATE, data.config(), "1001")
    assert f2f.height == mine.filter(pl.col("dagen_sinds_f2f") > 42).height
    fewer, _ = pages["gesprek"].f2f_table(PB, params | {"weken": "52"})
    assert fewer.height == 0
    # Two contacts since June meet the count, but the three-monthly contact is overdue.
    voogdij, _ = pages["gesprek"].voogdij_table(PB, params)
    assert voogdij.select("maatregel_id", "contacten_jaar", "status").rows() == [
        ("M2025-0102", 2, "verlopen")
    ]
    attention, _ = pages["gesprek"].attention_table(PB, params)
    assert set(attention["status"]) <= {"verlopen", "open"}


def test_caseloadgesprek_asks_for_the_worklist_once_per_render(pages, as_viewer, monkeypatch):
    as_viewer("praktijkbegeleider", "2001")
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return worklist(*args, **kwargs)

    monkeypatch.setattr(pages["gesprek"], "worklist", counted)
    page = pages["gesprek"].layout(medewerker="1001")
    assert "Caseloadgesprek met Sanne Koster" in text(page)
    assert calls == [{"medewerker_id": "1001"}]


def test_previous_caseloadgesprek_is_point_in_time(pages, app):
    talks = snap()["caseloadgesprekken"].filter(pl.col("medewerker_id") == "1002")
    first = talks["datum"].min()
    assert pages["gesprek"].previous_talk(snap(), "1002", first) == first
    assert pages["gesprek"].previous_talk(snap(), "1002", date(2000, 1, 1)) is None


def test_pages_refuse_roles_they_are_not_for(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    assert "niet bedoeld voor uw rol" in text(pages["team"].layout())
    assert "niet bedoeld voor uw rol" in text(pages["data"].layout())


def test_anonymous_sees_the_way_to_log_in_and_no_data(pages, app):
    with app.server.test_request_context("/"):
        assert "niet ingelogd" in text(pages["mijn"].layout())
        start = pages["home"].layout()
        assert find(start, "naar-inloggen").href == "/login"


def test_datakwaliteit_shows_the_latest_load(pages, as_viewer):
    as_viewer("beheerder")
    page = pages["data"].layout()
    assert tile_value(page, "tegel-rijen-geladen") == "35"
    assert tile_value(page, "tegel-exportdatum") == "01-11-2025"
    assert "Geen rijen afgewezen" in text(page)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_every_row_of_the_scoped_query(pages, as_viewer, fmt):
    as_viewer("jeugdzorgwerker", "1001")
    expected = worklist(snap(), JZW, EXPORT_DATE, data.config(), medewerker_id="1001")
    file = export_file("mijn_termijnen", fmt, JZW, {})
    raw = base64.b64decode(file["content"])
    assert file["filename"] == f"mijn_termijnen_2025-11-01.{fmt}"
    if fmt == "csv":
        back = pl.read_csv(io.BytesIO(raw), separator=";")
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))
        back = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    assert back.height == expected.height
    assert back.columns[:3] == ["Status", "Aftellen", "Termijn"]


def test_every_page_table_is_exportable(pages, as_viewer):
    as_viewer("beheerder")
    for table, build in EXPORTS.items():
        df, columns = build(Viewer("beheerder"), {})
        assert {c.get("exportField", c["field"]) for c in columns} <= set(df.columns), table


def test_no_export_yet_gives_a_dutch_message(tmp_path):
    empty = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    metadata.create_all(make_engine(empty))
    app = create_app(empty)
    from dashboard.pages import mijn_caseload  # re-imported by this app's Dash Pages

    with app.server.test_request_context("/"):
        flask.session["viewer"] = {"role": "jeugdzorgwerker", "medewerker_id": "1001"}
        assert "nog geen export geladen" in text(mijn_caseload.layout())
    client = app.server.test_client()
    assert client.get("/login").status_code == 200


def test_an_unreachable_database_gives_a_dutch_message_not_a_traceback(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'bestaat-niet' / 'weg.sqlite'}", demo=True)
    from dashboard.pages import mijn_caseload  # re-imported by this app's Dash Pages

    with app.server.test_request_context("/"):
        flask.session["viewer"] = {"role": "jeugdzorgwerker", "medewerker_id": "1001"}
        page = mijn_caseload.layout()
        assert "niet bereikbaar" in text(page)
        assert "Traceback" not in text(page)
        header = app.layout()
        assert "Gegevens nu niet bereikbaar" in text(header)
        assert find(header, "bekijk-als") is not None
