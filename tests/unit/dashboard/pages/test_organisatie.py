import base64
import io
from datetime import date

import flask
import openpyxl
import polars as pl
import pytest

from dashboard import data
from dashboard.app import create_app
from dashboard.components import widgets as w
from dashboard.components.exports import export_file
from queries.caseload import caseload_by
from queries.figuren import REGISTER, waarde
from queries.figuur import Filters
from queries.rapportage import kpi_comparison
from queries.scope import MANAGER
from queries.tijdigheid import timeliness
from store.engine import make_engine
from store.schema import metadata
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import drawn_deferred, figuur_value, find, text, tile_value


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
    # On 1 November nothing started in October or November: September (M0101) is the latest
    # start month that is not lopend, against August (M0103).
    assert tile_value(page, "tegel-eerste_contact_tijdig_pct") == "100,0%"
    first = text(find(page, "tegel-eerste_contact_tijdig_pct"))
    assert "gestart in september 2025; vorige maand 100,0%" in first
    cohort = text(find(page, "tegel-plan_tijdig_pct_cohort"))
    assert "gestart vanaf 01-07-2025" in cohort
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
    body, *_ = org.STATE.from_controls(MANAGER, ["2025-11-01", "2025-07-01", "Groningen", None], {})
    assert tile_value(body, "tegel-risicotaxatie_actueel_pct") == "50,0%"


def test_trend_badge_knows_which_way_is_better(org):
    row = {"kpi": "gem_dagen_eerste_contact", "nu": 8.0, "vorige_maand": 10.5, "hoger_beter": False}
    assert org.trend_badge(row) == ("tijdig", "−2,5 dagen")
    row = {"kpi": "plan_tijdig_pct", "nu": 60.0, "vorige_maand": 62.5, "hoger_beter": True}
    assert org.trend_badge(row) == ("verlopen", "−2,5 pt")
    assert org.trend_badge(row | {"vorige_maand": None}) == (None, None)
    assert org.trend_badge(row | {"vorige_maand": 60.0}) == (None, None)


def test_lopende_start_month_is_drawn_apart_from_the_finished_ones(org, as_viewer):
    as_viewer("manager")
    # On 4 September M0101 (started 2 Sep) has its first-contact deadline still open.
    figure = find(org.layout(peildatum="2025-09-04"), "organisatie-trend-aandelen").figure
    lines = {t["name"]: t["y"] for t in figure["data"]}
    trend = org.organisation_trend(data.snapshot(), MANAGER, date(2025, 9, 4), data.config())
    assert trend["eerste_contact_lopend"][-1] is True
    assert lines["Eerste contact tijdig"][-1] is None
    # August is finished: it is on the main line and not on the lopende one.
    assert lines["Eerste contact tijdig (startmaand loopt nog)"][-2] is None
    assert lines["Eerste contact tijdig"][-2] == 100.0
    # 1 November: nothing started in November, so no point at all; the stock lines go on.
    figure = find(org.layout(), "organisatie-trend-aandelen").figure
    lines = {t["name"]: t["y"] for t in figure["data"]}
    assert lines["Eerste contact tijdig"][-1] is None
    assert lines["Plan van aanpak tijdig"][-1] == 66.7


def test_regions_link_to_their_own_view(org, as_viewer):
    as_viewer("manager")
    df, columns = org.region_table(MANAGER, {})
    expected = caseload_by(data.snapshot(), MANAGER, EXPORT_DATE, data.config(), level="regio")
    assert df["regio"].to_list() == expected["regio"].to_list() == ["Drenthe", "Groningen"]
    assert df["caseload_actief"].to_list() == expected["actief"].to_list()
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
    values = ["2025-11-01", "2025-07-01", "Drenthe", None]
    body, search, shown, *_ = org.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-11-01&cohort=2025-07-01&regio=Drenthe"
    assert shown == {
        "peildatum": "2025-11-01", "cohort": "2025-07-01", "regio": "Drenthe", "soort": None,
    }  # fmt: skip
    assert "Teams in Drenthe" in text(body)
    assert [r["team_id"] for r in find(body, "organisatie-organisatie_teams").rowData] == ["DRE-A"]


def test_soort_slicer_offers_the_groups_and_each_soort(org, as_viewer):
    as_viewer("manager")
    slicer = find(org.layout(soort="JR"), "organisatie-soort")
    assert slicer.value == "JR"
    assert slicer.placeholder == "Alle soorten"
    assert [o["label"] for o in slicer.options] == [
        "Jeugdbescherming", "OTS", "VOTS", "Voogdij", "Voorlopige voogdij", "Jeugdreclassering",
    ]  # fmt: skip
    assert find(org.layout(soort="onzin"), "organisatie-soort").value is None


def test_tiles_for_jeugdreclassering_differ_from_all(org, as_viewer):
    as_viewer("manager")

    def expected(soort):
        got = kpi_comparison(data.snapshot(), MANAGER, EXPORT_DATE, data.config(), soort=soort)
        return dict(got.select("kpi", "nu").rows())

    everything, jr = expected(None), expected("JR")
    # JR is M0103 alone, a current LIJ of 22 August: 100% where all measures have 66,7%.
    assert (everything["risicotaxatie_actueel_pct"], jr["risicotaxatie_actueel_pct"]) == (
        66.7,
        100.0,
    )
    page = org.layout(soort="JR")
    for kpi in ("risicotaxatie_actueel_pct", "plan_tijdig_pct", "vaste_jzw_pct"):
        assert tile_value(page, f"tegel-{kpi}") == w.fmt_pct(jr[kpi]), kpi
    assert tile_value(org.layout(), "tegel-risicotaxatie_actueel_pct") == "66,7%"
    assert "tellen alleen de maatregelen jeugdreclassering" in text(page)
    assert find(org.layout(), "organisatie-soort-uitleg") is None


def test_soort_slicer_round_trips_through_the_url(org, as_viewer):
    as_viewer("manager")
    values = ["2025-11-01", "2025-07-01", None, "JR"]
    body, search, shown, *_ = org.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-11-01&cohort=2025-07-01&soort=JR"
    assert shown == {
        "peildatum": "2025-11-01",
        "cohort": "2025-07-01",
        "regio": None,
        "soort": "JR",
    }
    assert tile_value(body, "tegel-risicotaxatie_actueel_pct") == "100,0%"
    # Back to a link with JB in Drenthe: the slicers move to it, the body follows.
    body, _, shown, peildatum, cohort, regio, soort = org.STATE.from_url(
        MANAGER, "?regio=Drenthe&soort=JB&cohort=2025-08-01", "/organisatie", shown
    )
    assert (peildatum, cohort, regio, soort) == ("2025-11-01", "2025-08-01", "Drenthe", "JB")
    # Drenthe holds no JB measure: no share to show.
    assert tile_value(body, "tegel-risicotaxatie_actueel_pct") == "–"
    # An unknown soort in a link reads as all soorten.
    *_, soort = org.STATE.from_url(MANAGER, "?soort=xx", "/organisatie", shown)
    assert soort is None


def test_tables_filter_timeliness_by_soort_but_not_caseload(org, as_viewer):
    as_viewer("manager")
    params = {"soort": "JR"}
    teams, _ = org.team_table(MANAGER, params)
    everything, _ = org.team_table(MANAGER, {})
    load = [
        "team_id", "jeugdzorgwerkers", "caseload_fte", "caseload_actief", "caseload_gewogen",
        "caseload_ruimte", "medewerkers_boven_norm",
    ]  # fmt: skip
    assert teams.select(load).equals(everything.select(load))
    expected = timeliness(
        data.snapshot(), MANAGER, EXPORT_DATE, data.config(), by="team_id", soort="JR"
    )
    # JR is held by DRE-A alone; the other teams have no JR timeliness.
    assert expected["team_id"].to_list() == ["DRE-A"]
    got = dict(teams.select("team_id", "risicotaxatie_actueel_pct").rows())
    assert got == {"CRT": None, "DRE-A": 100.0, "GRN-A": None}
    regions, _ = org.region_table(MANAGER, params)
    # Jeugdreclassering's plan (M0103, tijdig) fell due in Drenthe; Groningen had none.
    assert dict(regions.select("regio", "plan_tijdig_pct_houder").rows()) == {
        "Drenthe": 100.0,
        "Groningen": None,
    }
    assert regions["regio_href"][0] == "/organisatie?regio=Drenthe&peildatum=2025-11-01&soort=JR"
    section = org.comparison_section(MANAGER, params)
    assert "Tijdigheid over de maatregelen jeugdreclassering" in text(section)
    assert "De caseloadkolommen tellen alle maatregelen." in text(section)
    assert "caseloadkolommen" not in text(org.comparison_section(MANAGER, {}))


def test_team_export_follows_the_soort(org, as_viewer):
    as_viewer("manager")
    file = export_file("organisatie_teams", "xlsx", MANAGER, {"soort": "JR"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active.iter_rows(
            values_only=True
        )
    )
    back = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    got = dict(back.select("Team", "RT actueel (inspectie)").rows())
    assert got == {"Casus Regie Team": None, "Team Zuid": 100.0, "Team Stad": None}


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


INSPECTIE_KEYS = (
    "gezien_6w_pct", "gezien_6w_pct_vaste_jzw", "gezien_6w_pct_ccp", "gezien_6w_pct_crt",
    "gezien_6w_pct_niet_toegewezen", "niet_gezien_6w", "plan_besproken_jeugdige_pct",
    "plan_besproken_ouders_pct", "voogdij_op_norm_pct", "hulp_gestart_12m",
    "hulp_wachttijd_mediaan", "hulp_wachtend", "hulp_wachtend_lang_pct",
)  # fmt: skip


def test_inspection_sections_show_the_registered_figures(org, as_viewer):
    as_viewer("manager")
    page = drawn_deferred(org, org.layout(), MANAGER)
    snap, cfg = data.snapshot(), data.config()
    for key in INSPECTIE_KEYS:
        expected = waarde(key, snap, MANAGER, EXPORT_DATE, cfg)
        assert figuur_value(page, key) == w.fmt_figuur(key, expected), key
    # By hand on the sample: no child seen since 20 September; plans PL1 and PL3 discussed
    # with the jeugdige, PL1 and PL2 with the ouders; the voogdij contact was due 2 October;
    # HU2 took 16 days, HU1 waits since 20 September.
    shown = {k: figuur_value(page, k) for k in INSPECTIE_KEYS}
    assert (shown["gezien_6w_pct"], shown["niet_gezien_6w"]) == ("0,0%", "3")
    assert shown["gezien_6w_pct_crt"] == "–"
    assert (shown["plan_besproken_jeugdige_pct"], shown["plan_besproken_ouders_pct"]) == (
        "66,7%", "66,7%",
    )  # fmt: skip
    assert shown["voogdij_op_norm_pct"] == "0,0%"
    assert (shown["hulp_wachttijd_mediaan"], shown["hulp_wachtend"]) == ("16,0 dagen", "1")
    assert shown["hulp_wachtend_lang_pct"] == "0,0%"


def test_inspection_sections_follow_the_region(org, as_viewer):
    as_viewer("manager")
    page = drawn_deferred(org, org.layout(regio="Drenthe"), MANAGER)
    # Drenthe holds M2025-0103 only: its plan was not discussed with the ouders.
    assert figuur_value(page, "niet_gezien_6w") == "1"
    assert figuur_value(page, "plan_besproken_ouders_pct") == "0,0%"
    assert figuur_value(page, "hulp_wachtend") == "0"


def test_not_seen_list_and_help_tables(org, as_viewer):
    as_viewer("manager")
    df, columns = org.niet_gezien_table(MANAGER, {})
    assert sorted(df["maatregel_id"]) == ["M2025-0101", "M2025-0102", "M2025-0103"]
    assert set(df["houder_naam"]) == {"Vaste jeugdzorgwerker"}
    assert "dagen_sinds_gezien" in [c["field"] for c in columns]
    soort, columns = org.hulp_per_soort(MANAGER, {})
    assert soort.select("hulp_soort", "hulp_wachttijd_mediaan", "hulp_wachtend").rows() == [
        ("gezinsbehandeling", None, 1), ("pleegzorg", 16.0, 0),
    ]  # fmt: skip
    assert {"hulp_wachttijd_mediaan", "hulp_wachtend_lang_pct"} <= {c["field"] for c in columns}
    gemeente, _ = org.hulp_per_gemeente(MANAGER, {})
    assert gemeente["gemeente"].to_list() == ["Groningen", "Hoogeveen"]


@pytest.mark.parametrize("soort", [None, "JB"])
def test_region_and_team_timeliness_are_the_registered_figures(org, as_viewer, soort):
    as_viewer("manager")
    params = {"soort": soort} if soort else {}
    fields = [c["field"] for c in org._TIMELINESS]
    assert all(f in REGISTER for f in fields)
    for table, by, key in (
        (org.region_table, "regio", "regio"),
        (org.team_table, "team_id", "team_id"),
    ):
        df, _ = table(MANAGER, params)
        for row in df.iter_rows(named=True):
            scope = Filters(soort=soort, **{key: row[by]})
            for field in fields:
                expected = waarde(
                    field, data.snapshot(), MANAGER, EXPORT_DATE, data.config(), scope
                )
                assert row[field] == expected, (row[by], field)
