"""Caseload per jeugdzorgwerker, roll-ups and a worker's measures, with hand-worked numbers."""

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.caseload import (
    CASELOAD_FIGUREN,
    FIGUREN,
    active_on,
    alleen_gezien_laatst,
    caseload,
    caseload_by,
    caseload_rijen,
    held_active,
    maatregel,
    maatregelen_van,
)
from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER, Viewer, holders
from queries.snapshot import Snapshot
from tests.frames import sample_snapshot

AS_OF = date(2026, 3, 16)
CONFIG = Config()

TEAMS = {
    "team_id": ["A", "B", "CRT", "Z"],
    "naam": ["Team A", "Team B", "CRT Noord", "Team Zuid"],
    "regio": ["Noord", "Noord", "Noord", "Zuid"],
    "soort": ["regulier", "regulier", "CRT", "regulier"],
}

STAFF_COLS = ("medewerker_id", "naam", "functie", "team_id", "fte", "in_dienst", "uit_dienst",
              "begeleider_id")  # fmt: skip
STAFF = [
    ("w1", "Wim", "jeugdbeschermer", "A", 1.0, "2020-01-01", None, "pb1"),
    ("w2", "Wendy", "jeugdbeschermer", "A", 0.5, "2020-01-01", None, "pb1"),
    ("w3", "Wout", "jeugdreclasseerder", "B", 0.8, "2020-01-01", None, "pb2"),
    ("c1", "Cor", "jeugdbeschermer", "CRT", 1.0, "2020-01-01", None, "pb2"),
    ("z1", "Zara", "jeugdbeschermer", "Z", 1.0, "2020-01-01", None, None),
    ("old", "Olaf", "jeugdbeschermer", "A", 1.0, "2019-01-01", "2026-03-16", "pb1"),
    ("new", "Nina", "jeugdbeschermer", "A", 1.0, "2026-03-17", None, "pb1"),
    ("pb1", "Petra", "praktijkbegeleider", "A", 0.8, "2015-01-01", None, None),
    ("pb2", "Paul", "praktijkbegeleider", "B", 0.8, "2015-01-01", None, None),
    ("tm_a", "Tess", "teammanager", "A", 1.0, "2015-01-01", None, None),
    ("gw_b", "Gert", "gedragswetenschapper", "B", 1.0, "2015-01-01", None, None),
]

STAFF_ROWS = [dict(zip(STAFF_COLS, r, strict=True)) for r in STAFF]

MEASURE_COLS = ("maatregel_id", "soort", "start", "einde")
MEASURES = [
    ("M1", "OTS", "2025-01-10", None),
    ("M2", "voogdij", "2024-05-01", None),
    ("M3", "JR", "2026-02-02", None),  # 42 days before AS_OF: just out of its start phase
    ("M4", "OTS", "2026-02-03", None),  # 41 days before AS_OF: still in its start phase
    ("M5", "OTS", "2025-06-01", "2026-03-16"),  # ended on AS_OF: no longer active
    ("M6", "VOTS", "2025-06-01", None),  # w1 until 2026-03-16, then w2
    ("M7", "JR", "2025-07-01", None),
    ("M8", "OTS", "2025-08-01", None),  # CRT, contactpersoon
    ("M9", "voorlopige_voogdij", "2025-09-01", None),  # unassigned
    ("M10", "OTS", "2026-03-17", None),  # starts after AS_OF
    ("M11", "OTS", "2025-01-01", None),  # Zuid
]

TOEW_COLS = ("maatregel_id", "medewerker_id", "team_id", "rol", "vanaf", "tot")
TOEWIJZINGEN = [
    ("M1", "w1", "A", "jeugdzorgwerker", "2025-01-10", None),
    ("M2", "w1", "A", "jeugdzorgwerker", "2024-05-01", None),
    ("M3", "w1", "A", "jeugdzorgwerker", "2026-02-02", None),
    ("M4", "w1", "A", "jeugdzorgwerker", "2026-02-03", None),
    ("M5", "w1", "A", "jeugdzorgwerker", "2025-06-01", None),
    ("M6", "w1", "A", "jeugdzorgwerker", "2025-06-01", "2026-03-16"),
    ("M6", "w2", "A", "jeugdzorgwerker", "2026-03-16", None),
    ("M7", "w3", "B", "jeugdzorgwerker", "2025-07-01", None),
    ("M8", "c1", "CRT", "contactpersoon", "2025-08-01", None),
    ("M10", "w1", "A", "jeugdzorgwerker", "2026-03-17", None),
    ("M11", "z1", "Z", "jeugdzorgwerker", "2025-01-01", None),
]


def rows(cols, data) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(cols, r, strict=True)) for r in data], infer_schema_length=None)


def world(staff=STAFF, measures=MEASURES, toewijzingen=TOEWIJZINGEN, **extra) -> Snapshot:
    return Snapshot.from_frames(
        AS_OF + timedelta(days=30),
        teams=pl.DataFrame(TEAMS),
        medewerkers=rows(STAFF_COLS, staff),
        maatregelen=rows(MEASURE_COLS, measures),
        toewijzingen=rows(TOEW_COLS, toewijzingen),
        **extra,
    )


def by_id(df: pl.DataFrame) -> dict[str, dict]:
    return {r["medewerker_id"]: r for r in df.iter_rows(named=True)}


def test_worked_example_for_the_manager():
    out = by_id(caseload(world(), MANAGER, AS_OF, CONFIG))
    # In service on AS_OF: not 'old' (left on AS_OF) nor 'new' (starts the day after);
    # praktijkbegeleiders and managers carry no caseload.
    assert set(out) == {"w1", "w2", "w3", "c1", "z1"}
    w1 = out["w1"]
    # w1: M1, M2, M3, M4 (M5 ended on AS_OF, M6 went to w2 on AS_OF, M10 starts later).
    assert (w1["actief"], w1["OTS"], w1["voogdij"], w1["JR"]) == (4, 2, 1, 1)
    assert (w1["gewogen"], w1["norm"], w1["ruimte"], w1["boven_norm"]) == (4.0, 12.0, 8.0, False)
    assert (w1["team_naam"], w1["regio"], w1["team_soort"]) == ("Team A", "Noord", "regulier")
    # w2 holds M6 from AS_OF on: 0.5 fte x 12 = norm 6, room 5.
    assert (out["w2"]["actief"], out["w2"]["VOTS"], out["w2"]["norm"]) == (1, 1, 6.0)
    assert out["w2"]["ruimte"] == 5.0
    # c1 holds M8 as contactpersoon in the CRT: it counts, and shows as contactpersoon.
    assert (out["c1"]["actief"], out["c1"]["contactpersoon"]) == (1, 1)
    assert out["w3"]["norm"] == pytest.approx(9.6)
    assert out["w3"]["voorlopige_voogdij"] == 0


def test_weights_per_soort_and_start_phase():
    config = replace(
        CONFIG,
        caseload_gewicht={"OTS": 1.5, "voogdij": 2.0, "JR": 1.0},
        startfase_weken=6,
        startfase_factor=2.0,
    )
    w1 = by_id(caseload(world(), MANAGER, AS_OF, config))["w1"]
    # M1 OTS 1.5; M2 voogdij 2.0; M3 JR started 42 days ago (out of the 6 weeks): 1.0;
    # M4 OTS started 41 days ago, in the start phase: 1.5 x 2 = 3.0. Total 7.5.
    assert w1["gewogen"] == 7.5
    assert w1["ruimte"] == 4.5
    # A soort missing from the weights weighs 1: w2's VOTS.
    assert by_id(caseload(world(), MANAGER, AS_OF, config))["w2"]["gewogen"] == 1.0


def test_over_the_norm():
    # w2 (0.5 fte, norm 6) gets seven extra OTS measures: 8 held, room 6 - 8 = -2.
    extra_m = [(f"X{i}", "OTS", "2025-01-01", None) for i in range(7)]
    extra_t = [(f"X{i}", "w2", "A", "jeugdzorgwerker", "2025-01-01", None) for i in range(7)]
    snap = world(measures=MEASURES + extra_m, toewijzingen=TOEWIJZINGEN + extra_t)
    w2 = by_id(caseload(snap, MANAGER, AS_OF, CONFIG))["w2"]
    assert (w2["actief"], w2["ruimte"], w2["boven_norm"]) == (8, -2.0, True)
    teams = {
        r["team_id"]: r for r in caseload_by(snap, MANAGER, AS_OF, CONFIG).iter_rows(named=True)
    }
    # Team A: w1 (1.0 fte, 4 held, room 8) and w2 (0.5 fte, 8 held, room -2).
    assert teams["A"]["medewerkers"] == 2
    assert teams["A"]["fte"] == 1.5
    assert teams["A"]["actief"] == 12
    assert teams["A"]["ruimte"] == 6.0
    assert teams["A"]["ruimte_positief"] == 8.0
    assert teams["A"]["boven_norm"] == 1


def test_caseload_figures_over_a_team_and_a_worker():
    # As test_over_the_norm: team A is w1 (1.0 fte, 4 held, gewogen 4, norm 12) and w2 (0.5
    # fte, 8 held, gewogen 8, norm 6, room -2).
    extra_m = [(f"X{i}", "OTS", "2025-01-01", None) for i in range(7)]
    extra_t = [(f"X{i}", "w2", "A", "jeugdzorgwerker", "2025-01-01", None) for i in range(7)]
    snap = world(measures=MEASURES + extra_m, toewijzingen=TOEWIJZINGEN + extra_t)

    def figures(f: Filters) -> dict:
        keys = [k.key for k in FIGUREN if k.key != "alleen_gezien_laatst"]
        return {k: waarde(k, snap, MANAGER, AS_OF, CONFIG, f) for k in keys}

    assert figures(Filters(team_id="A")) == {
        "jeugdzorgwerkers": 2,
        "caseload_fte": 1.5,
        "caseload_actief": 12,
        "caseload_gewogen": 12.0,
        "caseload_norm": 18.0,
        "caseload_ruimte": 6.0,
        "gewogen_per_fte": 8.0,
        "medewerkers_boven_norm": 1,
    }
    w2 = figures(Filters(medewerker_id="w2"))
    assert (w2["caseload_actief"], w2["caseload_ruimte"], w2["gewogen_per_fte"]) == (8, -2.0, 16.0)
    nobody = figures(Filters(team_id="geen"))
    assert (nobody["jeugdzorgwerkers"], nobody["gewogen_per_fte"]) == (0, None)
    # The rows' columns carry the same keys.
    assert set(CASELOAD_FIGUREN.values()) <= set(
        caseload_rijen(caseload(snap, MANAGER, AS_OF, CONFIG)).columns
    )


def test_roll_up_per_region():
    out = {
        r["regio"]: r
        for r in caseload_by(world(), MANAGER, AS_OF, CONFIG, "regio").iter_rows(named=True)
    }
    # Noord: w1 4, w2 1, w3 1 (M7), c1 1; fte 1 + 0.5 + 0.8 + 1 = 3.3; Zuid: z1 with M11.
    assert out["Noord"]["actief"] == 7
    assert out["Noord"]["fte"] == pytest.approx(3.3)
    assert out["Noord"]["medewerkers"] == 4
    assert out["Zuid"]["actief"] == 1
    with pytest.raises(ValueError):
        caseload_by(world(), MANAGER, AS_OF, CONFIG, "gemeente")


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        # Each role with a worker just outside the scope: w2 (same team) for w1, w3 (other
        # begeleider) for pb1, w3 (other team) for the teammanager of A, w1 for B's
        # gedragswetenschapper.
        (Viewer("jeugdzorgwerker", "w1"), {"w1"}),
        (Viewer("praktijkbegeleider", "pb1"), {"w1", "w2"}),
        (Viewer("teammanager", "tm_a"), {"w1", "w2"}),
        (Viewer("gedragswetenschapper", "gw_b"), {"w3"}),
        (Viewer("manager"), {"w1", "w2", "w3", "c1", "z1"}),
        (Viewer("beheerder"), {"w1", "w2", "w3", "c1", "z1"}),
        (Viewer("jeugdzorgwerker", "nobody"), set()),
    ],
)
def test_scope_per_role(viewer, expected):
    assert set(caseload(world(), viewer, AS_OF, CONFIG)["medewerker_id"]) == expected
    teams = set(caseload_by(world(), viewer, AS_OF, CONFIG)["team_id"])
    assert teams == {r["team_id"] for r in STAFF_ROWS if r["medewerker_id"] in expected}


CONTACT_COLS = ("contact_id", "maatregel_id", "medewerker_id", "datum", "vorm", "met",
                "jeugdige_alleen_gezien")  # fmt: skip
CONTACTS = [
    ("K1", "M1", "w1", "2026-02-01", "face-to-face", "jeugdige", True),
    ("K2", "M1", "w1", "2026-03-01", "face-to-face", "jeugdige_en_ouder", False),
    ("K3", "M1", "w1", "2026-03-10", "telefonisch", "jeugdige", None),  # not face-to-face
    ("K4", "M1", "w1", "2026-03-12", "face-to-face", "ketenpartner", None),  # not the family
    ("K5", "M1", "w1", "2026-03-17", "face-to-face", "jeugdige", True),  # after AS_OF
    ("K6", "M2", "w1", "2026-03-16", "face-to-face", "ouder", None),  # on AS_OF: counts
]


def measures_world() -> Snapshot:
    return world(
        contacten=rows(CONTACT_COLS, CONTACTS),
        plannen=pl.DataFrame(
            {
                "plan_id": ["P1", "P2", "P3"],
                "maatregel_id": ["M1", "M1", "M1"],
                "soort": ["eerste", "evaluatie", "bijstelling"],
                "vastgesteld": ["2025-02-15", "2026-01-20", "2026-03-20"],
            }
        ),
        risicotaxaties=pl.DataFrame(
            {
                "taxatie_id": ["R1", "R2"],
                "maatregel_id": ["M2", "M2"],
                "instrument": ["ARIJ", "ARIJ"],
                "datum": ["2026-01-05", "2026-03-17"],
            }
        ),
    )


def test_measures_of_a_worker():
    out = maatregelen_van(measures_world(), MANAGER, AS_OF, CONFIG, "w1")
    rows_ = {r["maatregel_id"]: r for r in out.iter_rows(named=True)}
    assert set(rows_) == {"M1", "M2", "M3", "M4"}
    m1 = rows_["M1"]
    # Last seen on or before AS_OF is K2 (1 March, with a parent too): 15 days; last seen
    # alone K1 (1 February): 43 days.
    assert (m1["laatst_gezien"], m1["dagen_sinds_gezien"]) == (date(2026, 3, 1), 15)
    assert (m1["laatst_alleen_gezien"], m1["dagen_sinds_alleen_gezien"]) == (date(2026, 2, 1), 43)
    assert m1["jeugdige_alleen_gezien_laatst"] is False
    # P3 is dated after AS_OF.
    assert m1["laatste_plan"] == date(2026, 1, 20)
    assert m1["laatste_risicotaxatie"] is None
    m2 = rows_["M2"]
    # K6 on AS_OF was with a parent only: the child was never seen.
    assert (m2["laatst_gezien"], m2["dagen_sinds_gezien"]) == (None, None)
    assert m2["laatst_alleen_gezien"] is None
    assert m2["laatste_risicotaxatie"] == date(2026, 1, 5)
    # Never seen first (by start), then the longest ago.
    assert out["maatregel_id"].to_list() == ["M2", "M3", "M4", "M1"]
    # M1 was last seen with a parent, the others never: none seen alone the last time.
    figure = waarde(
        "alleen_gezien_laatst",
        measures_world(),
        MANAGER,
        AS_OF,
        CONFIG,
        Filters(medewerker_id="w1"),
    )
    assert figure == 0
    # Never seen (null) does not count as seen alone.
    seen = pl.DataFrame({"jeugdige_alleen_gezien_laatst": [True, False, None, True]})
    assert alleen_gezien_laatst(seen) == 2


def test_measures_of_defaults_to_the_viewer_and_respects_scope():
    snap = measures_world()
    own = maatregelen_van(snap, Viewer("jeugdzorgwerker", "w1"), AS_OF, CONFIG)
    assert set(own["maatregel_id"]) == {"M1", "M2", "M3", "M4"}
    # A colleague in the same team, another praktijkbegeleider's worker, another team.
    assert maatregelen_van(snap, Viewer("jeugdzorgwerker", "w2"), AS_OF, CONFIG, "w1").height == 0
    assert (
        maatregelen_van(snap, Viewer("praktijkbegeleider", "pb1"), AS_OF, CONFIG, "w1").height == 4
    )
    assert (
        maatregelen_van(snap, Viewer("praktijkbegeleider", "pb2"), AS_OF, CONFIG, "w1").height == 0
    )
    assert maatregelen_van(snap, Viewer("teammanager", "tm_a"), AS_OF, CONFIG, "w2").height == 1
    assert maatregelen_van(snap, Viewer("teammanager", "tm_a"), AS_OF, CONFIG, "w3").height == 0
    assert (
        maatregelen_van(snap, Viewer("gedragswetenschapper", "gw_b"), AS_OF, CONFIG, "w3").height
        == 1
    )
    assert maatregelen_van(snap, Viewer("beheerder"), AS_OF, CONFIG, "z1").height == 1


def test_sample_export():
    snap = sample_snapshot()
    # 15 Oct 2025: M2025-0102 moved from the CRT (1003) to Sanne (1001) on 1 Oct.
    out = by_id(caseload(snap, MANAGER, date(2025, 10, 15), CONFIG))
    assert (out["1001"]["actief"], out["1001"]["OTS"], out["1001"]["voogdij"]) == (2, 1, 1)
    assert out["1001"]["norm"] == pytest.approx(10.68)
    assert (out["1002"]["actief"], out["1002"]["JR"]) == (1, 1)
    assert out["1003"]["actief"] == 0
    # 15 Sep 2025: Petra (CRT) still holds it as contactpersoon.
    before = by_id(caseload(snap, MANAGER, date(2025, 9, 15), CONFIG))
    assert (before["1003"]["actief"], before["1003"]["contactpersoon"]) == (1, 1)
    assert before["1001"]["actief"] == 1
    # Marleen is praktijkbegeleider of all three: she sees all three rows.
    pb = caseload(snap, Viewer("praktijkbegeleider", "2001"), date(2025, 10, 15), CONFIG)
    assert set(pb["medewerker_id"]) == {"1001", "1002", "1003"}
    ms = maatregelen_van(snap, MANAGER, date(2025, 10, 15), CONFIG, "1001")
    m = {r["maatregel_id"]: r for r in ms.iter_rows(named=True)}
    assert m["M2025-0102"]["laatst_gezien"] == date(2025, 7, 2)
    assert m["M2025-0102"]["laatst_alleen_gezien"] == date(2025, 7, 2)
    assert m["M2025-0102"]["jeugdige_alleen_gezien_laatst"] is True
    assert m["M2025-0101"]["dagen_sinds_gezien"] == 40
    assert m["M2025-0101"]["dagen_sinds_alleen_gezien"] is None


# Random histories: measures with chains of toewijzingen among three workers, for the
# point-in-time property. Dates are day offsets from DAY0.
DAY0 = date(2025, 1, 1)
WORKERS = [("w1", "A"), ("w2", "A"), ("c1", "CRT")]


@st.composite
def histories(draw):
    measures, toew = [], []
    for i in range(draw(st.integers(1, 12))):
        start = draw(st.integers(0, 400))
        einde = draw(st.one_of(st.none(), st.integers(start + 1, 500)))
        mid = f"M{i}"
        measures.append((mid, draw(st.sampled_from(["OTS", "voogdij", "JR"])), start, einde))
        day = start + draw(st.integers(0, 20))
        for _ in range(draw(st.integers(0, 3))):
            w, team = draw(st.sampled_from(WORKERS))
            rol = "contactpersoon" if team == "CRT" else "jeugdzorgwerker"
            length = draw(st.one_of(st.none(), st.integers(1, 150)))
            toew.append((mid, w, team, rol, day, None if length is None else day + length))
            if length is None:
                break
            day += length
        v = start + draw(st.integers(0, 300))
        # A stand-in (vervanging) overlapping the chain: while it covers a day, it holds. No
        # two toewijzingen of a measure start on the same day (which one holds is undefined).
        if draw(st.booleans()) and all(t[4] != v for t in toew if t[0] == mid):
            length = draw(st.one_of(st.none(), st.integers(1, 100)))
            toew.append(
                (mid, "w2", "A", "jeugdzorgwerker", v, None if length is None else v + length)
            )
    as_of = draw(st.integers(0, 500))
    return measures, toew, as_of


def history_snapshot(measures, toew) -> Snapshot:
    def d(n):
        return None if n is None else DAY0 + timedelta(days=n)

    return world(
        measures=[(m, s, d(a), d(e)) for m, s, a, e in measures],
        toewijzingen=[(m, w, t, r, d(v), d(e)) for m, w, t, r, v, e in toew],
    )


def after_as_of(measures, toew, as_of, kind, later):
    """The same history plus one event dated after as_of (later >= 1 days after)."""
    day = as_of + later
    measures, toew = list(measures), list(toew)
    if kind == "new_measure":
        measures.append(("NEW", "OTS", day, None))
        toew.append(("NEW", "w1", "A", "jeugdzorgwerker", day, None))
    elif kind == "end_measures":
        measures = [
            (m, s, a, day if a < day and (e is None or e > day) else e) for m, s, a, e in measures
        ]
    elif kind == "reassign":
        toew = [(m, w, t, r, v, day if e is None and v < day else e) for m, w, t, r, v, e in toew]
        toew += [(m, "w2", "A", "jeugdzorgwerker", day, None) for m, *_ in measures]
    return measures, toew


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from(["new_measure", "end_measures", "reassign"]),
    st.integers(1, 60),
)
def test_events_after_as_of_never_change_the_caseload(history, kind, later):
    measures, toew, as_of = history
    day = DAY0 + timedelta(days=as_of)
    before = caseload(history_snapshot(measures, toew), MANAGER, day, CONFIG)
    after = caseload(
        history_snapshot(*after_as_of(measures, toew, as_of, kind, later)), MANAGER, day, CONFIG
    )
    assert before.equals(after)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_holders_agree_with_scope_holders(history):
    # held_active filters the covering toewijzingen before joining, for speed; it must pick
    # the same holder as scope.holders for every active measure, stand-ins included.
    measures, toew, as_of = history
    day = DAY0 + timedelta(days=as_of)
    snap = history_snapshot(measures, toew)
    active = snap["maatregelen"].filter(active_on(day)).select("maatregel_id")
    expected = (
        holders(snap, day)
        .join(active, on="maatregel_id")
        .filter(pl.col("medewerker_id").is_not_null())
        .select("maatregel_id", "medewerker_id", "team_id", "rol")
        .sort("maatregel_id")
    )
    got = held_active(snap, day, CONFIG).collect()
    assert got.select(expected.columns).sort("maatregel_id").equals(expected)
    for workers in (["w1"], ["w2"], ["c1"], ["w1", "c1"]):
        theirs = held_active(snap, day, CONFIG, workers).collect().sort("maatregel_id")
        assert theirs.equals(
            got.filter(pl.col("medewerker_id").is_in(workers)).sort("maatregel_id")
        )


def test_maatregel_header_with_holder_by_name_and_only_in_scope():
    snap = sample_snapshot()
    # 1003 (CRT) held M2025-0102 until 1 Oct, 1001 from then on.
    before = maatregel(snap, MANAGER, date(2025, 9, 30), "M2025-0102").row(0, named=True)
    assert (before["naam"], before["team_naam"], before["rol"]) == (
        "Petra Hoekstra", "Casus Regie Team", "contactpersoon"
    )  # fmt: skip
    after = maatregel(snap, MANAGER, date(2025, 11, 1), "M2025-0102").row(0, named=True)
    assert (after["medewerker_id"], after["soort"], after["start"], after["einde"]) == (
        "1001", "voogdij", date(2025, 6, 11), None
    )  # fmt: skip
    sanne = Viewer("jeugdzorgwerker", "1001")
    assert maatregel(snap, sanne, date(2025, 11, 1), "M2025-0102").height == 1
    assert maatregel(snap, sanne, date(2025, 9, 30), "M2025-0102").is_empty()
    assert maatregel(snap, sanne, date(2025, 11, 1), "M2025-0103").is_empty()
    assert maatregel(snap, MANAGER, date(2025, 11, 1), "M9999-0001").is_empty()
    assert maatregel(snap, MANAGER, date(2025, 6, 10), "M2025-0102").is_empty()
