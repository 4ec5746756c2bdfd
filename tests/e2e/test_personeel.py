"""Personeel in Chromium: a teammanager sees only their team, the MT every team; tiles and
tables against queries/, the team slicer, the VOG/SKJ list exported and read back."""

import re
import time

import polars as pl
import pytest
from playwright.sync_api import expect

from dashboard.components.widgets import fmt_number, fmt_pct
from queries import figuren
from queries.personeel import bezetting, expiring, missing_diplomas, personeel_cijfers
from queries.rapportage import month_label
from tests.e2e.conftest import open_page, option, record, screenshot, view_as
from tests.e2e.test_pages import read_download

pytestmark = pytest.mark.e2e


def this_month(snap, viewer, day, config) -> pl.DataFrame:
    return bezetting(snap, viewer, day, config, months=1)


def shown(key: str, value) -> str:
    """The value of the figure key as a tile shows it: the registry's rounding and decimals."""
    f = figuren.figuur(key)
    if f.eenheid == "pct":
        return fmt_pct(f.rond(value), f.decimalen)
    return f"{fmt_number(f.rond(value), f.decimalen)}{' fte' if f.eenheid == 'fte' else ''}"


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
    cijfers = personeel_cijfers(snap, viewer, day, config)
    expect(page.locator("#tegel-formatie .kpi-value")).to_have_text(
        shown("formatie_fte", cijfers["formatie_fte"])
    )
    expect(page.locator("#tegel-formatie .kpi-value")).to_have_attribute(
        "data-figuur", "formatie_fte"
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
    cijfers = personeel_cijfers(snap, viewer, day, config)
    tile = page.locator("#tegel-verzuim")
    expect(tile.locator(".kpi-label")).to_have_text(
        f"Verzuim {month_label(cijfers['verzuim_maand'])}"
    )
    expect(tile.locator(".kpi-value")).to_have_text(shown("verzuim_pct", cijfers["verzuim_pct"]))
    expect(page.locator("#tegel-verzuim-12m .kpi-value")).to_have_text(
        shown("verzuim_12m_pct", cijfers["verzuim_12m_pct"])
    )
    expect(page.locator("#tegel-verloop .kpi-value")).to_have_text(
        shown("verloop_pct", cijfers["verloop_pct"])
    )
    expect(
        page.locator("#personeel-personeel_verloop .ag-center-cols-container .ag-row")
    ).to_have_count(5)
    expect(page.locator("body")).not_to_contain_text("Onderbezet")
    expect(page.locator("#personeel-verzuim-regio .main-svg").first).to_be_visible()
    screenshot(page, "06-personeel")

    team = teams.sort("team_id").row(0, named=True)
    start = time.perf_counter()
    page.click("#personeel-team")
    option(page, team["team_naam"], exact=True).click()
    page.wait_for_url(re.compile(f"team={team['team_id']}"))
    record("team Personeel: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(rows).to_have_count(1)
    expect(page.locator("#personeel-body [data-dash-is-loading=true]")).to_have_count(0)
    record("team Personeel: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(page.locator("#tegel-formatie .kpi-value")).to_have_text(
        shown("formatie_fte", team["formatie_fte"])
    )
    expect(page.locator("#personeel-verzuim-regio")).to_have_count(0)
