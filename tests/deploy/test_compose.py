"""docker-compose.yml and the Dockerfile, tested without Docker: every command they name exists,
and the same commands run here against the test PostgreSQL."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests
import sqlalchemy as sa

from etl.__main__ import _parser
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, compose, etl, gunicorn, interpolate, service_command
from tests.pg_server import PG_BIN

pytestmark = pytest.mark.pg


def _env_of(service: dict) -> dict:
    return dict(service.get("environment") or {})


def test_services_database_volume_and_healthchecks():
    spec = compose()
    services = spec["services"]
    assert set(services) == {"db", "migrate", "app", "etl"}
    assert services["db"]["image"] == "postgres:15"
    volume = services["db"]["volumes"][0].split(":")[0]
    assert volume in spec["volumes"], "PostgreSQL houdt zijn data in een named volume"
    assert "pg_isready" in services["db"]["healthcheck"]["test"][1]
    assert "/health" in " ".join(services["app"]["healthcheck"]["test"])
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    workers = service_command("app")[service_command("app").index("--workers") + 1]
    assert int(workers) >= 2


def test_no_secret_is_written_in_the_files():
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("POSTGRES_PASSWORD", "CASELOAD_SECRET_KEY"):
        assert f"${{{name}:?" in text, f"{name} komt uit .env en is verplicht"
    for service in compose()["services"].values():
        for key, value in _env_of(service).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert str(value).startswith("${"), key
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        interpolate(_env_of(compose()["services"]["app"])["CASELOAD_DB_URL"], {})
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_env_example_names_every_variable_the_compose_file_uses():
    used = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^(\w+)=", example, flags=re.M))
    assert used <= named, sorted(used - named)
    assert re.search(r"^POSTGRES_PASSWORD=$", example, flags=re.M), "geen wachtwoord invullen"
    assert re.search(r"^CASELOAD_SECRET_KEY=$", example, flags=re.M)


def test_dockerfile_builds_from_files_that_exist():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    assert lines[[i for i, x in enumerate(lines) if x.startswith("FROM")][0]].split()[1] == (
        "python:3.11-slim"
    )
    copies = [line.split()[1:-1] for line in lines if line.startswith("COPY")]
    assert copies
    for sources in copies:
        for source in sources:
            assert (ROOT / source).exists(), source
    assert any("pip install -r requirements.txt" in line for line in lines)
    for needed in ("app.py", "dashboard/", "queries/", "etl/", "assets/"):
        assert [needed] in copies, needed
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not {"dashboard", "queries", "etl", "assets", "app.py"} & set(ignored)


def test_every_command_names_something_that_exists():
    services = compose()["services"]
    app = service_command("app")
    assert app[0] == "gunicorn" and app[-1] == "app:server"
    assert shutil.which("gunicorn") or importlib.util.find_spec("gunicorn")
    assert re.search(r"^gunicorn==", (ROOT / "requirements.txt").read_text(), flags=re.M)
    for name in ("migrate", "etl"):
        cmd = service_command(name)
        assert cmd[:3] == ["python", "-m", "etl"], cmd
        _parser().parse_args(cmd[3:])
    pg_isready = services["db"]["healthcheck"]["test"][1].split()[0]
    assert (PG_BIN / pg_isready).exists()
    health = services["app"]["healthcheck"]["test"]
    assert health[:2] == ["CMD", "python"]


def test_database_healthcheck_command_runs(pg_server):
    test = compose()["services"]["db"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    env = os.environ | {
        "PATH": f"{PG_BIN}:{os.environ['PATH']}",
        "POSTGRES_USER": pg_server.user,
        "POSTGRES_DB": "postgres",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(pg_server.port),
    }
    shell = interpolate(test[1], {})
    assert subprocess.run(["sh", "-c", shell], env=env, capture_output=True).returncode == 0
    env["PGPORT"] = str(pg_server.port + 1)
    assert subprocess.run(["sh", "-c", shell], env=env, capture_output=True).returncode != 0


def test_migrate_command_runs_and_is_idempotent(pg_url):
    cmd = service_command("migrate")
    for _ in range(2):
        done = etl(*cmd[3:], env={"CASELOAD_DB_URL": pg_url})
        assert done.returncode == 0, done.stderr
        assert "bijgewerkt tot schemaversie" in done.stdout
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM etl_runs")).scalar() == 0
    engine.dispose()


def _runs(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, status, source FROM etl_runs ORDER BY id")).all()
    engine.dispose()
    return rows


def test_etl_schedule_loads_a_new_export_once(pg_url, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE_EXPORT, exports)
    cmd = service_command("etl")
    cmd[cmd.index("--source") + 1] = str(exports)
    env = {"CASELOAD_DB_URL": pg_url}

    first = etl(*cmd[3:], "--once", env=env)
    assert first.returncode == 0, first.stderr
    assert "Geslaagd (run 1)" in first.stderr
    assert [r[1] for r in _runs(pg_url)] == ["geslaagd"]

    again = etl(*cmd[3:], "--once", env=env)
    assert again.returncode == 0, again.stderr
    assert "ongewijzigd" in again.stderr
    assert len(_runs(pg_url)) == 1

    with (exports / "teams.csv").open("a", encoding="utf-8") as f:
        f.write("T99,Team Nieuw,Noord,regulier\n")
    changed = etl(*cmd[3:], "--once", env=env)
    assert changed.returncode == 0, changed.stderr
    assert [r[1] for r in _runs(pg_url)] == ["geslaagd", "geslaagd"]


def test_etl_schedule_says_in_dutch_what_is_wrong(tmp_path):
    missing = etl("schedule", "--once", "--source", str(tmp_path / "weg"), "--db", "sqlite://")
    assert missing.returncode == 1
    assert "bestaat niet" in missing.stderr
    wrong_time = etl("schedule", "--source", str(tmp_path), "--at", "25:00", "--db", "sqlite://")
    assert wrong_time.returncode == 1
    assert "UU:MM" in wrong_time.stderr


def test_gunicorn_with_several_workers_serves_the_app(pg_url, tmp_path):
    assert etl("load", str(SAMPLE_EXPORT), "--db", pg_url).returncode == 0
    with gunicorn(pg_url, workers=None, log=tmp_path / "gunicorn.log") as base:
        health = requests.get(base + "/health", timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        page = requests.get(base + "/mijn-caseload", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200
        assert page.url.startswith(base + "/login")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        check = compose()["services"]["app"]["healthcheck"]["test"][2:]
        port = base.rsplit(":", 1)[1]
        code = [part.replace("127.0.0.1:8050", f"127.0.0.1:{port}") for part in check]
        assert subprocess.run([sys.executable, *code], timeout=30).returncode == 0
    log = (tmp_path / "gunicorn.log").read_text()
    booted = set(re.findall(r"Booting worker with pid: (\d+)", log))
    assert len(booted) == int(service_command("app")[service_command("app").index("--workers") + 1])
