"""Staffing: formatie vs bezetting, verzuim % over werkdagen, dienstverband, VOG/SKJ, diplomas."""

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from queries.config import Config
from queries.kpis import verzuim_pct
from queries.personeel import bezetting, dienstverband_mix, expiring, missing_diplomas, verzuim
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot
from tests.frames import sample_snapshot
from tests.unit.queries.test_caseload import rows

AS_OF = date(2026, 3, 16)
CONFIG = Config()

TEAMS = {
    "team_id": ["A", "B", "Z"],
    "naam": ["Team A", "Team B", "Team Zuid"],
    "regio": ["Noord", "Noord", "Zuid"],
    "soort": ["regulier", "regulier", "regulier"],
}
JB, JR = "jeugdbeschermer", "jeugdreclasseerder"


def person(mid, functie, team, fte, in_dienst="2020-01-01", uit=None, dv="vast", pb=None,
           vog=None, skj=None, diploma=True) -> dict:  # fmt: skip
    return {
        "medewerker_id": mid, "naam": mid.upper(), "functie": functie, "team_id": team,
        "fte": fte, "in_dienst": in_dienst, "uit_dienst": uit, "dienstverband": dv,
        "begeleider_id": pb, "vog_datum": vog, "skj_geldig_tot": skj,
        "diploma_in_dossier": diploma,
    }  # fmt: skip


STAFF = [
    person("w1", JB, "A", 1.0, pb="pb1", vog="2023-05-01", skj="2027-01-01"),
    person("w2", JB, "A", 0.5, "2026-02-16", dv="tijdelijk", pb="pb1", vog="2026-02-01",
           skj="2026-03-01", diploma=None),
    person("w3", JR, "B", 0.8, pb="pb2", vog="2022-01-01", skj="2026-06-16", diploma=False),
    person("old", JB, "A", 1.0, "2019-01-01", uit="2026-02-01", dv="zzp", pb="pb1",
           vog="2023-04-01", diploma=False),
    person("tm_a", "teammanager", "A", 1.0, vog="2026-04-01", diploma=False),
    person("gw_b", "gedragswetenschapper", "B", 1.0, dv=None, skj="2026-07-01"),
    person("pb1", "praktijkbegeleider", "A", 0.8, vog="2023-06-17"),
    person("z1", JB, "Z", 1.0, vog="2023-03-16"),
]  # fmt: skip
VERZUIM = [
    ("w1", "2026-01-12", "2026-01-19", None),  # Jan 12-16: 5 werkdagen at 100%
    ("w2", "2026-02-09", None, 50.0),  # counts from her first day, 16 Feb
    ("old", "2026-01-26", None, 100.0),  # Jan 26-30; left on 1 Feb
    ("w1", "2026-03-17", None, 100.0),  # after as_of
    ("w3", "2026-03-06", "2026-03-10", 100.0),  # Fri 6 and Mon 9 March
]


def world(staff=STAFF, verzuim_rows=VERZUIM) -> Snapshot:
    return Snapshot.from_frames(
        date(2026, 4, 30),
        teams=pl.DataFrame(TEAMS),
        medewerkers=pl.DataFrame(staff, infer_schema_length=None),
        verzuim=rows(("medewerker_id", "ziek_vanaf", "ziek_tot", "percentage"), verzuim_rows),
        formatie=pl.DataFrame(
            {
                "team_id": ["A", "A", "A", "B", "A"],
                "maand": ["2026-01", "2026-02", "2026-03", "2026-03", "2026-04"],
                "formatie_fte": [5.0, 5.0, 5.5, 3.0, 9.0],
            }
        ),
    )


def test_bezetting_against_formatie():
    out = bezetting(world(), MANAGER, AS_OF, CONFIG, months=3)
    a = out.filter(pl.col("team_id") == "A").select(
        "maand", "formatie_fte", "bezetting_fte", "medewerkers", "verschil_fte"
    )
    # 31 Jan: w1 1 + old 1 + tm_a 1 + pb1 0.8 = 3.8. 28 Feb: old left, w2 (0.5) joined:
    # 3.3. March is measured on as_of: 3.3. April's formatie lies after as_of.
    assert a.rows() == [
        ("2026-01", 5.0, 3.8, 4, pytest.approx(-1.2)),
        ("2026-02", 5.0, 3.3, 4, pytest.approx(-1.7)),
        ("2026-03", 5.5, 3.3, 4, pytest.approx(-2.2)),
    ]
    b = out.filter(pl.col("team_id") == "B")
    assert b["formatie_fte"].to_list() == [None, None, 3.0]
    assert b["bezetting_fte"].to_list() == [1.8, 1.8, 1.8]
    assert set(out["team_id"]) == {"A", "B", "Z"}


# Werkdagen: January 2026 has 21 (New Year's Day is a Thursday), February 20, 1-16 March 11.
def test_verzuim_per_team_worked_example():
    out = verzuim(world(), MANAGER, AS_OF, CONFIG, months=3)
    a = out.filter(pl.col("team_id") == "A")
    # Jan: available w1, old, tm_a 21 each + pb1 0.8 x 21 = 79.8; absent w1 5 + old 5 = 10:
    #      12.5%. Feb: w1 20 + w2 0.5 x 10 + tm_a 20 + pb1 16 = 61; absent w2 0.5 fte x 50%
    #      x 10 days = 2.5: 4.1%. Mar: 11 + 5.5 + 11 + 8.8 = 36.3; absent 0.25 x 11 = 2.75:
    #      7.6% (w1's absence from 17 March is after as_of).
    assert a.select(
        "maand", "verzuim_pct", "verzuim_fte_dagen", "beschikbaar_fte_dagen"
    ).rows() == [
        ("2026-01", 12.5, 10.0, 79.8),
        ("2026-02", 4.1, 2.5, 61.0),
        ("2026-03", 7.6, 2.75, 36.3),
    ]
    # Team B in March: w3 0.8 x 2 days = 1.6 of (0.8 + 1.0) x 11 = 19.8: 8.1%.
    b = out.filter(pl.col("team_id") == "B")
    assert b["verzuim_pct"].to_list() == [0.0, 0.0, 8.1]
    noord = verzuim(world(), MANAGER, AS_OF, CONFIG, months=3, by="regio").filter(
        pl.col("regio") == "Noord"
    )
    # Noord in March: (2.75 + 1.6) / (36.3 + 19.8) = 7.75%.
    assert noord["verzuim_pct"].to_list()[-1] == 7.8
    with pytest.raises(ValueError):
        verzuim(world(), MANAGER, AS_OF, CONFIG, by="gemeente")


def test_verzuim_skips_feestdagen_and_closing_days():
    staff = [person("w1", JB, "A", 1.0)]
    sick = [("w1", "2026-04-01", "2026-04-08", None)]
    day = date(2026, 4, 10)
    # Werkdagen 1-10 April 2026: 1, 2, (Goede Vrijdag 3), (tweede Paasdag 6), 7, 8, 9, 10 = 6;
    # absent 1, 2, 7 = 3: 50%. Closing 9 April as well leaves 5 werkdagen: 60%.
    snap = world(staff=staff, verzuim_rows=sick)
    assert verzuim(snap, MANAGER, day, CONFIG, months=1, by=None)["verzuim_pct"].to_list() == [50.0]
    closed = replace(CONFIG, extra_vrije_dagen=(date(2026, 4, 9),))
    assert verzuim(snap, MANAGER, day, closed, months=1, by=None)["verzuim_pct"].to_list() == [60.0]


def test_verzuim_matches_the_kpi_for_the_month():
    # The headline KPI computes the as_of month day by day; the monthly series by interval
    # arithmetic. Both must agree, for the organisation and for a scoped viewer.
    for viewer in (MANAGER, Viewer("teammanager", "tm_a"), Viewer("praktijkbegeleider", "pb1")):
        series = verzuim(world(), viewer, AS_OF, CONFIG, months=1, by=None)
        assert series["verzuim_pct"].to_list() == [verzuim_pct(world(), viewer, AS_OF, CONFIG)]


def test_dienstverband_mix():
    out = dienstverband_mix(world(), MANAGER, AS_OF, CONFIG)
    got = out.select("team_id", "dienstverband", "medewerkers", "fte", "aandeel_fte_pct").rows()
    # In service on as_of; old (zzp) has left. A: vast w1, tm_a, pb1 = 2.8 of 3.3 fte.
    assert got == [
        ("A", "vast", 3, 2.8, 84.8),
        ("A", "tijdelijk", 1, 0.5, 15.2),
        ("B", "vast", 1, 0.8, 44.4),
        ("B", "onbekend", 1, 1.0, 55.6),
        ("Z", "vast", 1, 1.0, 100.0),
    ]
    org = dienstverband_mix(world(), MANAGER, AS_OF, CONFIG, by=None)
    assert org.select("dienstverband", "medewerkers").rows() == [
        ("vast", 5),
        ("tijdelijk", 1),
        ("onbekend", 1),
    ]


def test_expiring_vog_and_skj():
    out = expiring(world(), MANAGER, AS_OF, CONFIG)
    # Horizon 16 June 2026. w3's VOG (2022 + 36 months) and w2's SKJ are past; z1's VOG ends
    # on as_of itself (still valid that day); w1's VOG on 1 May; w3's SKJ on the horizon.
    # Left out: pb1's VOG (17 June), gw_b's SKJ (1 July), tm_a's VOG dated after as_of, old.
    assert out.select("medewerker_id", "document", "verloopt_op", "status", "dagen_tot").rows() == [
        ("w3", "vog", date(2025, 1, 1), "verlopen", -439),
        ("w2", "skj", date(2026, 3, 1), "verlopen", -15),
        ("z1", "vog", date(2026, 3, 16), "verloopt", 0),
        ("w1", "vog", date(2026, 5, 1), "verloopt", 46),
        ("w3", "skj", date(2026, 6, 16), "verloopt", 92),
    ]


def test_missing_diplomas():
    out = missing_diplomas(world(), MANAGER, AS_OF, CONFIG)
    # w2 unknown, w3 no; old has left, tm_a is no SKJ function.
    assert out.select("medewerker_id", "diploma_in_dossier").rows() == [("w2", None), ("w3", False)]


@pytest.mark.parametrize(
    ("viewer", "teams", "missing", "docs"),
    [
        # Each with someone just outside: w2 for w1, w3 (other begeleider) for pb1, team B
        # for A's teammanager, team A for B's gedragswetenschapper.
        (Viewer("jeugdzorgwerker", "w1"), {"A"}, [], [("w1", "vog")]),
        (Viewer("praktijkbegeleider", "pb1"), {"A"}, ["w2"], [("w2", "skj"), ("w1", "vog")]),
        (Viewer("teammanager", "tm_a"), {"A"}, ["w2"], [("w2", "skj"), ("w1", "vog")]),
        (Viewer("gedragswetenschapper", "gw_b"), {"B"}, ["w3"], [("w3", "vog"), ("w3", "skj")]),
        (Viewer("manager"), {"A", "B", "Z"}, ["w2", "w3"], None),
        (Viewer("beheerder"), {"A", "B", "Z"}, ["w2", "w3"], None),
    ],
)
def test_scope_per_role(viewer, teams, missing, docs):
    snap = world()
    assert set(bezetting(snap, viewer, AS_OF, CONFIG, months=1)["team_id"]) == teams
    assert set(verzuim(snap, viewer, AS_OF, CONFIG, months=1)["team_id"]) == teams
    assert set(dienstverband_mix(snap, viewer, AS_OF, CONFIG)["team_id"]) == teams
    assert missing_diplomas(snap, viewer, AS_OF, CONFIG)["medewerker_id"].to_list() == missing
    if docs is not None:
        assert (
            expiring(snap, viewer, AS_OF, CONFIG).select("medewerker_id", "document").rows() == docs
        )


def test_jeugdzorgwerker_sees_only_own_figures():
    w1 = Viewer("jeugdzorgwerker", "w1")
    # Only w1's own fte and absence: 5 of 21 werkdagen in January.
    assert bezetting(world(), w1, AS_OF, CONFIG, months=1)["bezetting_fte"].to_list() == [1.0]
    jan = verzuim(world(), w1, date(2026, 1, 31), CONFIG, months=1)
    assert jan["verzuim_pct"].to_list() == [23.8]


def test_sample_export():
    snap = sample_snapshot()
    out = verzuim(snap, MANAGER, date(2025, 10, 31), CONFIG, months=2)
    # Youssef (DRE-A, 1 fte) ill 15 Sep up to 3 Oct: 12 of 22 September werkdagen, 2 of 23 in
    # October; Petra (CRT) 50% from 20 Oct: 10 werkdagen x 0.5 = 5 of 23.
    got = {(r["maand"], r["team_id"]): r["verzuim_pct"] for r in out.iter_rows(named=True)}
    assert got[("2025-09", "DRE-A")] == 54.5
    assert got[("2025-10", "DRE-A")] == 8.7
    assert got[("2025-10", "CRT")] == 21.7
    assert got[("2025-10", "GRN-A")] == 0.0
    bez = bezetting(snap, MANAGER, date(2025, 10, 31), CONFIG, months=1)
    assert bez.select("team_id", "formatie_fte", "bezetting_fte").rows() == [
        ("CRT", 6.0, 1.0),
        ("DRE-A", 9.0, 1.0),
        ("GRN-A", 12.5, 1.69),
    ]
    assert missing_diplomas(snap, MANAGER, date(2025, 10, 31), CONFIG)[
        "medewerker_id"
    ].to_list() == ["1003"]
