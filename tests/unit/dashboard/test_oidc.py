"""Single sign-on against a small OpenID Connect provider this test runs on loopback: real
HTTP for discovery, authorize, token, JWKS and UserInfo; an RS256-signed ID token."""

import base64
import hashlib
import secrets
import threading
import time
import urllib.parse
import urllib.request

import polars as pl
import pytest
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from dashboard import oidc
from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id, login

CLIENT_ID = "caseload-dashboard"
CLIENT_SECRET = "geheim-van-de-client"


class Provider:
    """Auto-approves `user` (a dict of claims) at /authorize; `signing_key` signs ID tokens.
    With `userinfo` set, its UserInfo endpoint answers that (for a valid access token); with
    `end_session` set, discovery names an end_session_endpoint."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "echt"})
        self.signing_key = self.key
        self.user: dict = {}
        self.userinfo: dict | None = None
        self.userinfo_calls = 0
        self.end_session = False
        self.codes: dict[str, dict] = {}
        self.access_tokens: set[str] = set()
        self.id_tokens: list[str] = []
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _build(self) -> Flask:
        app = Flask("provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            doc = {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
            if self.end_session:
                doc["end_session_endpoint"] = f"{self.issuer}/logout?tenant=gi"
            return jsonify(doc)

        @app.get("/authorize")
        def authorize():
            args = request.args
            assert args["client_id"] == CLIENT_ID and args["response_type"] == "code"
            assert args["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(args)
            query = urllib.parse.urlencode({"code": code, "state": args["state"]})
            return redirect(f"{args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            form = request.form
            grant = self.codes.pop(form["code"], None)
            if grant is None or form["client_secret"] != CLIENT_SECRET:
                return jsonify(error="invalid_grant"), 400
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(form["code_verifier"].encode()).digest()
            ).rstrip(b"=")
            if challenge.decode() != grant["code_challenge"]:
                return jsonify(error="invalid_grant", detail="PKCE"), 400
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "x", "iat": now,
                      "exp": now + 300, "nonce": grant["nonce"]} | self.user  # fmt: skip
            header = {"alg": "RS256", "kid": self.signing_key.kid}
            id_token = jwt.encode(header, claims, self.signing_key)
            self.id_tokens.append(id_token)
            access_token = secrets.token_urlsafe(16)
            self.access_tokens.add(access_token)
            return jsonify(access_token=access_token, token_type="Bearer", id_token=id_token)

        @app.get("/userinfo")
        def userinfo():
            self.userinfo_calls += 1
            sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if self.userinfo is None or sent not in self.access_tokens:
                return jsonify(error="invalid_token"), 401
            return jsonify(self.userinfo)

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        return app

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("oidc"))


@pytest.fixture
def provider(monkeypatch):
    p = Provider()
    # A port of an earlier test's provider may come round again, with another discovery.
    monkeypatch.setattr(oidc, "_discovery", {})
    monkeypatch.setenv("CASELOAD_OIDC_ISSUER", p.issuer)
    monkeypatch.setenv("CASELOAD_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("CASELOAD_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    yield p
    p.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_on(client):
    """Click 'log in with your organisation': the app, then the provider over HTTP, then back."""
    start = client.get("/login/oidc")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(authorize, timeout=10)
    except urllib.error.HTTPError as answer:
        back = answer.headers["Location"]
    parts = urllib.parse.urlsplit(back)
    assert parts.path == "/login/oidc/callback"
    return client.get(f"{parts.path}?{parts.query}")


def test_sign_on_logs_in_as_the_account_of_the_medewerker_in_the_claim(url, provider):
    provider.user = {"employee_id": "1001"}
    _, client = client_for(url)
    assert "Inloggen met het account van uw organisatie" in client.get("/login").text
    before = last_event_id(url)
    done = sign_on(client)
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert client.get("/_dash-layout").status_code == 200
    with client.session_transaction() as session:
        assert session["viewer"] == {"role": "jeugdzorgwerker", "medewerker_id": "1001"}
    assert events(url, before)["actie"].to_list() == ["login"]


def test_the_claim_name_is_configurable(url, provider, monkeypatch):
    monkeypatch.setenv("CASELOAD_OIDC_CLAIM", "personeelsnummer")
    provider.user = {"personeelsnummer": "2001"}
    _, client = client_for(url)
    sign_on(client)
    with client.session_transaction() as session:
        assert session["gebruiker"] == "teamleider"


@pytest.mark.parametrize("case", ["wrong key", "unknown medewerker", "role claim", "forged state"])
def test_sign_on_is_refused_and_logged(url, provider, monkeypatch, case):
    provider.user = {"employee_id": "1001"}
    if case == "wrong key":
        provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "echt"})
    if case == "unknown medewerker":
        provider.user = {"employee_id": "9999"}
    if case == "role claim":
        monkeypatch.setenv("CASELOAD_OIDC_ROL_CLAIM", "roles")
        provider.user |= {"roles": ["manager"]}
    _, client = client_for(url)
    before = last_event_id(url)
    if case == "forged state":
        client.get("/login/oidc")
        done = client.get("/login/oidc/callback?code=verzonnen&state=verzonnen")
    else:
        done = sign_on(client)
    assert done.status_code == 302 and done.headers["Location"] == "/login?melding=sso"
    assert client.get("/_dash-layout").status_code == 401
    assert "single sign-on is niet gelukt" in client.get("/login?melding=sso").text
    assert "login_mislukt" in events(url, before)["actie"].to_list()


def test_the_role_claim_lets_in_when_it_matches(url, provider, monkeypatch):
    monkeypatch.setenv("CASELOAD_OIDC_ROL_CLAIM", "roles")
    provider.user = {"employee_id": "1001", "roles": ["jeugdzorgwerker"]}
    _, client = client_for(url)
    assert sign_on(client).status_code == 303


def test_without_configuration_there_is_no_sign_on(url):
    _, client = client_for(url)
    assert "organisatie" not in client.get("/login").text
    assert "Location" not in client.get("/login/oidc").headers  # no trip to a provider


def test_the_redirect_uri_can_be_set_for_a_proxy(url, provider, monkeypatch):
    monkeypatch.setenv(
        "CASELOAD_OIDC_REDIRECT_URI", "https://dashboard.gi.example/login/oidc/callback"
    )
    _, client = client_for(url)
    query = urllib.parse.parse_qs(
        urllib.parse.urlsplit(client.get("/login/oidc").headers["Location"]).query
    )
    assert query["redirect_uri"] == ["https://dashboard.gi.example/login/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43


@pytest.mark.parametrize(
    ("extra", "admitted"),
    [
        ({"aud": [CLIENT_ID, "andere-client"]}, False),
        ({"aud": [CLIENT_ID, "andere-client"], "azp": "andere-client"}, False),
        ({"aud": CLIENT_ID, "azp": "andere-client"}, False),
        ({"aud": [CLIENT_ID, "andere-client"], "azp": CLIENT_ID}, True),
        ({"aud": [CLIENT_ID]}, True),
    ],
)
def test_a_token_for_several_audiences_must_be_issued_to_this_client(
    url, provider, extra, admitted
):
    """Finding 10: with several audiences, azp says which client the token was issued to; a
    token another client obtained must not log in here."""
    provider.user = {"employee_id": "1001"} | extra
    _, client = client_for(url)
    before = last_event_id(url)
    done = sign_on(client)
    if admitted:
        assert done.status_code == 303 and done.headers["Location"] == "/"
        assert client.get("/_dash-layout").status_code == 200
    else:
        assert done.headers["Location"] == "/login?melding=sso"
        assert client.get("/_dash-layout").status_code == 401
        failed = events(url, before).filter(pl.col("actie") == "login_mislukt")
        assert "azp" in failed["details"][0]


def test_a_claim_missing_from_the_id_token_comes_from_userinfo(url, provider):
    """OpenID Connect Core 5.3.4: UserInfo about the ID token's own subject."""
    provider.user = {"sub": "medewerker-1001"}
    provider.userinfo = {"sub": "medewerker-1001", "employee_id": "1001"}
    _, client = client_for(url)
    done = sign_on(client)
    assert done.status_code == 303 and done.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["viewer"] == {"role": "jeugdzorgwerker", "medewerker_id": "1001"}


def test_userinfo_about_another_subject_is_refused_and_logged(url, provider):
    provider.user = {"sub": "medewerker-1001"}
    provider.userinfo = {"sub": "medewerker-2001", "employee_id": "2001"}
    _, client = client_for(url)
    before = last_event_id(url)
    done = sign_on(client)
    assert done.headers["Location"] == "/login?melding=sso"
    assert client.get("/_dash-layout").status_code == 401
    failed = events(url, before).filter(pl.col("actie") == "login_mislukt")
    assert "UserInfo" in failed["details"][0] and "medewerker-2001" in failed["details"][0]


def test_the_id_tokens_claim_wins_and_needs_no_userinfo(url, provider):
    provider.user = {"employee_id": "1001"}
    provider.userinfo = {"sub": "x", "employee_id": "2001"}
    _, client = client_for(url)
    sign_on(client)
    with client.session_transaction() as session:
        assert session["gebruiker"] == "sanne"
    assert provider.userinfo_calls == 0


def test_the_role_claim_may_come_from_userinfo_too(url, provider, monkeypatch):
    monkeypatch.setenv("CASELOAD_OIDC_ROL_CLAIM", "roles")
    provider.user = {"employee_id": "1001"}
    provider.userinfo = {"sub": "x", "roles": ["jeugdzorgwerker"], "employee_id": "2001"}
    _, client = client_for(url)
    assert sign_on(client).headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["gebruiker"] == "sanne"


def _csrf(client) -> str:
    with client.session_transaction() as session:
        return session["csrf"]


def _authorize_query(client) -> dict:
    return urllib.parse.parse_qs(
        urllib.parse.urlsplit(client.get("/login/oidc").headers["Location"]).query
    )


def test_logout_ends_the_providers_session_too(url, provider):
    """Finding: after logout the SSO button let the same person straight back in, without any
    page of the provider. RP-Initiated Logout 1.0 ends the provider's session as well."""
    provider.end_session = True
    provider.user = {"employee_id": "1001"}
    _, client = client_for(url)
    sign_on(client)
    id_token = provider.id_tokens[-1]
    for path in ("/", "/_dash-layout", "/login"):
        assert id_token not in client.get(path).text
    before = last_event_id(url)

    out = client.post("/logout", data={"csrf": _csrf(client)})
    assert out.status_code == 303 and out.headers["Location"] == "/login/oidc/uitgelogd"
    assert [tuple(r) for r in events(url, before).select("actie", "details").rows()] == [
        ("logout", "uitgelogd")
    ]
    assert client.get("/_dash-layout").status_code == 401
    # The logout form may not redirect to another site (CSP form-action): a page of the app's
    # own sends the browser on, without the ID token in it.
    page = client.get("/login/oidc/uitgelogd")
    assert page.status_code == 200 and id_token not in page.text
    assert 'http-equiv="refresh" content="0; url=/login/oidc/uitloggen"' in page.text
    onward = client.get("/login/oidc/uitloggen")
    assert onward.status_code == 302
    target = urllib.parse.urlsplit(onward.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/logout"
    query = urllib.parse.parse_qs(target.query)
    assert query["tenant"] == ["gi"] and query["id_token_hint"] == [id_token]
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    # Once only: a second visit has no logout left to send.
    assert client.get("/login/oidc/uitloggen").headers["Location"] == "/login?melding=uitgelogd"

    back = client.get(f"/login?state={query['state'][0]}")
    assert back.headers["Location"] == "/login?melding=uitgelogd"
    assert "U bent uitgelogd" in client.get(back.headers["Location"]).text
    # The person may have declined at the provider: the next sign-on asks who it is anyway.
    assert _authorize_query(client)["prompt"] == ["login"]


def test_a_return_with_another_state_says_nothing(url, provider):
    provider.end_session = True
    provider.user = {"employee_id": "1001"}
    _, client = client_for(url)
    sign_on(client)
    client.post("/logout", data={"csrf": _csrf(client)})
    client.get("/login/oidc/uitloggen")
    back = client.get("/login?state=verzonnen")
    assert back.status_code == 200 and "U bent uitgelogd" not in back.text


def test_without_an_end_session_endpoint_the_next_sign_on_asks_to_log_in(url, provider):
    provider.user = {"employee_id": "1001"}
    _, client = client_for(url)
    sign_on(client)
    before = last_event_id(url)
    out = client.post("/logout", data={"csrf": _csrf(client)})
    assert out.status_code == 303 and out.headers["Location"] == "/login?melding=uitgelogd"
    assert events(url, before)["actie"].to_list() == ["logout"]
    assert _authorize_query(client)["prompt"] == ["login"]
    # Until a sign-on succeeds: that starts a session without the demand.
    sign_on(client)
    client.post("/logout", data={"csrf": _csrf(client)})
    assert _authorize_query(client)["prompt"] == ["login"]


def test_a_password_login_logs_out_as_before(url, provider):
    provider.end_session = True
    _, client = client_for(url)
    login(client, "sanne")
    out = client.post("/logout", data={"csrf": _csrf(client)})
    assert out.headers["Location"] == "/login?melding=uitgelogd"
    assert "prompt" not in _authorize_query(client)


def test_the_post_logout_uri_can_be_set_for_a_proxy(url, provider, monkeypatch):
    monkeypatch.setenv("CASELOAD_OIDC_POST_LOGOUT_URI", "https://dashboard.gi.example/login")
    provider.end_session = True
    provider.user = {"employee_id": "1001"}
    _, client = client_for(url)
    sign_on(client)
    client.post("/logout", data={"csrf": _csrf(client)})
    query = urllib.parse.parse_qs(
        urllib.parse.urlsplit(client.get("/login/oidc/uitloggen").headers["Location"]).query
    )
    assert query["post_logout_redirect_uri"] == ["https://dashboard.gi.example/login"]


def test_an_id_token_too_long_for_the_cookie_is_not_kept(url, provider):
    """A browser drops a cookie over 4 KB: the logout then goes without id_token_hint."""
    provider.end_session = True
    provider.user = {"employee_id": "1001", "groepen": ["g" * 40] * 80}
    _, client = client_for(url)
    sign_on(client)
    assert len(provider.id_tokens[-1]) > oidc.MAX_ID_TOKEN_HINT
    cookie = client.get_cookie("session")
    assert len(cookie.value) < 4000
    client.post("/logout", data={"csrf": _csrf(client)})
    query = urllib.parse.parse_qs(
        urllib.parse.urlsplit(client.get("/login/oidc/uitloggen").headers["Location"]).query
    )
    assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]
