"""The Agenda-abonnement in Chromium: the JBN demo's jeugdzorgwerker makes a link on Mijn
caseload, the link shown opens a feed (fetched outside the browser, as a calendar program
does) with exactly their worklist; a new link ends the old one, and revoking ends that.
Its own database and app, so the links made leave the other browser tests alone."""

import urllib.error
import urllib.request

import icalendar
import polars as pl
import pytest
from playwright.sync_api import expect

from dashboard.agenda import PREFIX
from queries.config import load_config
from queries.gebruikers import demo_accounts
from queries.snapshot import load_snapshot
from queries.termijnen import werklijst
from store.engine import make_engine
from tests.e2e.conftest import ROOT, open_page, own_jbn_db, screenshot, serve, view_as

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def agenda_db(tmp_path_factory, jbn_export) -> str:
    return own_jbn_db(tmp_path_factory, jbn_export, "e2e-agenda")


@pytest.fixture(scope="module")
def base_url(agenda_db):
    yield from serve(agenda_db, "e2e-agenda-app.log")


def fetch(url: str) -> tuple[int, bytes]:
    """GET as a calendar program does: no cookie, no browser."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def shown_link(page) -> str:
    link = page.locator(f"#{PREFIX}-link")
    expect(link).to_be_visible()
    return link.input_value()


def test_a_worker_makes_a_link_and_the_feed_holds_their_worklist(page, agenda_db, base_url):
    engine = make_engine(agenda_db)
    try:
        worker = next(a for a in demo_accounts(engine) if a.rol == "jeugdzorgwerker")
        snap = load_snapshot(engine)
    finally:
        engine.dispose()
    own = werklijst(snap, worker.viewer, snap.export_date, load_config())
    assert own.height > 0

    view_as(page, "jeugdzorgwerker")
    open_page(page, "/mijn-caseload", f"#{PREFIX}-abonnement", "Mijn caseload met agenda")
    section = page.locator(f"#{PREFIX}-abonnement")
    section.scroll_into_view_if_needed()
    expect(section.locator(f"#{PREFIX}-geen")).to_be_visible()
    section.get_by_role("button", name="Agenda-link maken").click()
    first = shown_link(page)
    assert first.startswith(f"{base_url}/agenda/") and first.endswith(".ics")
    expect(section.locator(f"#{PREFIX}-actief")).to_be_visible()
    screenshot(page, "agenda-link-gemaakt")

    status, body = fetch(first)
    assert status == 200
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    got = sorted((str(e["UID"]).split("@")[0], e["DTSTART"].dt) for e in events)
    expected = sorted(
        (f"termijn-{r['maatregel_id']}-{r['norm']}-{r['deadline']:%Y%m%d}", r["deadline"])
        for r in own.with_columns(pl.col("norm").cast(pl.String)).iter_rows(named=True)
    )
    assert got == expected

    # The link is not shown again after a reload: only its hash is kept.
    page.reload()
    page.wait_for_selector(f"#{PREFIX}-actief", state="visible")
    expect(page.locator(f"#{PREFIX}-link")).to_have_count(0)

    page.locator(f"#{PREFIX}-abonnement").get_by_role("button", name="Agenda-link maken").click()
    second = shown_link(page)
    assert second != first
    assert fetch(first)[0] == 404
    assert fetch(second)[0] == 200

    page.get_by_role("button", name="Agenda-link intrekken").click()
    expect(page.locator(f"#{PREFIX}-melding")).to_contain_text("ingetrokken")
    expect(page.locator(f"#{PREFIX}-geen")).to_be_visible()
    assert fetch(second)[0] == 404
    # The app's request log names the path without the token.
    log = (ROOT / "artifacts" / "e2e-agenda-app.log").read_text()
    assert "GET /agenda/….ics" in log
    for link in (first, second):
        assert link.rsplit("/", 1)[1].removesuffix(".ics") not in log
