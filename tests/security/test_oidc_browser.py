"""Security issue 12: single sign-on in the browser against a real, OpenID Certified provider.

panva/oidc-provider (tests/security/oidc_provider) runs on loopback with its development login
form; the app runs under gunicorn on the sample export with accounts made by `python -m etl
users`. Headless Chromium clicks through the whole authorization code flow, so discovery, the
authorization request, the provider's own checks (PKCE required, registered redirect URI, client
authentication), the token exchange, the ID token's signature, the UserInfo endpoint and
RP-Initiated Logout all meet a real implementation instead of the small stand-in in
tests/unit/dashboard/test_oidc.py.
"""

import datetime as dt
import json
import os
import re
import select
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright

from etl.loader import load_source
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.frames import SAMPLE_EXPORT
from tests.ops import ROOT, etl, free_port, gunicorn_command, wait_until_up

pytestmark = pytest.mark.e2e

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
ARTIFACTS = ROOT / "artifacts"
APP_LOG = ARTIFACTS / "oidc-app.log"
CLIENT_ID = "caseload-dashboard"
CLIENT_SECRET = "geheim-van-de-client-bij-de-provider"
# Login name at the provider -> the claims it releases; `uit` is the disabled account's person;
# `youssef` gets employee_id at the UserInfo endpoint only, not in the ID token.
ACCOUNTS = {
    "sanne": {"employee_id": "1001", "name": "Sanne Koster"},
    "youssef": {
        "employee_id": "1002",
        "name": "Youssef El Amrani",
        "userinfo_only": ["employee_id"],
    },
    "onbekend": {"employee_id": "9999", "name": "Niet Bekend"},
    "uit": {"employee_id": "2001", "name": "Marleen Dijkstra"},
}
REFUSED = "Inloggen via single sign-on is niet gelukt. Vraag het functioneel beheer om hulp."
SSO_BUTTON = "a.button[href='/login/oidc']"
STEP_TIMEOUT_MS = 15_000
START_TIMEOUT_S = 30


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """The sample export as a real (non-demo) load, and the accounts the functioneel beheer
    makes for single sign-on."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sso') / 'caseload.sqlite'}"
    result = load_source(SAMPLE_EXPORT, url, dt.date(2025, 11, 1), False)
    assert result.status == "geslaagd", result.message
    for name, rol, medewerker in (
        ("sanne", "jeugdzorgwerker", "1001"),
        ("youssef", "jeugdzorgwerker", "1002"),
        ("marleen", "praktijkbegeleider", "2001"),
    ):
        done = etl("users", "add", name, "--rol", rol, "--medewerker", medewerker,
                   "--alleen-sso", "--db", url)  # fmt: skip
        assert done.returncode == 0, done.stderr
    done = etl("users", "disable", "marleen", "--db", url)
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture(scope="module")
def app_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def issuer(app_port) -> str:
    """oidc-provider in a Node.js subprocess; its issuer once its discovery document answers."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "node of oidc-provider ontbreekt: "
            "npm ci --prefix tests/security/oidc_provider --no-audit --no-fund"
        )
    settings = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"http://127.0.0.1:{app_port}/login/oidc/callback",
        "post_logout_redirect_uri": f"http://127.0.0.1:{app_port}/login",
        "accounts": ACCOUNTS,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "oidc-provider.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=PROVIDER_DIR,
            env=os.environ | {"PROVIDER_SETTINGS": json.dumps(settings)},
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_S)
        line = proc.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"oidc-provider startte niet; zie {log}")
        url = json.loads(line)["issuer"]
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                doc = requests.get(url + "/.well-known/openid-configuration", timeout=5)
                if doc.ok and doc.json()["issuer"] == url:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oidc-provider antwoordde niet; zie {log}")
            time.sleep(0.2)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def app(database, app_port, issuer) -> str:
    """The app under gunicorn (one worker: two cores), in normal mode, with single sign-on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env |= {
        "CASELOAD_DB_URL": database,
        "CASELOAD_SECRET_KEY": "sso-browsertest-sleutel",
        "CASELOAD_OIDC_ISSUER": issuer,
        "CASELOAD_OIDC_CLIENT_ID": CLIENT_ID,
        "CASELOAD_OIDC_CLIENT_SECRET": CLIENT_SECRET,
    }
    with APP_LOG.open("w") as out:
        proc = subprocess.Popen(
            gunicorn_command(app_port, workers=1),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{app_port}"
    try:
        wait_until_up(base, proc, timeout=START_TIMEOUT_S * 2)
        yield base
    finally:
        _stop(proc)


# Module scope: Playwright's sync API must be stopped before another module starts its own.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app):
    """A fresh context (no session at the app nor at the provider); fails the test on a
    console or page error of the app's own pages."""
    context = browser.new_context(base_url=app, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and tab.url.startswith(app) else None,
    )
    tab.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    yield tab
    print(f"browser: {(time.perf_counter() - started) * 1000:.0f} ms")
    context.close()
    assert not errors, "Fouten in de browserconsole:\n" + "\n".join(errors)


def endpoints(issuer: str) -> dict:
    return requests.get(issuer + "/.well-known/openid-configuration", timeout=5).json()


def sign_on(page, issuer: str, app: str, login: str) -> list[str]:
    """Click the app's SSO button, sign in at the provider's form, consent when asked; returns
    the authorization requests the browser sent to the provider."""
    sent: list[str] = []
    endpoint = endpoints(issuer)["authorization_endpoint"]
    page.on("request", lambda r: sent.append(r.url) if r.url.startswith(endpoint) else None)
    page.goto("/login")
    page.click(SSO_BUTTON)
    page.wait_for_url(f"{issuer}/interaction/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "het-wachtwoord-bij-de-provider")
    login_form = page.url
    page.click("button[type=submit]")
    # The consent form, when the provider asks, has an interaction URL of its own.
    page.wait_for_url(lambda url: url != login_form)
    if page.url.startswith(issuer) and page.locator("input[name=prompt][value=consent]").count():
        page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(app) and "/login/oidc" not in url)
    return sent


def log_out(page, issuer: str) -> str:
    """Click Uitloggen, confirm at the provider's logout page, back on the app's login page;
    returns the logout request the browser sent to the provider."""
    endpoint = endpoints(issuer)["end_session_endpoint"]
    # Logging out while the page still loads would cut its requests off mid-way.
    page.wait_for_load_state("networkidle")
    with page.expect_request(lambda r: r.url.startswith(endpoint)) as sent:
        page.click("#uitloggen")
    page.click("button[name=logout][value=yes]")
    expect(page).to_have_url(re.compile(r"/login\?melding=uitgelogd$"))
    expect(page.locator(".message-info")).to_have_text("U bent uitgelogd.")
    return sent.value.url


def last_audit(database: str, actie: str):
    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT gebruikersnaam, details FROM audit_log WHERE actie = :actie "
                    "ORDER BY id DESC LIMIT 1"
                ),
                {"actie": actie},
            ).first()
    finally:
        engine.dispose()


def last_refusal(database: str) -> str:
    row = last_audit(database, "login_mislukt")
    return row.details if row else ""


def expect_refused(page) -> None:
    expect(page).to_have_url(re.compile(r"/login\?melding=sso$"))
    expect(page.locator(".message-info")).to_have_text(REFUSED)
    page.goto("/")
    expect(page.locator("#gebruikersnaam")).to_be_visible()
    expect(page.locator("#uitloggen")).to_have_count(0)


def test_login_with_pkce_and_nonce_lands_on_the_dashboard_as_sanne(page, issuer, app):
    sent = sign_on(page, issuer, app, "sanne")
    assert "melding=sso" not in page.url, f"de app weigerde; de reden staat in {APP_LOG}"
    expect(page.locator("#huidige-rol")).to_have_text("Sanne Koster · jeugdzorgwerker")
    expect(page.locator("#uitloggen")).to_be_visible()
    assert sent, "de browser stuurde geen autorisatieverzoek naar de provider"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(sent[0]).query)
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [f"{app}/login/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"]
    # base64url of a SHA-256 digest, unpadded: 43 characters.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", query["code_challenge"][0])
    assert len(query["nonce"][0]) >= 22 and len(query["state"][0]) >= 22
    # The provider refuses a request without PKCE, so the login above proved the verifier.
    bare = {k: v[0] for k, v in query.items() if not k.startswith("code_challenge")}
    refused = requests.get(sent[0].split("?")[0], params=bare, allow_redirects=False, timeout=10)
    assert "error=invalid_request" in refused.headers["Location"]


def test_an_employee_id_without_account_is_refused(page, issuer, app, database):
    sign_on(page, issuer, app, "onbekend")
    expect_refused(page)
    assert "medewerker 9999" in last_refusal(database)


def test_a_disabled_account_is_refused(page, issuer, app, database):
    sign_on(page, issuer, app, "uit")
    expect_refused(page)
    assert "medewerker 2001" in last_refusal(database)


def test_a_claim_only_at_userinfo_logs_in(page, issuer, app):
    """OpenID Connect Core 5.3.4: employee_id from the UserInfo endpoint, whose sub is the ID
    token's."""
    sign_on(page, issuer, app, "youssef")
    assert "melding=sso" not in page.url, f"de app weigerde; de reden staat in {APP_LOG}"
    expect(page.locator("#huidige-rol")).to_have_text("Youssef El Amrani · jeugdzorgwerker")


def test_after_logout_the_dashboard_asks_for_login_again(page, issuer, app):
    sign_on(page, issuer, app, "sanne")
    expect(page.locator("#uitloggen")).to_be_visible()
    log_out(page, issuer)
    page.goto("/mijn-caseload")
    expect(page).to_have_url(re.compile(r"/login\?volgende="))
    expect(page.locator("#gebruikersnaam")).to_be_visible()
    # With the browser's own cookies: the old session no longer opens Dash's layout.
    assert page.request.get("/_dash-layout").status == 401


def silent_sign_on(page, issuer: str, app: str) -> str:
    """An authorization request with prompt=none from the browser's own cookies: where the
    provider sends it (a code while its session lasts, login_required after)."""
    answer = page.request.get(
        endpoints(issuer)["authorization_endpoint"],
        params={
            "client_id": CLIENT_ID,
            "redirect_uri": f"{app}/login/oidc/callback",
            "response_type": "code",
            "scope": "openid",
            "state": "s" * 22,
            "code_challenge": "c" * 43,
            "code_challenge_method": "S256",
            "prompt": "none",
        },
        max_redirects=0,
    )
    return answer.headers["location"]


def test_logout_ends_the_session_at_the_provider_too(page, issuer, app, database):
    """Finding: after logout, the SSO button let the same person straight back in. Now logout
    ends the provider's session too (RP-Initiated Logout 1.0), so on a shared workstation the
    next person meets the provider's login form."""
    sign_on(page, issuer, app, "sanne")
    expect(page.locator("#uitloggen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    shown = page.content() + page.evaluate("document.cookie")
    shown += page.request.get("/_dash-layout").text()
    assert "code=" in silent_sign_on(page, issuer, app)

    sent = log_out(page, issuer)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(sent).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == [f"{app}/login"]
    assert len(query["state"][0]) >= 22
    id_token = query["id_token_hint"][0]
    assert id_token.count(".") == 2 and id_token not in shown, "het ID-token stond in de pagina"
    logout = last_audit(database, "logout")
    assert (logout.gebruikersnaam, logout.details) == ("sanne", "uitgelogd")
    assert "error=login_required" in silent_sign_on(page, issuer, app)

    authorize = endpoints(issuer)["authorization_endpoint"]
    with page.expect_request(lambda r: r.url.startswith(authorize)) as again:
        page.click(SSO_BUTTON)
    page.wait_for_url(f"{issuer}/interaction/**")
    expect(page.locator("input[name=login]")).to_be_visible()
    assert "prompt=login" in again.value.url
