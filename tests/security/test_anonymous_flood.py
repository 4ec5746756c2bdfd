"""Anonymous requests no longer fill the audit log: per worker at most one row per client
address and minute, with the number of requests in `aantal` and at most 256 characters of
the path, written once the minute is over and never updated."""

import datetime as dt
import random
import string
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest
import requests

from dashboard import audit_trail, data
from etl.__main__ import main
from etl.migrations import upgrade
from store import auditketen
from tests.ops import gunicorn
from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id

KEY = "sleutel-voor-de-vloedtest"
T0 = dt.datetime(2026, 3, 2, 10, 0, 5)


@pytest.fixture
def url(db_url, monkeypatch):
    monkeypatch.setenv(auditketen.KEY_ENV, KEY)
    monkeypatch.delenv(audit_trail.PROXY_HOPS_ENV, raising=False)
    upgrade(db_url)
    data.configure(db_url)
    return db_url


@pytest.fixture
def app_url(tmp_path, monkeypatch):
    monkeypatch.setenv(auditketen.KEY_ENV, KEY)
    monkeypatch.delenv(audit_trail.PROXY_HOPS_ENV, raising=False)
    return build_database(tmp_path)


def _rows(url: str, before: int = 0) -> list[tuple]:
    return events(url, before).select("onderwerp", "details", "aantal").rows()


def test_a_60_kb_path_is_stored_as_256_characters_and_its_length(app_url):
    _, client = client_for(app_url)
    before = last_event_id(app_url)
    path = "/" + "a" * 61_439
    assert client.get(path, headers={"Accept": "application/json"}).status_code == 401
    assert audit_trail.ANONYMOUS.flush() == 1
    assert _rows(app_url, before) == [
        (path[:256] + "…(61.440 tekens)", "geen geldige sessie; adres 127.0.0.1", 1)
    ]


def test_one_row_per_address_and_minute_written_when_the_minute_is_over(url):
    refusals = audit_trail.AnonymousRefusals()
    second = dt.timedelta(seconds=1)
    for i in range(40):
        refusals.add("10.0.0.1", f"/pad-{i}", "geen geldige sessie", T0 + i * second)
    refusals.add("10.0.0.2", "/ander", "geen geldige sessie", T0 + 30 * second)
    assert _rows(url) == []
    refusals.add("10.0.0.1", "/volgende-minuut", "geen geldige sessie", T0 + 60 * second)
    written = events(url)
    assert written.select("tijdstip", "onderwerp", "details", "aantal").rows() == [
        (T0, "/pad-0", "geen geldige sessie; adres 10.0.0.1", 40),
        (T0 + 30 * second, "/ander", "geen geldige sessie; adres 10.0.0.2", 1),
    ]
    assert written["gebruikersnaam"].to_list() == [None, None]
    assert refusals.flush(T0 + 90 * second) == 0
    assert refusals.flush(T0 + 120 * second) == 1
    assert _rows(url)[-1] == ("/volgende-minuut", "geen geldige sessie; adres 10.0.0.1", 1)


def test_addresses_beyond_the_limit_share_one_row(url, monkeypatch):
    monkeypatch.setattr(audit_trail, "MAX_ADDRESSES", 3)
    refusals = audit_trail.AnonymousRefusals()
    for i in range(8):
        refusals.add(f"10.0.0.{i}", "/x", "geen geldige sessie", T0)
    assert refusals.flush() == 4
    assert [(d.split("adres ")[1], n) for _, d, n in _rows(url)] == [
        ("10.0.0.0", 1),
        ("10.0.0.1", 1),
        ("10.0.0.2", 1),
        ("overige adressen", 5),
    ]


def test_the_client_address_comes_from_the_proxy_only_when_configured(app_url, monkeypatch):
    _, client = client_for(app_url)
    before = last_event_id(app_url)

    def anonymous(forwarded: str) -> None:
        headers = {"Accept": "application/json", "X-Forwarded-For": forwarded}
        answer = client.get("/x", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert answer.status_code == 401

    anonymous("6.6.6.6, 198.51.100.1")
    anonymous("6.6.6.7, 198.51.100.2")
    audit_trail.ANONYMOUS.flush()
    assert [(d, n) for _, d, n in _rows(app_url, before)] == [
        ("geen geldige sessie; adres 192.0.2.7", 2)
    ]
    before = last_event_id(app_url)
    monkeypatch.setenv(audit_trail.PROXY_HOPS_ENV, "1")
    anonymous("6.6.6.6, 198.51.100.1")
    anonymous("6.6.6.7, 198.51.100.2")
    audit_trail.ANONYMOUS.flush()
    assert [(d, n) for _, d, n in _rows(app_url, before)] == [
        ("geen geldige sessie; adres 198.51.100.1", 1),
        ("geen geldige sessie; adres 198.51.100.2", 1),
    ]


def test_a_flood_of_anonymous_requests_against_gunicorn_costs_a_handful_of_rows(
    url, tmp_path, capsys
):
    rng = random.Random(7)
    # gunicorn answers a request line over 4094 bytes itself (414); this is about the
    # longest path that reaches the app.
    paths = ["/" + "".join(rng.choices(string.ascii_lowercase, k=4000)) for _ in range(500)]
    extra = {auditketen.KEY_ENV: KEY}
    with gunicorn(url, workers=3, log=tmp_path / "gunicorn.log", extra_env=extra) as base:
        huge = requests.get(base + "/" + "a" * 61_439, timeout=30)
        assert huge.status_code == 414

        def get(path: str) -> int:
            headers = {"Accept": "application/json"}
            return requests.get(base + path, headers=headers, timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(get, paths)) == {401}
    log = events(url)
    assert set(log["actie"]) == {"geweigerd"}
    assert log["aantal"].sum() == 500
    # Three workers, and the flood may straddle a minute.
    assert 1 <= log.height <= 6
    for onderwerp in log["onderwerp"]:
        assert onderwerp == onderwerp[:256] + "…(4.001 tekens)"
        assert onderwerp[:256] in {p[:256] for p in paths}
    assert log.filter(pl.col("details") != "geen geldige sessie; adres 127.0.0.1").is_empty()
    assert main(["audit", "verify", "--db", url]) == 0
    assert capsys.readouterr().out.startswith(f"keten intact, {log.height} regels")
