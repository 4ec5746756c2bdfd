"""Reading the latest load back: every table typed as loaded, on both backends."""

import threading
from dataclasses import replace
from datetime import date
from functools import partial

import pytest
import sqlalchemy as sa

from etl.loader import load_source
from queries.snapshot import (
    RECENT_DAYS,
    RECENT_KEYS,
    SCHEMA,
    NoDataError,
    Snapshot,
    latest_run,
    load_snapshot,
)
from tests.frames import SAMPLE_EXPORT, sample_snapshot
from tests.unit.etl.fixtures import append, copy_sample

EXPORT_DATE = date(2025, 11, 1)


def test_snapshot_equals_the_loaded_export(db_url):
    assert load_source(SAMPLE_EXPORT, db_url, export_date=EXPORT_DATE).exit_code == 0
    snap = load_snapshot(sa.create_engine(db_url))
    expected = sample_snapshot(EXPORT_DATE)
    assert snap.export_date == EXPORT_DATE
    for name, schema in SCHEMA.items():
        got = snap[name]
        assert dict(got.schema) == schema, name
        key = list(schema)[:3]
        assert got.sort(key).equals(expected[name].sort(key)), name


def test_a_column_empty_in_its_first_rows_keeps_its_type(db_url, tmp_path):
    # Arrow readers guess types from the first rows; 3000 empty subsoorten come first here.
    source = copy_sample(tmp_path)
    rows = [f"M9{i:04d},J000311,OTS,,2025-09-01,2025-09-02,," for i in range(3000)]
    append(source, "maatregelen", *rows, "M99999,J000311,JR,ITB Harde Kern,2025-09-01,2025-09-02,,")
    assert load_source(source, db_url, export_date=EXPORT_DATE).exit_code == 0
    m = load_snapshot(sa.create_engine(db_url))["maatregelen"]
    assert m.height == 3004
    assert m.filter(m["maatregel_id"] == "M99999")["subsoort"].item() == "ITB Harde Kern"


def test_a_new_load_replaces_the_cached_snapshot(sqlite_url, tmp_path):
    engine = sa.create_engine(sqlite_url)
    load_source(SAMPLE_EXPORT, sqlite_url, export_date=EXPORT_DATE)
    first = load_snapshot(engine)
    assert load_snapshot(engine) is first
    source = copy_sample(tmp_path)
    append(source, "jeugdigen", "J999,2015-01-01,Assen")
    load_source(source, sqlite_url, export_date=date(2025, 11, 2))
    second = load_snapshot(engine)
    assert second.run_id > first.run_id
    assert second.export_date == date(2025, 11, 2)
    assert second["jeugdigen"].height == first["jeugdigen"].height + 1


def test_an_empty_database_has_no_snapshot(sqlite_url):
    load_source(SAMPLE_EXPORT / "does-not-exist", sqlite_url, export_date=EXPORT_DATE)
    with pytest.raises(NoDataError):
        latest_run(sa.create_engine(sqlite_url))


def test_from_frames_fills_missing_tables_with_typed_empty_frames():
    snap = Snapshot.from_frames(EXPORT_DATE, teams={"team_id": ["T"], "soort": ["CRT"]})
    assert snap["teams"]["soort"].to_list() == ["CRT"]
    assert snap["contacten"].height == 0
    assert dict(snap["contacten"].schema) == SCHEMA["contacten"]


def test_memo_computes_once_per_key_until_forgotten():
    snap = sample_snapshot()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    chosen = partial(snap.memo, chosen=True)
    assert [chosen("a", compute), chosen("a", compute), chosen("b", compute)] == [1, 1, 2]
    snap.forget_requests()
    assert chosen("a", compute) == 3


def test_forgetting_requests_keeps_the_loads_own_figures():
    snap = sample_snapshot()
    snap.memo("motor", lambda: "blijft")
    snap.memo("kpis", lambda: "weg", chosen=True)
    snap.memo("termijnen", lambda: "weg", day=date(2025, 1, 1))
    snap.forget_requests()
    assert snap.remembers("motor")
    assert not snap.remembers("kpis") and not snap.remembers("termijnen")


def test_two_callers_of_one_key_compute_it_once():
    snap = sample_snapshot()
    started, release, calls = threading.Event(), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return "klaar"

    first = threading.Thread(target=snap.memo, args=("motor", slow))
    first.start()
    started.wait(5)
    second_answer = []
    second = threading.Thread(target=lambda: second_answer.append(snap.memo("motor", slow)))
    second.start()
    second.join(0.2)
    assert second.is_alive(), "the second caller must wait for the first, not compute"
    release.set()
    first.join(5)
    second.join(5)
    assert calls == [1] and second_answer == ["klaar"]


def test_user_chosen_keys_are_bounded_and_the_latest_kept():
    snap = sample_snapshot()
    snap.memo("motor", lambda: "blijft")
    for day in range(RECENT_KEYS + 10):
        snap.memo(("kpis", day), lambda d=day: d, chosen=True)
    assert snap.memo(("kpis", 5), lambda: "opnieuw", chosen=True) == "opnieuw"
    assert snap.memo(("kpis", RECENT_KEYS + 9), lambda: "opnieuw", chosen=True) == RECENT_KEYS + 9
    assert snap.remembers("motor")
    assert len(snap._recent) == RECENT_KEYS


def test_a_days_frames_live_while_the_day_is_among_the_latest_asked():
    snap = sample_snapshot()
    days = [date(2025, 1, d) for d in range(1, RECENT_DAYS + 2)]
    for day in days:
        assert snap.memo("termijnen", lambda d=day: d, day=day) == day
    assert snap.memo("termijnen", lambda: "opnieuw", day=days[0]) == "opnieuw"
    assert snap.memo("termijnen", lambda: "opnieuw", day=days[-1]) == days[-1]
    assert len(snap._days) == RECENT_DAYS
    snap.memo("termijnen", lambda: "x", day=days[-1])
    assert list(snap._days)[-1] == days[-1], "a day asked again is the latest"
    assert snap.memo("termijnen", lambda: "niet", day=days[-1]) == days[-1]


def test_kept_days_stay_while_other_days_take_turns_and_go_with_forget_requests():
    snap = sample_snapshot()
    kept = [date(2025, 11, 1), date(2024, 11, 1)]
    for day in kept:
        snap.memo("termijnen", lambda d=day: d, day=day)
    snap.keep_days()
    others = [date(2025, 1, d) for d in range(1, RECENT_DAYS + 3)]
    for day in others:
        snap.memo("termijnen", lambda d=day: d, day=day)
    assert list(snap._days) == [*kept, *others[-RECENT_DAYS:]]
    assert all(snap.memo("termijnen", lambda: "opnieuw", day=day) == day for day in kept)
    snap.forget_requests()
    for day in others:
        snap.memo("termijnen", lambda d=day: d, day=day)
    assert list(snap._days) == others[-RECENT_DAYS:]


def test_a_cut_down_snapshot_never_sees_the_full_ones_figures():
    snap = sample_snapshot()
    snap.memo("figuur", lambda: "heel")
    cut = replace(snap, tables=dict(snap.tables))
    assert cut.memo("figuur", lambda: "deel") == "deel"
    assert snap.memo("figuur", lambda: "deel") == "heel"
