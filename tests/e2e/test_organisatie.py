"""Organisatie in Chromium as the MT: KPI tiles against queries/, the peildatum slicer, drill
down region -> team -> Team page, the team table exported and read back."""

import re
import time
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest
from playwright.sync_api import expect
from plotly.offline import get_plotlyjs_version

from dashboard.components.widgets import fmt_figuur, fmt_pct
from queries.caseload import caseload, caseload_by
from queries.figuren import rond, waarde
from queries.figuur import Filters
from queries.per_houder import tijdigheid_per_houder
from queries.rapportage import kpi_comparison
from tests.e2e.conftest import (
    open_page,
    option,
    record,
    reveal_deferred,
    screenshot,
    view_as,
)
from tests.e2e.test_pages import dutch, read_download, type_peildatum

pytestmark = pytest.mark.e2e


def figures(snap, viewer, day, config) -> dict:
    return dict(kpi_comparison(snap, viewer, day, config).select("kpi", "nu").rows())


def tile(page, kpi: str):
    return page.locator(f"#tegel-{kpi} .kpi-value")


def test_organisatie(page, snap, config, demo):
    viewer = demo["manager"]
    day = snap.export_date
    view_as(page, "manager")
    ready = "#organisatie-organisatie_teams .ag-row"
    open_page(page, "/organisatie", ready, "Organisatie")
    open_page(page, "/organisatie", ready, "Organisatie (opnieuw)")
    now = figures(snap, viewer, day, config)
    kpis = ("eerste_contact_tijdig_pct", "plan_tijdig_pct", "risicotaxatie_actueel_pct")
    for kpi in (*kpis, "vaste_jzw_pct"):
        expect(tile(page, kpi)).to_have_text(fmt_pct(now[kpi]))
    expect(page.locator("#organisatie-trend-aandelen .main-svg").first).to_be_visible()
    screenshot(page, "04-organisatie")

    # Peildatum slicer, typed as dd-mm-jjjj: the tiles are recomputed as of that day, the URL
    # holds it. A half-typed year or a day after the export is refused and changes nothing.
    picker = page.get_by_role("combobox", name="Peildatum", exact=True)
    expect(picker).to_have_value(dutch(day))
    for refused in (dutch(day)[:-1], dutch(day + timedelta(days=1))):
        type_peildatum(page, "organisatie", refused)
        expect(picker).to_have_value(dutch(day))
    page.wait_for_load_state("networkidle")
    assert "peildatum=" not in page.url
    earlier = date(2025, 12, 31)
    then = figures(snap, viewer, earlier, config)
    start = type_peildatum(page, "organisatie", dutch(earlier))
    page.wait_for_url(re.compile(f"peildatum={earlier.isoformat()}"))
    record("peildatum Organisatie: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(tile(page, "risicotaxatie_actueel_pct")).to_have_text(
        fmt_pct(then["risicotaxatie_actueel_pct"])
    )
    expect(page.locator("#organisatie-body [data-dash-is-loading=true]")).to_have_count(0)
    record("peildatum Organisatie: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(tile(page, "vaste_jzw_pct")).to_have_text(fmt_pct(then["vaste_jzw_pct"]))

    # Drill down: a region, then a team of it on the Team page.
    regions = caseload_by(snap, viewer, earlier, config, level="regio")
    regio = regions["regio"][0]
    # A grid link moves within the app: the page (and this marker) is not loaded again.
    page.evaluate("window.zelfdeApp = true")
    start = time.perf_counter()
    page.locator("#organisatie-organisatie_regios .ag-row a", has_text=regio).first.click()
    page.wait_for_url(re.compile(rf"/organisatie\?regio={regio}&peildatum={earlier}"))
    expect(page.locator("#sectie-organisatie_teams h2")).to_have_text(f"Teams in {regio}")
    record("doorklikken regio op Organisatie", time.perf_counter() - start)
    assert page.evaluate("window.zelfdeApp === true")
    # The tiles follow the region: that region's measures only.
    in_region = dict(
        kpi_comparison(snap, viewer, earlier, config, regio=regio).select("kpi", "nu").rows()
    )
    for kpi in ("risicotaxatie_actueel_pct", "vaste_jzw_pct"):
        expect(tile(page, kpi)).to_have_text(fmt_pct(in_region[kpi]))
    teams = caseload_by(snap, viewer, earlier, config, level="team_id").filter(
        pl.col("regio") == regio
    )
    rows = page.locator("#organisatie-organisatie_teams .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(teams.height)

    with page.expect_download() as info:
        page.click("#sectie-organisatie_teams button:has-text('Excel')")
    exported = read_download(info.value)
    assert exported.height == teams.height
    assert sorted(exported["Team"]) == sorted(teams["team_naam"])
    first = teams.sort("team_id").row(0, named=True)
    got = exported.filter(pl.col("Team") == first["team_naam"]).row(0, named=True)
    assert got["Actief"] == first["actief"]

    # Back leaves the region; forward returns to it.
    page.go_back()
    expect(page.locator("#sectie-organisatie_teams h2")).to_have_text("Teams")
    page.go_forward()
    expect(page.locator("#sectie-organisatie_teams h2")).to_have_text(f"Teams in {regio}")
    page.locator("#organisatie-organisatie_teams .ag-row a", has_text=first["team_naam"]).click()
    page.wait_for_url(re.compile(rf"/team\?team={first['team_id']}&peildatum={earlier}"))
    workers = caseload(snap, viewer, earlier, config).filter(pl.col("team_id") == first["team_id"])
    expect(page.locator("#tegel-medewerkers .kpi-value")).to_have_text(str(workers.height))
    assert page.evaluate("window.zelfdeApp === true")


def test_organisatie_per_soort(page, snap, config, demo):
    """Jeugdreclassering apart: the tiles and the team table's timeliness follow the soort,
    the caseload columns do not, and the export holds the same figures."""
    viewer = demo["manager"]
    day = snap.export_date
    view_as(page, "manager")
    open_page(page, "/organisatie", "#organisatie-organisatie_teams .ag-row", "Organisatie")
    everything = figures(snap, viewer, day, config)
    jr = dict(kpi_comparison(snap, viewer, day, config, soort="JR").select("kpi", "nu").rows())
    kpi = next(
        k for k in ("risicotaxatie_actueel_pct", "plan_tijdig_pct") if jr[k] != everything[k]
    )
    expect(tile(page, kpi)).to_have_text(fmt_pct(everything[kpi]))

    start = time.perf_counter()
    page.click("#organisatie-soort")
    option(page, "Jeugdreclassering", exact=True).click()
    page.wait_for_url(re.compile("soort=JR"))
    record("soort Organisatie: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(tile(page, kpi)).to_have_text(fmt_pct(jr[kpi]))
    expect(page.locator("#organisatie-body [data-dash-is-loading=true]")).to_have_count(0)
    record("soort Organisatie: nieuwe cijfers op het scherm", time.perf_counter() - start)
    assert parse_qs(urlparse(page.url).query)["soort"] == ["JR"]
    for other in ("vaste_jzw_pct", "hulp_tijdig_pct"):
        expect(tile(page, other)).to_have_text(fmt_pct(jr[other]))
    expect(page.locator("#sectie-organisatie_teams .card-intro")).to_contain_text(
        "De caseloadkolommen tellen alle maatregelen."
    )
    screenshot(page, "04-organisatie-jeugdreclassering")

    # The team table's export: timeliness of the JR measures, caseload of all of them.
    load = caseload_by(snap, viewer, day, config, level="team_id")
    tijdig = rond(tijdigheid_per_houder(snap, viewer, day, config, by="team_id", soort="JR"))
    plan = dict(tijdig.select("team_id", "plan_tijdig_pct_houder").rows())
    with page.expect_download() as info:
        page.click("#sectie-organisatie_teams button:has-text('Excel')")
    exported = read_download(info.value)
    assert exported.height == load.height
    got = {
        r["Team"]: (r["Actief"], r["Plan tijdig (toegerekend)"])
        for r in exported.iter_rows(named=True)
    }
    assert got == {
        r["team_naam"]: (r["actief"], plan.get(r["team_id"])) for r in load.iter_rows(named=True)
    }
    assert any(v is not None for v in plan.values())

    # A region keeps the soort; back returns to all soorten.
    regio = load["regio"].drop_nulls().sort()[0]
    page.locator("#organisatie-organisatie_regios .ag-row a", has_text=regio).first.click()
    page.wait_for_url(re.compile(rf"regio={regio}.*soort=JR"))
    expect(page.locator("#sectie-organisatie_teams h2")).to_have_text(f"Teams in {regio}")
    page.go_back()
    page.go_back()
    page.wait_for_url(lambda url: "soort=" not in url)
    expect(tile(page, kpi)).to_have_text(fmt_pct(everything[kpi]))
    expect(page.locator("#organisatie-soort")).to_contain_text("Alle soorten")


def shown_figure(page, key: str):
    return page.locator(f"[data-figuur={key}]")


def test_parts_below_the_first_screens_are_drawn_when_scrolled_to(page, snap, config, demo):
    """Zicht, hulp and uitval come when the MT scrolls near them, or prints, for the view on
    screen."""
    viewer, day = demo["manager"], snap.export_date
    # A low window: the tiles and trend alone fill more than it and the margin drawn ahead.
    page.set_viewport_size({"width": 1366, "height": 400})
    view_as(page, "manager")
    ready = "#organisatie-organisatie_teams .ag-row"
    waiting = page.locator(".uitgesteld-wacht")
    keys = ("niet_gezien_6w", "hulp_wachttijd_mediaan")

    def shown_as(filters: Filters) -> None:
        for key in keys:
            expected = fmt_figuur(key, waarde(key, snap, viewer, day, config, filters))
            expect(shown_figure(page, key)).to_have_text(expected)
        expect(page.locator("#organisatie-uitval-besluit-keuze")).to_be_visible()

    open_page(page, "/organisatie", ready, "Organisatie")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    expect(waiting).to_have_count(2)
    expect(page.locator("#organisatie-zicht")).to_have_count(0)
    # Printing asks for every part, without a scroll.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(waiting).to_have_count(0)
    shown_as(Filters())

    # Another view waits for the scroll again, then shows that region's figures.
    regio = caseload_by(snap, viewer, day, config, level="regio")["regio"].sort()[-1]
    open_page(page, f"/organisatie?regio={regio}", ready, "Organisatie (regio)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    expect(waiting).to_have_count(2)
    start = time.perf_counter()
    reveal_deferred(page)
    record("Organisatie: zicht, hulp en uitval na scrollen", time.perf_counter() - start)
    shown_as(Filters(regio=regio))


# The MT pages and what shows each is ready, in menu order.
MT_PAGES = (
    ("Organisatie", "#organisatie-organisatie_teams .ag-row"),
    ("Afbouw CCP/CRT", "#afbouw-voorstel .ag-row"),
    ("Personeel", "#personeel-bezetting .ag-row"),
    ("Voortgangsrapportage", "#voortgang-tabel-5 .ag-row"),
)


def test_mt_pages_through_the_menu(page):
    """How fast the MT moves between its pages in the app, the way it is used all day."""
    view_as(page, "manager")
    open_page(page, "/organisatie", MT_PAGES[0][1], "Organisatie (vanaf het menu)")
    # The charts draw with the basic plotly.js bundle from assets/, the version plotly.py targets.
    assert page.evaluate("window.Plotly.version") == get_plotlyjs_version()
    page.evaluate("window.zelfdeApp = true")
    for name, ready in (*MT_PAGES[1:], MT_PAGES[0]):
        start = time.perf_counter()
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()
        page.wait_for_selector(ready, state="visible")
        page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
        record(f"menu naar {name} (in de app)", time.perf_counter() - start)
    assert page.evaluate("window.zelfdeApp === true")


def test_organisatie_is_for_the_mt_only(page):
    view_as(page, "teammanager")
    open_page(page, "/organisatie", ".page .message", "Organisatie (geweigerd)")
    expect(page.locator(".page")).to_contain_text("niet bedoeld voor uw rol")
    expect(page.locator(".nav-link", has_text="Personeel")).to_be_visible()
    expect(page.locator(".nav-link", has_text="Organisatie")).to_have_count(0)
