"""Finding 1: no demo door on real data. `python app.py` on an embedded database that holds a
real export offers no demo account and refuses demo-manager/demo, even when asked for demo mode
and even when a demo account is still active in the table."""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import requests
import sqlalchemy as sa

from etl.gebruikers import create_demo_accounts
from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.ops import add_account, free_port, login, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _copy_app(target: Path) -> Path:
    """The app's files in a fresh folder, so its embedded database is this test's own."""
    for name in ("app.py", "gunicorn.conf.py"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("assets", "dashboard", "queries", "etl", "store"):
        shutil.copytree(
            ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (target / "data").mkdir()
    return target / "data" / "caseload.sqlite"


def _refused(base: str, name: str, password: str) -> requests.Response:
    client = requests.Session()
    token = _CSRF.search(client.get(base + "/login", timeout=30).text).group(1)
    return client.post(
        base + "/login",
        data={"csrf": token, "gebruikersnaam": name, "wachtwoord": password, "volgende": "/"},
        allow_redirects=False,
        timeout=30,
    )


def test_python_app_on_real_data_opens_no_demo_door(tmp_path):
    db = _copy_app(tmp_path)
    url = f"sqlite:///{db}"
    first = load_source(SAMPLE_EXPORT, url, dt.date(2025, 10, 25), False, force=True, demo=True)
    assert first.status == "geslaagd", first.message
    create_demo_accounts(url, dt.date(2025, 10, 25))
    real = load_source(SAMPLE_EXPORT, url, dt.date(2025, 11, 1), False)
    assert real.status == "geslaagd", real.message
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        demo = conn.execute(sa.text("SELECT actief FROM gebruikers WHERE demo")).scalars().all()
        assert demo and not any(demo), "een echte lading schakelt elk demo-account uit"
        # As a database from before the demo flag would have it: the account still active.
        conn.execute(sa.text("UPDATE gebruikers SET actief = 1 WHERE demo"))
    engine.dispose()
    add_account(url, "sanne", "jeugdzorgwerker", "1001", "een-lang-wachtwoord-van-sanne")

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env["CASELOAD_DEMO"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        page = requests.get(base + "/login", timeout=30).text
        assert "demo-" not in page and "Bekijk als" not in page
        answer = _refused(base, "demo-manager", "demo")
        assert answer.status_code != 303, "demo-manager/demo kwam binnen op echte gegevens"
        login(base, "sanne", "een-lang-wachtwoord-van-sanne")
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "Demomodus is gevraagd (CASELOAD_DEMO=1), maar de database bevat een echte export" in (
        output
    )
