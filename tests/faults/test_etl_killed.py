"""The ETL killed with SIGKILL in the middle of writing a load: the database is exactly as
before, and the next load succeeds."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date

import sqlalchemy as sa

from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, database_state, etl, writer_active

# Kill right after these tables were written (the load's own progress lines say so): early,
# halfway, and with only the big contacten table and a few small ones left. Every point leaves
# contacten to write, so the load is still in its transaction whatever the machine's speed.
KILL_AFTER = ("teams", "maatregelen", "toewijzingen")


def _start_load(source, url: str, export_date: date) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(source), "--db", url,
         "--export-date", export_date.isoformat(), "--voortgang"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _stop_after(proc: subprocess.Popen, table: str) -> None:
    """Freeze the load (SIGSTOP) as soon as it reports `table` written."""
    seen = b""
    while f"\r{table}: ".encode() not in seen:
        block = os.read(proc.stderr.fileno(), 65536)
        assert block, f"de lading stopte voordat ze {table} schreef"
        seen += block
    proc.send_signal(signal.SIGSTOP)


def test_a_killed_load_leaves_the_database_as_it_was(db_url, big_export):
    source, export_date = big_export
    baseline = load_source(SAMPLE_EXPORT, db_url, export_date=date(2025, 11, 1), progress=False)
    assert baseline.status == "geslaagd"
    before = database_state(db_url)

    for table in KILL_AFTER:
        proc = _start_load(source, db_url, export_date)
        _stop_after(proc, table)
        assert writer_active(db_url), f"de lading schreef niet meer na {table}"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        # PostgreSQL rolls the dead client's transaction back on its own time; until then its
        # server process still holds the lock that the next load would wait for.
        deadline = time.monotonic() + 60
        while writer_active(db_url):
            assert time.monotonic() < deadline, "de afgebroken lading gaf het slot niet vrij"
            time.sleep(0.05)
        assert database_state(db_url) == before, f"gekild na {table}"

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
