"""Afbouw CCP/CRT in Chromium as the MT: tiles and projection against queries/, the peildatum,
period and region slicers, the proposed transfers exported and read back."""

import re
import time
from datetime import date
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest
from playwright.sync_api import expect

from dashboard.components.cijfers import fmt_figuur
from dashboard.components.widgets import fmt_number
from queries.afbouw import stock_per_month
from queries.afbouw_projectie import WatAls, capacity_needed, projection
from queries.rapportage import month_label, projection_sentence
from queries.scope import MANAGER, own_region
from queries.werktoedeling import voorstel
from tests.e2e.conftest import open_page, option, record, screenshot, view_as
from tests.e2e.test_pages import dutch, read_download, type_peildatum

pytestmark = pytest.mark.e2e


def test_afbouw(page, snap, config, demo):
    viewer = demo["manager"]
    day = snap.export_date
    view_as(page, "manager")
    open_page(page, "/afbouw", "#afbouw-voorstel .ag-row", "Afbouw CCP/CRT")
    open_page(page, "/afbouw", "#afbouw-voorstel .ag-row", "Afbouw CCP/CRT (opnieuw)")
    stock = stock_per_month(snap, viewer, day, config, months=1).row(0, named=True)
    expect(page.locator("#tegel-crt .kpi-value")).to_have_text(fmt_number(stock["crt"]))
    expect(page.locator("#tegel-ccp .kpi-value")).to_have_text(fmt_number(stock["ccp"]))
    prognose = page.locator("#tegel-prognose .kpi-value")
    expect(prognose).to_have_text(forecast_text(snap, viewer, day, config))
    expect(page.locator("#afbouw-prognose")).to_have_text(
        projection_sentence(snap, viewer, day, config)
    )
    expect(page.locator("#afbouw-voorraad .main-svg").first).to_be_visible()
    screenshot(page, "05-afbouw")

    # The proposal as Excel: every row of the same query, placed ones first, same order.
    plan = voorstel(snap, viewer, day, config, "afbouw")
    proposal = plan.sort(pl.col("naar_medewerker_id").is_null(), maintain_order=True)
    with page.expect_download() as info:
        page.click("#sectie-afbouw_voorstel button:has-text('Excel')")
    exported = read_download(info.value)
    assert exported.height == proposal.height
    assert exported["Maatregel"].to_list() == proposal["maatregel_id"].to_list()
    assert exported["Naar jeugdzorgwerker"][0] == proposal["naar_naam"][0]

    # Peildatum: the CRT stock as it was then; the period slicer lengthens the history.
    earlier = date(2025, 9, 30)
    then = stock_per_month(snap, viewer, earlier, config, months=1).row(0, named=True)
    start = type_peildatum(page, "afbouw", dutch(earlier), confirm="Enter")
    page.wait_for_url(re.compile(f"peildatum={earlier.isoformat()}"))
    record("peildatum Afbouw: antwoord server (URL bijgewerkt)", time.perf_counter() - start)
    expect(page.locator("#tegel-crt .kpi-value")).to_have_text(fmt_number(then["crt"]))
    expect(page.locator("#afbouw-body [data-dash-is-loading=true]")).to_have_count(0)
    record("peildatum Afbouw: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(page.get_by_role("combobox", name="Peildatum", exact=True)).to_have_value(dutch(earlier))
    page.click("#afbouw-maanden")
    option(page, "12 maanden").click()
    page.wait_for_url("**maanden=12**")
    expect(page.locator("#tegel-crt .kpi-value")).to_have_text(fmt_number(then["crt"]))
    page.go_back()
    page.wait_for_url("**maanden=24**")

    # Regio: the tiles and the exports count only that region's holdings. The back step has
    # moved the period slicer first, else that update can close the region list as it opens.
    expect(page.locator("#afbouw-maanden")).to_contain_text("24 maanden")
    regios = sorted(snap["teams"]["regio"].drop_nulls().unique())
    per = {
        r: stock_per_month(snap, viewer, earlier, config, months=1, regio=r).row(0, named=True)
        for r in regios
    }
    regio = next(r for r in regios if per[r]["crt"] != then["crt"])
    start = time.perf_counter()
    page.click("#afbouw-regio")
    option(page, regio, exact=True).click()
    page.wait_for_url(re.compile("regio="))
    assert parse_qs(urlparse(page.url).query)["regio"] == [regio]
    expect(page.locator("#tegel-crt .kpi-value")).to_have_text(fmt_number(per[regio]["crt"]))
    record("regio Afbouw: nieuwe cijfers op het scherm", time.perf_counter() - start)
    expect(page.locator("#tegel-ccp .kpi-value")).to_have_text(fmt_number(per[regio]["ccp"]))
    expect(page.locator("#afbouw-prognose")).to_have_text(
        projection_sentence(snap, viewer, earlier, config, regio=regio)
    )
    # The demo ships a target per region: the region's CRT against its own, and its forecast.
    doel = dict(config.crt_doel_regio)[regio]
    expect(page.locator("#tegel-crt .kpi-sub")).to_have_text(f"doel {fmt_number(doel)} (regio)")
    expect(page.locator("#afbouw-crt-doel .legendtext")).to_have_text(["CRT", "CCP", "Doel CRT"])
    expect(prognose).to_have_text(forecast_text(snap, viewer, earlier, config, regio))
    with page.expect_download() as info:
        page.click("#sectie-afbouw_capaciteit button:has-text('Excel')")
    assert read_download(info.value)["Regio"].to_list() == [regio]
    screenshot(page, "05-afbouw-regio")

    # What if: extra fte recompute the capacity to the target on the server.
    page.fill("#afbouw-extra_fte", "5")
    page.press("#afbouw-extra_fte", "Enter")
    page.wait_for_url(re.compile("extra_fte=5"))
    more = WatAls(extra_fte=5)
    expect(prognose).to_have_text(forecast_text(snap, viewer, earlier, config, regio, more))


def forecast_text(snap, viewer, day, config, regio=None, wat_als=None) -> str:
    """The forecast tile as the page must say it: a month only without a capacity shortfall."""
    needed = capacity_needed(snap, viewer, day, config, regio, wat_als or WatAls())
    short = needed.drop_nulls("capaciteit_tekort_maatregelen")
    if short.height and short["capaciteit_tekort_maatregelen"].sum() > 0:
        return (
            "tekort: "
            + fmt_figuur(
                "capaciteit_tekort_maatregelen", short["capaciteit_tekort_maatregelen"].sum()
            )
            + " maatregelen / "
            + fmt_figuur("capaciteit_tekort_fte", short["capaciteit_tekort_fte"].sum())
        )
    forecast = projection(snap, viewer, day, config, regio)
    assert forecast.maand is not None
    return "Doel bereikt" if forecast.maanden_nodig == 0 else month_label(forecast.maand)


def test_a_teammanager_reads_afbouw_for_their_own_region_only(page, snap, config, demo):
    viewer = demo["teammanager"]
    own = own_region(snap, viewer)
    other = next(r for r in sorted(snap["teams"]["regio"].drop_nulls().unique()) if r != own)
    view_as(page, "teammanager")
    open_page(page, f"/afbouw?regio={other}", "#tegel-crt .kpi-value", "Afbouw teammanager")
    expect(page.locator("#afbouw-regio")).to_contain_text(own)
    stock = stock_per_month(snap, MANAGER, snap.export_date, config, months=1, regio=own)
    expect(page.locator("#tegel-crt .kpi-value")).to_have_text(fmt_number(stock["crt"][0]))
    with page.expect_download() as info:
        page.click("#sectie-afbouw_capaciteit_nodig button:has-text('Excel')")
    assert read_download(info.value)["Regio"].to_list() == [own]
