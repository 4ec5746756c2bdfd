from datetime import date

import polars as pl
import pytest

from queries.config import Config
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot
from queries.termijnen import werklijst
from queries.tijdigheid import maatregel_cijfers, share, timeliness, voogdij_behind
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
    assert june["voogdij_contacten_per_jaar"] == pytest.approx(365 * 2 / 143)
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
    assert got["eerste_contact_tijdig_pct"] == pytest.approx(100 / 3)
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
