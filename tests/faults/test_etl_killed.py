"""The ETL killed with SIGKILL in the middle of writing a load: the database is exactly as
before, and the next load succeeds."""

import json
import signal
import subprocess
import sys
import time
from datetime import date

import sqlalchemy as sa

from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, database_state, etl, writer_active

# Where in the write phase to kill, as a share of how long that phase takes on this machine:
# fixed delays were too late on a quiet machine, where the load had already committed.
KILL_AT = (0.0, 0.3, 0.6)


def _start_load(source, url: str, export_date: date) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(source), "--db", url,
         "--export-date", export_date.isoformat()],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for_writing(proc: subprocess.Popen, url: str) -> float:
    """When the load's own hold of the write lock began (the migration's lasts milliseconds)."""
    deadline = time.monotonic() + 120
    since = None
    while True:
        assert proc.poll() is None, "de lading was klaar voordat ze schreef: export te klein"
        assert time.monotonic() < deadline, "de lading begon niet te schrijven"
        now = time.monotonic()
        if not writer_active(url):
            since = None
        elif since is None:
            since = now
        elif now - since >= 0.1:
            return since
        time.sleep(0.01)


def _write_seconds(source, url: str, export_date: date) -> float:
    """Run one whole load and time its longest hold of the write lock (the migration's is short)."""
    proc = _start_load(source, url, export_date)
    longest, since = 0.0, None
    while proc.poll() is None:
        now = time.monotonic()
        if writer_active(url):
            since = now if since is None else since
            longest = max(longest, now - since)
        else:
            since = None
        time.sleep(0.01)
    assert proc.returncode == 0
    return longest


def test_a_killed_load_leaves_the_database_as_it_was(db_url, big_export):
    source, export_date = big_export
    writing = _write_seconds(source, db_url, export_date)
    assert writing > 0.5, f"schrijven duurde {writing:.2f} s: export te klein om in te killen"
    baseline = load_source(SAMPLE_EXPORT, db_url, export_date=date(2025, 11, 1), progress=False)
    assert baseline.status == "geslaagd"
    before = database_state(db_url)

    for share in KILL_AT:
        proc = _start_load(source, db_url, export_date)
        began = _wait_for_writing(proc, db_url)
        time.sleep(max(0.0, began + share * writing - time.monotonic()))
        assert writer_active(db_url), f"de lading schreef na {share:.0%} van de tijd niet meer"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # PostgreSQL rolls the dead client's transaction back on its own time; until then its
        # server process still holds the lock that the next load would wait for.
        deadline = time.monotonic() + 60
        while writer_active(db_url):
            assert time.monotonic() < deadline, "de afgebroken lading gaf het slot niet vrij"
            time.sleep(0.05)
        assert database_state(db_url) == before, f"gekild na {share:.0%} van het schrijven"

    done = etl("load", str(source), "--db", db_url, "--export-date", export_date.isoformat())
    assert done.returncode == 0, done.stdout + done.stderr
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT status, rows_per_file FROM etl_runs ORDER BY id")).all()
        counts = {
            name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar()
            for name in json.loads(runs[-1][1])
        }
    engine.dispose()
    assert [r[0] for r in runs] == ["geslaagd", "geslaagd", "geslaagd"]
    assert counts == json.loads(runs[-1][1])
    assert counts["contacten"] > 100_000
