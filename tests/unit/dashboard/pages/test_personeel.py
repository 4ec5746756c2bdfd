import base64
import io
from datetime import date

import polars as pl
import pytest
from dash.development.base_component import Component

from dashboard import data
from dashboard.components.exports import export_file
from dashboard.components.widgets import fmt_pct
from queries import figuren
from queries.personeel import expiring, formatie_bezetting, verloop, verzuim_pct
from queries.scope import MANAGER, Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value, walk

TM = Viewer("teammanager", "2001")


@pytest.fixture
def personeel(app):
    from dashboard.pages import personeel

    return personeel


def figure_keys(tree) -> set[str]:
    """The figures the tree says it shows, by their data-figuur."""
    return {
        getattr(n, "data-figuur") for n in walk(tree) if isinstance(n, Component)
        and hasattr(n, "data-figuur")
    }  # fmt: skip


def test_staffing_per_team_is_the_querys_rows_rounded(personeel, as_viewer):
    as_viewer("manager")
    day = date(2025, 10, 31)
    df, columns = personeel.staffing_table(MANAGER, {"peildatum": day.isoformat()})
    expected = figuren.rond(formatie_bezetting(data.snapshot(), MANAGER, day, data.config()))
    assert sorted(df["team_id"]) == sorted(expected["team_id"]) == ["CRT", "DRE-A", "GRN-A"]
    keys = ["formatie_fte", "bezetting_fte", "formatie_verschil_fte", "formatie_verschil_pct"]
    assert df.sort("team_id").select(keys).equals(expected.sort("team_id").select(keys))
    # Every team of the sample is under its formatie, said in those words.
    assert set(df["formatie_status"]) == {"onder formatie"}
    numbers = [c["field"] for c in columns if c.get("type") == "numericColumn"]
    assert numbers and all(field in figuren.REGISTER for field in numbers)
    for c in columns:
        if c["field"] in figuren.REGISTER:
            assert c["exportDecimals"] == figuren.figuur(c["field"]).decimalen
    drenthe, _ = personeel.staffing_table(MANAGER, {"regio": "Drenthe"})
    assert drenthe["team_id"].to_list() == ["DRE-A"]


def test_a_teammanager_sees_only_their_team(personeel, as_viewer):
    as_viewer(TM.role, TM.medewerker_id)
    df, _ = personeel.staffing_table(TM, {})
    assert df["team_id"].to_list() == ["GRN-A"]
    vog, _ = personeel.expiring_table(TM, {})
    # The praktijkbegeleider of Team Stad: VOG of 1 Apr 2022, 36 months.
    assert vog.select("naam", "document", "status").rows() == [
        ("Marleen Dijkstra", "vog", "verlopen")
    ]
    diplomas, _ = personeel.diploma_table(TM, {})
    assert diplomas.height == 0
    page = personeel.layout()
    assert "Verzuim per regio" not in text(page)
    assert tile_value(page, "tegel-diplomas") == "0"


def test_expiring_and_missing_diplomas_for_the_mt(personeel, as_viewer):
    as_viewer("manager")
    vog, _ = personeel.expiring_table(MANAGER, {})
    expected = expiring(data.snapshot(), MANAGER, EXPORT_DATE, data.config())
    assert vog["medewerker_id"].to_list() == expected["medewerker_id"].to_list() == ["2001", "1002"]
    row = vog.row(1, named=True)
    assert (row["document_label"], row["status_label"]) == ("VOG", "▲ Verloopt binnenkort")
    diplomas, _ = personeel.diploma_table(MANAGER, {})
    assert diplomas["naam"].to_list() == ["Petra Hoekstra"]
    page = personeel.layout()
    assert tile_value(page, "tegel-diplomas") == "1"
    assert tile_value(page, "tegel-vog-skj") == "1"
    assert find(page, "personeel-verzuim-regio") is not None


def _lines(page, graph_id: str) -> dict:
    figure = find(page, graph_id).figure
    return {trace["name"]: trace["y"] for trace in figure["data"]}


def test_charts_of_more_teams_than_can_be_told_apart_show_regions(
    personeel, as_viewer, monkeypatch
):
    as_viewer("manager")
    params = {"peildatum": "2025-10-31"}
    snap, day, cfg = data.snapshot(), date(2025, 10, 31), data.config()
    teams = formatie_bezetting(snap, MANAGER, day, cfg, months=13)
    page = personeel.body(MANAGER, params)
    assert set(_lines(page, "personeel-bezetting-team")) == set(teams["team_naam"])
    assert len(set(teams["team_naam"])) == 3
    assert find(page, "personeel-verzuim-team") is not None
    assert personeel.PER_REGIO not in text(page)

    monkeypatch.setattr(personeel, "MAX_TEAMS", 2)
    page = personeel.body(MANAGER, params)
    regions = figuren.rond(formatie_bezetting(snap, MANAGER, day, cfg, months=13, by="regio"))
    lines = _lines(page, "personeel-bezetting-team")
    assert sorted(lines) == sorted(regions["regio"].unique())
    for regio, values in lines.items():
        own = regions.filter(pl.col("regio") == regio).sort("maand")
        assert values == own["formatie_verschil_fte"].to_list()
    assert find(page, "personeel-verzuim-team") is None
    assert set(_lines(page, "personeel-verzuim-regio")) == set(regions["regio"])
    bars = find(page, "personeel-dienstverband").figure["data"]
    assert {x for trace in bars for x in trace["x"]} <= set(regions["regio"])
    assert text(page).count(personeel.PER_REGIO) == 3

    # A region's choice shows its teams again.
    drenthe = personeel.body(MANAGER, params | {"regio": "Drenthe"})
    in_drenthe = teams.filter(pl.col("regio") == "Drenthe")["team_naam"]
    assert set(_lines(drenthe, "personeel-bezetting-team")) == set(in_drenthe)


@pytest.mark.parametrize(
    ("peildatum", "maand"),
    [
        ("2025-10-31", "oktober 2025"),
        ("2025-11-01", "oktober 2025"),
        ("2025-10-30", "september 2025"),
    ],
)
def test_verzuim_tile_names_the_last_complete_month(personeel, as_viewer, peildatum, maand):
    as_viewer("manager")
    page = personeel.layout(peildatum=peildatum)
    tile = find(page, "tegel-verzuim")
    assert tile.children[0].children == f"Verzuim {maand}"
    day = date.fromisoformat(peildatum)
    raw = verzuim_pct(data.snapshot(), MANAGER, day, data.config())
    assert tile_value(page, "tegel-verzuim") == fmt_pct(figuren.figuur("verzuim_pct").rond(raw))
    assert getattr(tile.children[1], "data-figuur") == "verzuim_pct"
    assert getattr(find(page, "tegel-verzuim-12m").children[1], "data-figuur") == "verzuim_12m_pct"


def test_every_figure_on_the_page_is_registered(personeel, as_viewer):
    as_viewer("manager")
    page = personeel.layout(peildatum="2025-10-31")
    shown = figure_keys(page)
    assert {
        "formatie_fte",
        "bezetting_fte",
        "verzuim_pct",
        "verzuim_12m_pct",
        "verloop_pct",
    } <= shown
    assert shown <= set(figuren.REGISTER)
    # Bezetting is boven, op or onder formatie; never the old verdicts.
    assert "Onderbezet" not in text(page) and "Volledig bezet" not in text(page)
    assert "onder formatie" in text(find(page, "tegel-bezetting"))


def test_verloop_per_function_group(personeel, as_viewer):
    as_viewer("manager")
    df, columns = personeel.verloop_table(MANAGER, {})
    expected = figuren.rond(verloop(data.snapshot(), MANAGER, EXPORT_DATE, data.config()))
    assert df.equals(expected)
    assert df["functiegroep"].to_list() == [
        "Jeugdzorgwerkers", "Praktijkbegeleiders", "Gedragswetenschappers", "Management", "Totaal",
    ]  # fmt: skip
    assert [c["field"] for c in columns[1:]] == [
        "vertrokken",
        "gemiddelde_bezetting",
        "verloop_pct",
    ]
    assert find(personeel.layout(), "personeel-personeel_verloop") is not None


def test_one_render_asks_each_query_for_its_frame_once(personeel, as_viewer, monkeypatch):
    as_viewer("manager")
    calls = []
    names = ("bezetting", "formatie_bezetting", "verzuim", "verloop", "expiring",
             "missing_diplomas", "personeel_cijfers")  # fmt: skip
    for name in names:
        query = getattr(personeel, name)

        def counted(*args, _query=query, **kwargs):
            calls.append((_query.__name__, args[4:], tuple(sorted(kwargs.items()))))
            return _query(*args, **kwargs)

        counted.__name__ = name
        monkeypatch.setattr(personeel, name, counted)
    page = personeel.layout(peildatum="2025-10-31")
    assert tile_value(page, "tegel-diplomas") == "1"
    assert len(calls) == len(set(calls))
    assert ("expiring", (), (("regio", None), ("team_id", None))) in calls
    assert ("bezetting", (), (("months", 1),)) in calls


def test_export_of_expiring_documents(personeel, as_viewer):
    as_viewer("manager")
    file = export_file("personeel_vog_skj", "csv", MANAGER, {})
    back = pl.read_csv(io.BytesIO(base64.b64decode(file["content"])), separator=";")
    assert back.height == 2
    assert back["Medewerker"].to_list() == ["Marleen Dijkstra", "Youssef El Amrani"]
    assert back["Status"].to_list() == ["✖ Verlopen", "▲ Verloopt binnenkort"]


def test_team_slicer_recomputes_and_writes_the_url(personeel, as_viewer):
    as_viewer("manager")
    values = ["2025-11-01", None, "CRT"]
    body, search, *_ = personeel.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-11-01&team=CRT"
    rows = find(body, "personeel-bezetting").rowData
    assert [r["team_id"] for r in rows] == ["CRT"]


def test_jeugdzorgwerkers_cannot_open_it(personeel, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    assert "niet bedoeld voor uw rol" in text(personeel.layout())
