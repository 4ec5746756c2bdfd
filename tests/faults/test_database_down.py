"""The database goes away while gunicorn serves the app, and comes back: Dutch messages
meanwhile, no worker crashes, and the app recovers by itself."""

import re
import subprocess
import time

import pytest
import requests

from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.ops import add_account, gunicorn, login, page_content
from tests.pg_server import PG_BIN, PgServer, _as_postgres

pytestmark = pytest.mark.pg

DOWN = "niet bereikbaar"


@pytest.fixture
def own_pg():
    """A PostgreSQL server of this test alone, so stopping it harms no other test."""
    server = PgServer().start()
    yield server
    server.stop()


def _pg_ctl(server: PgServer, *args: str) -> None:
    opts = f"-p {server.port} -k {server.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(server.data), "-o", opts, "-l",
             str(server.dir / "log"), "-w", *args]
        ),
        check=True,
        capture_output=True,
    )  # fmt: skip


def _booted(log_text: str) -> set[str]:
    return set(re.findall(r"Booting worker with pid: (\d+)", log_text))


def test_the_app_survives_a_database_outage_and_recovers(own_pg, tmp_path):
    url = own_pg.create_database("uitval")
    assert load_source(SAMPLE_EXPORT, url, progress=False).run_id
    add_account(url, "sanne", "jeugdzorgwerker", "1001", "wachtwoord-van-sanne")
    log = tmp_path / "gunicorn.log"
    with gunicorn(url, workers=2, log=log) as base:
        client = login(base, "sanne", "wachtwoord-van-sanne")
        before = page_content(client, base, "/mijn-caseload")
        assert before.status_code == 200 and DOWN not in before.text
        workers = _booted(log.read_text())

        _pg_ctl(own_pg, "-m", "fast", "stop")
        for _ in range(6):
            client.close()  # a new connection each round, so both workers meet the outage
            health = requests.get(base + "/health", timeout=30)
            assert health.status_code == 503
            assert health.json()["status"] == "database niet bereikbaar"
            shell = client.get(base + "/_dash-layout", timeout=30)
            assert shell.status_code == 200 and "Gegevens nu niet bereikbaar" in shell.text
            page = page_content(client, base, "/mijn-caseload")
            assert page.status_code == 200
            assert DOWN in page.text and "Traceback" not in page.text
            index = client.get(base + "/mijn-caseload", timeout=30)
            assert index.status_code == 200
        fresh = requests.Session()
        fresh.headers["Accept"] = "text/html"
        assert fresh.get(base + "/login", timeout=30).status_code == 200

        _pg_ctl(own_pg, "start")
        deadline = time.monotonic() + 60
        while requests.get(base + "/health", timeout=30).status_code != 200:
            assert time.monotonic() < deadline, (
                "de app herstelde niet na de terugkeer van de database"
            )
            time.sleep(0.5)
        for _ in range(6):
            client.close()
            after = page_content(client, base, "/mijn-caseload")
            assert after.status_code == 200 and DOWN not in after.text
            assert after.json() == before.json()
        assert _booted(log.read_text()) == workers, "een worker is tijdens de uitval herstart"
