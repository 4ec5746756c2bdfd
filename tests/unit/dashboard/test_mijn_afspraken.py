"""Mijn caseload's afspraken uit caseloadgesprek: the worker sees them and marks one afgerond
through the page's callback; someone who may not read them gets nothing."""

import json

import polars as pl
import pytest

from queries.afspraken import lees_afspraken
from store.engine import make_engine
from tests.unit.dashboard.gesprek_db import EXPORT_DATE, build_database, record_talk
from tests.unit.dashboard.logins import client_for, events, last_event_id, login
from tests.unit.dashboard.test_forged_requests import callback, page_callback, url_id


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    url = build_database(tmp_path_factory.mktemp("mijn-afspraken"))
    record_talk(url)
    return url


def test_the_worker_sees_the_afspraken_on_mijn_caseload(url):
    app, client = client_for(url)
    login(client, "sanne")
    page = page_callback(app, client, "mijn-caseload", {"peildatum": "2025-11-01"},
                         "?peildatum=2025-11-01")  # fmt: skip
    assert page.status_code == 200
    assert "Afspraken uit caseloadgesprek" in page.text
    assert "Plan M2025-0101 bijstellen" in page.text and "Intervisie plannen" in page.text
    # Marleen may see Sanne's list too; Piet, of another team, gets no section at all.
    app, client = client_for(url)
    login(client, "piet")
    other = page_callback(app, client, "mijn-caseload", {"peildatum": "2025-11-01",
                          "medewerker": "1001"}, "?medewerker=1001")  # fmt: skip
    assert "Intervisie plannen" not in other.text


def test_the_worker_marks_an_afspraak_done_on_mijn_caseload(url):
    app, client = client_for(url)
    login(client, "sanne")
    intervisie = lees_afspraken(make_engine(url), ["2001"])["afspraak_id"][0]
    before = last_event_id(url)
    done = callback(app, client, "mijn-caseload-afspraken-melding.children", {
        ("mijn-caseload-afspraken-afgerond", "n_clicks"): 1,
        ("mijn-caseload-afspraken-keuze", "value"): int(intervisie),
        (url_id("mijn-caseload"), "search"): "?peildatum=2025-11-01",
    })  # fmt: skip
    assert "Afgerond per 01-11-2025" in done.text
    # The redrawn list: the afspraak afgerond, the other one still to choose.
    words = json.dumps(done.json, ensure_ascii=False)
    assert "✔ Afgerond" in words and "Plan M2025-0101 bijstellen (klaar op" in words
    row = lees_afspraken(make_engine(url)).filter(pl.col("afspraak_id") == intervisie)
    assert row["afgerond_op"].to_list() == [EXPORT_DATE]
    closed = events(url, before).filter(pl.col("actie") == "afspraak_afgerond")
    assert closed.select("gebruikersnaam", "onderwerp").rows() == [
        ("sanne", f"afspraak {intervisie}")
    ]
