import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from etl import schedule
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT


def test_next_run_is_today_when_still_ahead_else_tomorrow():
    at = dt.time(2, 0)
    assert schedule.next_run(dt.datetime(2026, 3, 4, 1, 59), at) == dt.datetime(2026, 3, 4, 2, 0)
    assert schedule.next_run(dt.datetime(2026, 3, 4, 2, 0), at) == dt.datetime(2026, 3, 5, 2, 0)
    assert schedule.next_run(dt.datetime(2026, 12, 31, 23, 0), at) == dt.datetime(2027, 1, 1, 2)


def test_parse_at():
    assert schedule.parse_at("02:00") == dt.time(2, 0)
    assert schedule.parse_at("23:45") == dt.time(23, 45)
    for wrong in ("2", "25:00", "aa:bb", "02:00:00"):
        with pytest.raises(ValueError, match="UU:MM"):
            schedule.parse_at(wrong)


def test_export_files_prefers_csvs_else_the_newest_workbook(tmp_path):
    assert schedule.export_files(tmp_path) == []
    (tmp_path / "LEESMIJ.md").write_text("geen export")
    old, new = tmp_path / "oud.xlsx", tmp_path / "nieuw.xlsx"
    old.write_bytes(b"1")
    new.write_bytes(b"2")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert schedule.export_files(tmp_path) == [new]
    (tmp_path / "teams.csv").write_text("team_id\n")
    assert schedule.export_files(tmp_path) == [tmp_path / "teams.csv"]


def test_fingerprint_follows_names_and_contents(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("x\n1\n")
    first = schedule.fingerprint([a])
    assert schedule.fingerprint([a]) == first
    a.write_text("x\n2\n")
    assert schedule.fingerprint([a]) != first
    b = tmp_path / "b.csv"
    b.write_text("x\n2\n")
    assert schedule.fingerprint([b]) != schedule.fingerprint([a])


def _runs(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, source FROM etl_runs ORDER BY id")).all()
    engine.dispose()
    return rows


def test_run_once_loads_a_new_export_and_skips_an_unchanged_one(db_url, tmp_path, caplog):
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE_EXPORT, exports)
    caplog.set_level("INFO", logger="etl.schedule")
    assert schedule.run_once(exports, db_url) == 0
    assert schedule.run_once(exports, db_url) == 0
    assert "ongewijzigd" in caplog.text
    runs = _runs(db_url)
    assert [r[0] for r in runs] == ["geslaagd"]
    assert (
        runs[0][1]
        == f"{exports.resolve()} sha256:{schedule.fingerprint(schedule.export_files(exports))}"
    )


def test_run_once_with_rejected_rows_exits_2_and_an_empty_folder_changes_nothing(
    sqlite_url, tmp_path
):
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert schedule.run_once(empty, sqlite_url) == 0
    assert _runs(sqlite_url) == []
    broken = tmp_path / "kapot"
    shutil.copytree(SAMPLE_EXPORT, broken)
    with (broken / "contacten.csv").open("a", encoding="utf-8") as f:
        f.write("K9,M9999-0001,1001,2025-10-01,face-to-face,jeugdige,ja\n")
    assert schedule.run_once(broken, sqlite_url) == 2
    assert [r[0] for r in _runs(sqlite_url)] == ["gedeeltelijk"]


def test_run_once_logs_a_value_left_out_as_a_warning(sqlite_url, tmp_path, caplog):
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE_EXPORT, exports)
    with (exports / "medewerkers.csv").open("a", encoding="utf-8") as f:
        f.write("3001,Bo,jeugdbeschermer,GRN-A,1,2021-01-01,,,1099,,,\n")
    caplog.set_level("INFO", logger="etl.schedule")
    assert schedule.run_once(exports, sqlite_url) == 0
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith("  waarde weggelaten: medewerkers.csv regel 6: onbekende")


def test_an_unreachable_database_is_exit_1():
    assert schedule.run_once(SAMPLE_EXPORT, "postgresql://nobody@127.0.0.1:1/geen") == 1


def test_the_service_loads_at_start_waits_and_stops_cleanly_on_sigterm(sqlite_url, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE_EXPORT, exports)
    at = (dt.datetime.now() + dt.timedelta(hours=1)).strftime("%H:%M")
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "schedule", "--source", str(exports), "--at", at,
         "--db", sqlite_url],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines = []
    while not any("Volgende lading" in line for line in lines):
        line = proc.stderr.readline()
        assert line, "".join(lines)
        lines.append(line)
    proc.send_signal(signal.SIGTERM)
    _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "ETL-planner gestopt." in rest
    assert any("Geslaagd (run 1)" in line for line in lines)
    assert [r[0] for r in _runs(sqlite_url)] == ["geslaagd"]
