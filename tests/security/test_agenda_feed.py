"""The agenda feed under gunicorn with several workers, on SQLite and PostgreSQL: every worker
serves the same feed for a link, `python -m etl users disable` ends it on all of them at once
(404, audited under the account), and the per-link limit holds per worker process."""

import datetime as dt

import icalendar
import polars as pl
import requests
import sqlalchemy as sa

from etl.loader import load_source
from queries import agenda
from queries.audit import audit_log
from queries.gebruikers import Account
from queries.scope import Viewer
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT
from tests.ops import add_account, etl, gunicorn

PASSWORD = "wachtwoord-van-sanne"
WORKERS = 3
# More requests than workers: with a new connection each, every worker answers some.
ROUNDS = 9


def _setup(url: str) -> str:
    assert load_source(SAMPLE_EXPORT, url, dt.date(2025, 11, 1), False).status == "geslaagd"
    add_account(url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    engine = make_engine(url)
    try:
        return agenda.nieuw(engine, Account("sanne", "jeugdzorgwerker", "1001"))
    finally:
        engine.dispose()


def _get(base: str, token: str) -> requests.Response:
    return requests.get(f"{base}/agenda/{token}.ics", timeout=30)


def _uids(body: bytes) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def _refusals(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        log = audit_log(engine, Viewer("beheerder"))
    finally:
        engine.dispose()
    refused = log.filter(
        (pl.col("actie") == "geweigerd") & (pl.col("onderwerp") == agenda.ONDERWERP)
    )
    return refused.select("gebruikersnaam", "details").rows()


def test_every_worker_serves_the_feed_until_the_account_is_disabled(db_url):
    token = _setup(db_url)
    with gunicorn(db_url, workers=WORKERS) as base:
        answers = [_get(base, token) for _ in range(ROUNDS)]
        assert {a.status_code for a in answers} == {200}
        bodies = {tuple(sorted(_uids(a.content))) for a in answers}
        assert len(bodies) == 1 and len(next(iter(bodies))) > 0
        done = etl("users", "disable", "sanne", "--db", db_url, timeout=60)
        assert done.returncode == 0, done.stderr
        assert {_get(base, token).status_code for _ in range(ROUNDS)} == {404}
    reden = f"agenda-token ingetrokken ({agenda.UITGESCHAKELD})"
    assert _refusals(db_url) == [("sanne", reden)] * ROUNDS
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT token_hash, reden FROM agenda_tokens")).all()
    finally:
        engine.dispose()
    assert stored == [(agenda.token_hash(token), agenda.UITGESCHAKELD)]


def test_the_limit_per_link_holds_in_each_worker(sqlite_url):
    token = _setup(sqlite_url)
    limit = 2
    env = {"CASELOAD_AGENDA_PER_TOKEN": str(limit)}
    with gunicorn(sqlite_url, workers=WORKERS, extra_env=env) as base:
        codes = [_get(base, token) for _ in range(WORKERS * limit + 1)]
    served = [a for a in codes if a.status_code == 200]
    limited = [a for a in codes if a.status_code == 429]
    # Each worker counts its own share: at most workers x limit get through.
    assert len(served) <= WORKERS * limit and limited
    assert len(served) + len(limited) == len(codes)
    assert all(1 <= int(a.headers["Retry-After"]) <= 600 for a in limited)
