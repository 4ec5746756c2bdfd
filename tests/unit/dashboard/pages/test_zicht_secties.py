"""Zicht op de jeugdige and verlenging voorbereiden on Mijn caseload and Caseloadgesprek, on a
sample export with a parent-only contact and a measure that ends within 8 weeks."""

from datetime import date

import pytest

from dashboard import data
from etl.loader import load_source
from queries.scope import Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find
from tests.unit.etl.fixtures import append, copy_sample, replace_line

JZW = Viewer("jeugdzorgwerker", "1001")
PB = Viewer("praktijkbegeleider", "2001")


@pytest.fixture
def pages(app, sqlite_url, tmp_path):
    """M2025-0101 ends on 1 December (within 8 weeks of 1 November) and had a face-to-face
    contact with only a parent on 30 October."""
    from dashboard.pages import caseloadgesprek, mijn_caseload

    source = copy_sample(tmp_path)
    replace_line(
        source,
        "maatregelen",
        "M2025-0101,J000311,OTS,,2025-09-01,2025-09-02,2026-09-01,",
        "M2025-0101,J000311,OTS,,2025-09-01,2025-09-02,2025-12-01,",
    )
    append(source, "contacten", "K5,M2025-0101,1001,2025-10-30,face-to-face,ouder,")
    result = load_source(source, sqlite_url, export_date=EXPORT_DATE, progress=False)
    assert result.status == "geslaagd", result.message
    data.configure(sqlite_url)
    return {"mijn": mijn_caseload, "gesprek": caseloadgesprek}


def rows_by_id(grid) -> dict[str, dict]:
    return {r["maatregel_id"]: r for r in grid.rowData}


def test_mijn_caseload_shows_when_the_child_was_last_seen(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    page = pages["mijn"].layout()
    measures = rows_by_id(find(page, "mijn-caseload-maatregelen"))
    # The parent-only contact of 30 October is not seeing the child: still 5 September.
    m1 = measures["M2025-0101"]
    assert (m1["laatst_gezien"], m1["dagen_sinds_gezien"]) == ("2025-09-05", 57)
    assert (m1["laatst_alleen_gezien"], m1["dagen_sinds_alleen_gezien"]) == (None, None)
    m2 = measures["M2025-0102"]
    assert (m2["laatst_alleen_gezien"], m2["dagen_sinds_alleen_gezien"]) == ("2025-07-02", 122)
    fields = [c["field"] for c in find(page, "mijn-caseload-maatregelen").columnDefs]
    assert "laatste_f2f_contact" not in fields
    assert {"dagen_sinds_gezien", "dagen_sinds_alleen_gezien"} <= set(fields)
    # Neither child was seen in the last 6 weeks.
    unseen = find(page, "mijn-caseload-mijn_niet_gezien")
    assert [r["maatregel_id"] for r in unseen.rowData] == ["M2025-0102", "M2025-0101"]


def test_mijn_caseload_signals_the_end_within_8_weeks(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    grid = find(pages["mijn"].layout(), "mijn-caseload-mijn_verlenging")
    assert [
        (r["maatregel_id"], r["einde_gepland"], r["dagen_tot_einde"]) for r in grid.rowData
    ] == [("M2025-0101", "2025-12-01", 30)]
    # Three weeks earlier the end is more than 8 weeks away.
    df, _ = pages["mijn"].verlenging_table(JZW, {"peildatum": "2025-10-01"})
    assert df.height == 0


def test_caseloadgesprek_lists_not_seen_and_the_verlenging(pages, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    page = pages["gesprek"].layout(medewerker="1001")
    unseen = find(page, "gesprek-gesprek_zonder_contact")
    assert {r["maatregel_id"] for r in unseen.rowData} == {"M2025-0101", "M2025-0102"}
    signal = find(page, "gesprek-gesprek_verlenging")
    assert [r["maatregel_id"] for r in signal.rowData] == ["M2025-0101"]
    # With 9 weeks, 5 September (57 days before) is within the window.
    df, _ = pages["gesprek"].niet_gezien_table(PB, {"medewerker": "1001", "weken": "9"})
    assert df["maatregel_id"].to_list() == ["M2025-0102"]
    # Another praktijkbegeleider's worker: nothing.
    other, _ = pages["gesprek"].verlenging_table(Viewer("jeugdzorgwerker", "1002"), {})
    assert other.height == 0


def test_the_days_are_as_of_the_peildatum(pages, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    df, _ = pages["mijn"].measures_table(JZW, {"peildatum": "2025-10-01"})
    m1 = df.filter(df["maatregel_id"] == "M2025-0101").row(0, named=True)
    assert (m1["laatst_gezien"], m1["dagen_sinds_gezien"]) == (date(2025, 9, 5), 26)
