"""The audit trail: appended by anyone, read by the beheerder, never changed."""

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from etl.migrations import upgrade
from queries.audit import audit_log, event_counts, record
from queries.gebruikers import Account
from queries.scope import Viewer
from store import auditketen
from store.engine import make_engine

BEHEERDER = Viewer("beheerder")


@pytest.fixture
def engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_events_are_read_back_newest_first_by_the_beheerder_only(engine):
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    sanne = Account("sanne", "jeugdzorgwerker", "1001")
    record(engine, sanne, "login", "sanne", at=t0)
    record(engine, sanne, "medewerker_bekeken", "1001", at=t0 + dt.timedelta(minutes=1))
    record(engine, "onbekend", "login_mislukt", "/login", "onjuist", at=t0 + dt.timedelta(hours=1))
    log = audit_log(engine, BEHEERDER)
    assert log["actie"].to_list() == ["login_mislukt", "medewerker_bekeken", "login"]
    assert log.row(1, named=True) | {"id": 0} == {
        "id": 0,
        "tijdstip": t0 + dt.timedelta(minutes=1),
        "gebruikersnaam": "sanne",
        "rol": "jeugdzorgwerker",
        "medewerker_id": "1001",
        "actie": "medewerker_bekeken",
        "onderwerp": "1001",
        "details": None,
        "aantal": None,
    }
    window = audit_log(engine, BEHEERDER, since=t0, until=t0 + dt.timedelta(minutes=1))
    assert window["actie"].to_list() == ["login"]
    for role in ("jeugdzorgwerker", "teammanager", "manager"):
        empty = audit_log(engine, Viewer(role, "1001"))
        assert empty.height == 0 and empty.columns == log.columns


def test_the_database_refuses_to_change_or_delete_events(engine):
    record(engine, Viewer("manager"), "pagina", "/organisatie")
    for statement in ("UPDATE audit_log SET actie = 'login'", "DELETE FROM audit_log"):
        refused = pytest.raises(sa.exc.DatabaseError, match="alleen aan te vullen")
        with refused, engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert audit_log(engine, BEHEERDER)["actie"].to_list() == ["pagina"]


def test_sqlite_refuses_to_replace_an_event(sqlite_url):
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    record(engine, Viewer("manager"), "pagina", "/organisatie")
    for verb in ("REPLACE", "INSERT OR REPLACE"):
        refused = pytest.raises(sa.exc.DatabaseError, match="alleen aan te vullen")
        with refused, engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"{verb} INTO audit_log (id, tijdstip, actie) "
                    "SELECT id, tijdstip, 'login' FROM audit_log"
                )
            )
    assert audit_log(engine, BEHEERDER)["actie"].to_list() == ["pagina"]


def test_an_unknown_action_is_a_programming_error(engine):
    with pytest.raises(ValueError):
        record(engine, None, "bekeken")


def test_long_texts_are_clipped_to_256_characters_with_their_length(engine):
    path = "/" + "x" * 61_439
    record(engine, "a" * 300, "geweigerd", path, "pad\x00met nul")
    row = audit_log(engine, BEHEERDER).row(0, named=True)
    assert row["onderwerp"] == path[:256] + "…(61.440 tekens)"
    assert row["gebruikersnaam"] == "a" * 256 + "…(300 tekens)"
    assert row["details"] == "pad\ufffdmet nul"


def test_a_repeat_count_is_stored_with_the_row(engine):
    record(engine, None, "geweigerd", "/x", "geen geldige sessie", aantal=77)
    assert audit_log(engine, BEHEERDER)["aantal"].to_list() == [77]


def test_without_a_configured_key_one_is_made_once_and_kept_private(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv(auditketen.KEY_ENV, raising=False)
    monkeypatch.setattr(auditketen, "KEY_FILE", tmp_path / "audit_key")
    first = auditketen.audit_key()
    assert first == auditketen.audit_key() == (tmp_path / "audit_key").read_text().strip().encode()
    assert len(first) == 64
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600
    assert "CASELOAD_AUDIT_KEY is niet gezet" in caplog.text
    monkeypatch.setenv(auditketen.KEY_ENV, "uit-de-omgeving")
    assert auditketen.audit_key() == b"uit-de-omgeving"


def test_a_folded_row_counts_as_its_requests():
    log = pl.DataFrame(
        {
            "actie": ["geweigerd", "geweigerd", "login_mislukt", "pagina"],
            "aantal": [7, None, None, None],
        }
    )
    assert event_counts(log) == {
        "audit_gebeurtenissen": 10,
        "audit_geweigerd": 8,
        "audit_login_mislukt": 1,
    }
    assert event_counts(log.clear()) == {
        "audit_gebeurtenissen": 0,
        "audit_geweigerd": 0,
        "audit_login_mislukt": 0,
    }
