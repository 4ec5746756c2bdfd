"""Password checks, the lockout counted in the database, which accounts may log in, and the
server-side sessions."""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from etl.gebruikers import add_user, disable_user
from queries import gebruikers, sessies
from queries.gebruikers import (
    LoginResult,
    account_for_medewerker,
    demo_accounts,
    utcnow,
    verify_login,
)
from queries.scope import Viewer
from store.engine import make_engine

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
    assert verify_login(engine, "sanne", "fout", demo_mode=False) == LoginResult(
        None, "onjuist", poging=1
    )
    assert verify_login(engine, "niemand", PASSWORD, demo_mode=False).reden == "onjuist"
    with engine.connect() as conn:
        query = "SELECT laatst_ingelogd FROM gebruikers WHERE gebruikersnaam = 'sanne'"
        last = conn.execute(sa.text(query)).scalar()
    assert last is not None


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(engine):
    now = utcnow()
    results = [verify_login(engine, "sanne", "fout", False, now=now) for _ in range(5)]
    assert [(r.reden, r.poging) for r in results] == [("onjuist", i) for i in range(1, 6)]
    assert [r.geblokkeerd_tot for r in results] == [None] * 4 + [now + dt.timedelta(minutes=15)]
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


def test_demo_accounts_only_in_demo_mode(engine):
    assert verify_login(engine, "demo-manager", "demo", demo_mode=False).account is None
    assert verify_login(engine, "demo-manager", "demo", demo_mode=True).reden == "ok"
    token = sessies.start(engine, "demo-manager", now=utcnow(), lifetime=dt.timedelta(hours=1))
    assert _check(engine, token, demo_mode=False) == sessies.Check(
        None, sessies.UITGESCHAKELD, ended_now=True
    )
    assert [a.gebruikersnaam for a in demo_accounts(engine)] == ["demo-manager"]


def test_single_sign_on_finds_the_one_account_of_a_medewerker(engine, db_url):
    assert account_for_medewerker(engine, "1001", False).gebruikersnaam == "sanne"
    assert account_for_medewerker(engine, "9999", False) is None
    add_user(db_url, "sanne2", "praktijkbegeleider", "1001", PASSWORD)
    assert account_for_medewerker(engine, "1001", False) is None  # ambiguous: refused


def _check(engine, token, demo_mode=False, now=None, idle=dt.timedelta(minutes=30)):
    return sessies.check(engine, token, demo_mode, now=now or utcnow(), idle=idle)


def test_the_lockout_cannot_be_raced(engine, db_url):
    """Finding 8: 15 parallel attempts, each on its own connection, 14 wrong and 1 right. The
    count is reserved before the password check, so at most `limit` passwords are checked in a
    row, the right one gets in only when it was among the first `limit` in the database's
    order, and the account ends locked."""
    limit, right = 5, 7
    barrier = threading.Barrier(15)
    results: list[LoginResult | None] = [None] * 15
    engines = [make_engine(db_url) for _ in range(15)]

    def attempt(i: int) -> None:
        barrier.wait(timeout=30)
        password = PASSWORD if i == right else f"fout-{i}"
        results[i] = verify_login(engines[i], "sanne", password, False, max_attempts=limit)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(15)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for e in engines:
        e.dispose()
    assert all(r is not None for r in results), "een poging bleef hangen"
    mine = results[right]
    checked = [r for r in results if r.reden != "geblokkeerd"]
    if mine.account is None:
        assert mine.reden == "geblokkeerd"
        assert len(checked) == limit
        assert sorted(r.poging for r in checked) == list(range(1, limit + 1))
    else:
        assert len(checked) <= 2 * limit
        assert mine.poging <= limit
        checked = sorted(r.poging for r in checked)
        # Unless its success cleared the count before any other attempt was counted (then
        # it stood alone, and a fresh series of at most `limit` followed), nothing more ran.
        assert checked in (
            list(range(1, limit + 1)),
            sorted([*range(1, mine.poging + 1), *range(1, limit + 1)]),
        )
    later = verify_login(engine, "sanne", PASSWORD, False, max_attempts=limit)
    assert later.reden == "geblokkeerd" and later.account is None


def test_unknown_names_and_locked_accounts_cost_the_same(engine, monkeypatch):
    """Finding 10: a locked account is not told apart from an unknown name by the time it
    takes: both verify exactly one password hash, the work that dominates a login."""
    for _ in range(5):
        verify_login(engine, "sanne", "fout", False)
    verified = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(gebruikers, "_hasher", Counting.from_parameters(CHEAPEST))
    locked = verify_login(engine, "sanne", "fout", False)
    unknown = verify_login(engine, "niemand", "fout", False)
    assert (locked.account, unknown.account) == (None, None)
    assert len(verified) == 2, verified


def test_a_session_lasts_until_it_ends_and_then_never_again(engine, db_url):
    """Finding 4: the row decides. Logout, the idle timeout, the maximum lifetime and a
    disabled account each end it once, with their reden; the token itself is never stored."""
    now = utcnow()
    hour = dt.timedelta(hours=1)
    token = sessies.start(engine, "sanne", now=now, lifetime=hour)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id, verloopt FROM sessies")).one()
    assert stored.id == sessies.session_id(token) != token
    assert _check(engine, token, now=now).account.viewer == Viewer("jeugdzorgwerker", "1001")
    assert _check(engine, "verzonnen", now=now) == sessies.Check(None)

    assert sessies.end(engine, token, sessies.UITGELOGD, now=now)
    assert not sessies.end(engine, token, sessies.UITGELOGD, now=now)
    assert _check(engine, token, now=now) == sessies.Check(None, sessies.UITGELOGD)

    idle = sessies.start(engine, "sanne", now=now, lifetime=hour)
    later = now + dt.timedelta(minutes=31)
    assert _check(engine, idle, now=later) == sessies.Check(None, sessies.INACTIEF, True)
    assert _check(engine, idle, now=now) == sessies.Check(None, sessies.INACTIEF)

    old = sessies.start(engine, "sanne", now=now, lifetime=hour)
    for minutes in range(10, 60, 10):  # active all along: the idle clock keeps moving
        assert _check(engine, old, now=now + dt.timedelta(minutes=minutes)).account is not None
    assert _check(engine, old, now=now + hour) == sessies.Check(None, sessies.MAXIMALE_DUUR, True)

    open_one = sessies.start(engine, "sanne", now=now, lifetime=hour)
    other = sessies.start(engine, "demo-manager", now=now, lifetime=hour)
    assert disable_user(db_url, "sanne") == 1
    assert _check(engine, open_one, now=now) == sessies.Check(None, sessies.UITGESCHAKELD)
    assert _check(engine, other, demo_mode=True, now=now).account is not None


def test_the_idle_clock_is_written_at_most_once_a_minute(engine):
    now = utcnow()
    token = sessies.start(engine, "sanne", now=now, lifetime=dt.timedelta(hours=1))

    def seen():
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT laatst_gezien FROM sessies").columns(laatst_gezien=sa.DateTime)
            ).scalar_one()

    _check(engine, token, now=now + dt.timedelta(seconds=59))
    assert seen() == now
    _check(engine, token, now=now + dt.timedelta(seconds=61))
    assert seen() == now + dt.timedelta(seconds=61)


def test_a_check_within_the_minute_reads_once_and_writes_nothing(engine):
    now = utcnow()
    token = sessies.start(engine, "sanne", now=now, lifetime=dt.timedelta(hours=1))
    statements = []

    def keep(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        assert _check(engine, token, now=now + dt.timedelta(seconds=30)).account is not None
        assert statements == ["SELECT"]
        _check(engine, token, now=now + dt.timedelta(seconds=61))
        assert statements == ["SELECT", "SELECT", "UPDATE"]
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)


def test_an_account_still_active_after_disable_keeps_no_session(engine, db_url):
    """The per-request check also refuses a session whose account is no longer active, even
    when its row was not ended (a database from before `users disable` ended sessions)."""
    token = sessies.start(engine, "sanne", now=utcnow(), lifetime=dt.timedelta(hours=1))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE gebruikers SET actief = false WHERE gebruikersnaam = 'sanne'"))
    assert _check(engine, token) == sessies.Check(None, sessies.UITGESCHAKELD, ended_now=True)
