"""Logging in and out through the real routes: form, CSRF, lockout, idle timeout, demo mode,
and single sign-on against an OpenID Connect provider the test runs on loopback."""

import time

import polars as pl
import pytest

from dashboard import data
from dashboard.session import SEEN_KEY, secret_key
from etl.users import add_user, disable_user
from tests.unit.dashboard.logins import (
    PASSWORD,
    build_database,
    client_for,
    csrf_of,
    events,
    last_event_id,
    login,
)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("auth"))


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
    assert client.get("/_dash-layout").status_code == 200
    logged = events(url, before)
    assert logged.select("gebruikersnaam", "actie").rows() == [("sanne", "login")]


def test_secure_cookies_on_request(url, monkeypatch):
    monkeypatch.setenv("CASELOAD_SECURE_COOKIES", "1")
    _, client = client_for(url)
    assert "Secure" in login(client, "sanne").headers["Set-Cookie"]


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
        ("sanne", "login_mislukt", "onjuist"),
        ("bestaat-niet", "login_mislukt", "onjuist"),
        (None, "geweigerd", "geen geldige sessie; adres 127.0.0.1"),
    ]


def test_five_wrong_passwords_lock_the_account(url):
    _, client = client_for(url)
    answers = [login(client, "slot", "fout").status_code for _ in range(5)]
    assert answers == [200] * 5
    locked = login(client, "slot")
    assert locked.status_code == 200 and "tijdelijk geblokkeerd" in locked.text
    assert client.get("/_dash-layout").status_code == 401


def test_the_lockout_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_LOGIN_POGINGEN", "2")
    monkeypatch.setenv("CASELOAD_BLOKKEER_MINUTEN", "60")
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    add_user(url, "piet", "beheerder", None, PASSWORD)
    _, client = client_for(url)
    assert login(client, "piet", "fout").status_code == 200
    second = login(client, "piet", "fout")
    assert "over 60 minuten" in second.text
    assert "tijdelijk geblokkeerd" in login(client, "piet").text


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


def test_an_idle_session_expires(url):
    _, client = client_for(url)
    login(client, "sanne")
    assert client.get("/_dash-layout").status_code == 200
    with client.session_transaction() as session:
        session[SEEN_KEY] = time.time() - 31 * 60
    before = last_event_id(url)
    page = client.get("/mijn-caseload", headers={"Accept": "text/html"})
    assert page.status_code == 302 and "melding=verlopen" in page.headers["Location"]
    assert client.get("/_dash-layout").status_code == 401
    logged = events(url, before).select("gebruikersnaam", "actie", "details").rows()
    assert logged == [
        ("sanne", "logout", "sessie verlopen na inactiviteit"),
        (None, "geweigerd", "geen geldige sessie; adres 127.0.0.1"),
    ]


def test_the_idle_timeout_is_configurable(url, monkeypatch):
    monkeypatch.setenv("CASELOAD_IDLE_MINUTES", "5")
    _, client = client_for(url)
    login(client, "sanne")
    with client.session_transaction() as session:
        session[SEEN_KEY] = time.time() - 6 * 60
    assert client.get("/_dash-layout").status_code == 401


def test_logout_needs_the_token_and_ends_the_session(url):
    _, client = client_for(url)
    login(client, "sanne")
    assert client.post("/logout").status_code == 400
    assert client.get("/_dash-layout").status_code == 200
    with client.session_transaction() as session:
        token = session["csrf"]
    before = last_event_id(url)
    out = client.post("/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["Location"] == "/login?melding=uitgelogd"
    assert client.get("/_dash-layout").status_code == 401
    assert "U bent uitgelogd" in client.get("/login?melding=uitgelogd").text
    assert events(url, before)["actie"].to_list() == ["logout", "geweigerd"]


def test_a_disabled_account_is_out_at_its_next_request(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    add_user(url, "piet", "beheerder", None, PASSWORD)
    _, client = client_for(url)
    assert login(client, "piet").status_code == 303
    assert client.get("/_dash-layout").status_code == 200
    disable_user(url, "piet")
    assert client.get("/_dash-layout").status_code == 401
    assert login(client, "piet").status_code == 200


def test_demo_accounts_exist_only_in_demo_mode(url):
    _, plain = client_for(url, demo=False)
    form = plain.get("/login").text
    assert "demo-" not in form and "Demo-accounts" not in form
    assert login(plain, "demo-manager", "demo").status_code == 200
    assert plain.post("/bekijk-als", data={"gebruiker": "manager"}).status_code == 404

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
    client.post("/bekijk-als", data={"gebruiker": "praktijkbegeleider"})
    assert client.get("/_dash-layout").status_code == 200
    with client.session_transaction() as session:
        assert session["gebruiker"] == "demo-praktijkbegeleider"
    logged = events(url, before).select("gebruikersnaam", "actie").rows()
    assert logged == [("demo-praktijkbegeleider", "login")]


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
