"""Helpers for the deployment, fault and load tests: gunicorn on loopback, exports, checksums."""

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests
import sqlalchemy as sa
import yaml

from store.engine import make_engine
from store.schema import DATA_TABLES, afgewezen_rijen, etl_runs

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
SECRET = "test-sleutel-gedeeld-door-alle-workers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


_VAR = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}; $$ is a literal $."""

    def one(m: re.Match) -> str:
        name, kind, arg = m.groups()
        if env.get(name):
            return env[name]
        if kind == "-":
            return arg
        raise KeyError(f"{name}: {arg}")

    return _VAR.sub(one, text).replace("$$", "$")


def service_command(name: str, env: dict[str, str] | None = None) -> list[str]:
    return [interpolate(str(part), env or {}) for part in compose()["services"][name]["command"]]


def gunicorn_command(port: int, workers: int | None = None) -> list[str]:
    """The compose app command, bound to a loopback port, run by this interpreter."""
    env = {"GUNICORN_WORKERS": str(workers)} if workers else {}
    cmd = service_command("app", env)
    assert cmd[0] == "gunicorn"
    cmd = [f"127.0.0.1:{port}" if part == "0.0.0.0:8050" else part for part in cmd]
    return [sys.executable, "-m", "gunicorn", *cmd[1:]]


@contextlib.contextmanager
def gunicorn(
    db_url: str, workers: int | None = 3, log: Path | None = None, extra_env: dict | None = None
) -> Iterator[str]:
    """The app under gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    env = os.environ | {"CASELOAD_DB_URL": db_url, "CASELOAD_SECRET_KEY": SECRET}
    env |= extra_env or {}
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        gunicorn_command(port, workers),
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Until gunicorn answers at all (200 or 503 from /health)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(base + "/health", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopte met code {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn startte niet op tijd") from None
            time.sleep(0.3)


def etl(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m etl ...` in a subprocess, as compose runs it."""
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env=os.environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def demo_export(base: Path, scale: str = "jbn", size: float = 1.0) -> tuple[Path, dt.date]:
    """A generated export in base/<scale>-<size>, made once and reused by later callers."""
    from etl.demo import generate

    out = base / f"{scale}-{size}"
    stamp = out / ".export_date"
    if not stamp.exists():
        out.mkdir(parents=True, exist_ok=True)
        stamp.write_text(generate(scale, 1, out, size=size).isoformat())
    return out, dt.date.fromisoformat(stamp.read_text())


def database_state(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a content checksum per data table, plus etl_runs and afgewezen_rijen."""
    engine = make_engine(url)
    state = {}
    try:
        with engine.connect() as conn:
            for table in (*DATA_TABLES, etl_runs, afgewezen_rijen):
                cols = list(table.columns)
                rows = conn.execute(sa.select(*cols).order_by(*cols)).all()
                digest = hashlib.sha256(repr([tuple(map(str, r)) for r in rows]).encode())
                state[table.name] = (len(rows), digest.hexdigest())
    finally:
        engine.dispose()
    return state


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_account(url: str, name: str, rol: str, medewerker_id: str | None, password: str) -> None:
    """A real (non-demo) account, as `python -m etl users add` makes it."""
    from etl.gebruikers import add_user

    add_user(url, name, rol, medewerker_id, password)


def login(base: str, name: str, password: str) -> requests.Session:
    """Log in through the form as a browser does (CSRF token from the page); a session."""
    client = requests.Session()
    client.headers["Accept"] = "text/html,application/json"
    form = client.get(base + "/login", timeout=30)
    form.raise_for_status()
    token = _CSRF.search(form.text).group(1)
    answer = client.post(
        base + "/login",
        data={"csrf": token, "gebruikersnaam": name, "wachtwoord": password, "volgende": "/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    return client


def download_payload(table: str, search: str = "", page: str = "x") -> dict:
    """Dash's request when the CSV button of `table` is pressed on a page whose URL holds
    `search`: what a browser sends, or a forger."""
    button = {"fmt": "csv", "table": table, "type": "export"}
    return {
        "output": "..download.data...export-melding.children..",
        "outputs": [
            {"id": "download", "property": "data"},
            {"id": "export-melding", "property": "children"},
        ],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [[{"id": {"page": page, "type": "pagina-url"}, "property": "search",
                    "value": search}]],
    }  # fmt: skip


def page_content(
    client: requests.Session, base: str, path: str, search: str = ""
) -> requests.Response:
    """Dash's page callback for a path, as the browser posts it after navigating."""
    return client.post(
        base + "/_dash-update-component",
        json={
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        },
        timeout=60,
    )


def writer_active(url: str) -> bool:
    """Whether a load (or migration) holds the database's write lock right now."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            held = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND d.datname = current_database()"
                )
            ).scalar()
    finally:
        engine.dispose()
    return held > 0
