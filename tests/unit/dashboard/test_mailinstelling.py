"""Uw deadline-mail on Mijn caseload, posted straight to Dash's callback endpoint: the setting
is always the session account's own, whatever the request says, and every change is audited."""

import pytest

from dashboard.mailinstelling import KEUZE, MELDING
from queries.digest import cadans_van
from store.engine import make_engine
from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id, login


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("mailinstelling"))


@pytest.fixture(scope="module")
def mail_app(url):
    """One app for the module: Dash binds the page callbacks to the app that serves first."""
    return client_for(url)[0]


@pytest.fixture
def client(mail_app):
    """A browser of its own: no session yet."""
    return mail_app.server.test_client()


def _choose(client, cadans):
    """The callback's request as the browser posts it: only the chosen value, no id."""
    payload = {
        "output": f"{MELDING}.children",
        "outputs": {"id": MELDING, "property": "children"},
        "inputs": [{"id": KEUZE, "property": "value", "value": cadans}],
        "changedPropIds": [f"{KEUZE}.value"],
        "state": [],
    }
    return client.post("/_dash-update-component", json=payload)


def _cadans(url: str, medewerker_id: str) -> str:
    engine = make_engine(url)
    try:
        return cadans_van(engine, medewerker_id)
    finally:
        engine.dispose()


def test_a_worker_sets_their_own_cadans_and_nobody_elses(url, client):
    login(client, "sanne")
    before = last_event_id(url)
    response = _choose(client, "uit")
    assert response.status_code == 200
    assert "Opgeslagen" in response.text
    assert _cadans(url, "1001") == "uit"
    assert _cadans(url, "1003") == "automatisch"
    log = events(url, before)
    changed = log.filter(log["actie"] == "mail_instelling")
    assert changed.select("gebruikersnaam", "onderwerp").rows() == [("sanne", "1001")]

    refused = _choose(client, "dagelijks")
    assert "Niet opgeslagen" in refused.text and _cadans(url, "1001") == "uit"


def test_an_account_without_a_medewerker_changes_nothing_and_is_audited(url, client):
    login(client, "beheer")
    before = last_event_id(url)
    response = _choose(client, "uit")
    assert "Niet opgeslagen" in response.text
    log = events(url, before)
    assert log.filter(log["actie"] == "geweigerd")["onderwerp"].to_list() == ["mailinstelling None"]


def test_logged_out_nothing_is_stored(url, client):
    response = _choose(client, "wekelijks")
    assert response.status_code == 401
    assert _cadans(url, "1001") != "wekelijks"
