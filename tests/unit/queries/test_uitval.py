"""Uitval: measures whose holder is absent, left or without a valid SKJ, hand-worked on a small
organisation (tests/unit/queries/test_werktoedeling.py's Org) and on the JBN demo."""

from datetime import date

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from etl.migrations import upgrade
from queries.audit import audit_log
from queries.besluiten import BesluitGeweigerd, beslis, besluiten_frame, read_besluiten
from queries.caseload import caseload
from queries.figuren import waarde
from queries.figuur import Filters
from queries.gebruikers import Account
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot, load_snapshot
from queries.uitval import GEEN_FILTERS, eigen_team, na_besluiten, uitval
from queries.werktoedeling import voorstel
from store.engine import make_engine
from tests.unit.queries.test_werktoedeling import CONFIG, D, Org, worker

MT = Account("mt", "manager")
TM = Account("tm", "teammanager", "tm")


def _org() -> Snapshot:
    """Noord: a1 absent 100% since 5 January, a2 40% absent, a3 left on 1 February, a4 whose
    SKJ ran out on 28 February, b1 free to take over; Zuid: z1 absent and nobody else."""
    org = (
        Org(
            worker("a1"),
            worker("a2"),
            worker("a3", uit="2026-02-01"),
            worker("a4", team="B", skj="2026-02-28"),
            worker("b1", team="B"),
            worker("z1", team="Z"),
            worker("tm", team="B", functie="teammanager"),
        )
        .held("M1", "a1")
        .held("M2", "a2")
        .held("M3", "a3")
        .held("M4", "a4", team="B")
        .held("M5", "z1", team="Z")
    )
    org.verzuim += [
        ("a1", "2026-01-05", None, 100.0),
        ("a2", "2026-01-05", None, 40.0),
        ("z1", "2026-02-02", None, 100.0),
    ]
    return org.snap()


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return _org()


def _rows(snap, viewer=MANAGER, f=GEEN_FILTERS) -> list[tuple]:
    return (
        uitval(snap, viewer, D, CONFIG, f)
        .select(
            "maatregel_id", "van_naam", "oorzaak", "sinds", "dagen_uitval", "naar_medewerker_id"
        )
        .rows()
    )


def test_absent_left_and_expired_skj_holders_longest_first(snap):
    # 4 March minus 5 January is 58 days, minus 1 February 31, minus 2 February 30; the SKJ
    # valid through 28 February is invalid from 1 March: 3 days. a2, 40% absent, still works
    # at 60% in Team A, the team M1 and M3 were held in: the planner prefers it.
    assert _rows(snap) == [
        ("M1", "A1", "afwezig (100%)", date(2026, 1, 5), 58, "a2"),
        ("M3", "A3", "uit dienst", date(2026, 2, 1), 31, "a2"),
        ("M5", "Z1", "afwezig (100%)", date(2026, 2, 2), 30, None),
        ("M4", "A4", "SKJ verlopen", date(2026, 3, 1), 3, "b1"),
    ]


def test_a_holder_absent_below_the_threshold_is_no_uitval(snap):
    assert "M2" not in uitval(snap, MANAGER, D, CONFIG)["maatregel_id"].to_list()


def test_nobody_in_the_region_gives_a_reason(snap):
    row = uitval(snap, MANAGER, D, CONFIG, Filters(regio="Zuid")).row(0, named=True)
    assert row["maatregel_id"] == "M5"
    assert row["naar_medewerker_id"] is None
    assert row["reden"]


def test_figures_count_the_rows_and_those_without_waarnemer(snap):
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG) == 4
    assert waarde("uitval_zonder_waarnemer", snap, MANAGER, D, CONFIG) == 1
    noord = Filters(regio="Noord")
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG, noord) == 3
    assert waarde("uitval_zonder_waarnemer", snap, MANAGER, D, CONFIG, noord) == 0
    team_b = Filters(team_id="B")
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG, team_b) == 1
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG, Filters(soort="JB")) == 4
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG, Filters(soort="JR")) == 0
    a1 = Filters(medewerker_id="a1")
    assert waarde("uitval_maatregelen", snap, MANAGER, D, CONFIG, a1) == 1


def test_a_teammanager_sees_their_region_only(snap):
    tm = Viewer("teammanager", "tm")
    assert {r[0] for r in _rows(snap, tm)} == {"M1", "M3", "M4"}
    assert _rows(snap, tm, Filters(regio="Zuid")) == []
    assert waarde("uitval_maatregelen", snap, tm, D, CONFIG) == 3
    # On their team page: Team B alone, unless they choose another team.
    assert eigen_team(snap, tm, GEEN_FILTERS) == Filters(team_id="B")
    assert eigen_team(snap, tm, Filters(team_id="A")) == Filters(team_id="A")
    assert eigen_team(snap, MANAGER, GEEN_FILTERS) == GEEN_FILTERS
    assert [r[0] for r in _rows(snap, tm, Filters(team_id="B"))] == ["M4"]


def test_a_teammanager_reads_why_only_for_their_own_team(snap):
    causes = {r[0]: r[2] for r in _rows(snap, Viewer("teammanager", "tm"))}
    # a4 is in their team B: the cause; a1 and a3 are colleagues of team A: only that they
    # are not available, not that one is ill and the other left.
    assert causes == {"M4": "SKJ verlopen", "M1": "niet beschikbaar", "M3": "niet beschikbaar"}
    assert {r[0]: r[2] for r in _rows(snap)}["M1"].startswith("afwezig")


def test_a_jeugdzorgwerker_sees_nothing_of_others(snap):
    assert _rows(snap, Viewer("jeugdzorgwerker", "a2")) == []
    assert [r[0] for r in _rows(snap, Viewer("jeugdzorgwerker", "a1"))] == ["M1"]
    assert _rows(snap, Viewer("jeugdzorgwerker")) == []


# ---------------------------------------------------------------- the JBN demo


@pytest.fixture(scope="module")
def jbn(tmp_path_factory, jbn_export) -> Snapshot:
    url = f"sqlite:///{tmp_path_factory.mktemp('jbn') / 'jbn.sqlite'}"
    source, export_date = jbn_export
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    engine = sa.create_engine(url)
    try:
        return load_snapshot(engine)
    finally:
        engine.dispose()


def test_jbn_demo_flags_every_measure_of_an_absent_holder(jbn):
    """The issue counts five workers at 100% verzuim; as of 4 March 2026 the demo has four
    absent since January (holding 6 to 11 measures) and one since the peildatum itself."""
    rows = uitval(jbn, MANAGER, D, CONFIG)
    covering = jbn["verzuim"].filter(
        (pl.col("ziek_vanaf") <= D)
        & (pl.col("ziek_tot").is_null() | (pl.col("ziek_tot") > D))
        & (pl.col("percentage") >= CONFIG.werktoedeling_verzuim_drempel_pct)
    )
    held = caseload(jbn, MANAGER, D, CONFIG).select("medewerker_id", "actief")
    expected = covering.join(held, on="medewerker_id").select("medewerker_id", "actief")
    per = (
        rows.filter(pl.col("oorzaak").str.starts_with("afwezig"))
        .group_by(pl.col("van_medewerker_id").alias("medewerker_id"))
        .agg(pl.len().alias("actief"))
    )
    assert per.sort("medewerker_id").rows() == expected.sort("medewerker_id").rows()
    since_january = rows.filter(
        (pl.col("oorzaak") == "afwezig (100%)") & (pl.col("sinds") < date(2026, 2, 1))
    )
    counts = since_january.group_by("van_medewerker_id").len()["len"]
    assert (counts.len(), counts.min(), counts.max()) == (4, 6, 11)
    assert waarde("uitval_maatregelen", jbn, MANAGER, D, CONFIG) == rows.height
    assert waarde("uitval_zonder_waarnemer", jbn, MANAGER, D, CONFIG) == (
        rows["naar_medewerker_id"].is_null().sum()
    )


@pytest.fixture
def engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _decide(engine, snap, account, maatregel, besluit, reden=None):
    row = uitval(snap, MANAGER, D, CONFIG).filter(pl.col("maatregel_id") == maatregel)
    return beslis(engine, snap, account, row.row(0, named=True), besluit, soort="uitval",
                  as_of=D, reden=reden)  # fmt: skip


def _after(engine, snap) -> pl.DataFrame:
    return uitval(snap, MANAGER, D, CONFIG, besluiten=besluiten_frame(read_besluiten(engine),
                                                                      snap, D))  # fmt: skip


def test_an_accepted_waarnemer_is_recorded_as_uitval_and_not_proposed_again(engine, snap):
    _decide(engine, snap, MT, "M1", "geaccepteerd", "collega van hetzelfde team")
    kept = read_besluiten(engine)
    assert kept.select("maatregel_id", "naar_medewerker_id", "soort", "besluit").rows() == [
        ("M1", "a2", "uitval", "geaccepteerd")
    ]
    decisions = besluiten_frame(kept, snap, D)
    plan = voorstel(snap, MANAGER, D, CONFIG, "uitval", besluiten=decisions)
    assert "M1" not in plan["maatregel_id"].to_list()
    # The signal still lists the measure, with its accepted waarnemer and no new proposal.
    rows = _after(engine, snap).filter(pl.col("maatregel_id") == "M1")
    assert rows.select("naar_medewerker_id", "naar_team_naam", "besluit").rows() == [
        ("a2", "Team A", "geaccepteerd")
    ]
    assert sorted(_after(engine, snap)["maatregel_id"]) == ["M1", "M3", "M4", "M5"]


def test_a_rejected_waarnemer_is_not_proposed_again_for_that_measure(engine, snap):
    _decide(engine, snap, MT, "M4", "afgewezen")
    row = _after(engine, snap).filter(pl.col("maatregel_id") == "M4").row(0, named=True)
    assert row["naar_medewerker_id"] != "b1"
    assert row["besluit"] is None


def test_a_teammanager_decides_only_waarnemers_in_the_own_team(engine, snap):
    # tm leads Team B: M1's waarnemer a2 is in Team A, M4's b1 in Team B.
    with pytest.raises(BesluitGeweigerd, match="buiten het eigen team"):
        _decide(engine, snap, TM, "M1", "geaccepteerd")
    _decide(engine, snap, TM, "M4", "geaccepteerd")
    assert read_besluiten(engine)["maatregel_id"].to_list() == ["M4"]
    log = audit_log(engine, Viewer("beheerder")).sort("id")
    assert log.select("actie", "onderwerp").rows() == [
        ("geweigerd", "besluit M1"),
        ("besluit", "M4"),
    ]


def test_the_counts_after_decisions_leave_the_load_figures_alone(engine, snap):
    # Before: M1, M3 to a2 and M4 to b1 proposed, M5 nobody. Accept M1, reject M4's b1.
    _decide(engine, snap, MT, "M1", "geaccepteerd")
    _decide(engine, snap, MT, "M4", "afgewezen")
    after = _after(engine, snap)
    nobody = after.filter(pl.col("naar_medewerker_id").is_null()).height
    assert na_besluiten(after) == {
        "uitval_te_beslissen": 4 - 1 - nobody,
        "uitval_zonder_waarnemer_na_besluiten": nobody,
    }
    assert nobody >= 1
    assert waarde("uitval_zonder_waarnemer", snap, MANAGER, D, CONFIG, GEEN_FILTERS) == 1
