"""Day frames shared by a host's workers: computed once, read back equal, bounded on disk."""

import multiprocessing
import os
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from queries import shared_memo
from queries.config import load_config
from queries.shared_memo import KEEP_SCOPES, SharedMemo
from queries.snapshot import _cache, load_snapshot
from tests.frames import SAMPLE_EXPORT
from tests.vingerafdruk import fingerprints

DAY = date(2025, 10, 1)
FRAME = pl.DataFrame(
    {
        "maatregel_id": ["M1", "M2", None],
        "deadline": [date(2025, 10, 3), None, date(2025, 11, 1)],
        "norm": pl.Series(["plan", "hulp", "plan"], dtype=pl.Enum(["hulp", "plan"])),
        "dagen": [1.5, None, -2.0],
    }
)


def _counting(calls: list, value):
    def compute():
        calls.append(1)
        return value

    return compute


def test_a_frame_computed_by_one_worker_is_read_by_another(tmp_path):
    first, second = SharedMemo(tmp_path), SharedMemo(tmp_path)
    calls: list = []
    assert first.get("1-a", (DAY, "termijnen_op"), _counting(calls, FRAME)).equals(FRAME)
    got = second.get("1-a", (DAY, "termijnen_op"), _counting(calls, FRAME.clear()))
    assert len(calls) == 1
    assert got.equals(FRAME) and got.schema == FRAME.schema
    assert first.counts == {"berekend": 1} and second.counts == {"gelezen": 1}


def test_another_key_day_or_load_is_computed_anew(tmp_path):
    memo = SharedMemo(tmp_path)
    calls: list = []
    memo.get("1-a", (DAY, "x"), _counting(calls, FRAME))
    memo.get("1-a", (date(2025, 10, 2), "x"), _counting(calls, FRAME))
    memo.get("1-a", (DAY, "y"), _counting(calls, FRAME))
    memo.get("2-a", (DAY, "x"), _counting(calls, FRAME))
    assert len(calls) == 4


def test_only_frames_are_shared(tmp_path):
    calls: list = []
    for memo in (SharedMemo(tmp_path), SharedMemo(tmp_path)):
        assert memo.get("1-a", (DAY, "telling"), _counting(calls, {"open": 3})) == {"open": 3}
    assert len(calls) == 2
    assert not list(tmp_path.glob("*/*.arrow"))


def _worker(directory: str, marks: str, start: float) -> None:
    def slow():
        with open(marks, "a") as out:
            out.write(f"{os.getpid()}\n")
        time.sleep(0.5)
        return FRAME

    time.sleep(max(0.0, start - time.time()))
    got = SharedMemo(directory).get("1-a", (DAY, "termijnen_op"), slow)
    assert got.equals(FRAME)


def test_workers_starting_together_compute_a_frame_once(tmp_path):
    marks = tmp_path / "berekend.txt"
    start = time.time() + 2.0
    spawn = multiprocessing.get_context("spawn")
    procs = [
        spawn.Process(target=_worker, args=(str(tmp_path / "gedeeld"), str(marks), start))
        for _ in range(3)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0, 0, 0]
    assert len(marks.read_text().split()) == 1


def test_the_oldest_frames_go_when_the_host_keeps_too_much(tmp_path):
    size = len(FRAME.write_ipc(None).getvalue())
    memo = SharedMemo(tmp_path, max_bytes=int(size * 2.5))
    for i in range(4):
        memo.get("1-a", (DAY, i), lambda: FRAME)
        time.sleep(0.01)
    calls: list = []
    for i in range(4):
        memo.get("1-a", (DAY, i), _counting(calls, FRAME))
    # 0 and 1 were dropped for 2 and 3; computing 0 and 1 again drops 2 and 3 in turn.
    assert len(calls) == 4
    assert len(list(tmp_path.glob("*/*.arrow"))) == 2


def test_only_the_latest_loads_keep_their_folders(tmp_path):
    memo = SharedMemo(tmp_path)
    for run in range(1, 5):
        memo.get(f"{run}-a", (DAY, "x"), lambda: FRAME)
        time.sleep(0.01)
    folders = sorted(p.name for p in tmp_path.iterdir())
    assert folders == [f"{run}-a" for run in range(5 - KEEP_SCOPES, 5)]


def test_folders_and_files_are_private(tmp_path):
    SharedMemo(tmp_path).get("1-a", (DAY, "x"), lambda: FRAME)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert folder.stat().st_mode & 0o077 == 0
    (frame,) = folder.glob("*.arrow")
    assert frame.stat().st_mode & 0o077 == 0


@pytest.fixture
def sharing(tmp_path):
    memo = shared_memo.use(tmp_path / "gedeeld")
    yield memo
    shared_memo.use(None)


def _loaded(url: str, export_date: date):
    assert load_source(SAMPLE_EXPORT, url, export_date=export_date, progress=False).run_id
    _cache.clear()
    return load_snapshot(sa.create_engine(url))


def test_a_loads_snapshot_shares_and_a_cut_down_one_does_not(sqlite_url, sharing):
    snap = _loaded(sqlite_url, date(2025, 11, 1))
    assert snap.shared_scope is not None and snap.shared_scope.startswith(f"{snap.run_id}-")
    calls: list = []
    assert snap.memo("k", _counting(calls, FRAME), day=DAY, shared=True).equals(FRAME)
    # Another worker's snapshot of the same load reads it.
    _cache.clear()
    other = load_snapshot(sa.create_engine(sqlite_url))
    assert other is not snap and other.shared_scope == snap.shared_scope
    assert other.memo("k", _counting(calls, FRAME.clear()), day=DAY, shared=True).equals(FRAME)
    assert len(calls) == 1
    cut = snap.with_tables(maatregelen=snap["maatregelen"].head(1))
    assert cut.shared_scope is None
    assert cut.memo("k", _counting(calls, FRAME.clear()), day=DAY, shared=True).is_empty()
    assert len(calls) == 2


def test_two_databases_with_the_same_load_id_share_nothing(tmp_path, sharing):
    urls = [f"sqlite:///{Path(tmp_path) / name}.sqlite" for name in ("a", "b")]
    a, b = (_loaded(url, date(2025, 11, 1)) for url in urls)
    assert a.run_id == b.run_id
    assert a.shared_scope != b.shared_scope


def test_a_folder_that_fails_leaves_the_worker_computing_on_its_own(tmp_path):
    blocked = tmp_path / "geen-map"
    blocked.write_text("")
    calls: list = []
    for _ in range(2):
        assert SharedMemo(blocked).get("1-a", (DAY, "x"), _counting(calls, FRAME)).equals(FRAME)
    assert len(calls) == 2


def test_figures_from_another_workers_frames_are_the_figures_computed_alone(sqlite_url, tmp_path):
    day = date(2025, 10, 15)
    config = load_config()
    alone = fingerprints(_loaded(sqlite_url, date(2025, 11, 1)), day, config)
    memo = shared_memo.use(tmp_path / "gedeeld")
    try:
        _cache.clear()
        assert fingerprints(load_snapshot(sa.create_engine(sqlite_url)), day, config) == alone
        computed = memo.counts["berekend"]
        _cache.clear()
        reader = shared_memo.use(tmp_path / "gedeeld")
        assert fingerprints(load_snapshot(sa.create_engine(sqlite_url)), day, config) == alone
    finally:
        shared_memo.use(None)
    # The reader computes nothing shared: an outer frame read spares it the frames inside.
    assert computed > 5 and set(reader.counts) == {"gelezen"}
