"""Single sign-on against a small OpenID Connect provider this test runs on loopback: real
HTTP for discovery, authorize, token and JWKS; an RS256-signed ID token."""

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

from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id

CLIENT_ID = "caseload-dashboard"
CLIENT_SECRET = "geheim-van-de-client"


class Provider:
    """Auto-approves `user` (a dict of claims) at /authorize; `signing_key` signs ID tokens."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "echt"})
        self.signing_key = self.key
        self.user: dict = {}
        self.codes: dict[str, dict] = {}
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _build(self) -> Flask:
        app = Flask("provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                id_token_signing_alg_values_supported=["RS256"],
            )

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
            return jsonify(access_token="a", token_type="Bearer", id_token=id_token)

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
