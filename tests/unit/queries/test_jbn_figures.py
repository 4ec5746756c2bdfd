"""The inspection's figures of the JBN hertoets, computed by the query layer on the JBN demo."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.kalender import add_months
from queries.kpis import kpis
from queries.rapportage import TREND_MONTHS, organisation_trend, progress_report
from queries.scope import MANAGER
from queries.snapshot import JB_SOORTEN, VOOGDIJ_SOORTEN, Snapshot, load_snapshot
from queries.termijnen import eenmalige_termijnen, termijn_historie, termijnen, termijnen_van
from queries.tijdigheid import maatregel_cijfers

ROOT = Path(__file__).resolve().parents[3]
CONFIG = Config()
PEIL = date(2026, 2, 15)
EXPORT = date(2026, 3, 4)
SINCE = date(2025, 7, 1)


@pytest.fixture(scope="module")
def jbn_url(tmp_path_factory, jbn_export) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('jbn') / 'jbn.sqlite'}"
    source, export_date = jbn_export
    result = load_source(source, url, export_date, False, demo=True)
    assert result.status == "geslaagd", result.message
    return url


@pytest.fixture(scope="module")
def jbn(jbn_url) -> Snapshot:
    engine = sa.create_engine(jbn_url)
    try:
        return load_snapshot(engine)
    finally:
        engine.dispose()


def test_inspection_figures_on_15_february_2026(jbn):
    got = kpis(jbn, MANAGER, PEIL, CONFIG, since=SINCE)
    assert got["actieve_maatregelen"] == 922
    assert (got["ccp"], got["crt"]) == (18, 161)
    assert round(got["plan_tijdig_pct"]) == 37
    assert round(got["plan_tijdig_pct_cohort"]) == 63
    # "About two in three" and "about 55%".
    assert got["hulp_tijdig_pct"] == pytest.approx(66.7, abs=3)
    assert got["risicotaxatie_actueel_pct"] == pytest.approx(55, abs=3)
    held = got["vaste_jzw"] + got["ccp"] + got["crt"] + got["niet_toegewezen"]
    assert held <= got["actieve_maatregelen"]


@pytest.mark.parametrize(("as_of", "pct"), [(EXPORT, 13), (date(2025, 3, 4), 18)])
def test_verzuim_of_the_last_complete_month(jbn, as_of, pct):
    # As of 4 March the headline is February, never the three days of March.
    assert kpis(jbn, MANAGER, as_of, CONFIG)["verzuim_pct"] == pytest.approx(pct, abs=1)


def test_first_contact_headline_is_the_latest_month_not_lopend(jbn):
    got = kpis(jbn, MANAGER, EXPORT, CONFIG)
    # Measures started late in February still have their 5 werkdagen running on 4 March.
    assert (got["eerste_contact_maand"], got["eerste_contact_lopend"]) == ("2026-01", False)
    february = kpis(jbn, MANAGER, EXPORT, CONFIG, start_month="2026-02")
    assert february["eerste_contact_lopend"] is True


def test_cohort_since_july_2025(jbn):
    frame = maatregel_cijfers(jbn, MANAGER, PEIL, CONFIG, voogdij=False)
    cohort = frame.filter(pl.col("actief") & (pl.col("start") >= SINCE))
    assert cohort.height == 195


def test_ccp_and_crt_on_30_september_2025(jbn):
    got = kpis(jbn, MANAGER, date(2025, 9, 30), CONFIG)
    assert got["ccp"] + got["crt"] == 252


@pytest.mark.parametrize(("month", "share", "days"), [("2026-02", 83, 8), ("2025-03", None, 15)])
def test_first_contact_per_start_month(jbn, month, share, days):
    got = kpis(jbn, MANAGER, EXPORT, CONFIG, start_month=month)
    assert round(got["gem_dagen_eerste_contact"]) == days
    if share is not None:
        assert round(got["eerste_contact_tijdig_pct"]) == share


def test_every_norm_has_a_deadline_on_the_demo(jbn):
    dl = termijnen(jbn, MANAGER, PEIL, CONFIG)
    norms = set(dl["norm"])
    assert norms == {
        "eerste_contact", "plan_van_aanpak", "hulp_gestart", "risicotaxatie",
        "plan_evaluatie", "voogdij_contact",
    }  # fmt: skip
    assert set(dl["status"]) == {"tijdig", "te_laat", "open", "verlopen", "vervallen"}
    assert (dl["deadline"] >= dl["start"]).all()


def test_cli_kpis_as_in_the_issue(jbn_url):
    out = subprocess.run(
        [sys.executable, "-m", "queries", "kpis", "--as-of", "2026-02-15", "--since",
         "2025-07-01", "--db", jbn_url, "--format", "json"],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    got = json.loads(out)
    assert (got["actieve_maatregelen"], got["ccp"], got["crt"]) == (922, 18, 161)
    assert [round(got[k]) for k in ("plan_tijdig_pct", "plan_tijdig_pct_cohort")] == [37, 63]
    # The registry's figures beside kpis' own, each as the registry computes and rounds it.
    snap = load_snapshot(sa.create_engine(jbn_url))
    for key in (
        "verzuim_12m_pct",
        "gezien_6w_pct",
        "plan_besproken_jeugdige_pct",
        "plan_besproken_ouders_pct",
        "voogdij_op_norm_pct",
        "verzuim_pct",
    ):
        assert got[key] == waarde(key, snap, MANAGER, PEIL, CONFIG, Filters(cohort=SINCE)), key


def test_first_contact_days_on_the_trend_and_in_the_report(jbn):
    # The inspection's figures: 15 days for March 2025 starts, 8 for February 2026 starts, each
    # start month judged on the peildatum so late first contacts count where they belong.
    trend = organisation_trend(jbn, MANAGER, EXPORT, CONFIG, months=TREND_MONTHS)
    days = dict(trend.select("maand", "gem_dagen_eerste_contact").rows())
    assert (round(days["2025-03"]), round(days["2026-02"])) == (15, 8)
    report = progress_report(jbn, MANAGER, EXPORT, CONFIG, date(2025, 3, 1))
    contact = report["Eerste contact"]
    by_month = dict(contact.select("Startmaand", "Gemiddeld dagen tot contact").rows())
    assert by_month["maart 2025"] == days["2025-03"]
    assert by_month["februari 2026"] == days["2026-02"]
    lopend = dict(contact.select("Startmaand", "Startmaand afgerond").rows())
    assert (lopend["januari 2026"], lopend["februari 2026"]) == ("afgerond", "lopend")


@pytest.mark.parametrize("as_of", [date(2025, 3, 31), PEIL, EXPORT])
@pytest.mark.parametrize("months", [1, 12])
def test_a_history_since_a_day_is_the_full_history_cut_there(jbn, as_of, months):
    sinds = add_months(as_of, -months)
    full = termijn_historie(jbn, MANAGER, as_of, CONFIG)
    cut = full.filter(pl.min_horizontal("deadline", "voldaan_op") > sinds)
    assert 0 < cut.height < full.height
    assert termijn_historie(jbn, MANAGER, as_of, CONFIG, sinds=sinds).equals(cut)


@pytest.mark.parametrize("as_of", [date(2025, 3, 31), PEIL, EXPORT])
def test_the_one_off_deadlines_are_the_deadlines_of_the_one_off_norms(jbn, as_of):
    full = termijnen(jbn, MANAGER, as_of, CONFIG)
    one_off = full.filter(
        pl.col("norm").is_in(["eerste_contact", "plan_van_aanpak", "hulp_gestart"])
    )
    assert one_off.height < full.height
    assert eenmalige_termijnen(jbn, MANAGER, as_of, CONFIG).equals(one_off)
    assert set(one_off["maatregel_id"]) == set(full["maatregel_id"])


@pytest.mark.parametrize("as_of", [date(2025, 3, 31), PEIL, EXPORT])
@pytest.mark.parametrize(
    ("norm", "soorten"),
    [
        ("voogdij_contact", VOOGDIJ_SOORTEN),
        ("plan_evaluatie", ("JR",)),
        ("risicotaxatie", JB_SOORTEN),
    ],
)
def test_one_norms_deadlines_of_some_soorten_are_their_part_of_all(jbn, as_of, norm, soorten):
    full = termijnen(jbn, MANAGER, as_of, CONFIG)
    part = full.filter((pl.col("norm") == norm) & pl.col("soort").is_in(soorten))
    assert 0 < part.height < full.height
    assert termijnen_van(jbn, MANAGER, as_of, CONFIG, norm, soorten).equals(part)
