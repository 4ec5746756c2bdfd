"""Uitval on Team, Organisatie and Caseloadgesprek, on the sample export at 20 September 2025:
Youssef El Amrani (1002, Drenthe) is 100% absent since 15 September and holds M2025-0103, and
nobody else in Drenthe may take it over."""

import base64
import io

import openpyxl
import polars as pl
import pytest

from dashboard.components import widgets as w
from dashboard.components.exports import export_file
from queries.scope import MANAGER, Viewer
from tests.unit.dashboard.helpers import figuur_value, find

PB = Viewer("praktijkbegeleider", "2001")
TM = Viewer("teammanager", "2001")
PARAMS = {"peildatum": "2025-09-20"}
ROW = {
    "maatregel_id": "M2025-0103",
    "van_naam": "Youssef El Amrani",
    "oorzaak": "afwezig (100%)",
    # 15 to 20 September.
    "dagen_uitval": 5,
    "naar_naam": None,
}


@pytest.fixture
def pages(app):
    from dashboard.pages import caseloadgesprek, organisatie, team

    return {"team": team, "organisatie": organisatie, "gesprek": caseloadgesprek}


def _shown(df: pl.DataFrame) -> list[dict]:
    return [{k: r[k] for k in ROW} for r in df.iter_rows(named=True)]


def test_team_lists_the_absent_holders_measure_with_its_days_and_no_waarnemer(pages, as_viewer):
    as_viewer(PB.role, PB.medewerker_id)
    df, columns = pages["team"].uitval_rows(PB, PARAMS)
    assert _shown(df) == [ROW]
    row = df.row(0, named=True)
    assert row["soort_label"] == w.SOORT_LABELS["JR"]
    assert row["maatregel_href"] == "/maatregel?maatregel=M2025-0103&peildatum=2025-09-20"
    assert row["reden"]
    fields = {c["field"] for c in columns}
    assert {"dagen_uitval", "van_naam", "oorzaak", "sinds", "naar_naam", "reden"} <= fields
    section = pages["team"].team_uitval(PB, PARAMS)
    assert figuur_value(section, "uitval_maatregelen") == "1"
    assert figuur_value(section, "uitval_zonder_waarnemer") == "1"
    grid = find(section, "team-team_uitval")
    assert [r["maatregel_id"] for r in grid.rowData] == ["M2025-0103"]


def test_a_teammanager_in_groningen_sees_no_uitval_from_drenthe(pages, as_viewer):
    as_viewer(TM.role, TM.medewerker_id)
    df, _ = pages["team"].uitval_rows(TM, PARAMS)
    assert df.height == 0
    assert figuur_value(pages["team"].team_uitval(TM, PARAMS), "uitval_maatregelen") == "0"


def test_no_uitval_on_the_export_date(pages, as_viewer):
    as_viewer(PB.role, PB.medewerker_id)
    # Youssef was back on 3 October.
    df, _ = pages["team"].uitval_rows(PB, {"peildatum": "2025-11-01"})
    assert df.height == 0


def test_organisatie_tiles_follow_the_region_and_the_table_exports(pages, as_viewer):
    as_viewer("manager")
    org = pages["organisatie"]
    section = org.organisatie_uitval(MANAGER, PARAMS)
    assert figuur_value(section, "uitval_maatregelen") == "1"
    groningen = org.organisatie_uitval(MANAGER, PARAMS | {"regio": "Groningen"})
    assert figuur_value(groningen, "uitval_maatregelen") == "0"
    assert figuur_value(groningen, "uitval_zonder_waarnemer") == "0"
    file = export_file("organisatie_uitval", "xlsx", MANAGER, PARAMS)
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active
    rows = list(sheet.iter_rows(values_only=True))
    back = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert back["Maatregel"] == "M2025-0103"
    assert back["Houder"] == "Youssef El Amrani"
    assert back["Oorzaak"] == "afwezig (100%)"
    assert back["Dagen"] == 5
    assert back["Voorgestelde waarnemer"] is None
    assert back["Reden"]


def test_caseloadgesprek_shows_uitval_only_for_an_unavailable_worker(pages, as_viewer):
    as_viewer(PB.role, PB.medewerker_id)
    gesprek = pages["gesprek"]
    absent = gesprek.layout(**PARAMS, medewerker="1002")
    assert figuur_value(absent, "uitval_maatregelen") == "1"
    grid = find(absent, "gesprek-gesprek_uitval")
    assert [r["maatregel_id"] for r in grid.rowData] == ["M2025-0103"]
    df, _ = gesprek.uitval_rows(PB, PARAMS | {"medewerker": "1002"})
    assert _shown(df) == [ROW]
    present = gesprek.layout(**PARAMS, medewerker="1001")
    assert find(present, "gesprek-uitval") is None
    assert find(present, "gesprek-gesprek_uitval") is None
