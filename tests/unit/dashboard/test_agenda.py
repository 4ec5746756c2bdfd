"""Mijn caseload's Agenda-abonnement through Dash's callback endpoint: the link shown once
opens the feed, a new link ends the old one, revoking ends it, and a request without the
session's CSRF token changes nothing and is audited."""

import json
import re

import pytest
import sqlalchemy as sa

from dashboard.agenda import CSRF, INTREKKEN, MAKEN, MELDING, PREFIX
from queries import agenda
from store.engine import make_engine
from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id, login
from tests.unit.dashboard.test_forged_requests import page_callback

SECTION = f"{PREFIX}-abonnement"
LINK = re.compile(r"http://localhost/agenda/[A-Za-z0-9_-]+\.ics")


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("agenda-ui"))


def _csrf(client) -> str:
    """The session's form token, from the logout form in the page's header."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("name") == "csrf":
                found.append(props["value"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(client.get("/_dash-layout").json)
    return found[0]


def _click(app, client, button: str, csrf: str | None):
    """Post the section's callback as a click on `button`."""
    key = next(k for k in app.callback_map if MELDING in k)
    spec = app.callback_map[key]
    inputs = [
        {"id": i["id"], "property": i["property"], "value": 1 if i["id"] == button else None}
        for i in spec["inputs"]
    ]
    payload = {
        "output": key,
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".")[1]}
            for part in key.strip(".").split("...")
        ],
        "inputs": inputs,
        "changedPropIds": [f"{button}.n_clicks"],
        "state": [{"id": CSRF, "property": "data", "value": csrf}],
    }
    return client.post("/_dash-update-component", json=payload)


def _links(answer) -> list[str]:
    return LINK.findall(json.dumps(answer.json))


def test_the_link_is_shown_once_opens_the_feed_and_renewing_ends_the_old_one(url):
    app, client = client_for(url)
    login(client, "sanne")
    csrf = _csrf(client)
    made = _click(app, client, MAKEN, csrf)
    assert made.status_code == 200
    [first] = _links(made)
    feed = client.get(first.removeprefix("http://localhost"))
    assert feed.status_code == 200 and feed.data.startswith(b"BEGIN:VCALENDAR")
    assert "actief sinds" in made.get_data(as_text=True)

    [second] = _links(_click(app, client, MAKEN, csrf))
    assert second != first
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert client.get(second.removeprefix("http://localhost")).status_code == 200

    revoked = _click(app, client, INTREKKEN, csrf)
    assert "ingetrokken" in revoked.get_data(as_text=True) and not _links(revoked)
    assert client.get(second.removeprefix("http://localhost")).status_code == 404
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM agenda_tokens WHERE ingetrokken IS NULL"
            assert conn.execute(sa.text(query)).scalar_one() == 0
    finally:
        engine.dispose()


def test_without_the_sessions_csrf_token_nothing_is_made_and_the_refusal_is_audited(url):
    app, client = client_for(url)
    login(client, "slot")
    after = last_event_id(url)
    for forged in (None, "nagemaakt"):
        answer = _click(app, client, MAKEN, forged)
        assert answer.status_code == 200 and not _links(answer)
    refused = events(url, after).filter(
        (events(url, after)["actie"] == "geweigerd")
        & (events(url, after)["onderwerp"] == agenda.ONDERWERP)
    )
    assert refused["gebruikersnaam"].to_list() == ["slot", "slot"]
    engine = make_engine(url)
    try:
        assert agenda.actief_sinds(engine, "slot") is None
    finally:
        engine.dispose()


def test_the_section_stands_on_ones_own_caseload_only(url):
    app, client = client_for(url)
    login(client, "sanne")
    day = "2025-11-01"
    own = page_callback(app, client, "mijn-caseload", {"peildatum": day, "medewerker": "1001"})
    assert own.status_code == 200 and SECTION in own.get_data(as_text=True)
    app, client = client_for(url)
    login(client, "teamleider")
    other = page_callback(app, client, "mijn-caseload", {"peildatum": day, "medewerker": "1001"})
    assert other.status_code == 200 and "M2025-0101" in other.text
    assert SECTION not in other.text
