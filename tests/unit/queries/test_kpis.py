from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from queries.config import Config
from queries.kpis import KEYS, TREND_KEYS, kpi_trend, kpis
from queries.scope import MANAGER, Viewer
from queries.snapshot import JB_SOORTEN, RECENT_DAYS, Snapshot
from tests.frames import sample_snapshot

CONFIG = Config()
D = date.fromisoformat


def test_sample_kpis_by_hand():
    got = kpis(
        sample_snapshot(), MANAGER, D("2025-10-31"), CONFIG, since=D("2025-08-01"),
        start_month="2025-09",
    )  # fmt: skip
    assert got == {
        "actieve_maatregelen": 3,
        # On 31 Oct all three are held by jeugdzorgwerkers in regular teams (M0102 left
        # the CRT on 1 Oct).
        "vaste_jzw": 3,
        "ccp": 0,
        "crt": 0,
        "niet_toegewezen": 0,
        # Started in September: only M0101, first f2f contact on day 3, within 5 werkdagen.
        "eerste_contact_tijdig_pct": 100.0,
        "gem_dagen_eerste_contact": 3.0,
        "eerste_contact_maand": "2025-09",
        "eerste_contact_lopend": False,
        # Plans: M0101 tijdig, M0102 te_laat, M0103 tijdig.
        "plan_tijdig_pct": pytest.approx(100 * 2 / 3),
        # Active and started on or after 1 Aug: M0101 and M0103, both tijdig.
        "plan_tijdig_pct_cohort": 100.0,
        # Hulp: M0101 still open (left out), M0102 tijdig.
        "hulp_tijdig_pct": 100.0,
        # Taxatie on or after 31 Jul: M0101 (ARIJ 10 Sep), M0103 (LIJ 22 Aug); M0102 none.
        "risicotaxatie_actueel_pct": pytest.approx(100 * 2 / 3),
        # October 2025, the last complete month on its last day: 31 days x 3.69 fte (0.89 +
        # 1 + 1 + 0.8) = 114.39. Absent: 1002 on 1 and 2 Oct (ziek_tot 3 Oct excluded) = 2;
        # 1003 at 50% from 20 Oct, 12 days = 6. 8 / 114.39 = 6.99%.
        "verzuim_pct": pytest.approx(100 * 8 / 114.39),
        "vaste_jzw_pct": 100.0,
    }


def test_sample_kpis_on_30_september():
    got = kpis(sample_snapshot(), MANAGER, D("2025-09-30"), CONFIG)
    # M0102 is still with the CRT until 1 Oct.
    assert (got["vaste_jzw"], got["ccp"], got["crt"], got["niet_toegewezen"]) == (2, 0, 1, 0)
    # Start month defaults to September: M0101.
    assert got["eerste_contact_tijdig_pct"] == 100.0
    assert got["plan_tijdig_pct_cohort"] is None
    # 30 days x 3.69 fte = 110.7; 1002 absent 15 .. 30 Sep = 16 days -> 14.5%.
    assert got["verzuim_pct"] == pytest.approx(100 * 16 / 110.7)


def test_kpis_without_data_are_none():
    got = kpis(sample_snapshot(), MANAGER, D("2025-10-31"), CONFIG, start_month="2025-01")
    assert got["eerste_contact_tijdig_pct"] is None
    assert got["gem_dagen_eerste_contact"] is None
    empty = kpis(Snapshot.from_frames(D("2025-01-01")), MANAGER, D("2025-01-31"), CONFIG)
    assert empty == {k: 0 if i < 5 else None for i, k in enumerate(KEYS)} | {
        "eerste_contact_lopend": False
    }


def test_unassigned_and_ccp_counts():
    rows = [
        {"maatregel_id": m, "jeugdige_id": m, "soort": "OTS", "uitspraak": "2025-01-01",
         "start": "2025-01-02"}
        for m in ("M1", "M2", "M3", "M4")
    ]  # fmt: skip
    teams = [
        {"team_id": "R", "naam": "R", "regio": "X", "soort": "regulier"},
        {"team_id": "C", "naam": "C", "regio": "X", "soort": "CCP"},
    ]
    toew = [
        {"maatregel_id": "M1", "medewerker_id": "w", "team_id": "R", "rol": "jeugdzorgwerker",
         "vanaf": "2025-01-02"},
        {"maatregel_id": "M2", "medewerker_id": "c", "team_id": "C", "rol": "contactpersoon",
         "vanaf": "2025-01-02"},
        # A contactpersoon in a regular team is not a vaste jeugdzorgwerker.
        {"maatregel_id": "M3", "medewerker_id": "w", "team_id": "R", "rol": "contactpersoon",
         "vanaf": "2025-01-02"},
        # Assignment ended: unassigned on as_of.
        {"maatregel_id": "M4", "medewerker_id": "w", "team_id": "R", "rol": "jeugdzorgwerker",
         "vanaf": "2025-01-02", "tot": "2025-02-01"},
    ]  # fmt: skip
    snap = Snapshot.from_frames(D("2025-03-01"), teams=teams, maatregelen=rows, toewijzingen=toew)
    got = kpis(snap, MANAGER, D("2025-03-01"), CONFIG)
    assert [got[k] for k in KEYS[:5]] == [4, 1, 1, 0, 1]


@pytest.mark.parametrize(
    ("viewer", "active", "crt"),
    [
        (Viewer("jeugdzorgwerker", "1002"), 1, 0),
        (Viewer("jeugdzorgwerker", "1003"), 1, 1),
        (Viewer("jeugdzorgwerker", "1001"), 1, 0),
        (Viewer("teammanager", "1001"), 1, 0),
        (Viewer("praktijkbegeleider", "2001"), 3, 1),
        (Viewer("beheerder"), 3, 1),
    ],
)
def test_kpis_in_scope(viewer, active, crt):
    got = kpis(sample_snapshot(), viewer, D("2025-09-30"), CONFIG)
    assert (got["actieve_maatregelen"], got["crt"]) == (active, crt)


def test_kpi_trend_is_kpis_per_month_end():
    snap = sample_snapshot()
    trend = kpi_trend(snap, MANAGER, D("2025-10-15"), CONFIG, months=4)
    assert trend["maand"].to_list() == ["2025-07", "2025-08", "2025-09", "2025-10"]
    assert trend["peildatum"].to_list() == [
        D("2025-07-31"), D("2025-08-31"), D("2025-09-30"), D("2025-10-15"),
    ]  # fmt: skip
    assert trend["actieve_maatregelen"].to_list() == [1, 2, 3, 3]
    september = trend.filter(pl.col("maand") == "2025-09").row(0, named=True)
    at_month_end = kpis(snap, MANAGER, D("2025-09-30"), CONFIG)
    # First contacts per start month are judged on the trend's own peildatum, 15 October.
    cohort = kpis(snap, MANAGER, D("2025-10-15"), CONFIG, start_month="2025-09")
    for key in TREND_KEYS:
        expected = (
            cohort
            if key in ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact")
            else at_month_end
        )
        assert september[key] == expected[key], key
    assert september["eerste_contact_lopend"] is False
    # No measure started in October: no first-contact figure, neither lopend nor done.
    assert trend["eerste_contact_lopend"][-1] is None


def test_kpi_trend_reuses_months_only_where_they_cannot_differ():
    snap = sample_snapshot()
    # Fill the load's memo with months seen from other peildata, regions and a cohort start.
    kpi_trend(snap, MANAGER, D("2025-10-08"), CONFIG, months=4)
    kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=4, regio="Groningen")
    kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=4, since=D("2025-09-01"))
    kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=4, soort="JR")
    for as_of in (D("2025-10-15"), D("2025-10-31")):
        reused = kpi_trend(snap, MANAGER, as_of, CONFIG, months=4)
        fresh = kpi_trend(replace(snap), MANAGER, as_of, CONFIG, months=4)
        assert reused.equals(fresh)
        # A soort's months are its own: neither the organisation's nor another soort's.
        for soort in ("JB", "JR"):
            reused = kpi_trend(snap, MANAGER, as_of, CONFIG, months=4, soort=soort)
            fresh = kpi_trend(replace(snap), MANAGER, as_of, CONFIG, months=4, soort=soort)
            assert reused.equals(fresh)


def test_kpi_trend_shares_a_months_measures_only_within_its_scope_day_and_settings():
    snap = sample_snapshot()
    kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=4)
    others = [
        (Viewer("jeugdzorgwerker", "1002"), D("2025-10-31"), CONFIG),
        (MANAGER, D("2025-10-15"), CONFIG),
        (MANAGER, D("2025-10-31"), replace(CONFIG, plan_weken=1)),
    ]
    for viewer, day, config in others:
        got = kpi_trend(snap, viewer, day, config, months=4, soort="JB")
        assert got.equals(kpi_trend(replace(snap), viewer, day, config, months=4, soort="JB"))


def test_sample_kpis_per_region_by_hand():
    snap = sample_snapshot()
    groningen = kpis(snap, MANAGER, D("2025-09-30"), CONFIG, regio="Groningen")
    drenthe = kpis(snap, MANAGER, D("2025-09-30"), CONFIG, regio="Drenthe")
    # 30 Sep: Groningen holds M0101 (GRN-A) and M0102 (its CRT); Drenthe holds M0103 (DRE-A).
    assert [groningen[k] for k in KEYS[:5]] == [2, 1, 0, 1, 0]
    assert [drenthe[k] for k in KEYS[:5]] == [1, 1, 0, 0, 0]
    october = {
        r: kpis(snap, MANAGER, D("2025-10-31"), CONFIG, regio=r) for r in ("Groningen", "Drenthe")
    }
    # October, 31 days. Drenthe: 1002 (1 fte) absent 1 and 2 Oct: 2 / 31 = 6.5%.
    # Groningen: 1001, 1003, 2001 = 2.69 fte x 31 = 83.39; 1003 at 50% for 12 days = 6.
    assert october["Drenthe"]["verzuim_pct"] == pytest.approx(100 * 2 / 31)
    assert october["Groningen"]["verzuim_pct"] == pytest.approx(100 * 6 / 83.39)
    # Plans on 31 Oct: M0101 tijdig, M0102 te_laat in Groningen; M0103 tijdig in Drenthe.
    assert october["Groningen"]["plan_tijdig_pct"] == 50.0
    assert october["Drenthe"]["plan_tijdig_pct"] == 100.0
    assert kpis(snap, MANAGER, D("2025-10-31"), CONFIG, regio="Elders")["actieve_maatregelen"] == 0


def test_a_measure_counts_in_the_region_of_its_holder_on_the_day():
    teams = [
        {"team_id": "R", "naam": "R", "regio": "X", "soort": "regulier"},
        {"team_id": "C", "naam": "C", "regio": "Y", "soort": "CCP"},
    ]
    measures = [
        {"maatregel_id": "M1", "jeugdige_id": "J1", "soort": "OTS", "uitspraak": "2025-01-01",
         "start": "2025-01-02"},
    ]  # fmt: skip
    toew = [
        {"maatregel_id": "M1", "medewerker_id": "c", "team_id": "C", "rol": "contactpersoon",
         "vanaf": "2025-01-02", "tot": "2025-02-01"},
        {"maatregel_id": "M1", "medewerker_id": "w", "team_id": "R", "rol": "jeugdzorgwerker",
         "vanaf": "2025-02-01"},
    ]  # fmt: skip
    snap = Snapshot.from_frames(
        D("2025-03-01"), teams=teams, maatregelen=measures, toewijzingen=toew
    )

    def counts(day, regio):
        got = kpis(snap, MANAGER, D(day), CONFIG, regio=regio)
        return [got[k] for k in KEYS[:5]]

    # In January the CCP of region Y holds it, from February the regular team of region X.
    assert counts("2025-01-31", "Y") == [1, 0, 1, 0, 0]
    assert counts("2025-01-31", "X") == [0, 0, 0, 0, 0]
    assert counts("2025-02-28", "X") == [1, 1, 0, 0, 0]
    assert counts("2025-02-28", "Y") == [0, 0, 0, 0, 0]
    trend = kpi_trend(snap, MANAGER, D("2025-02-28"), CONFIG, months=2, regio="Y")
    assert trend["ccp"].to_list() == [1, 0]


def test_counts_over_the_regions_add_up_to_the_organisation():
    snap = sample_snapshot()
    counts = list(KEYS[:5])
    whole = kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6)
    assert whole["niet_toegewezen"].sum() == 0
    parts = [
        kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6, regio=r)
        for r in ("Groningen", "Drenthe")
    ]
    assert (parts[0].select(counts) + parts[1].select(counts)).equals(whole.select(counts))
    # Unfiltered stays the organisation figure, with regio=None spelled out or not.
    assert whole.equals(kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6, regio=None))


def test_sample_kpis_per_soort_by_hand():
    snap = sample_snapshot()

    def of(soort):
        return kpis(
            snap, MANAGER, D("2025-10-31"), CONFIG, since=D("2025-08-01"),
            start_month="2025-09", soort=soort,
        )  # fmt: skip

    jb, jr = of("JB"), of("JR")
    # Jeugdbescherming: M0101 (OTS) and M0102 (voogdij), both with a vaste jzw on 31 Oct.
    assert [jb[k] for k in KEYS[:5]] == [2, 2, 0, 0, 0]
    # Started in September: M0101, contact on day 3. Plans: M0101 tijdig, M0102 te_laat.
    assert (jb["eerste_contact_tijdig_pct"], jb["gem_dagen_eerste_contact"]) == (100.0, 3.0)
    assert jb["plan_tijdig_pct"] == 50.0
    assert jb["plan_tijdig_pct_cohort"] == 100.0
    # Hulp: M0101 open, M0102 tijdig. Taxatie: M0101 ARIJ of 10 Sep, M0102 none.
    assert jb["hulp_tijdig_pct"] == 100.0
    assert jb["risicotaxatie_actueel_pct"] == 50.0
    # Jeugdreclassering: M0103 alone, started in August, plan tijdig, LIJ of 22 Aug.
    assert [jr[k] for k in KEYS[:5]] == [1, 1, 0, 0, 0]
    assert jr["eerste_contact_tijdig_pct"] is None
    assert jr["gem_dagen_eerste_contact"] is None
    assert jr["plan_tijdig_pct"] == jr["plan_tijdig_pct_cohort"] == 100.0
    assert jr["hulp_tijdig_pct"] is None
    assert jr["risicotaxatie_actueel_pct"] == 100.0
    # Verzuim is about staff, not measures: the organisation's 7.0% whatever the soort.
    assert jb["verzuim_pct"] == jr["verzuim_pct"] == of(None)["verzuim_pct"]
    assert of(None)["verzuim_pct"] == pytest.approx(100 * 8 / 114.39)
    # One soort of the group: voogdij is M0102, its plan late and no taxatie.
    voogdij = of("voogdij")
    assert voogdij["actieve_maatregelen"] == 1
    assert (voogdij["plan_tijdig_pct"], voogdij["risicotaxatie_actueel_pct"]) == (0.0, 0.0)


def test_soort_and_regio_filter_together():
    snap = sample_snapshot()
    # Groningen holds M0101 and M0102 (JB), Drenthe M0103 (JR).
    got = {
        (r, s): kpis(snap, MANAGER, D("2025-10-31"), CONFIG, regio=r, soort=s)[
            "actieve_maatregelen"
        ]
        for r in ("Groningen", "Drenthe")
        for s in ("JB", "JR")
    }
    assert got == {
        ("Groningen", "JB"): 2, ("Groningen", "JR"): 0, ("Drenthe", "JB"): 0, ("Drenthe", "JR"): 1,
    }  # fmt: skip


def test_counts_over_the_soorten_add_up_to_the_organisation():
    snap = sample_snapshot()
    counts = list(KEYS[:5])
    whole = kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6).select(counts)
    jb, jr = (
        kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6, soort=s).select(counts)
        for s in ("JB", "JR")
    )
    assert (jb + jr).equals(whole)
    assert not jr.equals(whole)
    # The JB group is the sum of its soorten.
    parts = [
        kpi_trend(snap, MANAGER, D("2025-10-31"), CONFIG, months=6, soort=s).select(counts)
        for s in JB_SOORTEN
    ]
    assert sum(parts[1:], parts[0]).equals(jb)


def test_unknown_soort_is_refused():
    with pytest.raises(ValueError, match="soort moet"):
        kpis(sample_snapshot(), MANAGER, D("2025-10-31"), CONFIG, soort="ots")


def test_a_trend_keeps_each_months_stock_and_the_measure_figures_of_recent_days_only():
    snap = sample_snapshot()
    months = RECENT_DAYS + 2
    kpi_trend(snap, MANAGER, D("2025-10-15"), CONFIG, months=months)
    stocks = [key[2] for key in snap._recent if key[0] == "kpi_stock"]
    assert len(stocks) == months and stocks[-1] == D("2025-10-15")
    assert len(snap._days) == RECENT_DAYS
    assert D("2025-10-15") in snap._days


def _cohort_world() -> Snapshot:
    """M1 starts Mon 2 Feb 2026 and is first seen 20 Feb (late); M2 starts Thu 26 Feb, its
    deadline Thu 5 Mar; M3 starts Mon 5 Jan, seen 7 Jan (tijdig)."""
    rows = [
        {"maatregel_id": m, "jeugdige_id": m, "soort": "OTS", "uitspraak": start, "start": start}
        for m, start in (("M1", "2026-02-02"), ("M2", "2026-02-26"), ("M3", "2026-01-05"))
    ]
    contacts = [
        {"contact_id": f"C{m}", "maatregel_id": m, "datum": day, "vorm": "face-to-face",
         "met": "jeugdige"}
        for m, day in (("M1", "2026-02-20"), ("M3", "2026-01-07"))
    ]  # fmt: skip
    return Snapshot.from_frames(D("2026-03-04"), maatregelen=rows, contacten=contacts)


def test_a_late_first_contact_counts_in_its_own_start_month():
    # Judged on 4 March, February's M1 is te_laat after 18 days, whatever the month end said.
    got = kpis(_cohort_world(), MANAGER, D("2026-03-04"), CONFIG, start_month="2026-02")
    assert got["eerste_contact_tijdig_pct"] == 0.0
    assert got["gem_dagen_eerste_contact"] == 18.0


def test_a_lopende_start_month_is_marked_and_never_the_headline():
    snap = _cohort_world()
    # M2's deadline (5 March) is still open on 4 March: February is lopend.
    headline = kpis(snap, MANAGER, D("2026-03-04"), CONFIG)
    assert (headline["eerste_contact_maand"], headline["eerste_contact_lopend"]) == (
        "2026-01",
        False,
    )
    assert headline["eerste_contact_tijdig_pct"] == 100.0
    asked = kpis(snap, MANAGER, D("2026-03-04"), CONFIG, start_month="2026-02")
    assert (asked["eerste_contact_maand"], asked["eerste_contact_lopend"]) == ("2026-02", True)
    # A day later M2's deadline has passed unmet: February is done and heads the figures.
    later = kpis(snap, MANAGER, D("2026-03-06"), CONFIG)
    assert (later["eerste_contact_maand"], later["eerste_contact_lopend"]) == ("2026-02", False)
    assert later["eerste_contact_tijdig_pct"] == 0.0
    trend = kpi_trend(snap, MANAGER, D("2026-03-04"), CONFIG, months=3)
    assert trend["eerste_contact_lopend"].to_list() == [False, True, None]
