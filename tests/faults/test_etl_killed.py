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

# Seconds between the load taking the write lock and the kill: at once, early, halfway.
KILL_AFTER = (0.0, 0.7, 1.5)


def _start_load(source, url: str, export_date: date) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(source), "--db", url,
         "--export-date", export_date.isoformat()],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for_writing(proc: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 120
    while not writer_active(url):
        assert proc.poll() is None, "de lading was klaar voordat ze schreef: export te klein"
        assert time.monotonic() < deadline, "de lading begon niet te schrijven"
        time.sleep(0.02)


def test_a_killed_load_leaves_the_database_as_it_was(db_url, big_export):
    source, export_date = big_export
    baseline = load_source(SAMPLE_EXPORT, db_url, export_date=date(2025, 11, 1), progress=False)
    assert baseline.status == "geslaagd"
    before = database_state(db_url)

    for delay in KILL_AFTER:
        proc = _start_load(source, db_url, export_date)
        _wait_for_writing(proc, db_url)
        time.sleep(delay)
        assert proc.poll() is None, f"de lading was na {delay} s al klaar: export te klein"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert database_state(db_url) == before, f"gekild na {delay} s"

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
    assert [r[0] for r in runs] == ["geslaagd", "geslaagd"]
    assert counts == json.loads(runs[-1][1])
    assert counts["contacten"] > 100_000
