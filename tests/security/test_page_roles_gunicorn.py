"""Findings 2 and 3 replayed on the running app: gunicorn with several workers, on SQLite and
PostgreSQL. A praktijkbegeleider's forged Personeel download and forged MT page load are
refused with 403 on every worker, and each refusal is in the audit log; the teammanager's
same request is answered."""

import polars as pl
import pytest

from etl.loader import load_source
from queries.audit import audit_log
from queries.scope import Viewer
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT
from tests.ops import add_account, download_payload, gunicorn, login
from tests.unit.dashboard.conftest import EXPORT_DATE

PASSWORD = "een-lang-wachtwoord-voor-de-test"
CALLBACK_PATH = "/_dash-update-component"
ROUNDS = 6


def _download(client, base: str, table: str):
    payload = download_payload(table)
    # A fresh connection each time, so gunicorn may hand it to any worker.
    client.close()
    return client.post(base + CALLBACK_PATH, json=payload, timeout=60)


def _refusals(url: str) -> pl.DataFrame:
    engine = make_engine(url)
    try:
        log = audit_log(engine, Viewer("beheerder"))
    finally:
        engine.dispose()
    return log.filter(pl.col("actie") == "geweigerd")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_forged_personeel_download_is_refused_on_every_worker(backend, request):
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    assert load_source(SAMPLE_EXPORT, url, EXPORT_DATE, False).status == "geslaagd"
    add_account(url, "pb", "praktijkbegeleider", "2001", PASSWORD)
    add_account(url, "tm", "teammanager", "2001", PASSWORD)
    with gunicorn(url, workers=3) as base:
        pb = login(base, "pb", PASSWORD)
        answers = [_download(pb, base, "personeel_bezetting") for _ in range(ROUNDS)]
        assert {a.status_code for a in answers} == {403}
        assert all("Geen toegang" in a.text and "Sanne" not in a.text for a in answers)
        tm = login(base, "tm", PASSWORD)
        allowed = _download(tm, base, "personeel_bezetting")
        assert allowed.status_code == 200, allowed.text[:300]
        assert "content" in allowed.json()["response"]["download"]["data"]
    refused = _refusals(url).filter(pl.col("gebruikersnaam") == "pb")
    assert refused.height == ROUNDS
    assert all("personeel_bezetting" in (s or "") for s in refused["onderwerp"])
