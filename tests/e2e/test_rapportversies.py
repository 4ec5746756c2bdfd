"""The report as sent, in Chromium: MT vaststelt the Voortgangsrapportage with a toelichting,
sees the version in the list and downloads its PDF as kept; a second version stands beside the
first. Its own database and app, so the versions leave the other browser tests alone."""

import io
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from queries.rapportage import SUMMARY_KEYS
from tests.e2e.conftest import open_page, own_jbn_db, screenshot, serve, view_as

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def versies_db(tmp_path_factory, jbn_export) -> str:
    return own_jbn_db(tmp_path_factory, jbn_export, "e2e-rapportversies")


@pytest.fixture(scope="module")
def base_url(versies_db):
    yield from serve(versies_db, "e2e-rapportversies-app.log")


def vaststellen(page, toelichting: str) -> None:
    page.fill("#voortgang-toelichting-0", toelichting)
    page.click("#voortgang-vaststellen")
    expect(page.locator("#voortgang-vaststelling-melding")).to_contain_text("Vastgesteld als")


def test_mt_vaststelt_the_report_and_finds_it_in_the_list(page):
    view_as(page, "manager")
    open_page(page, "/voortgangsrapportage", "#voortgang-vaststellen", "Rapport (vaststellen)")
    expect(page.locator("#voortgang-sectie-versies")).to_contain_text("Nog geen versie vastgesteld")
    vaststellen(page, "Eerste versie voor de inspecties.")
    rows = page.locator("#voortgang-versies-tabel .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Samenvatting: Eerste versie voor de inspecties.")
    expect(rows.first).to_contain_text("demo-manager")

    with page.expect_download() as info:
        page.click("#voortgang-versie-pdf")
    content = Path(info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Toelichting MT: Eerste versie voor de inspecties." in " ".join(text.split())

    vaststellen(page, "Tweede versie.")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Tweede versie.")
    compared = page.locator("#voortgang-vergelijking .ag-center-cols-container .ag-row")
    expect(compared).to_have_count(len(SUMMARY_KEYS))
    expect(page.locator("#voortgang-versie-vergelijking")).to_contain_text(
        "naast vastgestelde versie 1 ervoor"
    )
    screenshot(page, "08-voortgangsrapportage-versies")
