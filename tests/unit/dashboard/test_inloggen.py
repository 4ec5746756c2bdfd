"""Logging in and out through the real routes: form, CSRF, lockout, server-side sessions and
their ends, demo mode."""

import datetime as dt
from urllib.parse import unquote

import polars as pl
import pytest
import sqlalchemy as sa

from dashboard import data
from dashboard.session import TOKEN_KEY, secret_key
from etl.gebruikers import add_user, disable_user
from queries.sessies import session_id
from store.engine import make_engine
from tests.unit.dashboard.logins import (
    PASSWORD,
    build_database,
    client_for,
    csrf_of,
    events,
    last_event_id,
    login,
)

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("auth"))


def _sql(url: str, statement: str, **params):
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def _reden(url: str, token: str):
    return _sql(url, "SELECT reden FROM sessies WHERE id = :id", id=session_id(token))


def _token(client) -> str:
    with client.session_transaction() as session:
        return session[TOKEN_KEY]


def _csrf(client) -> str:
    with client.session_transaction() as session:
        return session["csrf"]


def test_without_a_login_pages_redirect_and_dash_gets_an_empty_401(url):
    _, client = client_for(url)
    page = client.get("/mijn-caseload?peildatum=2025-10-01", headers={"Accept": "text/html"})
    assert page.status_code == 302
    assert page.headers["Location"] == "/login?volgende=/mijn-caseload%3Fpeildatum%3D2025-10-01"
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 401 and response.data == b""
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/assets/style.css").status_code == 200
    form = client.get("/login")
    assert form.status_code == 200 and "Wachtwoord" in form.text and 'lang="nl"' in form.text


def test_login_sets_a_guarded_cookie_and_goes_where_the_person_was_headed(url):
    _, client = client_for(url)
    before = last_event_id(url)
    response = login(client, "sanne", volgende="/mijn-caseload?peildatum=2025-10-01")
    assert response.status_code == 303
    assert response.headers["Location"] == "/mijn-caseload?peildatum=2025-10-01"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Strict-Transport-Security" not in response.headers
    assert client.get("/_dash-layout").status_code == 200
    logged = events(url, before)
    assert logged.select("gebruikersnaam", "actie").rows() == [("sanne", "login")]


def test_secure_cookies_on_request(url, monkeypatch):
    """Finding 10: over HTTPS the cookie is a __Host- cookie (Secure, Path=/, no Domain), so
    no other (sub)domain can set or read it, and HSTS keeps the browser on HTTPS."""
    monkeypatch.setenv("CASELOAD_SECURE_COOKIES", "1")
    _, client = client_for(url)
    answer = login(client, "sanne")
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    parts = cookie.split("; ")
    assert "Secure" in parts and "Path=/" in parts and "Domain" not in cookie
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" in client.get("/health").headers


def test_a_link_elsewhere_never_becomes_the_redirect(url):
    _, client = client_for(url)
    for target in ("https://kwaad.example/", "//kwaad.example/", "/\\kwaad.example"):
        assert login(client, "sanne", volgende=target).headers["Location"] == "/"
        client.delete_cookie("session")


def test_a_wrong_password_is_refused_and_logged(url):
    _, client = client_for(url)
    before = last_event_id(url)
    response = login(client, "sanne", "fout-wachtwoord")
    assert response.status_code == 200 and "onjuist" in response.text
    assert client.get("/_dash-layout").status_code == 401
    assert login(client, "bestaat-niet").status_code == 200
    logged = events(url, before).select("gebruikersnaam", "actie", "details").rows()
    assert logged == [
        ("sanne", "login_mislukt", "onjuist, poging 1 van 5"),
        ("bestaat-niet", "login_mislukt", "onjuist"),
        (None, "geweigerd", "geen geldige sessie; adres 127.0.0.1"),
    ]
    assert login(client, "sanne").status_code == 303  # and a success clears the count


def _answer(response) -> str:
    """The page's answer, without the form (which repeats the name typed)."""
    text = response.text
    return text[text.index("<h1>") : text.index("<form")]


def test_five_wrong_passwords_lock_the_account(url):
    _, client = client_for(url)
    before = last_event_id(url)
    answers = [login(client, "slot", "fout").status_code for _ in range(5)]
    assert answers == [200] * 5
    locked = login(client, "slot")
    assert locked.status_code == 200 and "Gebruikersnaam of wachtwoord onjuist." in locked.text
    assert "Na 5 mislukte pogingen achter elkaar wordt een account 15 minuten" in locked.text
    assert client.get("/_dash-layout").status_code == 401
    failed = events(url, before).filter(pl.col("actie") == "login_mislukt")["details"]
    assert failed.to_list() == [f"onjuist, poging {i} van 5" for i in range(1, 5)] + [
        "onjuist, poging 5 van 5, account geblokkeerd",
        "geblokkeerd",
    ]


def test_a_locked_account_answers_exactly_as_an_unknown_name(url):
    """Finding 10: the lockout message told which names exist."""
    _, client = client_for(url)
    for _ in range(5):
        login(client, "slot", "fout")
    locked, unknown = login(client, "slot", "fout"), login(client, "niemand-hier", "fout")
    assert locked.status_code == unknown.status_code == 200
    assert _answer(locked) == _answer(unknown)


def test_the_lockout_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_LOGIN_POGINGEN", "2")
    monkeypatch.setenv("CASELOAD_BLOKKEER_MINUTEN", "60")
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    add_user(url, "piet", "beheerder", None, PASSWORD)
    _, client = client_for(url)
    assert login(client, "piet", "fout").status_code == 200
    second = login(client, "piet", "fout")
    assert "Na 2 mislukte pogingen achter elkaar wordt een account 60 minuten" in second.text
    assert login(client, "piet").status_code == 200
    assert client.get("/_dash-layout").status_code == 401


def test_a_form_without_the_session_token_is_refused(url):
    _, client = client_for(url)
    client.get("/login")
    before = last_event_id(url)
    for token in (None, "verzonnen"):
        form = {"gebruikersnaam": "sanne", "wachtwoord": PASSWORD}
        if token:
            form["csrf"] = token
        assert client.post("/login", data=form).status_code == 400
    assert client.get("/_dash-layout").status_code == 401
    refused = events(url, before).select("onderwerp", "details", "aantal").rows()
    assert refused == [("/login", "formulier zonder geldig CSRF-token; adres 127.0.0.1", 3)]


def _age(url: str, token: str, column: str, minutes: float) -> None:
    """Move a session's clock back, as if that moment was this many minutes ago."""
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=minutes)
    _sql(url, f"UPDATE sessies SET {column} = :t WHERE id = :id", t=moment, id=session_id(token))


def test_an_idle_session_expires(url):
    _, client = client_for(url)
    login(client, "sanne")
    assert client.get("/_dash-layout").status_code == 200
    token = _token(client)
    _age(url, token, "laatst_gezien", 31)
    before = last_event_id(url)
    page = client.get("/mijn-caseload", headers={"Accept": "text/html"})
    assert page.status_code == 302 and "melding=verlopen" in page.headers["Location"]
    assert client.get("/_dash-layout").status_code == 401
    logged = events(url, before).select("gebruikersnaam", "actie", "details").rows()
    assert logged == [
        ("sanne", "logout", "inactief"),
        (None, "geweigerd", "geen geldige sessie; adres 127.0.0.1"),
    ]
    assert _reden(url, token) == [("inactief",)]


def test_the_idle_timeout_is_configurable(url, monkeypatch):
    monkeypatch.setenv("CASELOAD_IDLE_MINUTES", "5")
    _, client = client_for(url)
    login(client, "sanne")
    _age(url, _token(client), "laatst_gezien", 6)
    assert client.get("/_dash-layout").status_code == 401


def test_a_session_ends_at_its_maximum_lifetime_however_active(url):
    _, client = client_for(url)
    login(client, "sanne")
    _age(url, _token(client), "verloopt", 0)
    page = client.get("/mijn-caseload", headers={"Accept": "text/html"})
    assert page.status_code == 302 and "melding=maximaal" in page.headers["Location"]
    assert "maximale duur" in client.get(page.headers["Location"]).text


def test_the_maximum_lifetime_is_set_at_login(url, monkeypatch):
    monkeypatch.setenv("CASELOAD_SESSION_MAX_HOURS", "2")
    _, client = client_for(url)
    login(client, "sanne")
    query = "SELECT aangemaakt, verloopt FROM sessies WHERE id = :id"
    ((made, ends),) = _sql(url, query, id=session_id(_token(client)))
    made, ends = (dt.datetime.fromisoformat(str(v)) for v in (made, ends))
    assert ends - made == dt.timedelta(hours=2)


def test_a_cookie_copied_before_logout_opens_nothing_after(url):
    """Finding 4: logout ended only the browser's copy of the session."""
    app, client = client_for(url)
    login(client, "sanne")
    copied = client.get_cookie("session").value
    thief = app.server.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/_dash-layout").status_code == 200
    client.post("/logout", data={"csrf": _csrf(client)})
    assert thief.get("/_dash-layout").status_code == 401
    thief.set_cookie("session", copied)
    page = thief.get("/mijn-caseload", headers={"Accept": "text/html"})
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_every_login_gets_a_new_token_and_ends_the_one_before(url):
    """No session fixation: a cookie known before a login opens nothing after it."""
    app, client = client_for(url)
    login(client, "sanne")
    first, first_cookie = _token(client), client.get_cookie("session").value
    again = {"csrf": _csrf(client), "gebruikersnaam": "sanne", "wachtwoord": PASSWORD}
    assert client.post("/login", data=again).status_code == 303
    assert _token(client) != first
    assert _reden(url, first) == [("uitgelogd",)]
    planted = app.server.test_client()
    planted.set_cookie("session", first_cookie)
    assert planted.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-layout").status_code == 200


def test_logout_needs_the_token_and_ends_the_session(url):
    _, client = client_for(url)
    login(client, "sanne")
    assert client.post("/logout").status_code == 400
    assert client.get("/_dash-layout").status_code == 200
    token = _token(client)
    before = last_event_id(url)
    out = client.post("/logout", data={"csrf": _csrf(client)})
    assert out.status_code == 303 and out.headers["Location"] == "/login?melding=uitgelogd"
    assert client.get("/_dash-layout").status_code == 401
    assert "U bent uitgelogd" in client.get("/login?melding=uitgelogd").text
    logged = events(url, before).select("actie", "details").rows()
    assert logged[0] == ("logout", "uitgelogd") and logged[1][0] == "geweigerd"
    assert _reden(url, token) == [("uitgelogd",)]


def test_a_disabled_account_is_out_at_its_next_request(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    add_user(url, "piet", "beheerder", None, PASSWORD)
    _, client = client_for(url)
    assert login(client, "piet").status_code == 303
    assert client.get("/_dash-layout").status_code == 200
    assert disable_user(url, "piet") == 1
    assert client.get("/_dash-layout").status_code == 401
    assert login(client, "piet").status_code == 200
    assert _sql(url, "SELECT reden FROM sessies") == [("account uitgeschakeld",)]


@pytest.mark.parametrize(
    "target", ["/team%0d%0aSet-Cookie:%20x=1", "/team%0aX:%201", "/%09/kwaad.example", "/team%00"]
)
def test_a_line_break_in_volgende_is_not_a_500(url, target):
    """Finding 10: a CR/LF in the form's volgende broke the redirect after a good login."""
    _, client = client_for(url)
    answer = login(client, "sanne", volgende=unquote(target))
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    page = client.get(f"/login?volgende={target}")
    assert page.status_code == 302 and page.headers["Location"] == "/"


def test_demo_accounts_exist_only_in_demo_mode(url):
    _, plain = client_for(url, demo=False)
    form = plain.get("/login").text
    assert "demo-" not in form and "Demo-accounts" not in form
    assert login(plain, "demo-manager", "demo").status_code == 200
    switch = {"gebruiker": "manager", "csrf": csrf_of(form)}
    assert plain.post("/bekijk-als", data=switch, headers=ORIGIN).status_code == 404

    _, demo = client_for(url, demo=True)
    form = demo.get("/login").text
    for rol in ("jeugdzorgwerker", "praktijkbegeleider", "manager", "beheerder"):
        assert f'id="demo-{rol}"' in form
    assert "Sanne Koster, jeugdzorgwerker (Team Stad)" in form
    clicked = demo.post(
        "/login",
        data={"csrf": csrf_of(form), "gebruikersnaam": "demo-manager", "wachtwoord": "demo"},
    )
    assert clicked.status_code == 303
    assert demo.get("/", headers={"Accept": "text/html"}).headers["Location"] == "/organisatie"


def test_the_bekijk_als_switch_logs_in_as_the_demo_account(url):
    _, client = client_for(url, demo=True)
    before = last_event_id(url)
    switch = {"gebruiker": "praktijkbegeleider", "csrf": _csrf(client)}
    assert client.post("/bekijk-als", data=switch, headers=ORIGIN).status_code == 303
    assert client.get("/_dash-layout").status_code == 200
    with client.session_transaction() as session:
        assert session["gebruiker"] == "demo-praktijkbegeleider"
    logged = events(url, before).select("gebruikersnaam", "actie").rows()
    assert logged == [("demo-praktijkbegeleider", "login")]

    # The switch is a login like any other: a new session, the one before ended.
    first = _token(client)
    switch = {"gebruiker": "manager", "csrf": _csrf(client)}
    assert client.post("/bekijk-als", data=switch, headers=ORIGIN).status_code == 303
    assert _token(client) != first and _reden(url, first) == [("uitgelogd",)]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://kwaad.example"}, {"Referer": "https://kwaad.example/pagina"}],
)
def test_the_bekijk_als_switch_needs_this_site_and_the_session_token(url, headers):
    """Finding 10: another site could switch a visitor of the demo to any account."""
    _, client = client_for(url, demo=True)
    before = last_event_id(url)
    switch = {"gebruiker": "manager", "csrf": _csrf(client)}
    assert client.post("/bekijk-als", data=switch, headers=headers).status_code == 403
    without = {"gebruiker": "manager"}
    assert client.post("/bekijk-als", data=without, headers=ORIGIN).status_code == 400
    forged = {"gebruiker": "manager", "csrf": "verzonnen"}
    referer = {"Referer": "http://localhost/mijn-caseload"}
    assert client.post("/bekijk-als", data=forged, headers=referer).status_code == 400
    assert client.get("/_dash-layout").status_code == 401
    refused = events(url, before).filter(pl.col("actie") == "geweigerd")
    assert "/bekijk-als" in refused["onderwerp"].to_list()


def test_without_a_configured_key_every_worker_shares_one_from_the_data_folder(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("CASELOAD_SECRET_KEY", raising=False)
    monkeypatch.setattr(data, "DEFAULT_SQLITE", tmp_path / "data" / "caseload.sqlite")
    first = secret_key()
    assert len(first) == 64 and secret_key() == first
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text() == first and key_file.stat().st_mode & 0o077 == 0
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]
    monkeypatch.setenv("CASELOAD_SECRET_KEY", "uit-de-omgeving")
    assert secret_key() == "uit-de-omgeving"


def test_audit_rows_name_who_did_it(url):
    _, client = client_for(url)
    before = last_event_id(url)
    login(client, "teamleider")
    row = events(url, before).row(0, named=True)
    assert (row["rol"], row["medewerker_id"]) == ("teammanager", "2001")
    assert events(url, before).filter(pl.col("actie") == "login").height == 1
