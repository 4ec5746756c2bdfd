from datetime import date

import polars as pl
import pytest

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot
from queries.termijnen import werklijst
from queries.tijdigheid import (
    maatregel_cijfers,
    share,
    termijnen_per_medewerker,
    tijdigheid_per_houder,
    timeliness,
    voogdij_behind,
)
from tests.frames import sample_snapshot

CONFIG = Config()
D = date.fromisoformat


def test_share_leaves_out_open_and_vervallen():
    statuses = pl.DataFrame(
        {"s": ["tijdig", "te_laat", "verlopen", "open", "vervallen", None, "tijdig"]}
    )
    assert statuses.select(share(pl.col("s"))).item() == 50.0
    assert statuses.head(0).select(share(pl.col("s"))).item() is None
    only_open = pl.DataFrame({"s": ["open", "vervallen"]})
    assert only_open.select(share(pl.col("s"))).item() is None


def test_measure_figures_of_the_sample_by_hand():
    got = maatregel_cijfers(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    cols = [
        "maatregel_id", "start_maand", "ec_status", "dagen_eerste_contact", "plan_status",
        "hulp_status", "risicotaxatie_actueel", "voogdij_contacten", "voogdij_dagen",
    ]  # fmt: skip
    assert got.sort("maatregel_id").select(cols).rows() == [
        # First f2f contact 3 days after start; ARIJ of 10 Sep is within 3 months of 1 Nov.
        ("M2025-0101", "2025-09", "tijdig", 3, "tijdig", "open", True, None, None),
        # 11 Jun -> 2 Jul = 21 days; no ARIJ; 2 contacts with the child in 143 days.
        ("M2025-0102", "2025-06", "te_laat", 21, "te_laat", "tijdig", False, 2, 143),
        # LIJ of 22 Aug is on or after 1 Aug (1 Nov minus 3 months); no hulp rows.
        ("M2025-0103", "2025-08", "tijdig", 7, "tijdig", None, True, None, None),
    ]


def test_timeliness_per_start_month():
    got = timeliness(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    assert got["start_maand"].to_list() == ["2025-06", "2025-08", "2025-09"]
    june = got.row(0, named=True)
    assert june["eerste_contact_tijdig_pct"] == 0.0
    assert june["gem_dagen_eerste_contact"] == 21.0
    assert june["plan_tijdig_pct"] == 0.0
    assert june["hulp_tijdig_pct"] == 100.0
    assert june["risicotaxatie_actueel_pct"] == 0.0
    # 2 contacts in 143 days of voogdij: 365 * 2 / 143 = 5.1 a year.
    assert june["voogdij_contacten_per_jaar"] == 5.1
    assert june["plan_tijdig_pct_cohort"] is None


def test_timeliness_per_region_and_cohort():
    got = timeliness(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG, by="regio")
    groningen = got.filter(pl.col("regio") == "Groningen").row(0, named=True)
    # M0101 tijdig (3 days), M0102 te_laat (21 days).
    assert groningen["maatregelen"] == 2
    assert groningen["eerste_contact_tijdig_pct"] == 50.0
    assert groningen["gem_dagen_eerste_contact"] == 12.0
    assert groningen["mediaan_dagen_eerste_contact"] == 12.0
    cohort = timeliness(
        sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG, by="regio", since=D("2025-09-01")
    )
    groningen = cohort.filter(pl.col("regio") == "Groningen").row(0, named=True)
    assert groningen["eerste_contact_tijdig_pct"] == 100.0
    assert groningen["gem_dagen_eerste_contact"] == 3.0
    assert groningen["plan_tijdig_pct"] == 50.0
    assert groningen["plan_tijdig_pct_cohort"] == 100.0


def test_timeliness_counts_every_status_once():
    rows, contacts = [], []
    # Five measures started in March 2025; first contact due 5 werkdagen after start.
    for i, (start, contact_on, einde) in enumerate(
        [
            ("2025-03-03", "2025-03-05", None),  # tijdig
            ("2025-03-03", "2025-03-20", None),  # te_laat
            ("2025-03-03", None, None),  # verlopen on 1 Apr
            ("2025-03-31", None, None),  # open: due 7 Apr
            ("2025-03-03", None, "2025-03-05"),  # vervallen: ended before 10 Mar
        ]
    ):
        mid = f"M{i}"
        rows.append({"maatregel_id": mid, "jeugdige_id": mid, "soort": "OTS",
                     "uitspraak": start, "start": start, "einde": einde})  # fmt: skip
        if contact_on:
            contacts.append(
                {"contact_id": mid, "maatregel_id": mid, "medewerker_id": "w",
                 "datum": contact_on, "vorm": "face-to-face", "met": "ouder"}
            )  # fmt: skip
    snap = Snapshot.from_frames(date(2025, 4, 1), maatregelen=rows, contacten=contacts)
    got = timeliness(snap, MANAGER, D("2025-04-01"), CONFIG).row(0, named=True)
    assert got["maatregelen"] == 5
    assert got["eerste_contact_tijdig_pct"] == 33.3
    # Days to first contact over the two that had one: (2 + 17) / 2.
    assert got["gem_dagen_eerste_contact"] == 9.5


@pytest.mark.parametrize(
    ("viewer", "groups"),
    [
        (Viewer("jeugdzorgwerker", "1002"), ["1002"]),
        (Viewer("jeugdzorgwerker", "1001"), ["1001"]),
        (Viewer("praktijkbegeleider", "2001"), ["1001", "1002"]),
        (Viewer("teammanager", "1002"), ["1002"]),
        (MANAGER, ["1001", "1002"]),
    ],
)
def test_timeliness_in_scope(viewer, groups):
    got = timeliness(sample_snapshot(), viewer, D("2025-11-01"), CONFIG, by="medewerker_id")
    assert got["medewerker_id"].to_list() == groups


def test_timeliness_rejects_unknown_grouping():
    with pytest.raises(ValueError, match="by moet"):
        timeliness(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG, by="jeugdige_id")


def test_timeliness_per_team_of_one_soort():
    snap = sample_snapshot()

    def per_team(soort):
        got = timeliness(snap, MANAGER, D("2025-11-01"), CONFIG, by="team_id", soort=soort)
        return {r["team_id"]: r for r in got.iter_rows(named=True)}

    # GRN-A holds M0101 (OTS) and M0102 (voogdij), DRE-A holds M0103 (JR).
    jb, jr = per_team("JB"), per_team("JR")
    assert set(jb) == {"GRN-A"}
    assert set(jr) == {"DRE-A"}
    assert jb["GRN-A"] == per_team(None)["GRN-A"]
    assert (jr["DRE-A"]["maatregelen"], jr["DRE-A"]["risicotaxatie_actueel_pct"]) == (1, 100.0)
    # Of the JB soorten only voogdij: M0102, first contact after 21 days, its plan late.
    voogdij = per_team("voogdij")["GRN-A"]
    assert voogdij["maatregelen"] == 1
    assert (voogdij["eerste_contact_tijdig_pct"], voogdij["gem_dagen_eerste_contact"]) == (
        0.0,
        21.0,
    )
    assert voogdij["plan_tijdig_pct"] == 0.0
    with pytest.raises(ValueError, match="soort moet"):
        timeliness(snap, MANAGER, D("2025-11-01"), CONFIG, by="team_id", soort="JB,JR")


def test_voogdij_behind_by_hand():
    snap = sample_snapshot()
    # 31 Oct: M2025-0102 (voogdij since 11 Jun, 1001's) had 2 contacts with the jeugdige in
    # the last year, 1 expected after 4 months; but the three-monthly contact due 2 Oct passed.
    got = voogdij_behind(snap, MANAGER, D("2025-10-31"), CONFIG, "1001")
    assert got.rows() == [("M2025-0102", 2, 1, D("2025-10-02"), "verlopen")]
    # 15 Aug: two months in, nothing expected yet and the first contact is not yet due.
    assert voogdij_behind(snap, MANAGER, D("2025-08-15"), CONFIG, "1001").height == 0
    # Another worker holds no voogdij measure; a jeugdzorgwerker sees only their own.
    assert voogdij_behind(snap, MANAGER, D("2025-10-31"), CONFIG, "1002").height == 0
    other = Viewer("jeugdzorgwerker", "1002")
    assert voogdij_behind(snap, other, D("2025-10-31"), CONFIG, "1001").height == 0


def test_a_four_month_old_lij_is_on_time_in_the_worklist_but_not_current():
    # JR measure started Mon 3 Feb 2025, LIJ on Tue 4 Feb; on Mon 9 Jun the LIJ is 4 months old.
    snap = Snapshot.from_frames(
        D("2025-06-09"),
        teams=[{"team_id": "A", "naam": "Team A", "regio": "Groningen", "soort": "regulier"}],
        maatregelen=[{"maatregel_id": "M1", "jeugdige_id": "J1", "soort": "JR",
                      "uitspraak": "2025-01-31", "start": "2025-02-03"}],
        toewijzingen=[{"maatregel_id": "M1", "medewerker_id": "w1", "team_id": "A",
                       "rol": "jeugdzorgwerker", "vanaf": "2025-02-03"}],
        risicotaxaties=[{"taxatie_id": "R1", "maatregel_id": "M1", "instrument": "LIJ",
                         "datum": "2025-02-04"}],
    )  # fmt: skip
    as_of = D("2025-06-09")
    rt = werklijst(snap, MANAGER, as_of, CONFIG, medewerker_id="w1").filter(
        pl.col("norm") == "risicotaxatie"
    )
    # The LIJ's own term: 4 Feb + 6 months = Mon 4 Aug, still open.
    assert rt.select("deadline", "status").rows() == [(D("2025-08-04"), "open")]
    # The inspections' figure asks for one at most 3 months old: on or after 9 Mar.
    got = maatregel_cijfers(snap, MANAGER, as_of, CONFIG).row(0, named=True)
    assert got["risicotaxatie_actueel"] is False
    assert (
        timeliness(snap, MANAGER, as_of, CONFIG).row(0, named=True)["risicotaxatie_actueel_pct"]
        == 0.0
    )


# Attribution to the holder on the deadline day --------------------------------------------


def attribution_snapshot() -> Snapshot:
    """Three OTS measures, uitspraak and start Mon 3 Mar 2025: first contact due Mon 10 Mar,
    plan due Mon 14 Apr, first risicotaxatie due Mon 14 Apr (none is made).
    M1: CRT contactpersoon c1 until 20 Mar, then w1; contact 21 Mar (late), plan 10 Apr.
    M2: w2 until 6 Mar, then w1; contact 5 Mar (early). M3: nobody until w1 on 17 Mar."""
    teams = [
        {"team_id": "A", "naam": "Team A", "regio": "Groningen", "soort": "regulier"},
        {"team_id": "CRT", "naam": "CRT", "regio": "Groningen", "soort": "CRT"},
    ]
    staff = [
        {"medewerker_id": m, "naam": m, "functie": f, "team_id": t, "fte": 1.0,
         "in_dienst": "2020-01-01"}
        for m, f, t in (("c1", "jeugdbeschermer", "CRT"), ("w1", "jeugdbeschermer", "A"),
                        ("w2", "jeugdbeschermer", "A"), ("tm", "teammanager", "A"))
    ]  # fmt: skip
    measures = [
        {"maatregel_id": m, "jeugdige_id": f"J{m}", "soort": "OTS", "uitspraak": "2025-03-03",
         "start": "2025-03-03"}
        for m in ("M1", "M2", "M3")
    ]  # fmt: skip

    def held(m, w, team, rol, vanaf, tot=None):
        return {"maatregel_id": m, "medewerker_id": w, "team_id": team, "rol": rol,
                "vanaf": vanaf, "tot": tot}  # fmt: skip

    def f2f(m, datum):
        return {"contact_id": f"{m}-{datum}", "maatregel_id": m, "medewerker_id": "w1",
                "datum": datum, "vorm": "face-to-face", "met": "jeugdige"}  # fmt: skip

    return Snapshot.from_frames(
        D("2026-03-31"),
        teams=teams,
        medewerkers=staff,
        maatregelen=measures,
        toewijzingen=[
            held("M1", "c1", "CRT", "contactpersoon", "2025-03-03", "2025-03-20"),
            held("M1", "w1", "A", "jeugdzorgwerker", "2025-03-20"),
            held("M2", "w2", "A", "jeugdzorgwerker", "2025-03-03", "2025-03-06"),
            held("M2", "w1", "A", "jeugdzorgwerker", "2025-03-06"),
            held("M3", "w1", "A", "jeugdzorgwerker", "2025-03-17"),
        ],
        contacten=[f2f("M1", "2025-03-21"), f2f("M2", "2025-03-05"), f2f("M3", "2025-03-18")],
        plannen=[{"plan_id": "P1", "maatregel_id": "M1", "soort": "eerste",
                  "vastgesteld": "2025-04-10"}],
    )  # fmt: skip


def per_holder(snap, as_of, by="medewerker_id", viewer=MANAGER):
    got = tijdigheid_per_houder(snap, viewer, as_of, CONFIG, by=by)
    return {r[by]: r for r in got.iter_rows(named=True)}


def test_a_deadline_counts_for_the_holder_on_its_day_not_the_current_one():
    got = per_holder(attribution_snapshot(), D("2025-06-02"))
    # M1's first contact was due 10 Mar while the CRT held it: late for c1, though w1 made it.
    assert (got["c1"]["eerste_contact_te_laat"], got["c1"]["eerste_contact_tijdig_pct_houder"]) == (
        1,
        0.0,
    )
    # M2's contact on 5 Mar came before its deadline: it counts for w2, who held it that day.
    assert (got["w2"]["eerste_contact_tijdig"], got["w2"]["eerste_contact_tijdig_pct_houder"]) == (
        1,
        100.0,
    )
    # w1 holds all three now, but held none on a first-contact day; M3 had no holder then.
    w1 = got["w1"]
    assert w1["eerste_contact_tijdig_pct_houder"] is None
    assert (w1["eerste_contact_tijdig"], w1["eerste_contact_te_laat"]) == (0, 0)
    # The plans were due 14 Apr, when w1 held all three: M1 on time, M2 and M3 verlopen.
    assert (w1["plan_van_aanpak_tijdig"], w1["plan_van_aanpak_verlopen"]) == (1, 2)
    assert w1["plan_tijdig_pct_houder"] == pytest.approx(100 / 3)
    assert (w1["rt_termijn_tijdig_pct_houder"], w1["risicotaxatie_verlopen"]) == (0.0, 3)
    assert w1["termijnen_houder"] == 6
    assert got["c1"]["plan_tijdig_pct_houder"] is None


def test_attribution_per_team_and_region():
    snap = attribution_snapshot()
    teams = per_holder(snap, D("2025-06-02"), by="team_id")
    assert teams["CRT"]["eerste_contact_tijdig_pct_houder"] == 0.0
    assert teams["A"]["eerste_contact_tijdig_pct_houder"] == 100.0
    assert teams["A"]["plan_tijdig_pct_houder"] == pytest.approx(100 / 3)
    # M3's first contact fell on a day without holder: it counts for no team or region either.
    regions = per_holder(snap, D("2025-06-02"), by="regio")
    groningen = regions["Groningen"]
    assert (groningen["eerste_contact_tijdig"], groningen["eerste_contact_te_laat"]) == (1, 1)
    assert groningen["eerste_contact_tijdig_pct_houder"] == 50.0


def test_attribution_covers_the_twelve_months_before_the_peildatum():
    snap = attribution_snapshot()
    # On 9 Mar 2026 the window starts after 9 Mar 2025: M1's day 10 Mar is in, M2's 5 Mar out.
    got = per_holder(snap, D("2026-03-09"))
    assert got["c1"]["eerste_contact_te_laat"] == 1
    assert "w2" not in got
    # A day later M1's first contact is 12 months old as well: c1 has nothing left.
    assert "c1" not in per_holder(snap, D("2026-03-10"))


def test_attribution_within_the_viewers_scope_and_the_registered_figures():
    snap = attribution_snapshot()
    as_of = D("2025-06-02")
    assert list(per_holder(snap, as_of, viewer=Viewer("jeugdzorgwerker", "w2"))) == ["w2"]
    # The teammanager of A sees the deadlines of A's holders, not the CRT's.
    assert list(per_holder(snap, as_of, viewer=Viewer("teammanager", "tm"))) == ["w1", "w2"]
    key = "eerste_contact_tijdig_pct_houder"
    assert waarde(key, snap, MANAGER, as_of, CONFIG, Filters(team_id="CRT")) == 0.0
    assert waarde(key, snap, MANAGER, as_of, CONFIG, Filters(regio="Groningen")) == 50.0
    plan = waarde(
        "plan_tijdig_pct_houder", snap, MANAGER, as_of, CONFIG, Filters(medewerker_id="w1")
    )
    assert plan == 33.3
    with pytest.raises(ValueError, match="by moet"):
        tijdigheid_per_houder(snap, MANAGER, as_of, CONFIG, by="start_maand")


def test_worklist_counts_per_worker_follow_the_binnenkort_setting():
    snap = attribution_snapshot()
    # On Wed 9 Apr w1 holds all three: no plan and no risicotaxatie yet, both due Mon 14 Apr,
    # three werkdagen away; M3's first contact met late, M1's too: nothing verlopen.
    got = termijnen_per_medewerker(snap, MANAGER, D("2025-04-09"), CONFIG)
    assert got.rows() == [("w1", 0, 6)]
    fewer = Config(binnenkort_werkdagen=2)
    assert termijnen_per_medewerker(snap, MANAGER, D("2025-04-09"), fewer).rows() == [("w1", 0, 0)]
    later = termijnen_per_medewerker(snap, MANAGER, D("2025-04-15"), CONFIG)
    # M1's plan came 10 Apr; the other five passed on 14 Apr.
    assert later.rows() == [("w1", 5, 0)]
    assert waarde("verlopen_termijnen", snap, MANAGER, D("2025-04-15"), CONFIG) == 5
    only_w2 = Filters(medewerker_id="w2")
    assert waarde("verlopen_termijnen", snap, MANAGER, D("2025-04-15"), CONFIG, only_w2) == 0
