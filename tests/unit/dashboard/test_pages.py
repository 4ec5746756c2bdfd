import base64
import io
from datetime import date

import flask
import openpyxl
import polars as pl
import pytest

import dashboard.pages
from dashboard import data
from dashboard.app import create_app
from dashboard.components.exports import EXPORTS, export_file
from queries.scope import Viewer
from queries.termijnen import werklijst
from store.engine import make_engine
from store.schema import metadata
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


def test_peildatum_after_the_export_is_the_export_date(app):
    assert data.as_of({"peildatum": "2030-01-01"}) == EXPORT_DATE
    assert data.as_of({"peildatum": "niet-een-datum"}) == EXPORT_DATE
    assert data.as_of({"peildatum": "2025-10-01"}) == date(2025, 10, 1)


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
    expected = werklijst(snap(), JZW, EXPORT_DATE, data.config(), medewerker_id="1001")
    file = export_file("mijn_termijnen", fmt, JZW, {})
    raw = base64.b64decode(file["content"])
    assert file["filename"] == f"mijn_termijnen_2025-11-01.{fmt}"
    if fmt == "csv":
        back = pl.read_csv(io.BytesIO(raw), separator=";")
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))
        back = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    assert back.height == expected.height
    assert back.columns[:4] == ["Status", "Werkdagen tot de termijn", "Dagen verlopen", "Termijn"]


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
