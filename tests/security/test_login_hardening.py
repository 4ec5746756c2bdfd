"""Security issue 12, findings 8 and 10, replayed against the running app: gunicorn with several
workers (and `python app.py` for its Server header).

8: 15 parallel attempts checked 14 wrong passwords and let the right one in. 10: the lockout
message told which names exist, /bekijk-als had no CSRF or origin check, the servers named
their versions, /health told anyone the latest run, and a line break in `volgende` gave a 500.
"""

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from etl.gebruikers import create_demo_accounts
from etl.loader import load_source
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, SECRET, add_account, free_port, gunicorn, login, wait_until_up

PASSWORD = "wachtwoord-van-sanne"
LIMIT = 5
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
VERSION = re.compile(r"(werkzeug|python|dash|plotly|flask|gunicorn)\W{0,2}v?\d+\.\d+", re.I)
CHECKED = re.compile(r"poging (\d+) van 5")


def _form(base: str) -> tuple[requests.Session, str]:
    """A browser that opened the login page: its cookie and the form's token."""
    client = requests.Session()
    page = client.get(base + "/login", timeout=30)
    return client, CSRF.search(page.text).group(1)


def _post_login(base, client, token, name, password, volgende="/") -> requests.Response:
    form = {"csrf": token, "gebruikersnaam": name, "wachtwoord": password, "volgende": volgende}
    return client.post(base + "/login", data=form, allow_redirects=False, timeout=60)


def _failures(url: str, name: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.text(
                "SELECT details FROM audit_log WHERE actie = 'login_mislukt' "
                "AND gebruikersnaam = :name ORDER BY id"
            )
            return list(conn.execute(query, {"name": name}).scalars())
    finally:
        engine.dispose()


def _one_series(checked: list[int], right_in: bool) -> bool:
    """The attempt numbers of the wrong passwords checked: one series 1..LIMIT, the right
    password's number missing from it when it got in; or, when its success cleared the count
    before any other attempt was counted, its own series up to it and then a fresh one."""
    if not right_in:
        return sorted(checked) == list(range(1, LIMIT + 1))
    full = list(range(1, LIMIT + 1))
    return any(
        sorted([*checked, k]) == full or sorted(checked) == sorted([*range(1, k), *full])
        for k in full
    )


def test_the_lockout_cannot_be_raced_across_workers(db_url):
    """Finding 8: at most LIMIT passwords are checked in a row whichever worker answers; the
    right one gets in only among the first LIMIT attempts, and the account ends locked."""
    add_account(db_url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    right = 9
    with gunicorn(db_url, workers=3) as base:
        forms = [_form(base) for _ in range(15)]
        barrier = threading.Barrier(15)
        answers: list[int | None] = [None] * 15

        def attempt(i: int) -> None:
            client, token = forms[i]
            barrier.wait(timeout=30)
            password = PASSWORD if i == right else f"fout-{i}"
            answers[i] = _post_login(base, client, token, "sanne", password).status_code

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(15)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        right_in = answers[right] == 303
        assert [a for i, a in enumerate(answers) if i != right] == [200] * 14
        assert answers[right] in (200, 303)
        late = _post_login(base, *_form(base), "sanne", PASSWORD)
        assert late.status_code == 200, "het account is na de aanval niet geblokkeerd"
    details = _failures(db_url, "sanne")
    checked = [int(m.group(1)) for d in details if (m := CHECKED.search(d))]
    assert _one_series(checked, right_in), (right_in, details)
    assert details[-1] == "geblokkeerd"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """The sample export loaded as a demo, its demo accounts, and two real accounts."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hardening') / 'demo.sqlite'}"
    day = dt.date(2025, 11, 1)
    assert load_source(SAMPLE_EXPORT, url, day, False, demo=True).status == "geslaagd"
    create_demo_accounts(url, day)
    add_account(url, "sanne", "jeugdzorgwerker", "1001", PASSWORD)
    add_account(url, "slot", "jeugdzorgwerker", "1003", PASSWORD)
    return url


@pytest.fixture(scope="module")
def site(demo_url):
    with gunicorn(demo_url, workers=2, extra_env={"CASELOAD_DEMO": "1"}) as base:
        yield base


def test_a_locked_name_answers_as_an_unknown_one(site):
    """Finding 10: same status, same text, about the same time."""
    for _ in range(LIMIT):
        _post_login(site, *_form(site), "slot", "fout")

    def answer(name: str) -> tuple[int, str, float]:
        client, token = _form(site)
        started = time.perf_counter()
        response = _post_login(site, client, token, name, "fout")
        seconds = time.perf_counter() - started
        text = response.text
        return response.status_code, text[text.index("<h1>") : text.index("<form")], seconds

    locked = [answer("slot") for _ in range(5)]
    unknown = [answer("niemand-hier") for _ in range(5)]
    assert {(s, t) for s, t, _ in locked} == {(s, t) for s, t, _ in unknown}
    ratio = statistics.median(s for *_, s in locked) / statistics.median(s for *_, s in unknown)
    assert 0.5 < ratio < 2, ratio


def test_the_demo_switch_needs_this_site_and_the_session_token(site):
    """Finding 10: another site's page could post to /bekijk-als for a visitor of the demo."""
    client = login(site, "sanne", PASSWORD)
    post = {"gebruiker": "beheerder", "csrf": _session_token(client, site)}
    evil = {"Origin": "https://kwaad.example", "Accept": "application/json"}
    assert client.post(site + "/bekijk-als", data=post, headers=evil, timeout=30).status_code == 403
    here = {"Origin": site, "Accept": "application/json"}
    no_token = {"gebruiker": "beheerder"}
    assert client.post(site + "/bekijk-als", data=no_token, headers=here).status_code == 400
    switched = client.post(site + "/bekijk-als", data=post, headers=here, timeout=30)
    assert switched.status_code == 200 and switched.json() == {"home": "/datakwaliteit"}


def _session_token(client: requests.Session, base: str) -> str:
    """The session's form token, from the logout form in the shell Dash loads."""
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


@pytest.mark.parametrize("target", ["/team\r\nSet-Cookie: x=1", "/team\nX: 1", "/\t/kwaad.example"])
def test_a_line_break_in_volgende_leads_home(site, target):
    """Finding 10: the redirect after a good login with a CR/LF in `volgende` was a 500."""
    answer = _post_login(site, *_form(site), "sanne", PASSWORD, volgende=target)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


def test_health_tells_details_only_to_this_machine(site):
    """Finding 10: anyone could read the latest run id and export date. Through a proxy (which
    adds X-Forwarded-For) an anonymous caller gets the bare status."""
    relayed = requests.get(site + "/health", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=30)
    assert relayed.status_code == 200 and relayed.content == b""
    local = requests.get(site + "/health", timeout=30)
    assert local.json()["status"] == "ok" and "run_id" in local.json()


def test_gunicorn_names_no_version_and_the_login_page_no_inline_style(site):
    """Finding 10: no version in the Server header or the pages; the login and error pages get
    a policy without 'unsafe-inline' (the Dash pages keep it for plotly.js and AG Grid)."""
    for path in ("/login", "/health", "/bestaat-niet.js", "/assets/bestaat-niet.css"):
        answer = requests.get(site + path, headers={"Accept": "text/html"}, timeout=30)
        assert answer.headers["Server"] == "gunicorn", path
        assert not VERSION.search(str(answer.headers)), (path, answer.headers)
        assert not VERSION.search(answer.text), path
        assert "unsafe-inline" not in answer.headers["Content-Security-Policy"], path
    page = login(site, "sanne", PASSWORD).get(site + "/mijn-caseload", timeout=30)
    assert "style-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]


def test_python_app_py_names_no_version(demo_url):
    """Finding 10: werkzeug's server answered `Server: Werkzeug/3.1.8 Python/3.11.7`."""
    port = free_port()
    env = os.environ | {"CASELOAD_DB_URL": demo_url, "CASELOAD_SECRET_KEY": SECRET}
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, timeout=25)
        for path in ("/login", "/health", "/assets/bestaat-niet.css"):
            answer = requests.get(base + path, headers={"Accept": "text/html"}, timeout=30)
            assert answer.headers["Server"] == "caseloaddashboard", answer.headers["Server"]
            assert not VERSION.search(str(answer.headers)), (path, answer.headers)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
