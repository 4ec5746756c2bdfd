import io
from dataclasses import replace
from datetime import date

import openpyxl
import polars as pl
import pytest

from queries.afbouw import flows_per_month
from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.hulp import hulp_wachttijd
from queries.kpis import kpis
from queries.rapportage import (
    KPI_TILES,
    SHEETS,
    SUMMARY_KEYS,
    about_frame,
    column_name,
    comparison_from_trend,
    flows_since_start,
    kpi_comparison,
    month_label,
    month_labels,
    months_since,
    organisation_trend,
    progress_report,
    projection_sentence,
    report_keys,
    report_xlsx,
    section_definition,
)
from queries.scope import MANAGER, Viewer
from queries.zicht import gezien_per_houder
from tests.frames import sample_snapshot
from tests.unit.queries.test_afbouw import AS_OF as AFBOUW_DAY
from tests.unit.queries.test_afbouw import region_world

CONFIG = Config()
D = date.fromisoformat
PEIL = D("2025-10-31")
SINCE = D("2025-08-01")


@pytest.fixture(scope="module")
def snap():
    return sample_snapshot()


@pytest.fixture(scope="module")
def report(snap):
    return progress_report(snap, MANAGER, PEIL, CONFIG, SINCE)


def test_month_helpers():
    assert month_label("2026-02") == "februari 2026"
    assert month_label("2025-12") == "december 2025"
    months = [f"{y}-{m:02d}" for y in (2020, 2026) for m in range(1, 13)]
    labels = pl.select(month_labels(pl.Series(months))).to_series().to_list()
    assert labels == [month_label(m) for m in months]
    assert months_since(D("2025-08-15"), D("2025-10-31")) == 3
    assert months_since(D("2024-11-01"), D("2025-10-01")) == 12
    assert months_since(D("2025-10-01"), D("2025-10-31")) == 1


def test_organisation_trend_adds_the_share_with_a_vaste_jzw(snap):
    trend = organisation_trend(snap, MANAGER, PEIL, CONFIG, months=3)
    assert trend["maand"].to_list() == ["2025-08", "2025-09", "2025-10"]
    # 31 Aug: M0103 with a vaste jzw, M0102 in the CRT; 30 Sep: M0101 joins; 31 Oct: M0102
    # moved to a regular team on 1 Oct.
    assert trend["vaste_jzw_pct"].to_list() == [50.0, 66.7, 100.0]


def test_kpi_comparison_is_now_last_month_and_last_year(snap):
    got = kpi_comparison(snap, MANAGER, PEIL, CONFIG)
    assert got["kpi"].to_list() == list(KPI_TILES)
    row = {r["kpi"]: r for r in got.iter_rows(named=True)}
    now = kpis(snap, MANAGER, PEIL, CONFIG)
    before = kpis(snap, MANAGER, D("2025-09-30"), CONFIG)
    # The report shows the figure at its decimals; kpis gives it unrounded.
    assert row["plan_tijdig_pct"]["nu"] == 66.7
    assert now["plan_tijdig_pct"] == pytest.approx(100 * 2 / 3)
    assert row["plan_tijdig_pct"]["vorige_maand"] == before["plan_tijdig_pct"] == 50.0
    # First contact is headed by the latest start month that is not lopend: none started in
    # October, so September (M0101, contact on day 3), against August (M0103, 7 days).
    assert row["eerste_contact_tijdig_pct"]["maand"] == "2025-09"
    assert row["eerste_contact_tijdig_pct"]["nu"] == 100.0
    assert row["gem_dagen_eerste_contact"]["nu"] == 3.0
    assert row["gem_dagen_eerste_contact"]["vorige_maand"] == 7.0
    # October 2024: nothing had started yet.
    assert row["vaste_jzw_pct"]["vorig_jaar"] is None
    assert row["gem_dagen_eerste_contact"]["hoger_beter"] is False


def test_kpi_comparison_of_one_soort(snap):
    def now(soort):
        got = kpi_comparison(snap, MANAGER, PEIL, CONFIG, soort=soort)
        return {r["kpi"]: r for r in got.iter_rows(named=True)}

    jr, jb = now("JR"), now("JB")
    # Jeugdreclassering is M0103 alone: plan tijdig, a current LIJ; 100% where all have 66,7%.
    assert jr["risicotaxatie_actueel_pct"]["nu"] == 100.0
    assert jb["risicotaxatie_actueel_pct"]["nu"] == 50.0
    assert (
        jr["plan_tijdig_pct"]["nu"]
        == kpis(snap, MANAGER, PEIL, CONFIG, soort="JR")["plan_tijdig_pct"]
    )
    # 30 Sep: M0102 (voogdij) was in the CRT, so half of JB had a vaste jzw; JR all along.
    assert (jb["vaste_jzw_pct"]["vorige_maand"], jb["vaste_jzw_pct"]["nu"]) == (50.0, 100.0)
    assert (jr["vaste_jzw_pct"]["vorige_maand"], jr["vaste_jzw_pct"]["nu"]) == (100.0, 100.0)


def test_first_contact_is_compared_on_full_start_months(snap):
    got = kpi_comparison(snap, MANAGER, D("2025-10-15"), CONFIG)
    row = {r["kpi"]: r for r in got.iter_rows(named=True)}
    # Mid-October: September is the last full start month (M0101, contact after 3 days) and
    # August the one before (M0103, 7 days).
    contact = row["gem_dagen_eerste_contact"]
    assert (contact["maand"], contact["nu"], contact["vorige_maand"]) == ("2025-09", 3.0, 7.0)
    assert row["plan_tijdig_pct"]["maand"] == "2025-10"
    month_end = kpi_comparison(snap, MANAGER, D("2025-09-30"), CONFIG)
    assert month_end.filter(pl.col("kpi") == "gem_dagen_eerste_contact")["nu"][0] == 3.0


def test_comparison_of_a_short_trend_has_no_earlier_values(snap):
    short = organisation_trend(snap, MANAGER, PEIL, CONFIG, months=1)
    got = comparison_from_trend(short)
    assert got["vorige_maand"].null_count() == got.height
    assert got["vorig_jaar"].null_count() == got.height


def test_progress_report_has_a_frame_per_figure(report):
    assert tuple(report) == SHEETS
    for name in SHEETS[1:]:
        assert report[name].height > 0, name
    months = ["augustus 2025", "september 2025", "oktober 2025"]
    assert report["Vaste jeugdzorgwerker"]["Maand"].to_list() == months
    assert report["Risicotaxaties"]["RT actueel (inspectie) (%)"].to_list() == [50.0, 66.7, 66.7]


def test_report_ccp_crt_matches_the_afbouw_queries(snap, report):
    spec = report["CCP en CRT"]
    assert spec["CRT"].to_list() == [1, 1, 0]
    flows = flows_per_month(snap, MANAGER, PEIL, CONFIG, months=3)
    assert spec["Overdracht naar regulier"].to_list() == flows["overdracht"].to_list() == [0, 0, 1]


def test_report_first_contact_per_start_month_since_the_trend_start(report):
    contact = report["Eerste contact"]
    # M0103 started 15 Aug (contact after 7 days, 5 werkdagen), M0101 on 2 Sep (3 days).
    assert contact.rows() == [
        ("augustus 2025", 1, 100.0, 7.0, 7.0, "afgerond"),
        ("september 2025", 1, 100.0, 3.0, 3.0, "afgerond"),
    ]


def test_summary_opens_with_first_contact_of_the_latest_finished_start_month(report):
    summary = report["Samenvatting"]
    assert summary.columns == ["Cijfer", "Over", "Waarde", "Een jaar eerder", "Verschil", "Eenheid"]
    first = summary.row(0, named=True)
    # No measure started in October: September (M0101) is the latest finished start month.
    assert (first["Cijfer"], first["Over"], first["Waarde"]) == (
        "Eerste contact binnen 5 werkdagen",
        "gestart in september 2025",
        100.0,
    )
    assert first["Een jaar eerder"] is None
    crt = summary.filter(pl.col("Cijfer") == "In het CRT").row(0, named=True)
    assert (crt["Over"], crt["Waarde"]) == ("op 31-10-2025", 0.0)
    verzuim = summary.filter(pl.col("Cijfer") == "Verzuim").row(0, named=True)
    assert verzuim["Over"] == "oktober 2025"


def test_summary_compares_a_year_before():
    snap = sample_snapshot()
    summary = progress_report(snap, MANAGER, D("2026-09-30"), CONFIG, SINCE)["Samenvatting"]
    active = summary.filter(pl.col("Cijfer") == "Actieve maatregelen").row(0, named=True)
    then = kpis(snap, MANAGER, D("2025-09-30"), CONFIG)["actieve_maatregelen"]
    now = kpis(snap, MANAGER, D("2026-09-30"), CONFIG)["actieve_maatregelen"]
    assert (active["Waarde"], active["Een jaar eerder"]) == (now, then)
    assert active["Verschil"] == now - then


def test_region_split_adds_up_to_the_organisation(report):
    regions = report["Per regio"]
    assert regions["Regio"].to_list()[0] == "Hele organisatie"
    counts = regions.filter(pl.col("Regio") != "Hele organisatie")
    for name in ("Actieve maatregelen", "In het CRT", "Bij een vaste jeugdzorgwerker"):
        assert counts[name].sum() <= regions[name][0]


def test_report_is_point_in_time(snap):
    early = progress_report(snap, MANAGER, D("2025-09-30"), CONFIG, SINCE)
    assert early["CCP en CRT"]["CRT"].to_list() == [1, 1]
    assert early["CCP en CRT"]["Overdracht naar regulier"].sum() == 0


def test_report_follows_the_viewers_scope(snap):
    own = progress_report(snap, Viewer("jeugdzorgwerker", "1002"), PEIL, CONFIG, SINCE)
    assert own["Vaste jeugdzorgwerker"]["Actieve maatregelen"].to_list() == [1, 1, 1]
    assert own["CCP en CRT"]["CRT"].sum() == 0


def test_trend_start_after_the_peildatum_is_refused(snap):
    with pytest.raises(ValueError, match="trenddatum"):
        progress_report(snap, MANAGER, PEIL, CONFIG, D("2025-11-15"))


def test_projection_sentences(snap):
    assert "heeft het doel van 40 maatregelen bereikt" in projection_sentence(
        snap, MANAGER, PEIL, CONFIG
    )
    # On 30 Sep M0102 is in the CRT, as it was three months before: no decrease.
    stuck = projection_sentence(snap, MANAGER, D("2025-09-30"), Config(crt_doel=0))
    assert "haalt het doel van 0 niet bij dit tempo" in stuck


def test_projection_sentence_for_a_region_without_its_own_target(snap):
    # The CRT is a Groningen team: on 30 Sep it holds M2025-0102, Drenthe holds nothing there.
    assert projection_sentence(snap, MANAGER, D("2025-09-30"), CONFIG, regio="Groningen") == (
        "Geen prognose voor Groningen: er is geen regiodoel voor het CRT ingesteld (het doel van "
        "40 geldt voor de hele organisatie). Van Groningen is nu 1 maatregel in het CRT."
    )
    assert projection_sentence(snap, MANAGER, PEIL, CONFIG, regio="Drenthe").endswith(
        "Van Drenthe zijn nu 0 maatregelen in het CRT."
    )


def test_projection_sentence_for_a_region_with_its_own_target(snap):
    config = Config(crt_doel=0, crt_doel_regio=(("Drenthe", 0), ("Groningen", 1)))
    day = D("2025-09-30")
    # Groningen's 1 meets its own 1, while the organisation's same 1 misses the organisation's 0.
    assert projection_sentence(snap, MANAGER, day, config, regio="Groningen") == (
        "Het CRT in Groningen heeft het regiodoel van 1 maatregel bereikt (1 nu)."
    )
    assert projection_sentence(snap, MANAGER, day, config) == (
        "Het CRT (1 maatregel) haalt het doel van 0 niet bij dit tempo: de voorraad nam de "
        "laatste 3 maanden niet af."
    )
    stuck = replace(config, crt_doel_regio=(("Groningen", 0),))
    assert projection_sentence(snap, MANAGER, day, stuck, regio="Groningen").startswith(
        "Het CRT in Groningen (1 maatregel) haalt het regiodoel van 0 niet bij dit tempo"
    )


def test_projection_sentence_names_the_month_for_a_region():
    # Noord's CRT went from 3 to 1 in three months: at 2/3 a month it reaches 0 in May.
    config = Config(crt_doel_regio=(("Noord", 0),))
    assert projection_sentence(region_world(), MANAGER, AFBOUW_DAY, config, regio="Noord") == (
        "Bij het tempo van de laatste 3 maanden (0,7 minder per maand) bereikt het CRT in Noord "
        "(1 nu) het regiodoel van 0 maatregelen in mei 2026."
    )


def test_workbook_has_a_sheet_per_figure_and_the_definitions(snap, report):
    raw = report_xlsx(snap, MANAGER, PEIL, CONFIG, SINCE)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == [*SHEETS, "Over dit rapport", "Definities"]
    rows = list(book["CCP en CRT"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Maand", "Peildatum", "CCP", "CRT")
    assert [r[3] for r in rows[1:]] == report["CCP en CRT"]["CRT"].to_list()
    about = dict(book["Over dit rapport"].iter_rows(min_row=2, values_only=True))
    assert about["Peildatum"] == "31-10-2025"
    assert about["Trend vanaf"] == "01-08-2025"
    definitions = {r[0]: r[-1] for r in book["Definities"].iter_rows(min_row=2, values_only=True)}
    assert len(definitions) == len(report_keys())
    assert "5 werkdagen" in definitions["Eerste contact binnen 5 werkdagen"]
    assert section_definition("Eerste contact").startswith("Eerste contact binnen 5 werkdagen:")


def test_definitions_say_the_scope():
    limited = about_frame(PEIL, SINCE, None, PEIL, Viewer("teammanager", "x"), "–")
    scope = dict(limited.rows())["Reikwijdte"]
    assert scope.startswith("Alleen")
    everything = dict(about_frame(PEIL, SINCE, None, PEIL, MANAGER, "–").rows())
    assert everything["Reikwijdte"] == "De hele organisatie"


def test_report_shows_zicht_hulp_and_verloop_as_their_queries(snap, report):
    seen = report["Zicht op de jeugdige"]
    expected = gezien_per_houder(snap, MANAGER, PEIL, CONFIG)
    assert seen["Houder"].to_list() == expected["houder_naam"].to_list()
    assert seen["Actieve maatregelen"].to_list() == expected["actief"].to_list()
    per_soort = report["Hulp per soort"]
    assert per_soort.height == hulp_wachttijd(snap, MANAGER, PEIL, CONFIG).height
    leavers = report["Verloop"]
    assert leavers["Functiegroep"].to_list()[-1] == "Totaal"
    assert leavers.columns[-1] == column_name("verloop_pct")


def test_summary_values_are_the_registry_values(snap, report):
    summary = report["Samenvatting"]
    for key, row in zip(SUMMARY_KEYS, summary.iter_rows(named=True), strict=True):
        if key in ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact"):
            continue
        cohort = CONFIG.cohort_vanaf
        assert row["Waarde"] == waarde(key, snap, MANAGER, PEIL, CONFIG, Filters(cohort=cohort)), (
            key
        )


def test_flows_since_the_trend_start_add_up_the_report_months(report):
    months = report["CCP en CRT"]
    assert flows_since_start(report) == {
        "instroom": months["Instroom"].sum(),
        "overdracht": months["Overdracht naar regulier"].sum(),
        "uitstroom": months["Uitstroom (einde maatregel)"].sum(),
    }
    assert flows_since_start(report)["overdracht"] == 1
