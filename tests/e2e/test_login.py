"""Logging in and out in the browser, and the beheerder's audit page with its export."""

import re

import polars as pl
import pytest
from playwright.sync_api import expect

from queries.audit import audit_log
from store.engine import make_engine
from tests.e2e.conftest import open_page, screenshot, view_as
from tests.e2e.test_pages import read_download

pytestmark = pytest.mark.e2e


def test_wrong_password_then_login_then_logout(page):
    open_page(page, "/mijn-caseload", "#gebruikersnaam", "Inlogpagina")
    page.fill("#gebruikersnaam", "demo-jeugdzorgwerker")
    page.fill("#wachtwoord", "fout")
    page.click("#inloggen")
    expect(page.locator(".message-fout")).to_have_text("Gebruikersnaam of wachtwoord onjuist.")
    expect(page.locator("#gebruikersnaam")).to_have_value("demo-jeugdzorgwerker")
    page.fill("#wachtwoord", "demo")
    page.click("#inloggen")
    page.wait_for_url(re.compile(r"/mijn-caseload$"))
    expect(page.locator("h1")).to_have_text("Mijn caseload")
    # Logging out while the page still loads would cut its requests off mid-way.
    expect(page.locator("#tegel-verlopen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.click("#uitloggen")
    page.wait_for_url(re.compile(r"/login\?melding=uitgelogd$"))
    expect(page.locator(".message-info")).to_have_text("U bent uitgelogd.")
    page.goto("/team")
    expect(page.locator("#gebruikersnaam")).to_be_visible()


def test_the_beheerder_reads_and_exports_the_audit_log(page, e2e_db, demo):
    view_as(page, "jeugdzorgwerker")
    page.goto("/datakwaliteit")
    expect(page.locator(".page")).to_contain_text("niet bedoeld voor uw rol")
    page.context.clear_cookies()
    view_as(page, "beheerder")
    open_page(page, "/audit?dagen=1&actie=geweigerd", "#tegel-geweigerd", "Audit")
    engine = make_engine(e2e_db)
    refused = audit_log(engine, demo["beheerder"]).filter(pl.col("actie") == "geweigerd")
    engine.dispose()
    assert ("demo-jeugdzorgwerker", "/datakwaliteit") in refused.select(
        "gebruikersnaam", "onderwerp"
    ).rows()
    expect(page.locator("#sectie-audit_log")).to_contain_text("/datakwaliteit")
    screenshot(page, "09-audit")
    with page.expect_download() as info:
        page.click("#sectie-audit_log button:has-text('Excel')")
    exported = read_download(info.value)
    assert exported.height >= 1 and set(exported["Actie"]) == {"Geweigerd"}
    assert "/datakwaliteit" in exported["Onderwerp"].to_list()
