import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from dashboard.urlstate import build_search, link, link_column, parse_search


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


@given(
    values=st.lists(st.none() | st.text(), max_size=30),
    fixed=st.dictionaries(
        st.sampled_from(["peildatum", "soort", "regio"]), st.none() | st.text(), max_size=3
    ),
)
def test_a_link_column_writes_each_rows_link_as_link_does(values, fixed):
    frame = pl.DataFrame({"id": values}, schema={"id": pl.String})
    hrefs = frame.select(link_column("/maatregel", "maatregel", "id", **fixed))
    assert hrefs.to_series().to_list() == [link("/maatregel", maatregel=v, **fixed) for v in values]
