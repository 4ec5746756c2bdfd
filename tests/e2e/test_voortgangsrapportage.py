"""Voortgangsrapportage in Chromium as the MT: figures against queries/, the trend-start
slicer, the Excel workbook opened with openpyxl, the A4 PDF read back with pypdf."""

import io
import re
import time
from datetime import date
from pathlib import Path

import openpyxl
import pypdf
import pytest
from playwright.sync_api import expect

from dashboard.components.widgets import fmt_pct
from queries.rapportage import KPI_TILES, SHEETS, SUMMARY_KEYS, months_since, progress_report
from tests.e2e.conftest import SCREENSHOTS, open_page, record, screenshot, view_as
from tests.e2e.test_pages import dutch, type_date

pytestmark = pytest.mark.e2e
SINCE = date(2025, 9, 1)


def test_voortgangsrapportage(page, snap, config, demo):
    viewer = demo["manager"]
    day = snap.export_date
    view_as(page, "manager")
    path, ready = f"/voortgangsrapportage?vanaf={SINCE}", "#voortgang-tabel-5 .ag-row"
    open_page(page, path, ready, "Voortgangsrapportage")
    open_page(page, path, ready, "Voortgangsrapportage (opnieuw)")
    report = progress_report(snap, viewer, day, config, SINCE)
    expect(page.locator("#voortgang-kop")).to_contain_text(
        f"Peildatum {day:%d-%m-%Y} · trend vanaf {SINCE:%d-%m-%Y}"
    )
    share = report["Vaste jeugdzorgwerker"]["Aandeel vaste jeugdzorgwerker (%)"][-1]
    expect(page.locator("#voortgang-sectie-1 .report-text")).to_contain_text(fmt_pct(share))
    rows = page.locator("#voortgang-tabel-5 .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(report["CCP en CRT"].height)
    last = page.locator(
        f"#voortgang-tabel-5 .ag-center-cols-container .ag-row[row-index='{rows.count() - 1}']"
    )
    expect(last.locator("[col-id='crt']")).to_have_text(str(report["CCP en CRT"]["CRT"][-1]))
    screenshot(page, "08-voortgangsrapportage")

    # The workbook: a sheet per figure plus the definitions; figures equal the query's.
    with page.expect_download() as info:
        page.click("#voortgang-excel")
    download = info.value
    assert download.suggested_filename == f"voortgangsrapportage_{day.isoformat()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == [*SHEETS, "Over dit rapport", "Definities"]
    sheet = list(book["Vaste jeugdzorgwerker"].iter_rows(values_only=True))
    assert len(sheet) - 1 == months_since(SINCE, day)
    assert sheet[-1][sheet[0].index("Aandeel vaste jeugdzorgwerker (%)")] == share
    about = dict(book["Over dit rapport"].iter_rows(min_row=2, values_only=True))
    assert about["Peildatum"] == f"{day:%d-%m-%Y}"

    # Trend vanaf: fewer months, the URL keeps it.
    later = date(2025, 12, 1)
    start = type_date(page, "Trend vanaf", "voortgang-vanaf", dutch(later))
    page.wait_for_url(re.compile(f"vanaf={later.isoformat()}"))
    record("trend vanaf Rapportage: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(page.locator("#voortgang-tabel-1 .ag-center-cols-container .ag-row")).to_have_count(
        months_since(later, day)
    )
    expect(page.locator("#voortgang-body [data-dash-is-loading=true]")).to_have_count(0)
    record("trend vanaf Rapportage: nieuwe cijfers op het scherm", time.perf_counter() - start)

    # The print path: an A4 PDF from the server with every month of the trend.
    with page.expect_download() as info:
        page.click("button:has-text('Afdrukken (PDF)')")
    assert info.value.suggested_filename == f"voortgangsrapportage_{day.isoformat()}.pdf"
    content = Path(info.value.path()).read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "08-voortgangsrapportage.pdf").write_bytes(content)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    later_report = progress_report(snap, viewer, day, config, later)
    assert all(month in text for month in later_report["CCP en CRT"]["Maand"])
    assert f"trend vanaf {later:%d-%m-%Y}" in text and "Pagina 1 van" in text


def _dutch_number(text: str) -> float | None:
    """'82,6%', '8,0 dagen', '1.234' as the number a user reads; None for a dash."""
    text = text.strip().split(" ")[0].rstrip("%")
    if text in ("–", ""):
        return None
    return float(text.replace(".", "").replace(",", "."))


def test_organisatie_report_and_workbook_show_the_same_figures(page, snap, config):
    """One figure, three places: the Organisatie tile, the report's Samenvatting on screen and
    the Samenvatting sheet of the workbook, each read as the user gets it."""
    view_as(page, "manager")
    shown_on = {}
    open_page(page, "/organisatie", "[data-figuur=plan_tijdig_pct]", "Organisatie (cijfers)")
    keys = [k for k in KPI_TILES if k in SUMMARY_KEYS]
    for key in keys:
        shown_on[key] = [_dutch_number(page.locator(f"[data-figuur={key}]").first.inner_text())]
    open_page(page, "/voortgangsrapportage", "#voortgang-samenvatting .ag-row", "Rapport (cijfers)")
    for key in keys:
        row = page.locator(
            "#voortgang-samenvatting .ag-center-cols-container "
            f".ag-row[row-index='{SUMMARY_KEYS.index(key)}'] [col-id='k2']"
        )
        shown_on[key].append(_dutch_number(row.inner_text()))
    with page.expect_download() as info:
        page.click("#voortgang-excel")
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = list(book["Samenvatting"].iter_rows(values_only=True))
    waarde = sheet[0].index("Waarde")
    for key in keys:
        shown_on[key].append(sheet[1 + SUMMARY_KEYS.index(key)][waarde])
    assert len(keys) >= 5
    for key, (tile, screen, cell) in shown_on.items():
        assert tile == screen == cell, (key, tile, screen, cell)
    # Not all empty: the comparison is about numbers.
    assert sum(v[0] is not None for v in shown_on.values()) >= 4
