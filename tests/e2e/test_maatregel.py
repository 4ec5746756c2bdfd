"""The Maatregel page in Chromium: reached from a link in Mijn caseload, its rows against
queries/, the peildatum, the export read back, and a forged address for someone else's measure."""

import re
import time
from datetime import timedelta

import polars as pl
import pytest
from playwright.sync_api import expect

from queries.caseload import maatregel
from queries.scope import MANAGER
from queries.termijnen import termijn_historie
from tests.e2e.conftest import open_page, record, screenshot, view_as
from tests.e2e.test_pages import read_download, type_peildatum

pytestmark = pytest.mark.e2e

NOT_SHOWN = "Deze maatregel is er niet of u mag hem niet zien"


def history(snap, viewer, day, config, mid: str) -> pl.DataFrame:
    everything = termijn_historie(snap, viewer, day, config)
    return everything.filter(pl.col("maatregel_id") == mid)


def test_maatregel_from_mijn_caseload(page, snap, config, demo):
    viewer = demo["jeugdzorgwerker"]
    day = snap.export_date
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/mijn-caseload", "#mijn-caseload-termijnen .ag-row a", "Mijn caseload")

    # The measure link in the deadline grid moves within the app to the Maatregel page.
    link = page.locator("#mijn-caseload-termijnen .ag-row a").first
    mid = link.inner_text()
    start = time.perf_counter()
    link.click()
    page.wait_for_url(re.compile(rf"/maatregel\?maatregel={mid}&peildatum={day.isoformat()}$"))
    expect(page.locator("#maatregel-titel")).to_have_text(f"Maatregel {mid}")
    rows = page.locator("#maatregel-termijnen .ag-center-cols-container .ag-row")
    expected = history(snap, viewer, day, config, mid)
    expect(rows).to_have_count(expected.height)
    record("doorklikken Mijn caseload -> Maatregel (in de app)", time.perf_counter() - start)
    verlopen = expected.filter(pl.col("status") == "verlopen").height
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(verlopen))
    open_ = expected.filter(pl.col("status") == "open").height
    expect(page.locator("#tegel-open .kpi-value")).to_have_text(str(open_))
    naam = snap["medewerkers"].filter(pl.col("medewerker_id") == viewer.medewerker_id)["naam"][0]
    expect(page.locator("#maatregel-houder-naam")).to_have_text(naam)
    expect(page.locator("nav a", has_text="Maatregel")).to_have_count(0)
    screenshot(page, "10-maatregel")

    # Export: every row of the same scoped query, read back from the file.
    with page.expect_download() as info:
        page.click("#sectie-maatregel_termijnen button:has-text('CSV')")
    exported = read_download(info.value)
    assert exported.height == expected.height
    assert set(exported["Termijn"]) <= {
        "Eerste face-to-face contact", "Plan van aanpak", "Hulp gestart", "RT-termijn",
        "Evaluatie plan van aanpak", "Contact met jeugdige (voogdij)",
    }  # fmt: skip

    # Peildatum: the measure point in time (or the one message, when she did not hold it then).
    earlier = day - timedelta(days=45)
    start = type_peildatum(page, "maatregel", f"{earlier:%d-%m-%Y}")
    page.wait_for_url(re.compile(f"peildatum={earlier.isoformat()}"))
    record("peildatum Maatregel: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    if maatregel(snap, viewer, earlier, mid).height:
        then = history(snap, viewer, earlier, config, mid)
        expect(rows).to_have_count(then.height)
    else:
        expect(page.locator("#maatregel-body .empty-state")).to_have_text(NOT_SHOWN)
    record("peildatum Maatregel: nieuwe cijfers op het scherm", time.perf_counter() - start)
    page.go_back()
    expect(rows).to_have_count(expected.height)


def test_a_forged_address_for_someone_elses_measure_shows_nothing_of_it(page, snap, config, demo):
    viewer = demo["jeugdzorgwerker"]
    day = snap.export_date
    mine = set(termijn_historie(snap, viewer, day, config)["maatregel_id"])
    everyone = termijn_historie(snap, MANAGER, day, config)
    other = everyone.filter(~pl.col("maatregel_id").is_in(sorted(mine)))["maatregel_id"][0]
    view_as(page, "jeugdzorgwerker")
    open_page(page, f"/maatregel?maatregel={other}", "#maatregel-body .empty-state", "Maatregel")
    expect(page.locator("#maatregel-body .empty-state")).to_have_text(NOT_SHOWN)
    expect(page.locator("#maatregel-termijnen")).to_have_count(0)
    expect(page.locator("#maatregel-titel")).to_have_count(0)
