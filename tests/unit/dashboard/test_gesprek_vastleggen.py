"""The caseloadgesprek recorded through the app's own callbacks, and the same callbacks forged
by someone who may not (the database of tests.unit.dashboard.gesprek_db: Marleen guides Sanne,
Piet guides in another team, Gert is the team's gedragswetenschapper)."""

import datetime as dt
import json

import polars as pl
import pytest

from dashboard.gesprek_vastleggen import afspraak_rows
from queries.afspraken import SCHEMA, lees_afspraken, status_op
from queries.gesprekken import lees_gesprekken
from queries.scope import Viewer
from queries.snapshot import Snapshot
from store.engine import make_engine
from tests.unit.dashboard.gesprek_db import (
    EXPORT_DATE,
    NOTE,
    SEARCH,
    build_database,
    form,
    record_talk,
)
from tests.unit.dashboard.logins import client_for, events, last_event_id, login
from tests.unit.dashboard.test_forged_requests import callback, download, url_id


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("gesprek"))


def body(app, client, search: str = SEARCH):
    values = {
        ("gesprek-medewerker", "value"): "1001",
        ("gesprek-peildatum", "date"): "2025-11-01",
        ("gesprek-weken", "value"): 6,
        (url_id("gesprek"), "search"): search,
        (url_id("gesprek"), "pathname"): "/caseloadgesprek",
    }
    return callback(app, client, "gesprek-body.children", values)


def refusals(url: str, after: int) -> list[tuple]:
    log = events(url, after).filter(pl.col("actie") == "geweigerd")
    return log.select("gebruikersnaam", "onderwerp").rows()


@pytest.fixture(scope="module")
def recorded(url):
    return record_talk(url)


def test_the_begeleider_records_a_talk_and_sees_it_on_the_page(url, recorded):
    engine = make_engine(url)
    assert lees_gesprekken(engine).select("medewerker_id", "datum", "vastgelegd_door").rows() == [
        ("1001", EXPORT_DATE, "marleen")
    ]
    assert sorted(lees_afspraken(engine)["medewerker_id"]) == ["1001", "2001"]
    # The refreshed overview holds the note and both afspraken.
    assert NOTE in recorded.text and "Intervisie plannen" in recorded.text
    app, client = client_for(url)
    login(client, "marleen")
    page = body(app, client)
    assert NOTE in page.text and "Plan M2025-0101 bijstellen" in page.text
    assert "Geen namen van kinderen of ouders" in page.text
    engine.dispose()


def test_bad_input_is_refused_with_a_dutch_message_and_nothing_written(url, recorded):
    app, client = client_for(url)
    login(client, "marleen")
    before = lees_afspraken(make_engine(url)).height
    response = callback(app, client, "gesprek-melding.children",
                        form(a1=("Te vroeg", "1001", "2025-10-01")))  # fmt: skip
    # The app writes JSON as the image does, \u-escaped; the words are read from its data.
    words = json.dumps(response.json, ensure_ascii=False)
    assert "Niet vastgelegd: afspraak 1: de datum ligt vóór het gesprek" in words
    response = callback(app, client, "gesprek-melding.children",
                        form(a1=("Van een ander", "1002", "2025-11-14")))  # fmt: skip
    assert "de eigenaar is de medewerker of diens praktijkbegeleider" in response.text
    assert lees_afspraken(make_engine(url)).height == before


def test_another_teams_begeleider_cannot_read_or_record_not_even_by_a_forged_request(url, recorded):
    app, client = client_for(url)
    login(client, "piet")
    before = last_event_id(url)
    page = body(app, client)
    assert page.status_code == 200
    assert NOTE not in page.text and "Intervisie plannen" not in page.text
    assert ("piet", "medewerker 1001") in refusals(url, before)
    _, rows = download(app, client, "gesprek_afspraken", "gesprek", SEARCH)
    assert rows is None or rows.height == 0
    response = callback(app, client, "gesprek-melding.children",
                        form(a1=("Ingeschoven", "1001", "2025-11-14")))  # fmt: skip
    assert "Niet vastgelegd: niet de praktijkbegeleider van medewerker 1001" in response.text
    assert NOTE not in response.text
    assert ("piet", "gesprek 1001") in refusals(url, before)
    assert lees_gesprekken(make_engine(url)).height == 1
    # Closing Sanne's afspraak by its id from Mijn caseload: refused and logged.
    first = int(lees_afspraken(make_engine(url))["afspraak_id"][0])
    done = callback(app, client, "mijn-caseload-afspraken-melding.children", {
        ("mijn-caseload-afspraken-afgerond", "n_clicks"): 1,
        ("mijn-caseload-afspraken-keuze", "value"): first,
        (url_id("mijn-caseload"), "search"): SEARCH,
    })  # fmt: skip
    assert "Niet vastgelegd" in done.text
    assert ("piet", f"afspraak {first}") in refusals(url, before)
    still = lees_afspraken(make_engine(url)).filter(pl.col("afspraak_id") == first)
    assert still["afgerond_op"].to_list() == [None]


def test_the_gedragswetenschapper_sees_the_figures_not_the_notes(url, recorded):
    app, client = client_for(url)
    login(client, "gert")
    page = body(app, client)
    assert page.status_code == 200
    assert "Sinds het vorige gesprek" in page.text
    assert "afspraken_open" in page.text  # the registered figure's tile
    assert NOTE not in page.text and "Intervisie plannen" not in page.text
    assert "Gesprek vastleggen" not in page.text
    assert "alleen zichtbaar voor de medewerker" in page.text


def test_the_team_page_counts_the_talk_recorded_in_the_app(url, recorded):
    client_for(url)
    from dashboard.pages import team

    marleen = Viewer("praktijkbegeleider", "2001")
    df, _ = team.team_table(marleen, {"peildatum": "2025-11-01"})
    assert dict(df.select("medewerker_id", "dagen_sinds_gesprek").rows())["1001"] == 0
    due, _ = team.gesprek_nodig_table(marleen, {"peildatum": "2025-11-01"})
    assert "1001" not in due["medewerker_id"].to_list()
    # The day before the talk, Sanne's last talk (3 Jul) was more than 3 months ago.
    earlier, _ = team.gesprek_nodig_table(marleen, {"peildatum": "2025-10-31"})
    assert "1001" in earlier["medewerker_id"].to_list()


def test_an_afspraak_on_a_measure_or_owner_gone_from_the_export_says_so():
    snap = Snapshot.from_frames(
        EXPORT_DATE,
        medewerkers={"medewerker_id": ["1001"], "naam": ["Sanne Koster"]},
        maatregelen={"maatregel_id": ["M1"]},
    )
    day = dt.date(2025, 10, 1)
    frame = pl.DataFrame(
        [(1, 1, day, "1001", "M1", "blijft", day, None),
         (2, 1, day, "9999", "M9", "weg", day, None)],
        schema=SCHEMA, orient="row",
    )  # fmt: skip
    rows = afspraak_rows(snap, status_op(frame, day))
    assert rows.select("eigenaar", "maatregel_id").rows() == [
        ("Sanne Koster", "M1"),
        ("9999 (niet meer in de export)", "M9 (niet meer in de export)"),
    ]
