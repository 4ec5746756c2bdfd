"""Personeel in Chromium: a teammanager sees only their team, the MT every team; tiles and
tables against queries/, the team slicer, the VOG/SKJ list exported and read back."""

import re
import time

import polars as pl
import pytest
from playwright.sync_api import expect

from dashboard.components.widgets import fmt_number, fmt_pct
from queries.personeel import bezetting, expiring, missing_diplomas, verzuim
from tests.e2e.conftest import open_page, record, screenshot, view_as
from tests.e2e.test_pages import read_download

pytestmark = pytest.mark.e2e


def this_month(snap, viewer, day, config) -> pl.DataFrame:
    return bezetting(snap, viewer, day, config, months=1)


def test_personeel_as_teammanager(page, snap, config, demo):
    viewer = demo["teammanager"]
    day = snap.export_date
    view_as(page, "teammanager")
    open_page(page, "/personeel", "#personeel-bezetting .ag-row", "Personeel (teammanager)")
    own = this_month(snap, viewer, day, config)
    assert own["team_id"].n_unique() == 1
    rows = page.locator("#personeel-bezetting .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(1)
    expect(page.locator("#personeel-bezetting")).to_contain_text(own["team_naam"][0])
    expect(page.locator("#tegel-formatie .kpi-value")).to_have_text(
        f"{fmt_number(own['formatie_fte'].sum(), 1)} fte"
    )
    missing = missing_diplomas(snap, viewer, day, config)
    expect(page.locator("#tegel-diplomas .kpi-value")).to_have_text(str(missing.height))
    expect(page.locator("#personeel-verzuim-regio")).to_have_count(0)
    screenshot(page, "06-personeel-teammanager")

    documents = expiring(snap, viewer, day, config)
    with page.expect_download() as info:
        page.click("#sectie-personeel_vog_skj button:has-text('CSV')")
    exported = read_download(info.value)
    assert exported.height == documents.height
    assert set(exported["Medewerker"]) == set(documents["naam"])


def test_personeel_as_mt_with_team_slicer(page, snap, config, demo):
    viewer = demo["manager"]
    day = snap.export_date
    view_as(page, "manager")
    open_page(page, "/personeel", "#personeel-bezetting .ag-row", "Personeel (MT)")
    open_page(page, "/personeel", "#personeel-bezetting .ag-row", "Personeel (MT, opnieuw)")
    teams = this_month(snap, viewer, day, config)
    rows = page.locator("#personeel-bezetting .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(teams.height)
    sick = verzuim(snap, viewer, day, config, months=1, by=None)
    expect(page.locator("#tegel-verzuim .kpi-value")).to_have_text(fmt_pct(sick["verzuim_pct"][0]))
    expect(page.locator("#personeel-verzuim-regio .main-svg").first).to_be_visible()
    screenshot(page, "06-personeel")

    team = teams.sort("team_id").row(0, named=True)
    start = time.perf_counter()
    page.click("#personeel-team")
    page.get_by_role("option", name=team["team_naam"], exact=True).click()
    page.wait_for_url(re.compile(f"team={team['team_id']}"))
    record("team Personeel: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(rows).to_have_count(1)
    expect(page.locator("#personeel-body [data-dash-is-loading=true]")).to_have_count(0)
    record("team Personeel: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(page.locator("#tegel-formatie .kpi-value")).to_have_text(
        f"{fmt_number(team['formatie_fte'], 1)} fte"
    )
    expect(page.locator("#personeel-verzuim-regio")).to_have_count(0)
