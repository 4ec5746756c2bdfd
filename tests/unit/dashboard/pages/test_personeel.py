import base64
import io

import polars as pl
import pytest

from dashboard import data
from dashboard.components.exports import export_file
from queries.personeel import bezetting, expiring
from queries.scope import MANAGER, Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value

TM = Viewer("teammanager", "2001")


@pytest.fixture
def personeel(app):
    from dashboard.pages import personeel

    return personeel


def test_staffing_per_team_matches_the_query(personeel, as_viewer):
    as_viewer("manager")
    df, _ = personeel.staffing_table(MANAGER, {"peildatum": "2025-10-31"})
    expected = bezetting(data.snapshot(), MANAGER, EXPORT_DATE, data.config()).filter(
        pl.col("maand") == "2025-10"
    )
    assert sorted(df["team_id"]) == sorted(expected["team_id"]) == ["CRT", "DRE-A", "GRN-A"]
    stad = df.filter(pl.col("team_id") == "GRN-A").row(0, named=True)
    assert stad["formatie_fte"] == 12.5
    assert stad["bezetting_fte"] == pytest.approx(0.89 + 0.8)
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
    assert find(page, "personeel-verzuim-regio") is not None


def test_verzuim_tile_is_this_months_percentage(personeel, as_viewer):
    as_viewer("manager")
    page = personeel.layout(peildatum="2025-10-31")
    # Same as the kpis test: 7 absent fte-days of 84.87 in October 2025.
    assert tile_value(page, "tegel-verzuim") == "8,2%"


def test_one_render_asks_each_query_for_its_frame_once(personeel, as_viewer, monkeypatch):
    as_viewer("manager")
    calls = []
    for name in ("bezetting", "verzuim", "expiring", "missing_diplomas"):
        query = getattr(personeel, name)

        def counted(*args, _query=query, **kwargs):
            calls.append((_query.__name__, tuple(sorted(kwargs.items()))))
            return _query(*args, **kwargs)

        counted.__name__ = name
        monkeypatch.setattr(personeel, name, counted)
    page = personeel.layout(peildatum="2025-10-31")
    assert tile_value(page, "tegel-verzuim") == "8,2%"
    assert len(calls) == len(set(calls))
    assert ("expiring", ()) in calls and ("bezetting", (("months", 1),)) in calls


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
