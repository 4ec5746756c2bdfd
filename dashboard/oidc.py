"""Single sign-on with any OpenID Connect provider (authorization code flow with PKCE).

Configured by environment variables only: CASELOAD_OIDC_ISSUER, CASELOAD_OIDC_CLIENT_ID,
CASELOAD_OIDC_CLIENT_SECRET, CASELOAD_OIDC_CLAIM (default employee_id: holds the medewerker_id),
optionally CASELOAD_OIDC_ROL_CLAIM (when set, the token must carry the account's role there
too) and CASELOAD_OIDC_REDIRECT_URI. The person logs in as the active account linked to that
medewerker_id.
"""

import base64
import hashlib
import json
import logging
import os
import secrets
import time
import urllib.parse
import urllib.request

import flask
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.exc import SQLAlchemyError

from dashboard import audit_trail, data, session
from queries.toegang import account_for_medewerker

log = logging.getLogger(__name__)

START_PATH = "/login/oidc"
CALLBACK_PATH = "/login/oidc/callback"
STATE_KEY = "oidc"
TIMEOUT_S = 10
FAILED = "Inloggen via single sign-on is niet gelukt."
_discovery: dict[str, dict] = {}


class SsoError(Exception):
    """Why a sign-on was refused: logged, and the person sees a general Dutch message."""


def configured() -> bool:
    env = os.environ
    return bool(env.get("CASELOAD_OIDC_ISSUER") and env.get("CASELOAD_OIDC_CLIENT_ID"))


def _settings() -> dict:
    return {
        "issuer": os.environ["CASELOAD_OIDC_ISSUER"].rstrip("/"),
        "client_id": os.environ["CASELOAD_OIDC_CLIENT_ID"],
        "client_secret": os.environ.get("CASELOAD_OIDC_CLIENT_SECRET", ""),
        "claim": os.environ.get("CASELOAD_OIDC_CLAIM", "employee_id"),
        "rol_claim": os.environ.get("CASELOAD_OIDC_ROL_CLAIM") or None,
    }


def _get_json(url: str, data: bytes | None = None, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        return json.loads(response.read())


def discovery(issuer: str) -> dict:
    """The provider's discovery document, fetched once per process."""
    if issuer not in _discovery:
        doc = _get_json(f"{issuer}/.well-known/openid-configuration")
        if doc.get("issuer", "").rstrip("/") != issuer:
            raise SsoError(f"discovery noemt een andere issuer: {doc.get('issuer')!r}")
        _discovery[issuer] = doc
    return _discovery[issuer]


def _redirect_uri() -> str:
    """CASELOAD_OIDC_REDIRECT_URI behind a proxy that changes the scheme or host."""
    return os.environ.get("CASELOAD_OIDC_REDIRECT_URI") or flask.url_for(
        "oidc_callback", _external=True
    )


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def register(server: flask.Flask) -> None:
    server.add_url_rule(START_PATH, "oidc_start", _start)
    server.add_url_rule(CALLBACK_PATH, "oidc_callback", _callback)


def _start():
    cfg = _settings()
    try:
        doc = discovery(cfg["issuer"])
    except (OSError, ValueError, SsoError) as exc:
        log.error("OIDC discovery mislukt: %s", exc)
        return flask.redirect("/login?melding=sso")
    verifier = secrets.token_urlsafe(48)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    flask.session[STATE_KEY] = {"state": state, "nonce": nonce, "verifier": verifier}
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": cfg["client_id"],
            "redirect_uri": _redirect_uri(),
            "scope": "openid profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
    )
    return flask.redirect(f"{doc['authorization_endpoint']}?{query}")


def _callback():
    pending = flask.session.pop(STATE_KEY, None)
    args = flask.request.args
    try:
        if not isinstance(pending, dict) or args.get("state") != pending.get("state"):
            raise SsoError("state ontbreekt of klopt niet")
        if "code" not in args:
            raise SsoError(f"geen code: {args.get('error', 'onbekend')}")
        claims = _exchange(args["code"], pending)
        account = _account_for(claims)
    except (SsoError, OSError, ValueError, JoseError, SQLAlchemyError) as exc:
        log.warning("Single sign-on geweigerd: %s", exc)
        audit_trail.record("login_mislukt", CALLBACK_PATH, f"single sign-on: {exc}"[:500])
        return flask.redirect("/login?melding=sso")
    session.log_in(account)
    return flask.redirect("/", code=303)


def _exchange(code: str, pending: dict) -> dict:
    """Trade the code for tokens and verify the ID token against the provider's keys."""
    cfg = _settings()
    doc = discovery(cfg["issuer"])
    form = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": _redirect_uri(),
            "client_id": cfg["client_id"],
            "client_secret": cfg["client_secret"],
            "code_verifier": pending["verifier"],
        }
    ).encode()
    tokens = _get_json(
        doc["token_endpoint"], form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if "id_token" not in tokens:
        raise SsoError("het tokenantwoord heeft geen id_token")
    keys = KeySet.import_key_set(_get_json(doc["jwks_uri"]))
    token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256", "ES256", "PS256"])
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time()),
        leeway=60,
        iss={"essential": True, "value": cfg["issuer"]},
        aud={"essential": True, "value": cfg["client_id"]},
        exp={"essential": True},
        nonce={"essential": True, "value": pending["nonce"]},
    )
    registry.validate(token.claims)
    _check_azp(token.claims, cfg["client_id"])
    return token.claims


def _check_azp(claims: dict, client_id: str) -> None:
    """OpenID Connect Core 3.1.3.7: a token for several audiences was issued to this client
    only when its authorized party (azp) says so; an azp naming another client is refused."""
    audiences = claims.get("aud")
    several = isinstance(audiences, list) and len(audiences) > 1
    if several and "azp" not in claims:
        raise SsoError("het ID-token heeft meer audiences maar geen azp")
    if "azp" in claims and claims["azp"] != client_id:
        raise SsoError(f"het ID-token is uitgegeven aan een andere client (azp {claims['azp']!r})")


def _account_for(claims: dict):
    cfg = _settings()
    medewerker_id = claims.get(cfg["claim"])
    if not isinstance(medewerker_id, str | int) or not str(medewerker_id):
        raise SsoError(f"claim {cfg['claim']!r} ontbreekt in het ID-token")
    account = account_for_medewerker(data.engine(), str(medewerker_id), session.demo_mode())
    if account is None:
        raise SsoError(f"geen (eenduidig) actief account voor medewerker {medewerker_id}")
    if cfg["rol_claim"]:
        roles = claims.get(cfg["rol_claim"])
        roles = roles if isinstance(roles, list) else [roles]
        if account.rol not in roles:
            raise SsoError(f"rol {account.rol} staat niet in claim {cfg['rol_claim']!r}")
    return account
