"""Several gunicorn workers on one PostgreSQL: a new load reaches every worker, and a session
made by one worker works on the others."""

import re
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from dashboard.components.widgets import fmt_date
from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.ops import add_account, gunicorn, login

pytestmark = pytest.mark.pg

EXPORT_A, EXPORT_B = date(2025, 11, 1), date(2025, 11, 15)
ROUNDS = 30
# The worker's pid in the access log tells which worker answered.
ACCESS_LOG = {"GUNICORN_CMD_ARGS": "--access-logformat='pid=%(p)s %(r)s %(s)s'"}


def _shown_export(client: requests.Session, base: str) -> str:
    """The header's "Export van ..." as a fresh connection (so any worker) renders it."""
    client.close()
    layout = client.get(base + "/_dash-layout", timeout=60)
    assert layout.status_code == 200, layout.status_code
    return re.search(r"Export van ([0-9-]+)", layout.text).group(1)


def _workers(log_text: str, path: str) -> set[str]:
    return set(re.findall(rf"pid=<?(\d+)>? GET {re.escape(path)} ", log_text))


def _parent(pid: str) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]


def _maps(pid: str) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_a_new_load_and_a_session_reach_every_worker(pg_url, tmp_path):
    assert load_source(SAMPLE_EXPORT, pg_url, export_date=EXPORT_A, progress=False).run_id
    add_account(pg_url, "sanne", "jeugdzorgwerker", "1001", "wachtwoord-van-sanne")
    log = tmp_path / "gunicorn.log"
    with gunicorn(pg_url, workers=3, log=log, extra_env=ACCESS_LOG) as base:
        client = login(base, "sanne", "wachtwoord-van-sanne")
        seen_a = [_shown_export(client, base) for _ in range(ROUNDS)]
        assert set(seen_a) == {fmt_date(EXPORT_A)}

        assert load_source(SAMPLE_EXPORT, pg_url, export_date=EXPORT_B, progress=False).run_id
        seen_b = [_shown_export(client, base) for _ in range(ROUNDS)]
        assert set(seen_b) == {fmt_date(EXPORT_B)}

        anonymous = requests.get(base + "/_dash-layout", timeout=30)
        assert anonymous.status_code == 401
        # The master imported the libraries the workers share, but never polars.
        worker = min(_workers(log.read_text(), "/_dash-layout"))
        master = _parent(worker)
        assert "sqlalchemy" in _maps(master) and "polars" not in _maps(master)
        assert "polars" in _maps(worker)
    text = log.read_text()
    answered = _workers(text, "/_dash-layout")
    assert len(answered) >= 2, f"alle verzoeken kwamen bij één worker: {answered}"
    # What an operator reads in the log: the workers say when they have warmed a load.
    warmed = re.findall(r"\[(\d+)\] \[INFO\] Load \d+ voorbereid in", text)
    assert len(set(warmed)) >= 2, text[-2000:]


def _fully_warmed(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not requests.get(base + "/health", timeout=30).json().get("alles_gereed"):
        assert time.monotonic() < deadline, "de workers werden niet gereed"
        time.sleep(0.5)


def test_the_workers_share_day_frames_in_a_private_folder_gone_at_exit(pg_url, tmp_path):
    assert load_source(SAMPLE_EXPORT, pg_url, export_date=EXPORT_A, progress=False).run_id
    temp = tmp_path / "tmp"
    temp.mkdir()
    with gunicorn(pg_url, workers=2, extra_env={"TMPDIR": str(temp)}) as base:
        _fully_warmed(base)
        (shared,) = temp.glob("caseload-dagcijfers-*")
        assert shared.stat().st_mode & 0o077 == 0
        (scope,) = [p for p in shared.iterdir() if p.is_dir()]
        assert list(scope.glob("*.arrow"))
    assert not shared.exists()
