"""Password checks, the lockout counted in the database, and which accounts may log in."""

import datetime as dt

import pytest
import sqlalchemy as sa

from etl.db import make_engine
from etl.users import add_user, disable_user
from queries.scope import Viewer
from queries.toegang import (
    LoginResult,
    account_for_medewerker,
    demo_accounts,
    find_account,
    utcnow,
    verify_login,
)

PASSWORD = "correct-paard-batterij"


@pytest.fixture
def engine(db_url):
    add_user(db_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    add_user(db_url, "demo-manager", "manager", None, "demo", demo=True)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_the_right_password_logs_in_and_a_wrong_one_does_not(engine):
    ok = verify_login(engine, "sanne", PASSWORD, demo_mode=False)
    assert ok.reden == "ok" and ok.account.viewer == Viewer("jeugdzorgwerker", "1001")
    assert verify_login(engine, "sanne", "fout", demo_mode=False) == LoginResult(None, "onjuist")
    assert verify_login(engine, "niemand", PASSWORD, demo_mode=False).reden == "onjuist"
    with engine.connect() as conn:
        query = "SELECT laatst_ingelogd FROM gebruikers WHERE gebruikersnaam = 'sanne'"
        last = conn.execute(sa.text(query)).scalar()
    assert last is not None


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(engine):
    now = utcnow()
    results = [verify_login(engine, "sanne", "fout", False, now=now).reden for _ in range(5)]
    assert results == ["onjuist"] * 4 + ["geblokkeerd"]
    locked = verify_login(engine, "sanne", PASSWORD, False, now=now + dt.timedelta(minutes=14))
    assert locked.account is None and locked.reden == "geblokkeerd"
    later = verify_login(engine, "sanne", PASSWORD, False, now=now + dt.timedelta(minutes=16))
    assert later.reden == "ok"
    # A success resets the count: four more wrong ones do not lock.
    again = [verify_login(engine, "sanne", "fout", False, now=now).reden for _ in range(4)]
    assert again == ["onjuist"] * 4


def test_the_count_is_shared_by_every_process(engine, db_url):
    """Two engines stand in for two gunicorn workers: their failures add up."""
    other = make_engine(db_url)
    try:
        for i in range(4):
            verify_login(engine if i % 2 else other, "sanne", "fout", False, max_attempts=4)
        assert verify_login(engine, "sanne", PASSWORD, False, max_attempts=4).reden == (
            "geblokkeerd"
        )
    finally:
        other.dispose()


def test_a_disabled_account_cannot_log_in(engine, db_url):
    disable_user(db_url, "sanne")
    assert verify_login(engine, "sanne", PASSWORD, False).account is None
    assert find_account(engine, "sanne", False) is None


def test_demo_accounts_only_in_demo_mode(engine):
    assert verify_login(engine, "demo-manager", "demo", demo_mode=False).account is None
    assert verify_login(engine, "demo-manager", "demo", demo_mode=True).reden == "ok"
    assert find_account(engine, "demo-manager", False) is None
    assert [a.gebruikersnaam for a in demo_accounts(engine)] == ["demo-manager"]


def test_single_sign_on_finds_the_one_account_of_a_medewerker(engine, db_url):
    assert account_for_medewerker(engine, "1001", False).gebruikersnaam == "sanne"
    assert account_for_medewerker(engine, "9999", False) is None
    add_user(db_url, "sanne2", "praktijkbegeleider", "1001", PASSWORD)
    assert account_for_medewerker(engine, "1001", False) is None  # ambiguous: refused
