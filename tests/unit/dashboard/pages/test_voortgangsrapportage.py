import base64
import io
from datetime import date

import openpyxl
import polars as pl
import pytest

from dashboard import data
from queries.rapportage import SHEETS, progress_report
from queries.scope import MANAGER
from tests.unit.dashboard.helpers import find, text

PARAMS = {"peildatum": "2025-10-31", "vanaf": "2025-08-01"}


@pytest.fixture
def rapport(app):
    from dashboard.pages import voortgangsrapportage

    return voortgangsrapportage


def expected_report():
    return progress_report(
        data.snapshot(), MANAGER, date(2025, 10, 31), data.config(), date(2025, 8, 1)
    )


def test_trend_start_defaults_to_a_year_before(rapport, app):
    day = date(2025, 11, 1)
    assert rapport.trend_start({}, day) == date(2024, 11, 1)
    assert rapport.trend_start({"vanaf": "2025-06-15"}, day) == date(2025, 6, 15)
    assert rapport.trend_start({"vanaf": "2026-01-01"}, day) == date(2024, 11, 1)
    assert rapport.resolved(MANAGER, {"peildatum": "2025-10-31"}) == {
        "peildatum": "2025-10-31",
        "vanaf": "2024-10-01",
        "cohort": "2025-07-01",
    }
    # The cohort start is its own setting, not tied to the trend start.
    chosen = rapport.resolved(MANAGER, {"peildatum": "2025-10-31", "cohort": "2025-09-01"})
    assert (chosen["vanaf"], chosen["cohort"]) == ("2024-10-01", "2025-09-01")


def test_report_reads_as_a_report(rapport, as_viewer):
    as_viewer("manager")
    page = rapport.layout(**PARAMS)
    words = text(page)
    assert "Peildatum 31-10-2025 · trend vanaf 01-08-2025" in words
    for title in rapport.FIGURE_TITLES.values():
        assert title in words
    assert "Op 31-10-2025 had 100,0% van de 3 actieve maatregelen een vaste" in words
    assert "eind augustus 2025 was dat 50,0%" in words
    assert "cohort gestart vanaf 01-07-2025" in words
    assert "1 overgedragen naar een regulier team" in words
    assert "Toetsingskader norm 1a.3" in words
    report = expected_report()
    for i, key in enumerate(rapport.FIGURE_TITLES, start=1):
        grid = find(page, f"voortgang-tabel-{i}")
        assert len(grid.rowData) == report[key].height, key
    assert find(page, "voortgang-grafiek-5").figure["layout"]["width"] == rapport.CHART_WIDTH


def test_summary_values_are_dutch(rapport):
    summary = expected_report()["Samenvatting"]
    rows = {r["Cijfer"]: r for r in rapport.summary_rows(summary).iter_rows(named=True)}
    share = rows["Aandeel met vaste jeugdzorgwerker"]
    # A year before, on 31-10-2024, nothing had started.
    assert (share["Waarde"], share["Een jaar eerder"], share["Verschil"]) == ("100,0%", "–", "–")
    days = rows["Gemiddeld dagen tot eerste contact"]
    assert (days["Over"], days["Waarde"]) == ("gestart in september 2025", "3,0 dagen")
    crt = rows["In het CRT"]
    assert (crt["Waarde"], crt["Een jaar eerder"], crt["Verschil"]) == ("0", "0", "0")


def test_first_contact_text_without_new_measures(rapport):
    report = expected_report()
    report["Eerste contact"] = report["Eerste contact"].clear()
    paragraphs = rapport.texts(report, date(2025, 10, 31), date(2025, 8, 1), None, "")
    assert paragraphs["Eerste contact"] == "Sinds 01-08-2025 zijn geen maatregelen gestart."


def test_excel_download_is_the_report_workbook(rapport, as_viewer):
    as_viewer("manager")
    file, message = rapport.download(1, "?peildatum=2025-10-31&vanaf=2025-08-01")
    assert message is None
    assert file["filename"] == "voortgangsrapportage_2025-10-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"])))
    assert book.sheetnames == [*SHEETS, "Over dit rapport", "Definities"]
    rows = list(book["Risicotaxaties"].iter_rows(values_only=True))
    expected = expected_report()["Risicotaxaties"]
    assert [r[3] for r in rows[1:]] == expected["RT actueel (inspectie) (%)"].to_list()


def test_slicers_write_the_url(rapport, as_viewer):
    as_viewer("manager")
    values = ["2025-09-30", "2025-09-01", "2025-07-01"]
    body, search, shown, *_ = rapport.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-09-30&vanaf=2025-09-01&cohort=2025-07-01"
    assert "Peildatum 30-09-2025 · trend vanaf 01-09-2025" in text(body)
    assert len(find(body, "voortgang-tabel-1").rowData) == 1


def test_only_the_mt_opens_it(rapport, as_viewer):
    as_viewer("teammanager", "2001")
    page = rapport.layout()
    assert "niet bedoeld voor uw rol" in text(page)
    assert find(page, "voortgang-excel") is None


def test_grid_columns_follow_the_frame_types(rapport):
    df = pl.DataFrame(
        {"Maand": ["mei 2025"], "Peildatum": [date(2025, 5, 31)], "N": [3], "Deel (%)": [1.5]}
    )
    grid = rapport.report_grid("x", df)
    headers = [c["headerName"] for c in grid.columnDefs]
    assert headers == ["Maand", "N", "Deel (%)"]
    assert "'%'" in grid.columnDefs[2]["valueFormatter"]["function"]
