"""Security issue 12, finding 4: logout did not end the session. The signed cookie was the whole
session, so a copy taken before logout kept working, and every use extended it without limit.

Replayed against the app under gunicorn with several workers, on SQLite and PostgreSQL: the
cookie now carries a token whose session row every worker checks, so an end on one worker (or
by `python -m etl users disable`) holds on all of them at once.
"""

import time

import requests
import sqlalchemy as sa

from store.engine import make_engine
from tests.ops import add_account, etl, gunicorn, login

PASSWORD = "wachtwoord-van-sanne"
# More requests than workers: with a new connection each, every worker answers some.
ROUNDS = 9


def _sessions(url: str) -> list[tuple[str, str | None]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT gebruikersnaam, reden FROM sessies ORDER BY aangemaakt"
            return [tuple(r) for r in conn.execute(sa.text(query))]
    finally:
        engine.dispose()


def _copy(client: requests.Session) -> requests.Session:
    """Someone else's browser holding a copy of the cookie."""
    other = requests.Session()
    other.cookies.update(client.cookies)
    return other


def _answers(client: requests.Session, base: str) -> set[int]:
    return {client.get(base + "/_dash-layout", timeout=30).status_code for _ in range(ROUNDS)}


def _csrf(client: requests.Session, base: str) -> str:
    """The session's form token, from the logout form in the page's header."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("name") == "csrf":
                found.append(props["value"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(client.get(base + "/_dash-layout", timeout=30).json())
    return found[0]


def test_a_cookie_copied_before_logout_is_refused_by_every_worker(db_url):
    add_account(db_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    with gunicorn(db_url, workers=3) as base:
        client = login(base, "sanne", PASSWORD)
        copied = _copy(client)
        assert _answers(copied, base) == {200}
        out = client.post(base + "/logout", data={"csrf": _csrf(client, base)}, timeout=30)
        assert out.status_code == 200 and "U bent uitgelogd" in out.text
        assert _answers(copied, base) == {401}
        page = copied.get(base + "/mijn-caseload", headers={"Accept": "text/html"}, timeout=30)
        assert page.url.startswith(base + "/login")
        assert _answers(client, base) == {401}
    assert _sessions(db_url) == [("sanne", "uitgelogd")]


def test_idle_and_maximum_lifetime_end_the_session_on_every_worker(db_url):
    add_account(db_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    # 2.4 s idle, 6.1 s at most: an idle session ends first, a busy one at its lifetime.
    env = {"CASELOAD_IDLE_MINUTES": "0.04", "CASELOAD_SESSION_MAX_HOURS": "0.0017"}
    with gunicorn(db_url, workers=3, extra_env=env) as base:
        idle = login(base, "sanne", PASSWORD)
        idle_since = time.monotonic()
        busy = login(base, "sanne", PASSWORD)
        busy_since, idle_checked = time.monotonic(), False
        while busy.get(base + "/_dash-layout", timeout=30).status_code == 200:
            assert time.monotonic() - busy_since < 10, "een sessie in gebruik loopt nooit af"
            if time.monotonic() - idle_since > 3 and not idle_checked:
                assert _answers(idle, base) == {401}
                idle_checked = True
            time.sleep(0.3)
        assert idle_checked and time.monotonic() - busy_since > 5
        assert _answers(busy, base) == {401}
        page = busy.get(base + "/", headers={"Accept": "text/html"}, timeout=30)
        assert page.url.startswith(base + "/login")
    assert _sessions(db_url) == [("sanne", "inactief"), ("sanne", "maximale duur")]


def test_disabling_the_account_ends_its_open_sessions(db_url):
    add_account(db_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    with gunicorn(db_url, workers=3) as base:
        first, second = login(base, "sanne", PASSWORD), login(base, "sanne", PASSWORD)
        assert _answers(first, base) == _answers(second, base) == {200}
        done = etl("users", "disable", "sanne", "--db", db_url, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "2 open sessie(s) beëindigd" in done.stdout
        assert _answers(first, base) == _answers(second, base) == {401}
    assert _sessions(db_url) == [("sanne", "account uitgeschakeld")] * 2
