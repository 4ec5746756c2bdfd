"""Staffing: formatie vs bezetting, verzuim over calendar days, verloop, dienstverband, VOG/SKJ,
diplomas, and their figures in the registry."""

from datetime import date

import polars as pl
import pytest

from queries import figuren, personeel
from queries.config import Config
from queries.figuur import Filters
from queries.personeel import (
    bezetting,
    dienstverband_mix,
    expiring,
    formatie_bezetting,
    missing_diplomas,
    personeel_cijfers,
    verloop,
    verloop_pct,
    verzuim,
    verzuim_12m_pct,
    verzuim_maand,
    verzuim_pct,
)
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


# Verzuim by hand, February 2026 (28 days) and January (31), all in calendar days:
#   a  1.0 fte, ill 25 Jan up to 5 Feb: 7 days in January, 4 (1-4) in February.
#   b  1.0 fte, ill at 50% from 1 Feb, no end: 28 x 0.5 = 14 in February, 15.5 in March.
#   c  0.6 fte, ill 10 up to 20 Feb: 10 days x 0.6 = 6.
#   d  1.0 fte, in service from 15 Feb (14 days), ill from 1 up to 18 Feb: only 15-17 count.
#   e  1.0 fte, uit_dienst 11 Feb (10 days in service), ill from 9 Feb: 9 and 10 count.
# February: absent 4 + 14 + 6 + 3 + 2 = 29 of 28 + 28 + 16.8 + 14 + 10 = 96.8 fte-days.
# January: absent 7 of 31 + 31 + 18.6 + 31 = 111.6 (d not yet in service).
SICK_STAFF = [
    person("a", JB, "T", 1.0),
    person("b", JB, "T", 1.0),
    person("c", JR, "T", 0.6),
    person("d", JB, "U", 1.0, "2026-02-15"),
    person("e", JB, "U", 1.0, uit="2026-02-11"),
]
SICK = [
    ("a", "2026-01-25", "2026-02-05", None),
    ("b", "2026-02-01", None, 50.0),
    ("c", "2026-02-10", "2026-02-20", 100.0),
    ("d", "2026-02-01", "2026-02-18", None),
    ("e", "2026-02-09", None, None),
]
FEB, JAN = 100 * 29 / 96.8, 100 * 7 / 111.6


def sick_world() -> Snapshot:
    teams = {"team_id": ["T", "U"], "naam": ["Team T", "Team U"], "regio": ["X", "Y"],
             "soort": ["regulier", "regulier"]}  # fmt: skip
    return Snapshot.from_frames(
        date(2026, 4, 30),
        teams=pl.DataFrame(teams),
        medewerkers=pl.DataFrame(SICK_STAFF, infer_schema_length=None),
        verzuim=rows(("medewerker_id", "ziek_vanaf", "ziek_tot", "percentage"), SICK),
    )


def test_verzuim_per_month_in_calendar_days():
    out = verzuim(sick_world(), MANAGER, date(2026, 3, 10), CONFIG, months=2, by=None)
    assert out.select("maand", "verzuim_fte_dagen", "beschikbaar_fte_dagen").rows() == [
        ("2026-01", 7.0, pytest.approx(111.6)),
        ("2026-02", 29.0, pytest.approx(96.8)),
    ]
    assert out["verzuim_pct"].to_list() == [pytest.approx(JAN), pytest.approx(FEB)]


def test_each_rule_of_the_verzuim_definition_alone():
    def feb(name: str) -> tuple[float, float]:
        row = verzuim(sick_world(), Viewer("jeugdzorgwerker", name), date(2026, 2, 28), CONFIG,
                      months=1, by=None).row(0, named=True)  # fmt: skip
        return row["verzuim_fte_dagen"], row["beschikbaar_fte_dagen"]

    assert feb("a") == (4.0, 28.0)  # over the month boundary; ziek_tot 5 Feb not counted
    assert feb("b") == (14.0, 28.0)  # percentage 50
    assert feb("c") == (pytest.approx(6.0), pytest.approx(16.8))  # fte 0.6
    assert feb("d") == (3.0, 14.0)  # entered mid-month; absence before in_dienst not counted
    assert feb("e") == (2.0, 10.0)  # uit_dienst 11 Feb is no longer in service


def test_the_headline_is_the_last_complete_month():
    snap = sick_world()
    assert verzuim_pct(snap, MANAGER, date(2026, 2, 28), CONFIG) == pytest.approx(FEB)
    assert verzuim_pct(snap, MANAGER, date(2026, 3, 10), CONFIG) == pytest.approx(FEB)
    # Mid-February: February is running, so January is the headline.
    assert verzuim_pct(snap, MANAGER, date(2026, 2, 27), CONFIG) == pytest.approx(JAN)
    assert [verzuim_maand(date(2026, m, d)) for m, d in ((2, 27), (2, 28), (3, 10))] == [
        "2026-01", "2026-02", "2026-02",
    ]  # fmt: skip
    # March: b alone ill at 50% (15.5) of a, b, d 31 each and c 18.6.
    assert verzuim_pct(snap, MANAGER, date(2026, 3, 31), CONFIG) == pytest.approx(
        100 * 15.5 / 111.6
    )
    # The running month is never a row of the monthly frame.
    months = verzuim(snap, MANAGER, date(2026, 3, 10), CONFIG, by=None)["maand"].to_list()
    assert months[-1] == "2026-02" and len(months) == 12


def test_twelve_months_pool_the_days():
    # March-December 2025 (306 days): a, b, e full time and c 0.6 = 3.6 x 306 = 1101.6, no
    # absence; with January and February: 36 of 1310 fte-days (a mean of monthly percentages
    # would give (JAN + FEB) / 12 instead).
    got = verzuim_12m_pct(sick_world(), MANAGER, date(2026, 2, 28), CONFIG)
    assert got == pytest.approx(100 * 36 / 1310)
    assert got != pytest.approx((JAN + FEB) / 12)


def test_verzuim_per_region_team_and_viewer():
    snap, day = sick_world(), date(2026, 2, 28)
    # X (team T): a 4 + b 14 + c 6 of 28 + 28 + 16.8; Y (team U): d 3 + e 2 of 14 + 10.
    assert verzuim_pct(snap, MANAGER, day, CONFIG, regio="X") == pytest.approx(100 * 24 / 72.8)
    assert verzuim_pct(snap, MANAGER, day, CONFIG, team_id="U") == pytest.approx(100 * 5 / 24)
    per_team = verzuim(snap, MANAGER, day, CONFIG, months=1)
    assert per_team.select("team_id", "verzuim_fte_dagen").rows() == [("T", 24.0), ("U", 5.0)]
    per_region = verzuim(snap, MANAGER, day, CONFIG, months=1, by="regio")
    assert per_region["regio"].to_list() == ["X", "Y"]
    assert verzuim_pct(snap, Viewer("jeugdzorgwerker", "c"), day, CONFIG) == pytest.approx(
        100 * 6 / 16.8
    )
    # No one in service: no percentage rather than 0.
    assert verzuim_pct(snap, MANAGER, date(2019, 12, 31), CONFIG) is None
    with pytest.raises(ValueError):
        verzuim(snap, MANAGER, day, CONFIG, by="gemeente")


def test_boven_op_and_onder_formatie():
    teams = {"team_id": ["P", "Q", "R", "S"], "naam": ["P", "Q", "R", "S"],
             "regio": ["X", "X", "Y", "Y"], "soort": ["regulier"] * 4}  # fmt: skip
    staff = [
        person("p1", JB, "P", 0.7), person("p2", JB, "P", 0.2), person("p3", JB, "P", 0.1),
        person("q1", JB, "Q", 0.8), person("q2", JB, "Q", 0.6),
        person("r1", JB, "R", 1.5),
        person("s1", JB, "S", 1.0),
    ]  # fmt: skip
    formatie = {
        "team_id": ["P", "Q", "R"],
        "maand": ["2026-03"] * 3,
        "formatie_fte": [1.0, 1.0, 2.0],
    }
    snap = Snapshot.from_frames(
        date(2026, 4, 30),
        teams=pl.DataFrame(teams),
        medewerkers=pl.DataFrame(staff, infer_schema_length=None),
        formatie=pl.DataFrame(formatie),
    )
    cols = ("formatie_fte", "bezetting_fte", "formatie_verschil_fte", "formatie_verschil_pct",
            "formatie_status", "medewerkers_in_dienst")  # fmt: skip
    per_team = formatie_bezetting(snap, MANAGER, AS_OF, CONFIG)
    approx = pytest.approx
    assert per_team.select("team_id", *cols).rows() == [
        ("P", 1.0, 1.0, 0.0, 0.0, "op formatie", 3),
        ("Q", 1.0, 1.4, approx(0.4), approx(40.0), "boven formatie", 2),
        ("R", 2.0, 1.5, -0.5, -25.0, "onder formatie", 1),
        ("S", None, 1.0, None, None, None, 1),
    ]
    # X: 2.4 fte on a formatie of 2. Y and the organisation hold S, which has no formatie.
    regions = formatie_bezetting(snap, MANAGER, AS_OF, CONFIG, by="regio")
    assert regions.select("regio", *cols[:3], "formatie_status").rows() == [
        ("X", 2.0, 2.4, approx(0.4), "boven formatie"),
        ("Y", None, 2.5, None, None),
    ]
    org = formatie_bezetting(snap, MANAGER, AS_OF, CONFIG, by=None, regio="X")
    assert org.select(*cols[:2], "formatie_status").rows() == [(2.0, approx(2.4), "boven formatie")]
    only_r = formatie_bezetting(snap, MANAGER, AS_OF, CONFIG, by=None, team_id="R")
    assert only_r["formatie_status"].to_list() == ["onder formatie"]
    labels = set(formatie_bezetting(snap, MANAGER, AS_OF, CONFIG)["formatie_status"].drop_nulls())
    assert labels == {"boven formatie", "op formatie", "onder formatie"}


# Verloop as of 10 March 2026: left with 10 Mar 2025 < uit_dienst <= 10 Mar 2026; headcount on
# the month ends 31 Mar 2025 .. 28 Feb 2026.
LEAVERS = [
    person("j1", JB, "A", 1.0, uit="2025-06-01"),  # left; in service on 3 month ends
    person("j2", JR, "A", 1.0),  # 12
    person("j3", JB, "A", 1.0, uit="2025-03-10"),  # exactly 12 months back: not counted, 0
    person("j4", JB, "A", 1.0, "2025-09-15", uit="2026-03-10"),  # on D itself: counted; 6
    person("j5", JB, "A", 1.0, uit="2026-03-11"),  # after D: not counted; 12
    person("pb", "praktijkbegeleider", "A", 1.0),  # 12
    person("gw", "gedragswetenschapper", "B", 1.0, uit="2025-12-01"),  # left; 9
    person("tm", "teammanager", "B", 1.0),  # 12
    person("mg", "manager", "B", 1.0),  # 12
]


def test_verloop_per_function_group():
    snap = world(staff=LEAVERS, verzuim_rows=[])
    out = verloop(snap, MANAGER, date(2026, 3, 10), CONFIG)
    approx = pytest.approx
    # Jeugdzorgwerkers: 2 left, (3 + 12 + 0 + 6 + 12) / 12 = 2.75 on average.
    assert out.rows() == [
        ("Jeugdzorgwerkers", 2, 2.75, approx(100 * 2 / 2.75)),
        ("Praktijkbegeleiders", 0, 1.0, 0.0),
        ("Gedragswetenschappers", 1, 0.75, approx(100 / 0.75)),
        ("Management", 0, 2.0, 0.0),
        ("Totaal", 3, 6.5, approx(100 * 3 / 6.5)),
    ]
    assert verloop_pct(snap, MANAGER, date(2026, 3, 10), CONFIG) == approx(100 * 3 / 6.5)
    # Team B alone: gw left of (9 + 12 + 12) / 12.
    team_b = verloop_pct(snap, MANAGER, date(2026, 3, 10), CONFIG, team_id="B")
    assert team_b == approx(100 * 12 / 33)
    # Nobody in a group: no percentage.
    empty = verloop(snap, MANAGER, date(2026, 3, 10), CONFIG, regio="Zuid")
    assert empty["verloop_pct"].to_list() == [None] * 5


def test_the_figures_are_registered_with_the_queries_values():
    keys = {f.key for f in personeel.FIGUREN}
    assert {"verzuim_12m_pct", "formatie_fte", "bezetting_fte", "verloop_pct"} <= keys
    assert "verzuim_pct" not in keys  # declared once, in queries.kpis
    snap, day = sick_world(), date(2026, 2, 28)
    got = figuren.waarde("verzuim_12m_pct", snap, MANAGER, day, CONFIG, Filters(regio="X"))
    assert got == round(verzuim_12m_pct(snap, MANAGER, day, CONFIG, regio="X"), 1)
    cijfers = personeel_cijfers(world(), MANAGER, AS_OF, CONFIG, team_id="A")
    # Team A in March: formatie 5.5, bezetting 3.3; w2's SKJ has expired, w1's VOG expires.
    assert (cijfers["formatie_fte"], cijfers["bezetting_fte"]) == (5.5, 3.3)
    assert cijfers["formatie_status"] == "onder formatie"
    assert (cijfers["vog_skj_verlopen"], cijfers["vog_skj_binnenkort"]) == (1, 1)
    assert cijfers["verzuim_maand"] == "2026-02"
    for key in keys:
        value = figuren.waarde(key, world(), MANAGER, AS_OF, CONFIG, Filters(team_id="A"))
        assert value == figuren.figuur(key).rond(cijfers[key])


def test_dienstverband_mix():
    out = dienstverband_mix(world(), MANAGER, AS_OF, CONFIG)
    got = out.select(
        "team_id", "dienstverband", "medewerkers", "fte", pl.col("aandeel_fte_pct").round(1)
    ).rows()
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
    # Only w1's own fte and absence: 12 up to (not including) 19 January, 7 of 31 days.
    assert bezetting(world(), w1, AS_OF, CONFIG, months=1)["bezetting_fte"].to_list() == [1.0]
    jan = verzuim(world(), w1, date(2026, 1, 31), CONFIG, months=1)
    assert jan["verzuim_pct"].to_list() == [pytest.approx(100 * 7 / 31)]


def test_sample_export():
    snap = sample_snapshot()
    out = verzuim(snap, MANAGER, date(2025, 10, 31), CONFIG, months=2)
    # Youssef (DRE-A, 1 fte) ill 15 Sep up to 3 Oct: 16 of 30 September days, 2 of 31 in
    # October; Petra (CRT) 50% from 20 Oct: 12 days x 0.5 = 6 of 31.
    got = {(r["maand"], r["team_id"]): r["verzuim_pct"] for r in out.iter_rows(named=True)}
    assert got[("2025-09", "DRE-A")] == pytest.approx(100 * 16 / 30)
    assert got[("2025-10", "DRE-A")] == pytest.approx(100 * 2 / 31)
    assert got[("2025-10", "CRT")] == pytest.approx(100 * 6 / 31)
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
