"""CCP/CRT afbouw: stock per month end, flows and starts with a vaste jeugdzorgwerker."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.afbouw import (
    flows_per_month,
    start_with_vaste_jzw,
    stock_per_month,
)
from queries.caseload import active_on
from queries.config import Config
from queries.perioden import month_ends
from queries.scope import MANAGER, Viewer, holders, visible_maatregelen
from queries.snapshot import Snapshot
from tests.frames import sample_snapshot
from tests.unit.queries.test_caseload import after_as_of, histories, history_snapshot, rows

AS_OF = date(2026, 3, 16)
CONFIG = Config()

TEAMS = {
    "team_id": ["A", "B", "CCP", "CRT", "Z", "CRTZ"],
    "naam": ["Team A", "Team B", "CCP Noord", "CRT Noord", "Team Zuid", "CRT Zuid"],
    "regio": ["Noord", "Noord", "Noord", "Noord", "Zuid", "Zuid"],
    "soort": ["regulier", "regulier", "CCP", "CRT", "regulier", "CRT"],
}
STAFF_COLS = ("medewerker_id", "naam", "functie", "team_id", "fte", "in_dienst", "begeleider_id")
STAFF = [
    ("w1", "Wim", "jeugdbeschermer", "A", 1.0, "2020-01-01", "pb1"),
    ("w2", "Wendy", "jeugdbeschermer", "A", 0.5, "2020-01-01", "pb1"),
    ("w3", "Wout", "jeugdreclasseerder", "B", 0.8, "2020-01-01", "pb2"),
    ("z1", "Zara", "jeugdbeschermer", "Z", 1.0, "2020-01-01", None),
    ("p1", "Piet", "jeugdbeschermer", "CCP", 1.0, "2020-01-01", None),
    ("c1", "Cor", "jeugdbeschermer", "CRT", 1.0, "2020-01-01", None),
    ("c2", "Cas", "jeugdbeschermer", "CRT", 1.0, "2020-01-01", None),
    ("pb1", "Petra", "praktijkbegeleider", "A", 0.8, "2015-01-01", None),
    ("pb2", "Paul", "praktijkbegeleider", "B", 0.8, "2015-01-01", None),
    ("tm_a", "Tess", "teammanager", "A", 1.0, "2015-01-01", None),
    ("tm_crt", "Tom", "teammanager", "CRT", 1.0, "2015-01-01", None),
    ("gw_b", "Gert", "gedragswetenschapper", "B", 1.0, "2015-01-01", None),
]
MEASURE_COLS = ("maatregel_id", "soort", "start", "einde")
MEASURES = [
    ("R1", "OTS", "2025-06-01", None),
    ("C1", "OTS", "2025-11-01", None),
    ("C2", "voogdij", "2026-01-10", None),
    ("C3", "JR", "2025-10-01", None),
    ("C4", "OTS", "2025-09-01", "2026-03-05"),
    ("C5", "OTS", "2025-12-01", None),
    ("G1", "OTS", "2025-12-01", None),
    ("U1", "OTS", "2026-01-31", None),
    ("K1", "VOTS", "2025-12-01", None),
    ("E1", "OTS", "2025-05-01", "2026-01-31"),
    ("V1", "OTS", "2026-03-02", None),
    ("F1", "OTS", "2026-03-20", None),
]
TOEW_COLS = ("maatregel_id", "medewerker_id", "team_id", "rol", "vanaf", "tot")
JZW, CP = "jeugdzorgwerker", "contactpersoon"
TOEWIJZINGEN = [
    ("R1", "w1", "A", JZW, "2025-06-01", None),
    # C1: CRT from November, a worker swap inside the CRT, to w1 on 1 February.
    ("C1", "c1", "CRT", CP, "2025-11-01", "2026-01-05"),
    ("C1", "c2", "CRT", CP, "2026-01-05", "2026-02-01"),
    ("C1", "w1", "A", JZW, "2026-02-01", None),
    # C2: a new measure straight into the CRT in January.
    ("C2", "c1", "CRT", CP, "2026-01-10", None),
    # C3: CCP, then CRT (no new inflow), then to w3 in team B on 2 March.
    ("C3", "p1", "CCP", CP, "2025-10-01", "2026-01-15"),
    ("C3", "c2", "CRT", CP, "2026-01-15", "2026-03-02"),
    ("C3", "w3", "B", JZW, "2026-03-02", None),
    # C4: regular, into the CRT on 10 February, ends in the CRT on 5 March.
    ("C4", "w2", "A", JZW, "2025-09-01", "2026-02-10"),
    ("C4", "c1", "CRT", CP, "2026-02-10", None),
    # C5: CRT from 1 December, to w2 on the month end 31 January.
    ("C5", "c2", "CRT", CP, "2025-12-01", "2026-01-31"),
    ("C5", "w2", "A", JZW, "2026-01-31", None),
    # G1: CRT until 20 February, w1 only from the 21st: a gap, so not a transfer.
    ("G1", "c1", "CRT", CP, "2025-12-01", "2026-02-20"),
    ("G1", "w1", "A", JZW, "2026-02-21", None),
    ("K1", "w1", "A", CP, "2025-12-01", None),
    ("E1", "w2", "A", JZW, "2025-05-01", None),
    ("V1", "w2", "A", JZW, "2026-03-02", None),
    ("F1", "w1", "A", JZW, "2026-03-20", None),
]


def world(measures=MEASURES, toewijzingen=TOEWIJZINGEN, staff=STAFF) -> Snapshot:
    return Snapshot.from_frames(
        AS_OF + timedelta(days=30),
        teams=pl.DataFrame(TEAMS),
        medewerkers=rows(STAFF_COLS, staff),
        maatregelen=rows(MEASURE_COLS, measures),
        toewijzingen=rows(TOEW_COLS, toewijzingen),
    )


STOCK_COLS = ["actief", "vaste_jzw", "ccp", "crt", "niet_toegewezen", "overig"]


def test_stock_per_month_worked_example():
    out = stock_per_month(world(), MANAGER, AS_OF, CONFIG, months=4)
    assert out["maand"].to_list() == ["2025-12", "2026-01", "2026-02", "2026-03"]
    got = out.select(STOCK_COLS).rows()
    # 31 Dec: vaste R1 C4 E1; CCP C3; CRT C1 C5 G1; K1 has a contactpersoon in team A (overig).
    # 31 Jan: E1 ended that day; C5 moved to w2 that day (vaste); C2 and C3 in the CRT; U1
    #         started that day without a toewijzing.
    # 28 Feb: C1 and G1 regular, C4 in the CRT since the 10th.
    # 16 Mar: C3 to team B, C4 ended, V1 new with w2; F1 starts after as_of.
    assert got == [
        (8, 3, 1, 3, 0, 1),
        (9, 3, 0, 4, 1, 1),
        (9, 4, 0, 3, 1, 1),
        (9, 6, 0, 1, 1, 1),
    ]
    assert out["ccp_crt"].to_list() == [4, 4, 3, 1]


@pytest.mark.parametrize(
    ("viewer", "last"),
    [
        # 16 March, with a measure just outside each scope.
        # w1 holds R1, C1, G1 and K1 (contactpersoon); w2's C5 and V1 are outside.
        (Viewer("jeugdzorgwerker", "w1"), (4, 3, 0, 0, 0, 1)),
        # pb1 sees w1 and w2: plus C5 and V1; w3's C3 is outside.
        (Viewer("praktijkbegeleider", "pb1"), (6, 5, 0, 0, 0, 1)),
        (Viewer("teammanager", "tm_a"), (6, 5, 0, 0, 0, 1)),
        # Team B holds only C3; team A's measures are outside.
        (Viewer("gedragswetenschapper", "gw_b"), (1, 1, 0, 0, 0, 0)),
        # The CRT holds C2; nobody outside the organisation roles sees the unassigned U1.
        (Viewer("teammanager", "tm_crt"), (1, 0, 0, 1, 0, 0)),
        (Viewer("beheerder"), (9, 6, 0, 1, 1, 1)),
    ],
)
def test_stock_scope_per_role(viewer, last):
    out = stock_per_month(world(), viewer, AS_OF, CONFIG, months=4)
    assert out.select(STOCK_COLS).rows()[-1] == last


def test_flows_per_month_worked_example():
    out = flows_per_month(world(), MANAGER, AS_OF, CONFIG, months=4)
    assert out["maand"].to_list() == ["2025-12", "2026-01", "2026-02", "2026-03"]
    # Instroom: Dec C5 and G1 (new), Jan C2 (new; C1's swap and C3's CCP->CRT are moves
    # inside CCP/CRT), Feb C4 (from a regular team, not new).
    assert out["instroom"].to_list() == [2, 1, 1, 0]
    assert out["instroom_nieuw"].to_list() == [2, 1, 0, 0]
    assert out["instroom_crt"].to_list() == [2, 1, 1, 0]
    # Overdracht: C5 on 31 Jan, C1 on 1 Feb, C3 on 2 Mar; G1 had a gap of a day.
    assert out["overdracht"].to_list() == [0, 1, 1, 1]
    assert out["overdracht_crt"].to_list() == [0, 1, 1, 1]
    # Uitstroom: C4 ended in the CRT on 5 Mar; E1 ended with a regular worker.
    assert out["uitstroom"].to_list() == [0, 0, 0, 1]


def test_flows_scope():
    # Team A receives C5 (Jan) and C1 (Feb); C3 went to team B in March.
    a = flows_per_month(world(), Viewer("teammanager", "tm_a"), AS_OF, CONFIG, months=4)
    assert a["overdracht"].to_list() == [0, 1, 1, 0]
    assert a["instroom"].sum() == 0
    b = flows_per_month(world(), Viewer("gedragswetenschapper", "gw_b"), AS_OF, CONFIG, months=4)
    assert b["overdracht"].to_list() == [0, 0, 0, 1]
    crt = flows_per_month(world(), Viewer("teammanager", "tm_crt"), AS_OF, CONFIG, months=4)
    assert crt["instroom"].to_list() == [2, 1, 1, 0]
    assert crt["overdracht"].to_list() == [0, 1, 1, 1]
    assert crt["uitstroom"].to_list() == [0, 0, 0, 1]


def test_start_with_vaste_jzw():
    out = start_with_vaste_jzw(world(), MANAGER, AS_OF, CONFIG, months=4)
    # Dec: K1 (contactpersoon), C5 and G1 (CRT): 0 of 3. Jan: C2 (CRT), U1 (nobody): 0 of 2.
    # Feb: none. Mar: V1 with w2 from its first day: 1 of 1; F1 starts after as_of.
    assert out.rows() == [
        ("2025-12", 3, 0, 0.0),
        ("2026-01", 2, 0, 0.0),
        ("2026-02", 0, 0, None),
        ("2026-03", 1, 1, 100.0),
    ]


def test_sample_export():
    snap = sample_snapshot()
    out = stock_per_month(snap, MANAGER, date(2025, 10, 31), CONFIG, months=2)
    # 30 Sep: M2025-0102 still in the CRT (until 1 Oct); 31 Oct: all three regular.
    assert out.select("maand", "actief", "vaste_jzw", "crt").rows() == [
        ("2025-09", 3, 2, 1),
        ("2025-10", 3, 3, 0),
    ]
    flows = flows_per_month(snap, MANAGER, date(2025, 10, 31), CONFIG, months=5)
    assert flows.select("maand", "instroom", "overdracht").rows() == [
        ("2025-06", 1, 0),
        ("2025-07", 0, 0),
        ("2025-08", 0, 0),
        ("2025-09", 0, 0),
        ("2025-10", 0, 1),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from(["new_measure", "end_measures", "reassign"]),
    st.integers(1, 60),
)
def test_events_after_as_of_never_change_stock_or_flows(history, kind, later):
    measures, toew, as_of = history
    day = date(2025, 1, 1) + timedelta(days=as_of)
    before = history_snapshot(measures, toew)
    after = history_snapshot(*after_as_of(measures, toew, as_of, kind, later))
    for figure in (stock_per_month, flows_per_month, start_with_vaste_jzw):
        assert figure(before, MANAGER, day, CONFIG, months=6).equals(
            figure(after, MANAGER, day, CONFIG, months=6)
        )


def naive_stock(snap: Snapshot, viewer: Viewer, as_of: date, months: int) -> list[tuple]:
    """The stock the slow way: scope.holders on each month end, one day at a time."""
    out = []
    for day in month_ends(as_of, months):
        active = snap["maatregelen"].filter(active_on(day)).select("maatregel_id")
        held = holders(snap, day).join(active, on="maatregel_id")
        assigned = held.filter(pl.col("medewerker_id").is_not_null())
        if not viewer.sees_everything:
            assigned = assigned.join(
                visible_maatregelen(snap, viewer, day).select("maatregel_id"), on="maatregel_id"
            )
        soort, rol = assigned["team_soort"].to_list(), assigned["rol"].to_list()
        vast = sum(s == "regulier" and r == JZW for s, r in zip(soort, rol, strict=True))
        ccp, crt = soort.count("CCP"), soort.count("CRT")
        unassigned = held.height - held["medewerker_id"].count() if viewer.sees_everything else 0
        actief = held.height if viewer.sees_everything else assigned.height
        overig = assigned.height - vast - ccp - crt
        out.append((actief, vast, ccp, crt, unassigned, overig))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from([MANAGER, Viewer("teammanager", "tm_a"), Viewer("jeugdzorgwerker", "w2")]),
)
def test_stock_matches_holders_on_each_month_end(history, viewer):
    # Interval arithmetic over month ends, stand-ins overlapping chains included, must equal
    # asking scope.holders on every month end.
    measures, toew, as_of = history
    day = date(2025, 1, 1) + timedelta(days=as_of)
    snap = history_snapshot(measures, toew)
    got = stock_per_month(snap, viewer, day, CONFIG, months=8).select(STOCK_COLS).rows()
    assert got == naive_stock(snap, viewer, day, 8)


def region_world() -> Snapshot:
    """world plus X1, from the Zuid CRT to team A (Noord) on 1 February, and Y1 in the Zuid CRT."""
    return world(
        measures=[*MEASURES, ("X1", "OTS", "2025-12-01", None), ("Y1", "OTS", "2026-01-05", None)],
        toewijzingen=[
            *TOEWIJZINGEN,
            ("X1", "cz", "CRTZ", CP, "2025-12-01", "2026-02-01"),
            ("X1", "w1", "A", JZW, "2026-02-01", None),
            ("Y1", "cz", "CRTZ", CP, "2026-01-05", None),
        ],
        staff=[*STAFF, ("cz", "Cees", "jeugdbeschermer", "CRTZ", 1.0, "2020-01-01", None)],
    )


def test_stock_and_flows_per_region():
    snap = region_world()
    zuid = stock_per_month(snap, MANAGER, AS_OF, CONFIG, months=4, regio="Zuid")
    # Month ends 31 Dec, 31 Jan, 28 Feb, 16 Mar: X1 is in the Zuid CRT until 1 February.
    assert zuid.select("maand", *STOCK_COLS).rows() == [
        ("2025-12", 1, 0, 0, 1, 0, 0),
        ("2026-01", 2, 0, 0, 2, 0, 0),
        ("2026-02", 1, 0, 0, 1, 0, 0),
        ("2026-03", 1, 0, 0, 1, 0, 0),
    ]
    noord = stock_per_month(snap, MANAGER, AS_OF, CONFIG, months=4, regio="Noord")
    whole = stock_per_month(snap, MANAGER, AS_OF, CONFIG, months=4)
    # 16 March: the organisation has (11, 7, 0, 2, 1, 1); Noord all but Y1 and the unassigned U1.
    assert whole.select(STOCK_COLS).rows()[-1] == (11, 7, 0, 2, 1, 1)
    assert noord.select(STOCK_COLS).rows()[-1] == (9, 7, 0, 1, 0, 1)
    # X1 is a vaste_jzw of Noord from February, not before.
    base = stock_per_month(world(), MANAGER, AS_OF, CONFIG, months=4)
    assert (noord["vaste_jzw"] - base["vaste_jzw"]).to_list() == [0, 0, 1, 1]
    summed = noord.select(STOCK_COLS) + zuid.select(STOCK_COLS)
    assert summed.drop("actief", "niet_toegewezen").equals(
        whole.select(STOCK_COLS).drop("actief", "niet_toegewezen")
    )
    assert (summed["actief"] + whole["niet_toegewezen"]).equals(whole["actief"])

    flows = {
        r: flows_per_month(snap, MANAGER, AS_OF, CONFIG, months=4, regio=r)
        for r in ("Noord", "Zuid")
    }
    # X1 and Y1 flow into the Zuid CRT; X1's transfer counts in Noord, which receives it.
    assert flows["Zuid"].select("maand", "instroom", "instroom_nieuw", "overdracht").rows() == [
        ("2025-12", 1, 1, 0),
        ("2026-01", 1, 1, 0),
        ("2026-02", 0, 0, 0),
        ("2026-03", 0, 0, 0),
    ]
    all_flows = flows_per_month(snap, MANAGER, AS_OF, CONFIG, months=4)
    assert (flows["Noord"].drop("maand") + flows["Zuid"].drop("maand")).equals(
        all_flows.drop("maand")
    )


def test_sample_export_regions_add_up():
    snap = sample_snapshot()
    day, cols = date(2025, 10, 31), ["actief", "vaste_jzw", "ccp", "crt", "overig"]
    whole = stock_per_month(snap, MANAGER, day, CONFIG, months=6)
    assert whole["niet_toegewezen"].sum() == 0
    parts = [
        stock_per_month(snap, MANAGER, day, CONFIG, months=6, regio=r)
        for r in ("Groningen", "Drenthe")
    ]
    assert (parts[0].select(cols) + parts[1].select(cols)).equals(whole.select(cols))
    # The CRT is a Groningen team: Drenthe never holds a CRT measure.
    assert parts[1]["crt"].sum() == 0
    assert parts[0]["crt"].equals(whole["crt"])
    assert whole.equals(stock_per_month(snap, MANAGER, day, CONFIG, months=6, regio=None))
