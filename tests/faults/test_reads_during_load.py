"""Readers during a load see the old snapshot or the new one, never a mix of the two."""

import subprocess
import sys
import threading
import time
from datetime import date

import polars as pl

from etl.loader import load_source
from queries import snapshot as snapshots
from queries.caseload import caseload
from queries.config import load_config
from queries.scope import Viewer
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, demo_export

READERS = 3
MANAGER = Viewer("manager")


def _signature(snap: snapshots.Snapshot, config) -> tuple:
    """Export date, rows per table and the organisation's weighted caseload: one load's own."""
    figure = caseload(snap, MANAGER, snap.export_date, config)
    return (
        snap.export_date,
        tuple(snap[name].height for name in snapshots.SCHEMA),
        round(figure["gewogen"].sum(), 6),
        int(figure.select(pl.col("actief").sum()).item()),
    )


def _read_fresh(engine, config) -> tuple:
    # Forget the cached snapshot so every read goes to the database while the load writes.
    snapshots._cache.clear()
    return _signature(snapshots.load_snapshot(engine), config)


def test_readers_see_the_old_or_the_new_load_never_a_mix(db_url, tmp_path_factory):
    config = load_config()
    source_b, date_b = demo_export(tmp_path_factory.getbasetemp() / "exports", "jbn")
    assert load_source(SAMPLE_EXPORT, db_url, export_date=date(2025, 11, 1), progress=False).run_id
    engine = make_engine(db_url)
    old = _read_fresh(engine, config)

    seen: list[tuple[float, tuple]] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                seen.append((time.monotonic(), _read_fresh(engine, config)))
        except BaseException as exc:  # a reader's failure fails the test
            failures.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in threads:
        t.start()
    started = time.monotonic()
    load = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(source_b), "--db", db_url,
         "--export-date", date_b.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    finished = time.monotonic()
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    new = _read_fresh(engine, config)
    engine.dispose()

    assert load.returncode == 0, load.stdout + load.stderr
    assert not failures, failures
    assert new != old
    signatures = {sig for _, sig in seen}
    assert signatures == {old, new}, signatures - {old, new}
    assert any(started <= t <= finished for t, _ in seen), "geen enkele lezing tijdens de lading"
    assert seen[-1][1] == new
