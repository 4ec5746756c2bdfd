import flask
import polars as pl
import pytest

from dashboard import data
from dashboard.app import create_app
from dashboard.components import widgets as w
from etl.db import make_engine
from etl.schema import metadata
from queries.caseload import caseload_by
from queries.rapportage import kpi_comparison
from queries.scope import MANAGER
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value


@pytest.fixture
def org(app):
    from dashboard.pages import organisatie

    return organisatie


def test_tiles_show_the_kpis_with_last_month(org, as_viewer):
    as_viewer("manager")
    page = org.layout()
    expected = {
        r["kpi"]: r for r in kpi_comparison(data.snapshot(), MANAGER, EXPORT_DATE, data.config())
        .iter_rows(named=True)
    }  # fmt: skip
    assert tile_value(page, "tegel-risicotaxatie_actueel_pct") == "66,7%"
    assert expected["risicotaxatie_actueel_pct"]["nu"] == 66.7
    plan = find(page, "tegel-plan_tijdig_pct")
    assert "vorige maand 66,7%" in text(plan)
    # On 1 November the last full start month is October, when nothing started: a dash, not 0.
    assert tile_value(page, "tegel-eerste_contact_tijdig_pct") == "–"
    first = text(find(page, "tegel-eerste_contact_tijdig_pct"))
    assert "gestart in oktober 2025; vorige maand 100,0%" in first
    assert find(page, "organisatie-trend-aandelen") is not None


def test_tiles_and_trend_follow_the_region(org, as_viewer):
    as_viewer("manager")
    page = org.layout(regio="Drenthe")
    expected = {
        r["kpi"]: r["nu"]
        for r in kpi_comparison(
            data.snapshot(), MANAGER, EXPORT_DATE, data.config(), regio="Drenthe"
        ).iter_rows(named=True)
    }
    # Drenthe holds only M0103: plan in time and a current LIJ of 22 August, so 100%
    # where the organisation has 66,7%.
    assert expected["plan_tijdig_pct"] == expected["risicotaxatie_actueel_pct"] == 100.0
    assert tile_value(page, "tegel-plan_tijdig_pct") == "100,0%"
    assert tile_value(page, "tegel-risicotaxatie_actueel_pct") == "100,0%"
    assert tile_value(page, "tegel-vaste_jzw_pct") == w.fmt_pct(expected["vaste_jzw_pct"])
    figure = find(page, "organisatie-trend-aandelen").figure
    lines = {t["name"]: t["y"] for t in figure["data"]}
    assert lines["Actuele risicotaxatie"][-1] == 100.0
    body, *_ = org.STATE.from_controls(MANAGER, ["2025-11-01", "Groningen"], {})
    assert tile_value(body, "tegel-risicotaxatie_actueel_pct") == "50,0%"


def test_trend_badge_knows_which_way_is_better(org):
    row = {"nu": 8.0, "vorige_maand": 10.5, "eenheid": "dagen", "hoger_beter": False}
    assert org.trend_badge(row) == ("tijdig", "−2,5 dagen")
    row = {"nu": 60.0, "vorige_maand": 62.5, "eenheid": "%", "hoger_beter": True}
    assert org.trend_badge(row) == ("verlopen", "−2,5 pt")
    assert org.trend_badge(row | {"vorige_maand": None}) == (None, None)
    assert org.trend_badge(row | {"vorige_maand": 60.0}) == (None, None)


def test_running_month_leaves_first_contact_out_of_the_trend(org, as_viewer):
    as_viewer("manager")
    # 1 November runs: its first-contact point is left out, the other lines keep it.
    figure = find(org.layout(), "organisatie-trend-aandelen").figure
    lines = {t["name"]: t["y"] for t in figure["data"]}
    assert lines["Eerste contact tijdig"][-1] is None
    assert lines["Eerste contact tijdig"][-3] == 100.0
    assert lines["Plan van aanpak tijdig"][-1] == 66.7


def test_regions_link_to_their_own_view(org, as_viewer):
    as_viewer("manager")
    df, columns = org.region_table(MANAGER, {})
    expected = caseload_by(data.snapshot(), MANAGER, EXPORT_DATE, data.config(), level="regio")
    assert df["regio"].to_list() == expected["regio"].to_list() == ["Drenthe", "Groningen"]
    assert df["actief"].to_list() == expected["actief"].to_list()
    assert df["regio_href"][0] == "/organisatie?regio=Drenthe&peildatum=2025-11-01"
    assert {c.get("exportField", c["field"]) for c in columns} <= set(df.columns)


def test_teams_filtered_by_region_link_to_the_team_page(org, as_viewer):
    as_viewer("manager")
    df, _ = org.team_table(MANAGER, {"regio": "Groningen", "peildatum": "2025-10-15"})
    assert df["team_id"].to_list() == ["CRT", "GRN-A"]
    stad = df.filter(pl.col("team_id") == "GRN-A").row(0, named=True)
    assert stad["team_href"] == "/team?team=GRN-A&peildatum=2025-10-15"


def test_workers_over_the_norm_link_to_the_caseload_talk(org, as_viewer):
    as_viewer("manager")
    df, _ = org.worker_table(MANAGER, {})
    assert df.height == 0
    assert "Niemand zit boven de caseloadnorm" in text(org.layout())


def test_region_slicer_writes_the_url_and_filters_the_teams(org, as_viewer):
    as_viewer("manager")
    values = ["2025-11-01", "Drenthe"]
    body, search, shown, *_ = org.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-11-01&regio=Drenthe"
    assert shown == {"peildatum": "2025-11-01", "regio": "Drenthe"}
    assert "Teams in Drenthe" in text(body)
    assert [r["team_id"] for r in find(body, "organisatie-organisatie_teams").rowData] == ["DRE-A"]


def test_only_the_mt_opens_it(org, as_viewer):
    as_viewer("teammanager", "2001")
    assert "niet bedoeld voor uw rol" in text(org.layout())


@pytest.mark.parametrize("broken", ["leeg", "onbereikbaar"])
def test_mt_pages_without_data_say_so_in_dutch(tmp_path, broken):
    if broken == "leeg":
        url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
        metadata.create_all(make_engine(url))
        expected = "nog geen export geladen"
    else:
        url = f"sqlite:///{tmp_path / 'bestaat-niet' / 'weg.sqlite'}"
        expected = "niet bereikbaar"
    app = create_app(url)
    # Re-imported by this app's Dash Pages.
    from dashboard.pages import afbouw, organisatie, personeel, voortgangsrapportage

    with app.server.test_request_context("/"):
        flask.session["viewer"] = {"role": "manager", "medewerker_id": None}
        for page in (organisatie, afbouw, personeel, voortgangsrapportage):
            words = text(page.layout())
            assert expected in words, page.__name__
            assert "Traceback" not in words
