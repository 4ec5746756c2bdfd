from dashboard.urlstate import build_search, link, parse_search


def test_round_trip_skips_empty_values():
    params = {"peildatum": "2026-03-04", "medewerker": "1001", "team": None, "regio": ""}
    search = build_search(params)
    assert search == "?peildatum=2026-03-04&medewerker=1001"
    assert parse_search(search) == {"peildatum": "2026-03-04", "medewerker": "1001"}


def test_empty_state_is_an_empty_query_string():
    assert build_search({"team": None}) == ""
    assert parse_search("") == {} and parse_search(None) == {}


def test_link_escapes_values():
    assert link("/team", team="A&B") == "/team?team=A%26B"
