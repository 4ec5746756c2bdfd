"""Two loads started at once: the second waits for the first and says so; nothing is doubled."""

import json
import subprocess
import sys
import threading
import time

import sqlalchemy as sa

from etl.migrations import WAITING, lock_for_writing, upgrade
from store.engine import make_engine
from tests.ops import ROOT


def _start_load(source, url: str, export_date) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(source), "--db", url,
         "--export-date", export_date.isoformat()],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _first_stderr_line(proc: subprocess.Popen, lines: list[str]) -> None:
    lines.append(proc.stderr.readline())


def test_two_loads_at_once_wait_in_turn_and_nothing_is_doubled(db_url, big_export):
    source, export_date = big_export
    upgrade(db_url)
    # Hold the write lock ourselves, so both loads surely meet a writer before them.
    holder = make_engine(db_url)
    conn = holder.connect()
    lock_for_writing(conn)
    loads = [_start_load(source, db_url, export_date) for _ in range(2)]
    said: list[str] = []
    readers = [threading.Thread(target=_first_stderr_line, args=(p, said)) for p in loads]
    for r in readers:
        r.start()
    for r in readers:
        r.join(timeout=120)
    assert [line.strip() for line in said] == [WAITING, WAITING]
    time.sleep(0.5)
    assert all(p.poll() is None for p in loads), "een lading ging door terwijl een ander schreef"
    conn.rollback()
    conn.close()
    holder.dispose()

    for p in loads:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, out + err
    engine = sa.create_engine(db_url)
    with engine.connect() as c:
        runs = c.execute(sa.text("SELECT status, rows_per_file FROM etl_runs ORDER BY id")).all()
        counts = {
            name: c.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar()
            for name in json.loads(runs[-1][1])
        }
    engine.dispose()
    assert [r[0] for r in runs] == ["geslaagd", "geslaagd"]
    assert counts == json.loads(runs[0][1]) == json.loads(runs[1][1])
