"""A part below the first screen, asked for by its placeholder through Dash's real endpoint."""

import json

import polars as pl
import pytest

from dashboard.components.deferred import clean, deferred
from tests.unit.dashboard.helpers import find, text
from tests.unit.dashboard.logins import (
    build_database,
    client_for,
    events,
    last_event_id,
    login,
)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("uitgesteld"))


def placeholder(part: str, params: dict) -> dict:
    """The ids and kept values of the page's placeholder for part, as the page draws it."""
    tree = deferred("organisatie", part, params, "Delen")
    keuze = next(n for n in tree.children if getattr(n, "id", {}).get("type") == "uitgesteld-keuze")
    return {"keuze": keuze.id, "params": keuze.data}


def ask(app, client, part: str, params: dict, kept: dict | None = None):
    """Post the placeholder's callback as assets/uitgesteld.js makes the browser do."""
    ids = placeholder(part, params)["keuze"]
    box, seen = ids | {"type": "uitgesteld"}, ids | {"type": "uitgesteld-zicht"}
    key = next(k for k in app.callback_map if '"uitgesteld"' in k and '"organisatie"' in k)
    payload = {
        "output": key,
        "outputs": {"id": box, "property": "children"},
        "inputs": [{"id": seen, "property": "data", "value": 1733300000000}],
        "state": [{"id": ids, "property": "data", "value": params if kept is None else kept}],
        "changedPropIds": [json.dumps(seen, sort_keys=True, separators=(",", ":")) + ".data"],
    }
    return client.post("/_dash-update-component", json=payload)


def test_the_placeholder_keeps_only_text_values_and_says_what_comes():
    assert clean({"regio": "Drenthe", "peildatum": None, "x": ["lijst"], 3: "a"}) == {
        "regio": "Drenthe",
        "peildatum": None,
    }
    assert clean("geen dict") == {}
    tree = deferred("organisatie", "uitval", {"regio": "Drenthe"}, "Maatregelen bij uitval")
    assert "Maatregelen bij uitval worden geladen" in text(tree)
    other = deferred("organisatie", "uitval", {"regio": "Groningen"}, "Maatregelen bij uitval")
    # Another view, another id: an answer for the old view finds no placeholder.
    assert placeholder("uitval", {"regio": "Drenthe"}) != placeholder(
        "uitval", {"regio": "Groningen"}
    )
    assert find(other, placeholder("uitval", {"regio": "Drenthe"})["keuze"]) is None


def test_the_mt_gets_the_part_for_the_values_of_its_placeholder(url):
    app, client = client_for(url, demo=True)
    login(client, "demo-manager", "demo")
    response = ask(app, client, "inspectie", {"regio": "Drenthe", "peildatum": None})
    assert response.status_code == 200
    drawn = json.dumps(response.json["response"])
    assert "Zicht op de jeugdige" in drawn and "Wachttijd hulp" in drawn
    response = ask(app, client, "uitval", {"regio": None})
    assert response.status_code == 200 and "uitval" in json.dumps(response.json["response"])


def test_values_that_do_not_match_the_placeholder_draw_nothing(url):
    app, client = client_for(url, demo=True)
    login(client, "demo-manager", "demo")
    response = ask(app, client, "inspectie", {"regio": "Drenthe"}, kept={"regio": "Groningen"})
    assert response.status_code == 204


def test_another_role_asking_for_a_part_is_refused_and_audited(url):
    app, client = client_for(url)
    login(client, "teamleider")
    before = last_event_id(url)
    response = ask(app, client, "inspectie", {"regio": None})
    assert response.status_code == 403 and "Zicht" not in response.text
    refused = events(url, before).filter(pl.col("actie") == "geweigerd")
    assert refused["gebruikersnaam"].to_list() == ["teamleider"]
