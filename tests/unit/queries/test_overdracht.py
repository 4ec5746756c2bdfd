"""Transfer proposal: CRT measures to regular jeugdzorgwerkers with room, never past the norm."""

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.afbouw_projectie import capacity
from queries.overdracht import transfer_proposal
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot
from tests.unit.queries.test_afbouw import AS_OF, CONFIG, CP, JZW, region_world, world
from tests.unit.queries.test_caseload import after_as_of, histories, history_snapshot

# The proposal world: little room in Noord, so the greedy order and the norm decide.
P_STAFF = [
    ("a1", "Anna", "jeugdbeschermer", "A", 0.25, "2020-01-01", None),  # norm 3
    ("a2", "Bart", "jeugdbeschermer", "A", 0.2, "2020-01-01", None),  # norm 2.4
    ("r1", "Rik", "jeugdreclasseerder", "B", 0.1, "2020-01-01", None),  # norm 1.2
    ("z1", "Zara", "jeugdbeschermer", "Z", 1.0, "2020-01-01", None),  # room, but Zuid
    ("c1", "Cor", "jeugdbeschermer", "CRT", 1.0, "2020-01-01", None),
    ("c2", "Cas", "jeugdbeschermer", "CRTZ", 1.0, "2020-01-01", None),
    ("tm_a", "Tess", "teammanager", "A", 1.0, "2015-01-01", None),
    ("tm_crt", "Tom", "teammanager", "CRT", 1.0, "2015-01-01", None),
]
P_MEASURES = [
    ("H1", "OTS", "2024-01-01", None),
    ("H2", "OTS", "2024-01-01", None),
    *(
        (f"P{i}", s, f"2025-0{i}-01", None)
        for i, s in enumerate(["OTS", "JR", "OTS", "OTS", "JR", "OTS"], 1)
    ),
    ("Q1", "OTS", "2025-07-01", None),
]
P_TOEW = [
    ("H1", "a1", "A", JZW, "2024-01-01", None),
    ("H2", "a2", "A", JZW, "2024-01-01", None),
    # P1 changed CRT worker in June: still the longest in the CRT (since 1 Jan).
    ("P1", "c2", "CRT", CP, "2025-01-01", "2025-06-01"),
    ("P1", "c1", "CRT", CP, "2025-06-01", None),
    *((f"P{i}", "c1", "CRT", CP, f"2025-0{i}-01", None) for i in range(2, 7)),
    ("Q1", "c2", "CRTZ", CP, "2025-07-01", None),
]


def proposal_world() -> Snapshot:
    return world(measures=P_MEASURES, toewijzingen=P_TOEW, staff=P_STAFF)


def test_transfer_proposal_keeps_the_buffer():
    out = transfer_proposal(proposal_world(), MANAGER, AS_OF, CONFIG)
    # Rooms: a1 3 - 1 = 2, a2 2.4 - 1 = 1.4, r1 1.2, z1 12 (Zuid only); every receiver keeps
    # 1 per fte free: a1 0.25, a2 0.2, r1 0.1. The export has no SKJ or VOG dates: rules off.
    # P1 (oldest) -> a1 (2 -> 1); P2 JR -> r1 (1.2 -> 0.2); P3 -> a2 (1.4 -> 0.4);
    # P4: a1 would end at 0 < 0.25, a2 at -0.6; P5 JR: r1 at -0.8; P6 as P4: none placed.
    # Q1 in the Zuid CRT goes to z1.
    got = [
        (r["maatregel_id"], r["naar_medewerker_id"], r["ruimte_na"])
        for r in out.iter_rows(named=True)
    ]
    assert got == [
        ("P1", "a1", 1.0),
        ("P2", "r1", pytest.approx(0.2)),
        ("P3", "a2", pytest.approx(0.4)),
        ("Q1", "z1", 11.0),
    ]
    p1 = out.row(0, named=True)
    assert (p1["van_team_id"], p1["crt_sinds"], p1["regio"]) == ("CRT", date(2025, 1, 1), "Noord")
    # The page shows teams by name: beside each team id its name from teams.
    assert (p1["van_team_naam"], p1["naar_team_naam"]) == ("CRT Noord", "Team A")
    assert p1["dagen_in_crt"] == (AS_OF - date(2025, 1, 1)).days
    assert p1["reden"] == "meeste ruimte in regio Noord (2,0)"


def test_transfer_proposal_with_weights():
    # OTS weighs 1.5: a1 room 3 - 1.5 = 1.5, a2 2.4 - 1.5 = 0.9, r1 1.2. P1 would leave a1 at
    # 0 < 0.25 and a2 below 0: no JB measure fits; P2 JR (1.0) -> r1 (0.2).
    config = replace(CONFIG, caseload_gewicht={"OTS": 1.5})
    out = transfer_proposal(proposal_world(), MANAGER, AS_OF, config)
    assert out.filter(pl.col("regio") == "Noord").select(
        "maatregel_id", "naar_medewerker_id"
    ).rows() == [("P2", "r1")]
    assert (out["ruimte_na"] >= 0).all()


def test_transfer_proposal_scope():
    # A teammanager plans for their own region (Noord, both for team A and the CRT), anyone
    # seeing everything for the organisation.
    for tm in ("tm_a", "tm_crt"):
        out = transfer_proposal(proposal_world(), Viewer("teammanager", tm), AS_OF, CONFIG)
        assert out["maatregel_id"].to_list() == ["P1", "P2", "P3"]
    assert transfer_proposal(proposal_world(), Viewer("beheerder"), AS_OF, CONFIG).height == 4
    assert (
        transfer_proposal(proposal_world(), Viewer("jeugdzorgwerker", "a1"), AS_OF, CONFIG).height
        == 0
    )
    crt = capacity(proposal_world(), Viewer("teammanager", "tm_crt"), AS_OF, CONFIG)
    # The Noord CRT holds P1..P6 ; the Zuid CRT (Q1) is another team. The planner of the
    # teammanager's region moves P1..P3 of them.
    assert crt.select("regio", "crt", "voorstel_aantal", "niet_plaatsbaar").rows() == [
        ("Noord", 6, 3, 3)
    ]


def test_proposals_per_region_are_the_organisations():
    snap = region_world()
    # Proposals stay inside a region, so a region's are the organisation's for that region.
    proposal = transfer_proposal(snap, MANAGER, AS_OF, CONFIG)
    assert "Y1" in proposal["maatregel_id"].to_list()
    for regio in ("Noord", "Zuid"):
        assert transfer_proposal(snap, MANAGER, AS_OF, CONFIG, regio=regio).equals(
            proposal.filter(pl.col("regio") == regio)
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from(["new_measure", "end_measures", "reassign"]),
    st.integers(1, 60),
)
def test_events_after_as_of_never_change_the_proposal(history, kind, later):
    measures, toew, as_of = history
    day = date(2025, 1, 1) + timedelta(days=as_of)
    before = history_snapshot(measures, toew)
    after = history_snapshot(*after_as_of(measures, toew, as_of, kind, later))
    assert transfer_proposal(before, MANAGER, day, CONFIG).equals(
        transfer_proposal(after, MANAGER, day, CONFIG)
    )
