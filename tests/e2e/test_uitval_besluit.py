"""Deciding on a proposed waarnemer on the Organisatie page in Chromium: MT accepts the first
waarnemer the JBN demo proposes, which then waits in the status table. Its own database and
app, so that the decision leaves the other browser tests alone."""

import polars as pl
import pytest
from playwright.sync_api import expect

from queries.audit import audit_log
from queries.config import load_config
from queries.scope import MANAGER, Viewer
from queries.snapshot import load_snapshot
from queries.uitval import uitval
from store.engine import make_engine
from tests.e2e.conftest import open_page, option, own_jbn_db, reveal_deferred, serve, view_as

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def uitval_db(tmp_path_factory, jbn_export) -> str:
    return own_jbn_db(tmp_path_factory, jbn_export, "e2e-uitval-besluit")


@pytest.fixture(scope="module")
def base_url(uitval_db):
    yield from serve(uitval_db, "e2e-uitval-besluit-app.log")


def test_mt_accepts_a_waarnemer_and_it_waits(page, uitval_db):
    engine = make_engine(uitval_db)
    snap = load_snapshot(engine)
    plan = uitval(snap, MANAGER, snap.export_date, load_config())
    row = plan.filter(pl.col("naar_medewerker_id").is_not_null()).row(0, named=True)
    label = f"{row['maatregel_id']} naar {row['naar_naam']} ({row['naar_team_naam']})"

    view_as(page, "manager")
    open_page(page, "/organisatie", "#organisatie-organisatie_teams .ag-row", "Organisatie")
    reveal_deferred(page)
    page.click("#organisatie-uitval-besluit-keuze")
    option(page, label, exact=True).click()
    page.fill("#organisatie-uitval-besluit-reden", "kent het gezin")
    page.click("#organisatie-uitval-accepteren")
    expect(page.locator("#organisatie-uitval-besluit-melding")).to_contain_text(
        f"Vastgelegd: waarnemer voor {row['maatregel_id']} "
    )
    stand = page.locator(
        "#organisatie-uitval-besluiten-stand .ag-center-cols-container .ag-row"
    ).filter(has_text=row["maatregel_id"])
    expect(stand.locator("[col-id=status_tekst]")).to_have_text("wacht")
    log = audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "besluit")
    assert log["onderwerp"].to_list() == [row["maatregel_id"]]
    assert log["details"][0].startswith("geaccepteerd: uitval van ")
    engine.dispose()
