"""Each page opened as its role in Chromium: figures on screen against queries/, a slicer,
drill-down, an export read back from disk, and a screenshot."""

import io
import re
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pypdf
import pytest
from playwright.sync_api import expect

from queries.caseload import caseload, maatregelen_van
from queries.laadhistorie import load_history, rejected_rows
from queries.rapportage import MAANDEN
from queries.termijnen import werklijst
from tests.e2e.conftest import (
    ROOT,
    SCREENSHOTS,
    open_page,
    option,
    record,
    screenshot,
    view_as,
)

pytestmark = pytest.mark.e2e


def verlopen_count(snap, viewer, day, config, medewerker_id) -> int:
    df = werklijst(snap, viewer, day, config, medewerker_id=medewerker_id)
    return df.filter(pl.col("status") == "verlopen").height


def read_download(download) -> pl.DataFrame:
    path = download.path()
    if download.suggested_filename.endswith(".csv"):
        return pl.read_csv(path, separator=";", infer_schema=False)
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    return pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")


def dutch(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def type_date(page, label: str, control_id: str, text: str, confirm: str = "Tab") -> float:
    """Type into a date slicer as a user does: click it (the calendar opens), type, confirm
    with Tab or Enter (the picker takes typed text on either), close the calendar. Returns
    the moment of confirming, from which the page's answer is timed."""
    field = page.get_by_role("combobox", name=label, exact=True)
    expect(field).to_have_id(control_id)
    field.click()
    field.fill(text)
    confirmed = time.perf_counter()
    field.press(confirm)
    page.keyboard.press("Escape")
    expect(page.locator(".dash-datepicker-calendar")).to_have_count(0)
    return confirmed


def type_peildatum(page, page_id: str, text: str, confirm: str = "Tab") -> float:
    return type_date(page, "Peildatum", f"{page_id}-peildatum", text, confirm)


def pick_peildatum(page, shown: date, day: date) -> float:
    """Open the peildatum calendar (it opens on shown's month; Dutch names, Monday first), go
    back to day's month, click the day; returns the moment of the click."""
    page.get_by_role("combobox", name="Peildatum", exact=True).click()
    calendar = page.get_by_role("dialog")
    expect(calendar.locator("thead th")).to_have_text(["ma", "di", "wo", "do", "vr", "za", "zo"])
    for _ in range((shown.year - day.year) * 12 + shown.month - day.month):
        calendar.get_by_role("button", name="Vorige maand").click()
    expect(calendar.locator(".dash-datepicker-controls")).to_contain_text(MAANDEN[day.month - 1])
    target = calendar.locator(".dash-datepicker-calendar-date-inside").get_by_text(
        str(day.day), exact=True
    )
    clicked = time.perf_counter()
    target.click()
    return clicked


def test_without_a_session_the_login_page_offers_the_demo_accounts(page, demo):
    open_page(page, "/", "#demo-jeugdzorgwerker", "Inlogpagina (anoniem)")
    assert "/login" in page.url
    expect(page.locator(".demo-users button")).to_have_count(len(demo))
    screenshot(page, "00-inloggen")
    page.click("#demo-jeugdzorgwerker")
    page.wait_for_url(re.compile(r"/mijn-caseload$"))
    expect(page.locator("h1")).to_have_text("Mijn caseload")


def test_mijn_caseload(page, snap, config, demo):
    viewer = demo["jeugdzorgwerker"]
    me = viewer.medewerker_id
    day = snap.export_date
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/mijn-caseload", "#tegel-verlopen", "Mijn caseload")
    open_page(page, "/mijn-caseload", "#tegel-verlopen", "Mijn caseload (opnieuw, cache warm)")
    expected = verlopen_count(snap, viewer, day, config, me)
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected))
    row = caseload(snap, viewer, day, config).row(0, named=True)
    expect(page.locator("#tegel-actief .kpi-value")).to_have_text(str(row["actief"]))
    expect(page.locator("#sectie-mijn_termijnen")).to_contain_text("Dagen verlopen")
    expect(
        page.locator("#mijn-caseload-tijdlijn, #mijn-caseload-body .empty-state").first
    ).to_be_visible()
    screenshot(page, "01-mijn-caseload")

    # Peildatum slicer, picked in its calendar: every figure point in time, the state in the URL.
    picker = page.get_by_role("combobox", name="Peildatum", exact=True)
    expect(picker).to_have_value(dutch(day))
    earlier = day - timedelta(days=60)
    expected_then = verlopen_count(snap, viewer, earlier, config, me)
    start = pick_peildatum(page, day, earlier)
    page.wait_for_url(re.compile(f"peildatum={earlier.isoformat()}"))
    record("peildatum Mijn caseload: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected_then))
    expect(page.locator("#mijn-caseload-body [data-dash-is-loading=true]")).to_have_count(0)
    record("peildatum Mijn caseload: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(picker).to_have_value(dutch(earlier))

    # Back returns to the previous view; the link reproduces the view.
    page.go_back()
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected))
    expect(picker).to_have_value(dutch(day))
    page.goto(f"/mijn-caseload?peildatum={earlier.isoformat()}")
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected_then))

    # Export: every row of the same scoped query, read back from the file.
    with page.expect_download() as info:
        page.click("#sectie-mijn_termijnen button:has-text('CSV')")
    exported = read_download(info.value)
    assert exported.height == werklijst(snap, viewer, earlier, config, medewerker_id=me).height
    with page.expect_download() as info:
        page.click("#sectie-mijn_maatregelen button:has-text('Excel')")
    assert read_download(info.value).height == maatregelen_van(snap, viewer, earlier, config).height


def test_team_and_drill_down_to_caseloadgesprek(page, snap, config, demo):
    viewer = demo["praktijkbegeleider"]
    day = snap.export_date
    view_as(page, "praktijkbegeleider")
    open_page(page, "/team", "#team-medewerkers .ag-row", "Team")
    open_page(page, "/team", "#team-medewerkers .ag-row", "Team (opnieuw, cache warm)")
    workers = caseload(snap, viewer, day, config)
    expect(page.locator("#tegel-medewerkers .kpi-value")).to_have_text(str(workers.height))
    todo = werklijst(snap, viewer, day, config)
    total = todo.filter(pl.col("status") == "verlopen").height
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(total))
    screenshot(page, "03-team")

    with page.expect_download() as info:
        page.click("#sectie-team button:has-text('Excel')")
    exported = read_download(info.value)
    assert exported.height == workers.height
    assert sorted(exported["Medewerker"]) == sorted(workers["naam"])

    # Drill down: the most overdue worker's name links to their caseloadgesprek.
    first = page.locator("#team-medewerkers .ag-row a").first
    naam = first.inner_text()
    start = time.perf_counter()
    first.click()
    page.wait_for_url(re.compile(r"/caseloadgesprek\?medewerker=\w+&peildatum="))
    expect(page.locator("#gesprek-medewerker")).to_contain_text(naam)
    expect(page.locator("#gesprek-body [data-dash-is-loading=true]")).to_have_count(0)
    record("doorklikken Team -> Caseloadgesprek (in de app)", time.perf_counter() - start)
    worker = workers.filter(pl.col("naam") == naam)["medewerker_id"][0]
    expected = verlopen_count(snap, viewer, day, config, worker)
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected))


def test_a_workers_page_opened_by_another_carries_their_name(page, snap, config, demo):
    viewer = demo["praktijkbegeleider"]
    workers = caseload(snap, viewer, snap.export_date, config)
    worker = workers.row(0, named=True)
    view_as(page, "praktijkbegeleider")
    path = f"/mijn-caseload?medewerker={worker['medewerker_id']}"
    open_page(page, path, "#tegel-verlopen", "Caseload van een ander")
    title = f"Caseload van {worker['naam']}"
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_title(title)


def test_caseloadgesprek_slicer_and_pdf(page, snap, config, demo):
    viewer = demo["praktijkbegeleider"]
    worker = demo["jeugdzorgwerker"].medewerker_id
    day = snap.export_date
    view_as(page, "praktijkbegeleider")
    open_page(page, f"/caseloadgesprek?medewerker={worker}", "#tegel-verlopen", "Caseloadgesprek")
    measures = maatregelen_van(snap, viewer, day, config, worker)
    expect(page.locator("#tegel-actief .kpi-value")).to_have_text(str(measures.height))
    expected = verlopen_count(snap, viewer, day, config, worker)
    expect(page.locator("#tegel-verlopen .kpi-value")).to_have_text(str(expected))

    def without_contact(weeks: int) -> int:
        days = measures["dagen_sinds_gezien"]
        return int((days.is_null() | (days >= 7 * weeks)).sum())

    section = page.locator("#sectie-gesprek_zonder_contact")
    rows = section.locator(".ag-center-cols-container .ag-row")
    if without_contact(6):
        expect(rows).to_have_count(without_contact(6))
    start = time.perf_counter()
    page.fill("#gesprek-weken", "2")
    page.wait_for_url(re.compile("weken=2"))
    record("weken Caseloadgesprek: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(section.locator("h2")).to_have_text("Jeugdige niet gezien in de laatste 2 weken")
    record("weken Caseloadgesprek: nieuwe cijfers op het scherm", time.perf_counter() - start)
    if without_contact(2):
        expect(rows).to_have_count(without_contact(2))
    screenshot(page, "02-caseloadgesprek")

    # Exports: the slicer's selection and the whole caseload, every row, from the server.
    with page.expect_download() as info:
        section.locator("button:has-text('CSV')").click()
    assert read_download(info.value).height == without_contact(2)
    with page.expect_download() as info:
        page.click("#sectie-gesprek_maatregelen button:has-text('Excel')")
    exported = read_download(info.value)
    assert sorted(exported["Maatregel"]) == sorted(measures["maatregel_id"])

    # The print path: an A4 PDF from the server holding every measure of the caseload.
    with page.expect_download() as info:
        page.click("button:has-text('Afdrukken (PDF)')")
    assert info.value.suggested_filename == f"gesprek_document_{day.isoformat()}.pdf"
    content = Path(info.value.path()).read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "02-caseloadgesprek.pdf").write_bytes(content)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert all(m in text for m in measures["maatregel_id"])
    assert "Pagina 1 van" in text


def test_datakwaliteit(page, snap, e2e_db, demo):
    from store.engine import make_engine

    beheerder = demo["beheerder"]
    engine = make_engine(e2e_db)
    history = load_history(engine, beheerder)
    first_run = int(history["run_id"].min())
    broken = rejected_rows(engine, beheerder, first_run)
    engine.dispose()
    view_as(page, "beheerder")
    open_page(page, "/datakwaliteit", "#tegel-run", "Datakwaliteit")
    expect(page.locator("#tegel-run .kpi-value")).to_have_text(f"Nr. {history['run_id'][0]}")
    screenshot(page, "07-datakwaliteit")

    page.click("#datakwaliteit-run")
    option(page, re.compile(f"^Laadronde {first_run} ")).click()
    expect(page.locator("#sectie-afgewezen_rijen h2")).to_have_text(
        f"Afgewezen rijen van laadronde {first_run}"
    )
    page.wait_for_url(re.compile(f"run={first_run}"))
    grid = page.locator("#sectie-afgewezen_rijen .ag-center-cols-container .ag-row")
    expect(grid).to_have_count(broken.height)
    expect(page.locator("#sectie-afgewezen_rijen")).to_contain_text(broken["reden"][0])
    screenshot(page, "07-datakwaliteit-afgewezen")
    # Keyboard only: the export button takes focus and Enter downloads.
    page.focus("#sectie-afgewezen_rijen button:has-text('CSV')")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    exported = read_download(info.value)
    assert exported.height == broken.height
    assert set(exported["Reden"]) == set(broken["reden"])


def test_a_jeugdzorgwerker_sees_only_their_own_pages(page):
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/team", ".page .message", "Team (geweigerd)")
    expect(page.locator(".page")).to_contain_text("niet bedoeld voor uw rol")
    expect(page.locator(".nav-link")).to_have_text(["Mijn caseload"])


def test_tablet_width_is_usable(page):
    page.set_viewport_size({"width": 820, "height": 1180})
    view_as(page, "teammanager")
    open_page(page, "/team", "#team-medewerkers .ag-row", "Team (tablet)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820 + 1, f"pagina is {width}px breed op een tablet"
    screenshot(page, "03-team-tablet")


def test_unknown_address_says_so_in_dutch(page):
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/bestaat-niet", "h1", "404")
    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")


def test_switching_demo_user_in_the_header(page):
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/mijn-caseload", "#tegel-verlopen", "Mijn caseload (wissel)")
    page.click("#bekijk-als")
    option(page, re.compile("praktijkbegeleider")).click()
    page.wait_for_url(re.compile(r"/team$"))
    expect(page.locator("#huidige-rol")).to_contain_text("praktijkbegeleider")


def test_team_region_slicer_for_a_manager(page, snap, config, demo):
    viewer = demo["manager"]
    view_as(page, "manager")
    open_page(page, "/team", "#team-medewerkers .ag-row", "Team (manager, hele organisatie)")
    workers = caseload(snap, viewer, snap.export_date, config)
    expect(page.locator("#tegel-medewerkers .kpi-value")).to_have_text(str(workers.height))
    regio = sorted(workers["regio"].drop_nulls().unique())[0]
    start = time.perf_counter()
    page.click("#team-regio")
    option(page, regio, exact=True).click()
    page.wait_for_url(re.compile("regio="))
    in_regio = workers.filter(pl.col("regio") == regio).height
    expect(page.locator("#tegel-medewerkers .kpi-value")).to_have_text(str(in_regio))
    record("regio Team: nieuwe cijfers op het scherm", time.perf_counter() - start)
    screenshot(page, "03-team-regio")


def test_the_app_prepares_the_latest_load_when_it_starts(base_url, snap):
    """python app.py warms the engine and the monthly figures before the first visitor asks."""
    log = ROOT / "artifacts" / "e2e-app.log"
    deadline = time.monotonic() + 60
    while f"Load {snap.run_id} voorbereid" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, f"geen voorbereiding in {log}"
        time.sleep(0.2)
