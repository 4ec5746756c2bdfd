"""The deadline mail's setting in the browser: the demo jeugdzorgwerker sets `uit` on Mijn
caseload, and on a Wednesday the mail run (real SMTP on loopback) sends them nothing while
the others it is due for still get theirs. The app runs on its own JBN database here."""

from datetime import date

import pytest
from playwright.sync_api import expect

from queries.afspraken import lees_afspraken
from queries.audit import audit_log
from queries.config import load_config
from queries.digest import MEDEWERKER, lees_instellingen, lees_verzendingen, mailplan
from queries.gebruikers import demo_accounts
from queries.scope import Viewer
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.e2e.conftest import own_jbn_db, screenshot, serve, view_as
from tests.smtp import digest, smtp_server, text_part

# A Wednesday on which the demo jeugdzorgwerker (1070) has a first contact due within 2
# werkdagen: on automatisch they would get a mail that day.
WEDNESDAY = date(2025, 12, 31)


@pytest.fixture(scope="module")
def mail_db(tmp_path_factory, jbn_export):
    return own_jbn_db(tmp_path_factory, jbn_export, "mail")


@pytest.fixture(scope="module")
def base_url(mail_db):
    yield from serve(mail_db, "e2e-mail.log")


def _plan(url: str) -> dict[str, str]:
    """Receivers of worker mails on WEDNESDAY, as the run would decide now: id -> address."""
    engine = make_engine(url)
    try:
        plan = mailplan(
            load_snapshot(engine), WEDNESDAY, load_config(), lees_afspraken(engine),
            lees_instellingen(engine), lees_verzendingen(engine),
        )  # fmt: skip
    finally:
        engine.dispose()
    return {m.medewerker_id: m.adres for m in plan if m.soort == MEDEWERKER}


def test_a_worker_who_sets_uit_in_the_browser_gets_no_mail(page, mail_db):
    engine = make_engine(mail_db)
    me = next(a.medewerker_id for a in demo_accounts(engine) if a.rol == "jeugdzorgwerker")
    engine.dispose()
    before = _plan(mail_db)
    assert me in before, "zonder instelling zou de demo-jeugdzorgwerker mail krijgen"
    assert len(before) > 1

    view_as(page, "jeugdzorgwerker")
    page.goto("/mijn-caseload")
    section = page.locator("#mijn-caseload-mail")
    expect(section).to_be_visible()
    expect(section.get_by_label("Automatisch", exact=False)).to_be_checked()
    section.get_by_label("Uit: geen mail").check()
    expect(page.locator("#mijn-caseload-mail-melding")).to_contain_text("Opgeslagen")
    screenshot(page, "mijn-caseload-mail-uit")
    page.reload()
    expect(page.locator("#mijn-caseload-mail").get_by_label("Uit: geen mail")).to_be_checked()

    with smtp_server() as (inbox, url):
        run = digest("--as-of", WEDNESDAY.isoformat(), "--db", mail_db, "--send", smtp_url=url)
        assert run.returncode == 0, run.stderr
    received = set(inbox.by_address())
    assert before[me] not in received
    texts = [text_part(m) for m in inbox.messages]
    assert any("Eerste face-to-face contact" in text for text in texts)
    assert received == {a for p, a in before.items() if p != me}

    engine = make_engine(mail_db)
    log = audit_log(engine, Viewer("beheerder"))
    engine.dispose()
    changed = log.filter(log["actie"] == "mail_instelling")
    assert changed["onderwerp"].to_list() == [me]
    assert "uit" in changed["details"][0]
