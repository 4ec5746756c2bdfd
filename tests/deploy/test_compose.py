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

from dashboard.digest import _parser as digest_parser
from etl.__main__ import _parser
from etl.rechten import APP_RIGHTS
from queries import audit
from queries.besluiten import beslis, read_besluiten
from queries.gebruikers import Account
from queries.scope import Viewer
from queries.snapshot import load_snapshot
from store import auditketen
from store.engine import make_engine
from store.schema import metadata
from tests.frames import SAMPLE_EXPORT
from tests.ops import (
    ROOT,
    add_account,
    compose,
    etl,
    gunicorn,
    interpolate,
    login,
    page_content,
    service_command,
)
from tests.pg_server import PG_BIN
from tests.smtp import digest, smtp_server
from tests.unit.test_imports import _graph as import_graph

pytestmark = pytest.mark.pg

ROLES_SCRIPT = ROOT / "deploy" / "postgres" / "01-rollen.sh"
PASSWORD = "een-lang-wachtwoord"
AUDIT_KEY = "sleutel-van-de-app"


def _env_of(service: dict) -> dict:
    return dict(service.get("environment") or {})


def test_services_database_volume_and_healthchecks():
    spec = compose()
    services = spec["services"]
    assert set(services) == {"db", "migrate", "app", "etl", "mail"}
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
    for name in (
        "POSTGRES_PASSWORD",
        "CASELOAD_SECRET_KEY",
        "CASELOAD_AUDIT_KEY",
        "CASELOAD_ETL_DB_PASSWORD",
        "CASELOAD_APP_DB_PASSWORD",
    ):
        assert f"${{{name}:?" in text, f"{name} komt uit .env en is verplicht"
    for service in compose()["services"].values():
        for key, value in _env_of(service).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert str(value).startswith("${"), key
    with pytest.raises(KeyError, match="CASELOAD_APP_DB_PASSWORD"):
        interpolate(_env_of(compose()["services"]["app"])["CASELOAD_DB_URL"], {})
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_env_example_names_every_variable_the_compose_file_uses():
    used = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^(\w+)=", example, flags=re.M))
    assert used <= named, sorted(used - named)
    assert re.search(r"^POSTGRES_PASSWORD=$", example, flags=re.M), "geen wachtwoord invullen"
    for secret in (
        "CASELOAD_SECRET_KEY",
        "CASELOAD_AUDIT_KEY",
        "CASELOAD_ETL_DB_PASSWORD",
        "CASELOAD_APP_DB_PASSWORD",
    ):
        assert re.search(rf"^{secret}=$", example, flags=re.M), secret


def _packages_the_app_imports() -> list[str]:
    """Every project package that app.py and the compose commands' `python -m X` reach
    through their imports, as a Dockerfile source."""
    commands = [service_command(name) for name in compose()["services"] if name != "db"]
    run = [c[c.index("-m") + 1] + ".__main__" for c in commands if "-m" in c]
    graph, seen, todo = import_graph(), set(), ["app", *run]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return sorted({f"{m.split('.')[0]}/" for m in seen if "." in m})


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
    for needed in ("app.py", "gunicorn.conf.py", "assets/", *_packages_the_app_imports()):
        assert any(needed in sources for sources in copies), needed
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
    mail = service_command("mail")
    assert mail[:3] == ["python", "-m", "dashboard.digest"], mail
    assert digest_parser().parse_args(mail[3:]).send
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


def make_roles(pg_server, url: str) -> tuple[str, str]:
    """Run the db service's init script against the test server; the URLs of the ETL's and
    the app's role."""
    env = os.environ | {
        "PATH": f"{PG_BIN}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(pg_server.port),
        "POSTGRES_USER": pg_server.user,
        "POSTGRES_DB": sa.engine.make_url(url).database,
        "CASELOAD_ETL_DB_PASSWORD": "etl-geheim",
        "CASELOAD_APP_DB_PASSWORD": "app-geheim",
    }
    done = subprocess.run(["sh", str(ROLES_SCRIPT)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    base = sa.engine.make_url(url)
    return (
        base.set(username="caseload_etl").render_as_string(hide_password=False),
        base.set(username="caseload_app").render_as_string(hide_password=False),
    )


def test_the_db_service_runs_the_roles_script_at_init():
    db = compose()["services"]["db"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in db["volumes"][1:]}
    assert (ROOT / mounts["/docker-entrypoint-initdb.d"] / ROLES_SCRIPT.name) == ROLES_SCRIPT
    env = _env_of(db)
    for name in ("CASELOAD_ETL_DB_PASSWORD", "CASELOAD_APP_DB_PASSWORD"):
        assert env[name] == f"${{{name}:?zet {name} in .env}}"
    services = compose()["services"]
    for service, role in (("migrate", "ETL"), ("etl", "ETL"), ("app", "APP"), ("mail", "APP")):
        url = interpolate(
            _env_of(services[service])["CASELOAD_DB_URL"],
            {f"CASELOAD_{role}_DB_PASSWORD": "x", "POSTGRES_PASSWORD": "y"},
        )
        assert url.startswith(f"postgresql://caseload_{role.lower()}:x@db:5432/"), service
    assert "CASELOAD_AUDIT_KEY" in _env_of(services["app"])
    assert "CASELOAD_AUDIT_KEY" in _env_of(services["mail"])
    assert "CASELOAD_AUDIT_KEY" not in _env_of(services["etl"])


def test_every_table_has_its_rights_for_the_app():
    assert set(APP_RIGHTS) == set(metadata.tables)


def test_migrate_command_runs_and_is_idempotent(pg_server, pg_url):
    etl_url, _ = make_roles(pg_server, pg_url)
    cmd = service_command("migrate")
    for _ in range(2):
        done = etl(*cmd[3:], env={"CASELOAD_DB_URL": etl_url})
        assert done.returncode == 0, done.stderr
        assert "bijgewerkt tot schemaversie" in done.stdout
        assert "Rol caseload_app heeft de rechten van het dashboard" in done.stdout
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM etl_runs")).scalar() == 0
        owners = conn.execute(sa.text("SELECT DISTINCT tableowner FROM pg_tables "
                                      "WHERE schemaname = 'public'")).scalars().all()  # fmt: skip
    engine.dispose()
    assert owners == ["caseload_etl"]


def _refused(engine: sa.Engine, statement: str) -> None:
    with pytest.raises(sa.exc.ProgrammingError) as refused, engine.begin() as conn:
        conn.execute(sa.text(statement))
    assert refused.value.orig.sqlstate == "42501", statement  # insufficient_privilege


def test_the_app_role_adds_to_the_audit_log_and_changes_nothing_it_should_not(
    pg_server, pg_url, tmp_path, monkeypatch
):
    etl_url, app_url = make_roles(pg_server, pg_url)
    migrated = etl(*service_command("migrate")[3:], env={"CASELOAD_DB_URL": etl_url})
    assert migrated.returncode == 0, migrated.stderr
    assert etl("load", str(SAMPLE_EXPORT), "--db", etl_url).returncode == 0
    add_account(etl_url, "beheer", "beheerder", None, PASSWORD)
    add_account(etl_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    monkeypatch.setenv(auditketen.KEY_ENV, AUDIT_KEY)

    app = make_engine(app_url)
    audit.record(app, "beheer", "pagina", "/audit")
    assert audit.audit_log(app, Viewer("beheerder"))["onderwerp"].to_list() == ["/audit"]
    for statement in (
        "UPDATE audit_log SET actie = 'login'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TABLE audit_log",
        "DELETE FROM teams",
        "INSERT INTO etl_runs (source, started, status) VALUES ('x', now(), 'geslaagd')",
        "UPDATE gebruikers SET rol = 'beheerder'",
        "UPDATE gebruikers SET actief = true",
        "INSERT INTO gebruikers (gebruikersnaam, rol, demo, actief, aangemaakt, "
        "mislukte_pogingen) VALUES ('x', 'beheerder', false, true, now(), 0)",
        "CREATE TABLE eigen (x int)",
    ):
        _refused(app, statement)
    app.dispose()

    with gunicorn(app_url, workers=2, log=tmp_path / "gunicorn.log",
                  extra_env={auditketen.KEY_ENV: AUDIT_KEY}) as base:  # fmt: skip
        beheer = login(base, "beheer", PASSWORD)
        for path in ("/datakwaliteit", "/audit"):
            assert page_content(beheer, base, path).status_code == 200, path
        sanne = login(base, "sanne", PASSWORD)
        page = page_content(sanne, base, "/mijn-caseload")
        assert page.status_code == 200 and "M2025-0101" in page.text
    log = (tmp_path / "gunicorn.log").read_text()
    assert "permission denied" not in log, log

    owner = make_engine(etl_url)
    with owner.begin() as conn:
        ended = conn.execute(
            sa.text("UPDATE sessies SET beeindigd = now(), reden = 'ingetrokken' "
                    "WHERE beeindigd IS NULL")
        )  # fmt: skip
        assert ended.rowcount >= 2
    owner.dispose()
    verified = etl("audit", "verify", "--db", app_url, env={auditketen.KEY_ENV: AUDIT_KEY})
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("keten intact")
    viewed = audit.audit_log(make_engine(app_url), Viewer("beheerder"))
    assert {"login", "pagina"} <= set(viewed["actie"])


def test_the_app_role_records_decisions_and_cannot_change_them(pg_server, pg_url, monkeypatch):
    etl_url, app_url = make_roles(pg_server, pg_url)
    migrated = etl(*service_command("migrate")[3:], env={"CASELOAD_DB_URL": etl_url})
    assert migrated.returncode == 0, migrated.stderr
    assert etl("load", str(SAMPLE_EXPORT), "--db", etl_url).returncode == 0
    monkeypatch.setenv(auditketen.KEY_ENV, AUDIT_KEY)
    app = make_engine(app_url)
    snap = load_snapshot(app)
    voorstel = {"maatregel_id": "M2025-0101", "van_medewerker_id": "1001",
                "naar_medewerker_id": "1002", "naar_team_id": "DRE-A"}  # fmt: skip
    for besluit in ("geaccepteerd", "afgewezen"):
        beslis(app, snap, Account("mt", "manager"), voorstel, besluit, soort="afbouw",
               as_of=snap.export_date)  # fmt: skip
    assert read_besluiten(app)["besluit"].to_list() == ["geaccepteerd", "afgewezen"]
    for statement in (
        "UPDATE besluiten SET besluit = 'geaccepteerd'",
        "DELETE FROM besluiten",
        "TRUNCATE besluiten",
    ):
        _refused(app, statement)
    app.dispose()
    # A load by the ETL's role keeps them.
    assert etl("load", str(SAMPLE_EXPORT), "--db", etl_url).returncode == 0
    owner = make_engine(etl_url)
    assert read_besluiten(owner).height == 2
    owner.dispose()


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


def test_the_mail_runs_every_morning_after_the_nightly_load():
    env = _env_of(compose()["services"]["etl"])
    load_at = interpolate(env["CASELOAD_ETL_AT"], {})
    mail = service_command("mail")
    assert mail[mail.index("--at") + 1] > load_at
    assert compose()["services"]["mail"]["restart"] == "unless-stopped"
    for name in ("CASELOAD_SMTP_URL", "CASELOAD_SMTP_FROM", "CASELOAD_BASE_URL"):
        assert name in _env_of(compose()["services"]["mail"]), name


def test_the_mail_service_sends_and_records_as_the_apps_role(pg_server, pg_url, monkeypatch):
    etl_url, app_url = make_roles(pg_server, pg_url)
    migrated = etl(*service_command("migrate")[3:], env={"CASELOAD_DB_URL": etl_url})
    assert migrated.returncode == 0, migrated.stderr
    assert etl("load", str(SAMPLE_EXPORT), "--db", etl_url).returncode == 0
    cmd = service_command("mail")
    at = cmd.index("--at")
    # The service's own arguments, for one day instead of every morning.
    args = [*cmd[3:at], *cmd[at + 2 :], "--as-of", "2025-10-27"]
    monkeypatch.setenv("CASELOAD_DB_URL", app_url)
    monkeypatch.setenv(auditketen.KEY_ENV, AUDIT_KEY)
    with smtp_server() as (inbox, url):
        sent = digest(*args, smtp_url=url)
        again = digest(*args, smtp_url=url)
    assert sent.returncode == 0 and again.returncode == 0, sent.stderr + again.stderr
    assert "permission denied" not in sent.stderr + again.stderr
    assert sorted(inbox.by_address()) == [
        "m1001@voorbeeld-gi.example",
        "m2001@voorbeeld-gi.example",
    ]
    verified = etl("audit", "verify", "--db", app_url, env={auditketen.KEY_ENV: AUDIT_KEY})
    assert verified.returncode == 0, verified.stdout + verified.stderr
    mails = audit.audit_log(make_engine(app_url), Viewer("beheerder"))
    assert (mails["actie"] == "mail").sum() == 2
