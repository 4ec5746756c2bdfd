"""The caseloadgesprek recorded in Chromium on the JBN demo: the demo praktijkbegeleider
records a talk with the demo jeugdzorgwerker with two afspraken; the worker sees them on Mijn
caseload and marks one afgerond; the next talk shows one open. A praktijkbegeleider of another
team opening the same worker's talk gets neither the notes nor the afspraken. Its own database
and app, so that the talk leaves the other browser tests alone."""

from datetime import timedelta

import polars as pl
import pytest
from playwright.sync_api import expect

from etl.gebruikers import add_user
from queries.audit import audit_log
from queries.gebruikers import demo_accounts
from queries.scope import Viewer
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.e2e.conftest import open_page, option, own_jbn_db, screenshot, serve, view_as
from tests.e2e.test_pages import type_date
from tests.e2e.test_toetsenbord import tab_to

pytestmark = pytest.mark.e2e

NOTE = "Werkdruk besproken; verlof in maart ingepland"
FIRST = "Plan van aanpak bijwerken"
SECOND = "Intervisie over de wachtlijst plannen"
OTHER = ("andere-begeleider", "een-lang-wachtwoord-e2e")


@pytest.fixture(scope="module")
def gesprek_db(tmp_path_factory, jbn_export) -> str:
    url = own_jbn_db(tmp_path_factory, jbn_export, "e2e-gesprek")
    engine = make_engine(url)
    snap = load_snapshot(engine)
    worker = next(a for a in demo_accounts(engine) if a.rol == "jeugdzorgwerker").medewerker_id
    staff = snap["medewerkers"]
    me = staff.filter(pl.col("medewerker_id") == worker).row(0, named=True)
    # A praktijkbegeleider of another team who is not the worker's begeleider.
    other = staff.filter(
        (pl.col("functie") == "praktijkbegeleider")
        & (pl.col("team_id") != me["team_id"])
        & (pl.col("medewerker_id") != me["begeleider_id"])
    )["medewerker_id"][0]
    engine.dispose()
    add_user(url, OTHER[0], "praktijkbegeleider", other, OTHER[1])
    return url


@pytest.fixture(scope="module")
def base_url(gesprek_db):
    yield from serve(gesprek_db, "e2e-gesprek-app.log")


def rows(page, grid: str):
    return page.locator(f"#{grid} .ag-center-cols-container .ag-row")


def status_of(page, grid: str, text: str):
    """The status cell of the row showing `text`: the status column is pinned left, in a
    container of its own, so the row is found again by its row-index."""
    row = rows(page, grid).filter(has_text=text)
    expect(row).to_have_count(1)
    index = row.get_attribute("row-index")
    return page.locator(f'#{grid} .ag-row[row-index="{index}"] [col-id=status_label]')


def log_out(page) -> None:
    page.click("#uitloggen")
    page.wait_for_url(lambda url: "/login" in url)


def test_a_talk_with_two_afspraken_reaches_the_worker_and_the_next_talk(page, gesprek_db):
    engine = make_engine(gesprek_db)
    snap = load_snapshot(engine)
    accounts = {a.rol: a for a in demo_accounts(engine)}
    worker = accounts["jeugdzorgwerker"].medewerker_id
    begeleider = accounts["praktijkbegeleider"].medewerker_id
    names = dict(snap["medewerkers"].select("medewerker_id", "naam").rows())
    assert snap["medewerkers"].filter(pl.col("medewerker_id") == worker)["begeleider_id"][0] == (
        begeleider
    ), "de JBN-demo koppelt de demo-jeugdzorgwerker niet aan de demo-praktijkbegeleider"
    day = snap.export_date
    path = f"/caseloadgesprek?medewerker={worker}&peildatum={day.isoformat()}"

    view_as(page, "praktijkbegeleider")
    open_page(page, path, "#gesprek-vastleggen", "Caseloadgesprek (formulier)")
    expect(page.locator("#gesprek-geen-namen")).to_contain_text("Geen namen van kinderen of ouders")
    page.fill("#gesprek-notitie", NOTE)
    page.fill("#gesprek-afspraak-1-tekst", FIRST)
    type_date(page, "Afspraak 1: klaar op", "gesprek-afspraak-1-deadline",
              f"{day + timedelta(days=5):%d-%m-%Y}")  # fmt: skip
    page.fill("#gesprek-afspraak-2-tekst", SECOND)
    page.click("#gesprek-afspraak-2-eigenaar")
    option(page, names[begeleider], exact=True).click()
    type_date(page, "Afspraak 2: klaar op", "gesprek-afspraak-2-deadline",
              f"{day + timedelta(days=10):%d-%m-%Y}")  # fmt: skip
    page.click("#gesprek-vastleggen")
    expect(page.locator("#gesprek-melding")).to_contain_text(
        f"Vastgelegd: caseloadgesprek van {day:%d-%m-%Y} met 2 afspraken"
    )
    expect(rows(page, "gesprek-afspraken")).to_have_count(2)
    expect(page.locator("#gesprek-verslagen")).to_contain_text(NOTE)
    # The form is empty again, so a second click records nothing twice.
    expect(page.locator("#gesprek-afspraak-1-tekst")).to_have_value("")
    screenshot(page, "gesprek-vastgelegd")
    log_out(page)

    view_as(page, "jeugdzorgwerker")
    open_page(page, f"/mijn-caseload?peildatum={day.isoformat()}",
              "#mijn-caseload-afspraken-grid .ag-row", "Mijn caseload (afspraken)")  # fmt: skip
    mine = rows(page, "mijn-caseload-afspraken-grid")
    expect(mine).to_have_count(2)
    expect(page.locator("#mijn-caseload-afspraken-grid")).to_contain_text(FIRST)
    expect(page.locator("#mijn-caseload-afspraken-grid")).to_contain_text(SECOND)
    page.click("#mijn-caseload-afspraken-keuze")
    option(page, FIRST, exact=False).click()
    page.click("#mijn-caseload-afspraken-afgerond")
    melding = page.locator("#mijn-caseload-afspraken-melding")
    expect(melding).to_contain_text(f"Afgerond per {day:%d-%m-%Y}")
    expect(status_of(page, "mijn-caseload-afspraken-grid", FIRST)).to_have_text("✔ Afgerond")
    screenshot(page, "mijn-afspraken")
    log_out(page)

    view_as(page, "praktijkbegeleider")
    open_page(page, path, "#gesprek-afspraken .ag-row", "Caseloadgesprek (volgend gesprek)")
    expect(status_of(page, "gesprek-afspraken", FIRST)).to_have_text("✔ Afgerond")
    expect(status_of(page, "gesprek-afspraken", SECOND)).to_have_text("● Open")
    expect(page.locator("#tegel-afspraken_open .kpi-value")).to_have_text("1")
    # Since the talk before this one: the afspraak done on the peildatum.
    expect(page.locator("#tegel-afspraken_afgerond_sinds .kpi-value")).to_have_text("1")
    log_out(page)

    # Another team's praktijkbegeleider asks for the same worker: neither notes nor afspraken.
    page.goto("/login")
    page.fill("#gebruikersnaam", OTHER[0])
    page.fill("#wachtwoord", OTHER[1])
    page.click("#inloggen")
    page.wait_for_url(lambda url: "/login" not in url)
    open_page(page, path, "#gesprek-body", "Caseloadgesprek (andere begeleider)")
    expect(page.locator("body")).not_to_contain_text(NOTE)
    expect(page.locator("body")).not_to_contain_text(SECOND)
    refused = audit_log(engine, Viewer("beheerder")).filter(
        (pl.col("actie") == "geweigerd") & (pl.col("gebruikersnaam") == OTHER[0])
    )
    assert f"medewerker {worker}" in refused["onderwerp"].to_list()
    engine.dispose()


def test_a_talk_is_recorded_with_the_keyboard_alone(page, gesprek_db):
    engine = make_engine(gesprek_db)
    snap = load_snapshot(engine)
    accounts = {a.rol: a for a in demo_accounts(engine)}
    engine.dispose()
    begeleider = accounts["praktijkbegeleider"].medewerker_id
    # Another of the begeleider's workers than the mouse test's, so neither counts the other's.
    worker = snap["medewerkers"].filter(
        (pl.col("begeleider_id") == begeleider)
        & pl.col("functie").is_in(["jeugdbeschermer", "jeugdreclasseerder"])
        & pl.col("uit_dienst").is_null()
        & (pl.col("medewerker_id") != accounts["jeugdzorgwerker"].medewerker_id)
    )["medewerker_id"][0]
    day = snap.export_date
    view_as(page, "praktijkbegeleider")
    open_page(page, f"/caseloadgesprek?medewerker={worker}&peildatum={day.isoformat()}",
              "#gesprek-vastleggen", "Caseloadgesprek (toetsenbord)")  # fmt: skip
    naam = snap["medewerkers"].filter(pl.col("medewerker_id") == worker)["naam"][0]
    expect(page.locator("#gesprek-medewerker")).to_contain_text(naam)
    page.locator("body").focus()
    tab_to(page, lambda f: f["id"] == "gesprek-notitie", limit=150)
    page.keyboard.type(NOTE)
    tab_to(page, lambda f: f["id"] == "gesprek-afspraak-1-tekst")
    page.keyboard.type(FIRST)
    tab_to(page, lambda f: f["id"] == "gesprek-afspraak-1-deadline")
    page.keyboard.type(f"{day + timedelta(days=5):%d-%m-%Y}")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    tab_to(page, lambda f: f["id"] == "gesprek-vastleggen", limit=150)
    page.keyboard.press("Enter")
    expect(page.locator("#gesprek-melding")).to_contain_text(
        f"Vastgelegd: caseloadgesprek van {day:%d-%m-%Y} met 1 afspraak."
    )
    expect(rows(page, "gesprek-afspraken").filter(has_text=FIRST)).to_have_count(1)
