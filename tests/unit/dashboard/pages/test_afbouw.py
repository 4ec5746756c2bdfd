import base64
import io
import shutil
from datetime import date

import openpyxl
import polars as pl
import pytest

from dashboard import data
from dashboard.components.cijfers import fmt_figuur
from dashboard.components.exports import export_file
from etl.loader import load_source
from queries.afbouw import stock_per_month
from queries.afbouw_projectie import WatAls, capacity, capacity_needed
from queries.besluiten import read_besluiten
from queries.config import DEFAULT_PATH
from queries.figuren import rond, waarde
from queries.gebruikers import Account
from queries.overdracht import transfer_proposal
from queries.rapportage import projection_sentence
from queries.scope import MANAGER, Viewer
from queries.tijd_in_crt import time_in_crt
from queries.werktoedeling import voorstel
from queries.werktoedeling_regels import regels_uit
from tests.frames import SAMPLE_EXPORT
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value, walk
from tests.unit.dashboard.logins import events, last_event_id


@pytest.fixture
def afbouw(app):
    from dashboard.pages import afbouw

    return afbouw


def region_targets(tmp_path, monkeypatch, lines: str):
    """The shipped norms with only these region targets, as the dashboard reads them."""
    path = tmp_path / "norms.toml"
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    table = "[afbouw.crt_doel_regio]\n"
    path.write_text(shipped[: shipped.index(table)] + table + lines, encoding="utf-8")
    monkeypatch.setenv("CASELOAD_CONFIG", str(path))
    data.config.cache_clear()
    return data.config()


@pytest.fixture
def groningen_target(tmp_path, monkeypatch):
    """A CRT target of 1 for Groningen only."""
    yield region_targets(tmp_path, monkeypatch, "Groningen = 1\n")
    data.config.cache_clear()


@pytest.fixture
def no_region_targets(tmp_path, monkeypatch):
    """No region has a CRT target of its own."""
    yield region_targets(tmp_path, monkeypatch, "")
    data.config.cache_clear()


def tile_texts(tree, tile_id: str) -> tuple[str, str, str | None]:
    """A tile's value, its sub line and its badge text (None without a badge)."""
    tile = find(tree, tile_id)
    badge = find_class(tile, "badge")
    return (
        tile_value(tree, tile_id),
        text(find_class(tile, "kpi-sub")),
        badge and badge.children[-1],
    )


def find_class(tree, class_name: str):
    return next(
        (n for n in walk(tree) if class_name in (getattr(n, "className", None) or "").split()),
        None,
    )


def goal_line(page) -> list | None:
    figure = find(page, "afbouw-crt-doel").figure
    return next((list(t["y"]) for t in figure["data"] if t["name"] == "Doel CRT"), None)


def test_tiles_and_projection_match_the_queries(afbouw, as_viewer):
    as_viewer("manager")
    page = afbouw.layout()
    stock = stock_per_month(data.snapshot(), MANAGER, EXPORT_DATE, data.config())
    assert tile_value(page, "tegel-crt") == str(stock["crt"][-1]) == "0"
    assert tile_value(page, "tegel-prognose") == "Doel bereikt"
    assert "heeft het doel van 40 maatregelen bereikt" in text(find(page, "afbouw-prognose"))
    # M2025-0102 went from the CRT (since 11 Jun) to a regular team on 1 Oct: 112 days.
    assert tile_value(page, "tegel-mediaan-crt") == "112 dagen"
    assert find(page, "afbouw-voorraad") is not None
    assert find(page, "afbouw-stromen") is not None


def test_one_render_computes_the_time_in_the_crt_once(afbouw, as_viewer, monkeypatch):
    as_viewer("manager")
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return time_in_crt(*args, **kwargs)

    monkeypatch.setattr(afbouw, "time_in_crt", counted)
    page = afbouw.layout(maanden="24")
    assert tile_value(page, "tegel-mediaan-crt") == "112 dagen"
    assert calls == [{"months": 24, "regio": None}]


def test_on_an_earlier_peildatum_the_crt_still_holds_the_measure(afbouw, as_viewer):
    as_viewer("manager")
    page = afbouw.layout(peildatum="2025-09-30", maanden="12")
    assert tile_value(page, "tegel-crt") == "1"
    assert tile_value(page, "tegel-mediaan-crt") == "–"


def test_tables_are_the_afbouw_queries(afbouw, as_viewer):
    as_viewer("manager")
    snap, cfg = data.snapshot(), data.config()
    proposal, _ = afbouw.proposal_table(MANAGER, {})
    placed = proposal.filter(pl.col("naar_medewerker_id").is_not_null())
    assert placed.equals(transfer_proposal(snap, MANAGER, EXPORT_DATE, cfg))
    room, _ = afbouw.capacity_table(MANAGER, {})
    assert room.equals(capacity(snap, MANAGER, EXPORT_DATE, cfg))
    stays, _ = afbouw.crt_table(MANAGER, {"maanden": "12"})
    expected = time_in_crt(snap, MANAGER, EXPORT_DATE, cfg, months=12).per_maatregel
    assert stays["maatregel_id"].to_list() == expected["maatregel_id"].to_list() == ["M2025-0102"]


def test_period_comes_from_a_fixed_list(afbouw):
    assert afbouw.months({"maanden": "12"}) == 12
    assert afbouw.months({"maanden": 36}) == 36
    assert afbouw.months({"maanden": "7"}) == afbouw.DEFAULT_MONTHS
    assert afbouw.months({"maanden": "veel"}) == afbouw.DEFAULT_MONTHS
    assert afbouw.resolved(MANAGER, {"peildatum": "2025-10-01"}) == {
        "peildatum": "2025-10-01",
        "maanden": 24,
        "regio": None,
        "extra_fte": None,
        "instroom": None,
        "doeldatum": None,
    }


def test_capacity_export_holds_every_region(afbouw, as_viewer):
    as_viewer("manager")
    file = export_file("afbouw_capaciteit", "xlsx", MANAGER, {"peildatum": "2025-10-31"})
    assert file["filename"] == "afbouw_capaciteit_2025-10-31.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = capacity(data.snapshot(), MANAGER, date(2025, 10, 31), data.config())
    assert rows[0][0] == "Regio"
    assert [r[0] for r in rows[1:]] == expected["regio"].to_list()


def test_slicer_recomputes_and_writes_the_url(afbouw, as_viewer):
    as_viewer("manager")
    as_is = [None, None, None]
    body, search, shown, *_ = afbouw.STATE.from_controls(
        MANAGER, ["2025-09-30", 12, None, *as_is], {}
    )
    assert search == "?peildatum=2025-09-30&maanden=12"
    assert tile_value(body, "tegel-crt") == "1"
    values = ["2025-09-30", 12, "Drenthe", *as_is]
    body, search, shown, *_ = afbouw.STATE.from_controls(MANAGER, values, {})
    assert search == "?peildatum=2025-09-30&maanden=12&regio=Drenthe"
    assert shown["regio"] == "Drenthe"
    assert tile_value(body, "tegel-crt") == "0"


def test_region_slicer_filters_every_figure(afbouw, as_viewer):
    as_viewer("manager")
    snap, cfg = data.snapshot(), data.config()
    day = date(2025, 9, 30)
    page = afbouw.layout(peildatum=day.isoformat(), regio="Drenthe")
    assert find(page, "afbouw-regio").value == "Drenthe"
    drenthe = stock_per_month(snap, MANAGER, day, cfg, months=1, regio="Drenthe").row(0, named=True)
    groningen = stock_per_month(snap, MANAGER, day, cfg, months=1, regio="Groningen")
    # 30 Sep: the CRT (a Groningen team) still holds M2025-0102; Drenthe holds only M2025-0103.
    assert (drenthe["crt"], groningen["crt"][0]) == (0, 1)
    assert tile_value(page, "tegel-crt") == str(drenthe["crt"])
    assert tile_value(page, "tegel-ccp") == str(drenthe["ccp"])
    stock = find(page, "afbouw-voorraad").figure
    [crt_line] = [list(t["y"]) for t in stock["data"] if t["name"] == "CRT"]
    assert sum(crt_line) == 0
    # M2025-0102 went to Team Stad in Groningen: no transfer out of the CRT for Drenthe.
    later = {"peildatum": "2025-10-31", "maanden": "12"}
    assert tile_value(afbouw.layout(**later, regio="Drenthe"), "tegel-mediaan-crt") == "–"
    assert tile_value(afbouw.layout(**later, regio="Groningen"), "tegel-mediaan-crt") == (
        "112 dagen"
    )
    room, _ = afbouw.capacity_table(MANAGER, {"regio": "Drenthe"})
    assert room.equals(capacity(snap, MANAGER, EXPORT_DATE, cfg, regio="Drenthe"))
    assert room["regio"].to_list() == ["Drenthe"]
    file = export_file("afbouw_capaciteit", "xlsx", MANAGER, {"regio": "Drenthe"})
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active
    assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == ["Drenthe"]


def test_a_region_without_its_own_target_shows_no_target(afbouw, as_viewer, no_region_targets):
    as_viewer("manager")
    assert no_region_targets.crt_doel_regio == ()
    day = "2025-09-30"
    page = afbouw.layout(peildatum=day, regio="Groningen")
    # No region targets: no badge, and the organisation's 40 only named.
    assert tile_texts(page, "tegel-crt") == (
        "1",
        "geen regiodoel ingesteld · organisatiedoel 40",
        None,
    )
    assert "kpi-neutraal" in find(page, "tegel-crt").className
    assert tile_texts(page, "tegel-prognose") == ("–", "geen regiodoel ingesteld", None)
    assert goal_line(page) is None
    assert text(find(page, "afbouw-prognose")) == projection_sentence(
        data.snapshot(), MANAGER, date(2025, 9, 30), data.config(), regio="Groningen"
    )
    assert text(find(page, "afbouw-prognose")).startswith("Geen prognose voor Groningen")
    # The organisation keeps its own target.
    whole = afbouw.layout(peildatum=day)
    assert tile_texts(whole, "tegel-crt") == ("1", "doel 40", "Op doel")
    assert goal_line(whole) == [40] * 24


def test_a_region_with_its_own_target_is_measured_against_it(afbouw, as_viewer, groningen_target):
    as_viewer("manager")
    assert groningen_target.crt_doel_regio == (("Groningen", 1),)
    page = afbouw.layout(peildatum="2025-09-30", maanden="12", regio="Groningen")
    assert tile_texts(page, "tegel-crt") == ("1", "doel 1 (regio)", "Op doel")
    assert tile_value(page, "tegel-prognose") == "Doel bereikt"
    assert goal_line(page) == [1] * 12
    assert text(find(page, "afbouw-prognose")) == (
        "Het CRT in Groningen heeft het regiodoel van 1 maatregel bereikt (1 nu)."
    )
    # Drenthe has no target of its own, also when Groningen has one.
    drenthe = afbouw.layout(peildatum="2025-09-30", regio="Drenthe")
    assert tile_texts(drenthe, "tegel-crt")[1:] == (
        "geen regiodoel ingesteld · organisatiedoel 40",
        None,
    )
    assert goal_line(drenthe) is None


def test_crt_tile_over_the_region_target(afbouw):
    tile = afbouw.crt_tile(3, 2, "Drenthe", 40)
    assert tile_texts(tile, "tegel-crt") == ("3", "doel 2 (regio)", "Boven doel")
    assert "kpi-binnenkort" in tile.className


def test_only_the_mt_and_teammanagers_open_it(afbouw, as_viewer):
    assert afbouw.ROLES == ("manager", "teammanager")
    for role, who in (("jeugdzorgwerker", "1001"), ("praktijkbegeleider", "2001")):
        as_viewer(role, who)
        assert "niet bedoeld voor uw rol" in text(afbouw.layout())


# Teammanager 2001 leads Team Stad, in Groningen (as does the CRT).
TEAMMANAGER = Viewer("teammanager", "2001")


def test_a_teammanager_reads_the_whole_of_their_own_region(afbouw, as_viewer):
    as_viewer(TEAMMANAGER.role, TEAMMANAGER.medewerker_id)
    snap, cfg, day = data.snapshot(), data.config(), date(2025, 9, 30)
    page = afbouw.layout(peildatum=day.isoformat())
    slicer = find(page, "afbouw-regio")
    assert (slicer.value, slicer.disabled, slicer.options) == (
        "Groningen",
        True,
        [{"label": "Groningen", "value": "Groningen"}],
    )
    # The region's CRT, which holds no measure of the teammanager's own team.
    groningen = stock_per_month(snap, MANAGER, day, cfg, months=1, regio="Groningen")
    assert tile_value(page, "tegel-crt") == str(groningen["crt"][0]) == "1"
    room, _ = afbouw.capacity_table(TEAMMANAGER, {"peildatum": day.isoformat()})
    assert room.equals(capacity(snap, MANAGER, day, cfg, regio="Groningen"))
    assert afbouw.resolved(TEAMMANAGER, {})["regio"] == "Groningen"
    # MT sees every region.
    every, _ = afbouw.capacity_table(MANAGER, {"peildatum": day.isoformat()})
    assert every["regio"].to_list() == ["Drenthe", "Groningen"]


def test_a_teammanager_asking_for_another_region_gets_their_own_and_a_refusal(
    afbouw, as_viewer, sample_url
):
    as_viewer(TEAMMANAGER.role, TEAMMANAGER.medewerker_id)
    before = last_event_id(sample_url)
    asked = {"peildatum": "2025-09-30", "regio": "Drenthe"}
    page = afbouw.layout(**asked)
    assert find(page, "afbouw-regio").value == "Groningen"
    assert tile_value(page, "tegel-crt") == "1"
    for table in ("afbouw_capaciteit", "afbouw_capaciteit_nodig"):
        file = export_file(table, "xlsx", TEAMMANAGER, asked)
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active
        assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == ["Groningen"]
    body, search, *_ = afbouw.STATE.from_controls(
        TEAMMANAGER, ["2025-09-30", 24, "Drenthe", None, None, None], {}
    )
    assert tile_value(body, "tegel-crt") == "1"
    log = events(sample_url, before).filter(pl.col("actie") == "geweigerd")
    assert log.select("onderwerp", "details").unique().rows() == [
        ("afbouw regio=Drenthe", "regio buiten de eigen regio (teammanager)")
    ]
    # Their own region is no refusal.
    before = last_event_id(sample_url)
    afbouw.layout(peildatum="2025-09-30", regio="Groningen")
    assert events(sample_url, before).filter(pl.col("actie") == "geweigerd").is_empty()


def test_the_capacity_table_is_the_query_at_the_urls_what_if(afbouw, as_viewer):
    as_viewer("manager")
    snap, cfg = data.snapshot(), data.config()
    params = {"extra_fte": "1.5", "instroom": "4", "doeldatum": "2026-06-30"}
    chosen = WatAls(1.5, 4.0, date(2026, 6, 30))
    assert afbouw.what_if(params, EXPORT_DATE) == chosen
    df, _ = afbouw.needed_table(MANAGER, params)
    expected = capacity_needed(snap, MANAGER, EXPORT_DATE, cfg, None, chosen)
    assert df["capaciteit_tekort_fte"].to_list() == (
        rond(expected)["capaciteit_tekort_fte"].to_list()
    )
    assert afbouw.resolved(MANAGER, params) | {"peildatum": None} == {
        "peildatum": None,
        "maanden": 24,
        "regio": None,
        "extra_fte": 1.5,
        "instroom": 4.0,
        "doeldatum": "2026-06-30",
    }
    # Out of range, no number, a target date not after the peildatum: as it is.
    wrong = {"extra_fte": "1e9", "instroom": "veel", "doeldatum": "2025-10-31"}
    assert afbouw.what_if(wrong, EXPORT_DATE) == WatAls()
    assert afbouw.what_if({"extra_fte": "2.5"}, EXPORT_DATE).extra_fte == 2.5


def test_the_forecast_tile_names_a_month_only_without_a_shortfall(afbouw, as_viewer):
    as_viewer("manager")
    snap, cfg = data.snapshot(), data.config()
    assert cfg.crt_doel_regio == (("Drenthe", 18), ("Groningen", 22))
    # As it is the CRT is empty and every region has room: the target is reached.
    page = afbouw.layout()
    assert tile_value(page, "tegel-prognose") == "Doel bereikt"
    # Thirty more a month into the CRT to the end of June outgrow the room.
    params = {"instroom": "30", "doeldatum": "2026-06-30"}
    page = afbouw.layout(**params)
    needed = capacity_needed(
        snap, MANAGER, EXPORT_DATE, cfg, None, WatAls(0, 30, date(2026, 6, 30))
    )
    short = needed["capaciteit_tekort_maatregelen"].sum()
    fte = needed["capaciteit_tekort_fte"].sum()
    assert short > 0
    tile = find(page, "tegel-prognose")
    assert " ".join(text(tile_value(page, "tegel-prognose")).split()) == (
        f"tekort: {fmt_figuur('capaciteit_tekort_maatregelen', short)} maatregelen / "
        f"{fmt_figuur('capaciteit_tekort_fte', fte)}"
    )
    assert "Te weinig ruimte" in text(tile)
    grid = find(page, "afbouw-capaciteit-nodig")
    rows = {r["regio"]: r for r in grid.rowData}
    assert sum(r["capaciteit_tekort_maatregelen"] for r in rows.values()) == pytest.approx(
        rond(needed)["capaciteit_tekort_maatregelen"].sum()
    )
    # The same render in one region without a shortfall shows its month again.
    calm = afbouw.layout(regio="Drenthe", instroom="-5")
    assert tile_value(calm, "tegel-prognose") == "Doel bereikt"


# Decisions on the proposal, on the JBN demo: the sample export proposes no transfer.
MT = Account("mt", "manager", "1157")


def teammanager_of(team_id: str) -> Account:
    staff = data.snapshot()["medewerkers"]
    boss = staff.filter((pl.col("team_id") == team_id) & (pl.col("functie") == "teammanager"))
    return Account(f"tm-{team_id}", "teammanager", boss["medewerker_id"][0])


def pairs(frame: pl.DataFrame) -> set[tuple[str, str]]:
    return set(frame.select("maatregel_id", "naar_medewerker_id").iter_rows())


def test_the_proposal_shows_the_unplaceable_measures_and_the_shortfall(afbouw, jbn):
    snap, cfg = data.snapshot(), data.config()
    expected = voorstel(snap, MANAGER, snap.export_date, cfg, "afbouw")
    section = afbouw.proposal_section(MANAGER, {})
    rows = find(section, "afbouw-voorstel").rowData
    unplaced = [r for r in rows if r["naar_medewerker_id"] is None]
    assert len(rows) == expected.height
    assert unplaced and all(r["reden"] for r in unplaced)
    assert [r["naar_medewerker_id"] is None for r in rows] == sorted(
        r["naar_medewerker_id"] is None for r in rows
    )
    shortfall = expected["naar_medewerker_id"].null_count()
    assert tile_value(section, "tegel-niet_plaatsbaar_na_besluiten") == fmt_figuur(
        "niet_plaatsbaar_na_besluiten", shortfall
    )


def rule_notes(section) -> list[str]:
    return [n.id for n in walk(section) if str(getattr(n, "id", "")).startswith("afbouw-regel-uit")]


def test_the_rules_are_on_while_the_export_has_skj_and_vog_dates(afbouw, jbn):
    assert regels_uit(data.snapshot(), data.config()) == ()
    assert rule_notes(afbouw.proposal_section(MANAGER, {})) == []


def test_an_export_without_skj_dates_switches_that_rule_off_and_says_so(
    afbouw, app, tmp_path, as_viewer
):
    source = tmp_path / "export"
    shutil.copytree(SAMPLE_EXPORT, source)
    staff = pl.read_csv(source / "medewerkers.csv", infer_schema=False)
    staff.with_columns(pl.lit(None, pl.String).alias("skj_geldig_tot")).write_csv(
        source / "medewerkers.csv"
    )
    url = f"sqlite:///{tmp_path / 'zonder-skj.sqlite'}"
    assert load_source(source, url, EXPORT_DATE, False, demo=True).status == "geslaagd"
    data.configure(url)
    as_viewer("manager")
    section = afbouw.proposal_section(MANAGER, {})
    assert rule_notes(section) == ["afbouw-regel-uit-skj"]
    note = find(section, "afbouw-regel-uit-skj")
    assert text(note) == "De export heeft geen SKJ-datums: die regel staat uit."


def test_a_teammanager_accepts_into_the_own_team(afbouw, jbn):
    row = afbouw.decidable(MANAGER, {}).row(0, named=True)
    tm = teammanager_of(row["naar_team_id"])
    assert row["maatregel_id"] in afbouw.decidable(tm.viewer, {})["maatregel_id"]
    message = afbouw.decide(tm, {}, row["maatregel_id"], "geaccepteerd", " past bij de wijk ")
    assert "Vastgelegd" in text(message)
    kept = read_besluiten(data.engine())
    assert kept.select(
        "maatregel_id", "naar_medewerker_id", "besluit", "reden", "besloten_door"
    ).rows() == [
        (
            row["maatregel_id"],
            row["naar_medewerker_id"],
            "geaccepteerd",
            "past bij de wijk",
            tm.gebruikersnaam,
        )
    ]
    stand = find(afbouw.decisions_section(tm.viewer, {}), "afbouw-besluiten-stand").rowData
    assert [(r["maatregel_id"], r["status_tekst"]) for r in stand] == [
        (row["maatregel_id"], "wacht")
    ]


def test_a_teammanager_of_another_team_gets_no_buttons_and_is_refused(afbouw, jbn):
    row = afbouw.decidable(MANAGER, {}).row(0, named=True)
    others = data.snapshot()["teams"].filter(
        (pl.col("soort") == "regulier")
        & (pl.col("team_id") != row["naar_team_id"])
        & (pl.col("regio") == row["regio"])
    )
    tm = teammanager_of(others["team_id"][0])
    assert afbouw.decidable(tm.viewer, {}).height == 0
    assert find(afbouw.decision_controls(tm.viewer, {}), "afbouw-accepteren") is None
    before = last_event_id(jbn)
    message = afbouw.decide(tm, {}, row["maatregel_id"], "geaccepteerd", None)
    assert "Niet vastgelegd" in text(message) and "eigen team" in text(message)
    assert read_besluiten(data.engine()).height == 0
    log = events(jbn, before)
    assert log.select("gebruikersnaam", "actie").rows() == [(tm.gebruikersnaam, "geweigerd")]


def test_mt_decides_any_and_the_decisions_shape_the_next_proposal(afbouw, jbn):
    placed = afbouw.decidable(MANAGER, {})
    assert placed.height >= 2
    accepted, rejected = placed.row(0, named=True), placed.row(1, named=True)
    assert "Vastgelegd" in text(
        afbouw.decide(MT, {}, accepted["maatregel_id"], "geaccepteerd", None)
    )
    assert "Vastgelegd" in text(afbouw.decide(MT, {}, rejected["maatregel_id"], "afgewezen", "x"))
    after = afbouw.proposal(MANAGER, {})
    assert accepted["maatregel_id"] not in after["maatregel_id"]
    assert (rejected["maatregel_id"], rejected["naar_medewerker_id"]) not in pairs(after)
    assert rejected["maatregel_id"] in after["maatregel_id"]
    figures = afbouw.decisions_section(MANAGER, {})
    assert tile_value(figures, "tegel-besluiten_wacht") == fmt_figuur("besluiten_wacht", 1)


def test_a_forged_choice_outside_the_proposal_is_not_recorded(afbouw, jbn):
    message = afbouw.decide(MT, {}, "M-bestaat-niet", "geaccepteerd", None)
    assert "niet meer in het voorstel" in text(message)
    assert read_besluiten(data.engine()).height == 0


def test_the_capacity_table_the_tiles_and_the_proposal_agree_on_the_jbn_demo(afbouw, jbn):
    snap, cfg = data.snapshot(), data.config()
    assert snap.export_date == date(2026, 3, 4)
    rows = find(afbouw.capacity_section(MANAGER, {}), "afbouw-capaciteit").rowData
    proposal = voorstel(snap, MANAGER, snap.export_date, cfg, "afbouw")
    placed = proposal.filter(pl.col("naar_medewerker_id").is_not_null())
    can_move = sum(r["voorstel_aantal"] for r in rows)
    assert (
        can_move == placed.height == waarde("voorstel_aantal", snap, MANAGER, snap.export_date, cfg)
    )
    assert sum(r["niet_plaatsbaar"] for r in rows) == proposal.height - placed.height
    # Without decisions the page's proposal tile is the planner's count.
    section = afbouw.proposal_section(MANAGER, {})
    assert tile_value(section, "tegel-voorstel_te_beslissen") == fmt_figuur(
        "voorstel_te_beslissen", can_move
    )
    per_regio = dict(placed.group_by("regio").len().iter_rows())
    assert {r["regio"]: r["voorstel_aantal"] for r in rows if r["voorstel_aantal"]} == per_regio
    fte = dict(snap["medewerkers"].select("medewerker_id", "fte").iter_rows())
    buffer = cfg.werktoedeling_buffer_per_fte
    assert all(
        r["ruimte_na"] >= buffer * fte[r["naar_medewerker_id"]] - 1e-9
        for r in placed.iter_rows(named=True)
    )
    # What can move fits in the room the table shows above the buffer, region by region.
    for r in rows:
        moved = placed.filter(pl.col("regio") == r["regio"])["gewicht"].sum()
        assert moved <= r["vrije_ruimte"] + 1e-9
