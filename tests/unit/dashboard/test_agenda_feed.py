"""GET /agenda/<token>.ics on the JBN demo, read back with the icalendar parser: exactly the
worker's open deadlines and afspraken; a renewed, revoked or disabled token gets 404 in the
audit log; past the limits 429 with Retry-After."""

import datetime as dt

import icalendar
import polars as pl
import pytest
import sqlalchemy as sa

from dashboard import agenda_feed, audit_trail, data
from dashboard.app import create_app
from etl.gebruikers import create_demo_accounts, disable_user
from etl.loader import load_source
from queries import agenda
from queries.audit import audit_log
from queries.config import load_config
from queries.gebruikers import Account
from queries.scope import Viewer
from queries.snapshot import load_snapshot
from queries.termijnen import werklijst
from store.engine import make_engine
from store.schema import afspraken, agenda_tokens, gesprekken


@pytest.fixture(scope="module")
def jbn_url(tmp_path_factory, jbn_export) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('agenda-feed') / 'jbn.sqlite'}"
    source, export_date = jbn_export
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    create_demo_accounts(url, export_date)
    return url


@pytest.fixture(scope="module")
def feed_app(jbn_url):
    return create_app(jbn_url, demo=True)


@pytest.fixture
def engine(jbn_url, feed_app):
    data.configure(jbn_url)
    engine = make_engine(jbn_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(feed_app):
    agenda_feed.PER_TOKEN._counts.clear()
    agenda_feed.PER_ADDRESS._counts.clear()
    return feed_app.server.test_client()


def _account(engine, name: str) -> Account:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT rol, medewerker_id FROM gebruikers WHERE gebruikersnaam = :n"),
            {"n": name},
        ).one()
    return Account(name, row.rol, row.medewerker_id, True)


def _refusals(engine, after: int) -> list[tuple]:
    audit_trail.ANONYMOUS.flush()
    log = audit_log(engine, Viewer("beheerder")).filter(
        (pl.col("id") > after) & (pl.col("actie") == "geweigerd")
    )
    return log.sort("id").select("gebruikersnaam", "onderwerp", "details").rows()


def _last_id(engine) -> int:
    audit_trail.ANONYMOUS.flush()
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar_one()


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_the_feed_holds_exactly_the_workers_open_deadlines_and_afspraken(engine, client):
    worker = _account(engine, "demo-jeugdzorgwerker")
    snap = load_snapshot(engine)
    day, config = snap.export_date, load_config()
    own = werklijst(snap, Viewer("jeugdzorgwerker", worker.medewerker_id), day, config)
    everyone = werklijst(snap, Viewer("manager"), day, config)
    other = everyone.filter(~pl.col("maatregel_id").is_in(own["maatregel_id"].implode()))
    assert own.height > 0 and other.height > 0
    with engine.begin() as conn:
        talk = conn.execute(
            sa.insert(gesprekken)
            .values(medewerker_id=worker.medewerker_id, datum=day, vastgelegd_door="pb",
                    tijdstip=dt.datetime(2026, 1, 1))
            .returning(gesprekken.c.id)
        ).scalar_one()  # fmt: skip
        conn.execute(
            sa.insert(afspraken).values(
                gesprek_id=talk, medewerker_id=worker.medewerker_id, maatregel_id=None,
                omschrijving="vrije tekst die nooit in de agenda staat",
                deadline=day + dt.timedelta(days=4), tijdstip=dt.datetime(2026, 1, 1),
            )
        )  # fmt: skip
    token = agenda.nieuw(engine, worker)
    answer = client.get(f"/agenda/{token}.ics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers
    events = _events(answer.data)

    deadlines = [e for e in events if str(e["UID"]).startswith("termijn-")]
    got = sorted((str(e["SUMMARY"]), e["DTSTART"].dt) for e in deadlines)
    labels = agenda_feed.NORM_LABELS
    expected = sorted(
        (f"{labels[r['norm']]} {r['maatregel_id']}", r["deadline"])
        for r in own.iter_rows(named=True)
    )
    assert got == expected
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and end - start == dt.timedelta(days=1)
        assert "DESCRIPTION" not in event
    assert len({str(e["UID"]) for e in events}) == len(events)

    [afspraak] = [e for e in events if str(e["UID"]).startswith("afspraak-")]
    assert str(afspraak["SUMMARY"]) == agenda.AFSPRAAK
    assert afspraak["DTSTART"].dt == day + dt.timedelta(days=4)
    assert b"vrije tekst" not in answer.data

    text = answer.data.decode()
    for maatregel in other["maatregel_id"].unique():
        assert maatregel not in text
    names = snap["medewerkers"]["naam"].to_list()
    assert not [n for n in names if n in text]
    # The same link again: the same events, under the same UIDs.
    again = _events(client.get(f"/agenda/{token}.ics").data)
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]


def test_the_token_is_not_in_the_table_nor_in_the_audit_log(engine, client):
    worker = _account(engine, "demo-jeugdzorgwerker")
    after = _last_id(engine)
    token = agenda.nieuw(engine, worker)
    assert client.get(f"/agenda/{token}.ics").status_code == 200
    with engine.connect() as conn:
        stored = conn.execute(sa.select(agenda_tokens)).all()
        logged = conn.execute(
            sa.text("SELECT onderwerp, details FROM audit_log WHERE id > :a"), {"a": after}
        ).all()
    assert stored and logged
    assert token not in repr(stored) and token not in repr(logged)
    assert agenda.token_hash(token) in {row.token_hash for row in stored}


def test_a_renewed_token_gets_404_and_the_refusal_is_in_the_audit_log(engine, client):
    worker = _account(engine, "demo-jeugdzorgwerker")
    old = agenda.nieuw(engine, worker)
    new = agenda.nieuw(engine, worker)
    after = _last_id(engine)
    answer = client.get(f"/agenda/{old}.ics")
    assert answer.status_code == 404
    assert "bestaat niet" in answer.get_data(as_text=True)
    assert client.get(f"/agenda/{new}.ics").status_code == 200
    assert _refusals(engine, after) == [
        ("demo-jeugdzorgwerker", agenda.ONDERWERP, f"agenda-token ingetrokken ({agenda.VERNIEUWD})")
    ]


def test_a_disabled_accounts_token_gets_404_and_the_refusal_is_in_the_audit_log(
    engine, client, jbn_url
):
    teammanager = _account(engine, "demo-teammanager")
    token = agenda.nieuw(engine, teammanager)
    assert client.get(f"/agenda/{token}.ics").status_code == 200
    disable_user(jbn_url, "demo-teammanager")
    after = _last_id(engine)
    assert client.get(f"/agenda/{token}.ics").status_code == 404
    reden = f"agenda-token ingetrokken ({agenda.UITGESCHAKELD})"
    assert _refusals(engine, after) == [("demo-teammanager", agenda.ONDERWERP, reden)]


def test_an_unknown_token_gets_404_and_is_audited_folded_per_address(engine, client):
    after = _last_id(engine)
    for _ in range(3):
        assert client.get("/agenda/geraden-token.ics").status_code == 404
    assert client.get("/agenda/zonder-achtervoegsel").status_code == 404
    audit_trail.ANONYMOUS.flush()
    # Folded: one row per client address and minute, counting the requests.
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT gebruikersnaam, onderwerp, details, aantal FROM audit_log WHERE id > :a"
            ),
            {"a": after},
        ).all()
    assert {tuple(r[:3]) for r in rows} == {
        (None, agenda.ONDERWERP, f"{agenda.ONBEKEND}; adres 127.0.0.1")
    }
    assert sum(r.aantal for r in rows) == 4


def test_past_the_limit_per_token_the_answer_is_429_with_retry_after(engine, client, monkeypatch):
    monkeypatch.setenv(agenda_feed.PER_TOKEN_ENV, "2")
    token = agenda.nieuw(engine, _account(engine, "demo-jeugdzorgwerker"))
    assert [client.get(f"/agenda/{token}.ics").status_code for _ in range(3)] == [200, 200, 429]
    answer = client.get(f"/agenda/{token}.ics")
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= agenda_feed.WINDOW_SECONDS
    # Another worker's link is counted apart.
    other = agenda.nieuw(engine, _account(engine, "demo-praktijkbegeleider"))
    assert client.get(f"/agenda/{other}.ics").status_code == 200


def test_past_the_limit_per_address_any_token_gets_429(engine, client, monkeypatch):
    monkeypatch.setenv(agenda_feed.PER_ADDRESS_ENV, "3")
    token = agenda.nieuw(engine, _account(engine, "demo-jeugdzorgwerker"))
    codes = [
        client.get(path).status_code for path in ["/agenda/x.ics"] * 3 + [f"/agenda/{token}.ics"]
    ]
    assert codes == [404, 404, 404, 429]
    assert client.get(f"/agenda/{token}.ics").headers["Retry-After"]


def test_the_limiter_counts_per_key_and_window_and_stays_bounded():
    limiter = agenda_feed.RateLimiter(window=60)
    assert [limiter.hit("a", 2, now=120.0) for _ in range(3)] == [None, None, 60]
    assert limiter.hit("b", 2, now=130.0) is None
    assert limiter.hit("a", 2, now=179.5) == 1
    # A new window starts afresh.
    assert limiter.hit("a", 2, now=180.0) is None
    for i in range(agenda_feed.MAX_KEYS + 5):
        limiter.hit(f"k{i}", 1_000_000, now=200.0)
    assert len(limiter._counts) == agenda_feed.MAX_KEYS + 1
    assert limiter.hit("nieuw", 0, now=200.0) is None


def test_a_logged_path_never_holds_the_token():
    assert agenda_feed.masked("/agenda/Ab-c_9.ics") == "/agenda/….ics"
    assert agenda_feed.masked("/agenda/Ab-c_9.ics?x=1") == "/agenda/….ics?x=1"
    assert agenda_feed.masked("/mijn-caseload") == "/mijn-caseload"
