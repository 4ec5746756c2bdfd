"""Single sign-on with any OpenID Connect provider (authorization code flow with PKCE), and
RP-Initiated Logout 1.0 so that logging out also ends the provider's session.

Configured by environment variables only: CASELOAD_OIDC_ISSUER, CASELOAD_OIDC_CLIENT_ID,
CASELOAD_OIDC_CLIENT_SECRET, CASELOAD_OIDC_CLAIM (default employee_id: holds the medewerker_id),
optionally CASELOAD_OIDC_ROL_CLAIM (when set, the token must carry the account's role there
too), CASELOAD_OIDC_REDIRECT_URI and CASELOAD_OIDC_POST_LOGOUT_URI. The person logs in as the
active account linked to that medewerker_id. A claim the ID token lacks is taken from the
UserInfo endpoint, only when that answer is about the same subject.
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
from queries.gebruikers import account_for_medewerker

log = logging.getLogger(__name__)

START_PATH = "/login/oidc"
CALLBACK_PATH = "/login/oidc/callback"
LOGOUT_PAGE_PATH = "/login/oidc/uitgelogd"
END_SESSION_PATH = "/login/oidc/uitloggen"
STATE_KEY = "oidc"
# In the signed session cookie (HttpOnly, so no script of a page reads it): set when single
# sign-on started the session, with the ID token for the logout's id_token_hint.
SIGN_ON_KEY = "sso"
# Kept in the fresh session after an SSO logout: the next sign-on from this browser must ask
# who it is (prompt=login); the logout still to be sent to the provider; the state the
# provider brings back to the login page.
REAUTH_KEY = "sso_opnieuw"
PENDING_LOGOUT_KEY = "sso_uitloggen"
LOGOUT_STATE_KEY = "sso_uitlog_state"
# A browser drops a cookie over 4 KB, and the session with it; a longer ID token is not kept,
# and the logout goes to the provider without id_token_hint (then it may ask to confirm).
MAX_ID_TOKEN_HINT = 2500
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


def _post_logout_uri() -> str:
    """Where the provider sends the browser after its logout: the login page."""
    return os.environ.get("CASELOAD_OIDC_POST_LOGOUT_URI") or flask.url_for("login", _external=True)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _with_query(endpoint: str, params: dict) -> str:
    """Some providers' endpoints carry a query of their own (a tenant, a policy)."""
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode(params)}"


def register(server: flask.Flask) -> None:
    server.add_url_rule(START_PATH, "oidc_start", _start)
    server.add_url_rule(CALLBACK_PATH, "oidc_callback", _callback)
    server.add_url_rule(LOGOUT_PAGE_PATH, "oidc_logout_page", _logout_page)
    server.add_url_rule(END_SESSION_PATH, "oidc_end_session", _end_session)
    server.before_request(_back_from_provider_logout)


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
    params = {
        "response_type": "code",
        "client_id": cfg["client_id"],
        "redirect_uri": _redirect_uri(),
        "scope": "openid profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    if flask.session.get(REAUTH_KEY):
        params["prompt"] = "login"
    return flask.redirect(_with_query(doc["authorization_endpoint"], params))


def _callback():
    pending = flask.session.pop(STATE_KEY, None)
    args = flask.request.args
    try:
        if not isinstance(pending, dict) or args.get("state") != pending.get("state"):
            raise SsoError("state ontbreekt of klopt niet")
        if "code" not in args:
            raise SsoError(f"geen code: {args.get('error', 'onbekend')}")
        claims, tokens = _exchange(args["code"], pending)
        account = _account_for(_with_userinfo(claims, tokens))
    except (SsoError, OSError, ValueError, JoseError, SQLAlchemyError) as exc:
        log.warning("Single sign-on geweigerd: %s", exc)
        audit_trail.record("login_mislukt", CALLBACK_PATH, f"single sign-on: {exc}"[:500])
        return flask.redirect("/login?melding=sso")
    session.log_in(account)
    id_token = tokens["id_token"]
    flask.session[SIGN_ON_KEY] = {
        "id_token": id_token if len(id_token) <= MAX_ID_TOKEN_HINT else None
    }
    return flask.redirect("/", code=303)


def _exchange(code: str, pending: dict) -> tuple[dict, dict]:
    """Trade the code for tokens and verify the ID token against the provider's keys; returns
    the ID token's claims and the token response."""
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
    if not isinstance(tokens.get("id_token"), str):
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
    return token.claims, tokens


def _check_azp(claims: dict, client_id: str) -> None:
    """OpenID Connect Core 3.1.3.7: a token for several audiences was issued to this client
    only when its authorized party (azp) says so; an azp naming another client is refused."""
    audiences = claims.get("aud")
    several = isinstance(audiences, list) and len(audiences) > 1
    if several and "azp" not in claims:
        raise SsoError("het ID-token heeft meer audiences maar geen azp")
    if "azp" in claims and claims["azp"] != client_id:
        raise SsoError(f"het ID-token is uitgegeven aan een andere client (azp {claims['azp']!r})")


def _with_userinfo(claims: dict, tokens: dict) -> dict:
    """OpenID Connect Core 5.3.4: a claim the app needs but the ID token lacks may come from the
    UserInfo endpoint, and only when that answer is about the ID token's subject; the ID
    token's own claims always win."""
    cfg = _settings()
    missing = [name for name in (cfg["claim"], cfg["rol_claim"]) if name and name not in claims]
    if not missing:
        return claims
    endpoint = discovery(cfg["issuer"]).get("userinfo_endpoint")
    access_token = tokens.get("access_token")
    if not isinstance(endpoint, str) or not isinstance(access_token, str):
        return claims
    info = _get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})
    subject = claims.get("sub")
    if not isinstance(info, dict) or not isinstance(subject, str) or info.get("sub") != subject:
        found = info.get("sub") if isinstance(info, dict) else None
        raise SsoError(f"UserInfo gaat over sub {found!r}, het ID-token over {subject!r}")
    return {name: info[name] for name in missing if name in info} | claims


def _account_for(claims: dict):
    cfg = _settings()
    medewerker_id = claims.get(cfg["claim"])
    if not isinstance(medewerker_id, str | int) or not str(medewerker_id):
        raise SsoError(f"claim {cfg['claim']!r} ontbreekt in het ID-token en in UserInfo")
    account = account_for_medewerker(data.engine(), str(medewerker_id), session.demo_mode())
    if account is None:
        raise SsoError(f"geen (eenduidig) actief account voor medewerker {medewerker_id}")
    if cfg["rol_claim"]:
        roles = claims.get(cfg["rol_claim"])
        roles = roles if isinstance(roles, list) else [roles]
        if account.rol not in roles:
            raise SsoError(f"rol {account.rol} staat niet in claim {cfg['rol_claim']!r}")
    return account


def signed_on() -> dict | None:
    """The single sign-on that started this session, if any: read it before the session ends."""
    value = flask.session.get(SIGN_ON_KEY)
    return value if isinstance(value, dict) else None


def end_provider_session(sign_on: dict | None) -> flask.Response | None:
    """After the app's session of a single sign-on ended: the way on to the provider's logout,
    or None when it has no end_session_endpoint.

    Either way the next sign-on from this browser asks for prompt=login: a person may decline
    the provider's logout, and on a shared workstation the next person must not get in on it."""
    if sign_on is None or not configured():
        return None
    flask.session[REAUTH_KEY] = True
    if _end_session_endpoint() is None:
        return None
    flask.session[PENDING_LOGOUT_KEY] = {"id_token": sign_on.get("id_token")}
    return flask.redirect(LOGOUT_PAGE_PATH, code=303)


def _end_session_endpoint() -> str | None:
    try:
        endpoint = discovery(_settings()["issuer"]).get("end_session_endpoint")
    except (OSError, ValueError, SsoError) as exc:
        log.error("OIDC discovery mislukt bij uitloggen: %s", exc)
        return None
    return endpoint if isinstance(endpoint, str) and endpoint else None


def _logout_page():
    """The browser refuses to follow the logout form's redirect to another site (CSP
    form-action 'self'), so this page sends it on; the ID token stays out of the page."""
    if not isinstance(flask.session.get(PENDING_LOGOUT_KEY), dict):
        return flask.redirect("/login?melding=uitgelogd")
    body = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={END_SESSION_PATH}">
<title>Uitloggen · Caseload en termijnen</title>
</head>
<body>
<main>
<p>U bent uitgelogd. U gaat nu door naar uw organisatie om ook daar uit te loggen.</p>
<p><a class="button" href="{END_SESSION_PATH}">Verder</a></p>
</main>
</body>
</html>"""
    return flask.Response(body, mimetype="text/html")


def _end_session():
    """RP-Initiated Logout 1.0: send the browser to the provider's end_session_endpoint, once,
    right after an SSO logout in this browser."""
    pending = flask.session.pop(PENDING_LOGOUT_KEY, None)
    endpoint = _end_session_endpoint()
    if not isinstance(pending, dict) or endpoint is None:
        return flask.redirect("/login?melding=uitgelogd")
    state = flask.session[LOGOUT_STATE_KEY] = secrets.token_urlsafe(24)
    params = {
        "client_id": _settings()["client_id"],
        "post_logout_redirect_uri": _post_logout_uri(),
        "state": state,
    }
    if isinstance(pending.get("id_token"), str):
        params["id_token_hint"] = pending["id_token"]
    return flask.redirect(_with_query(endpoint, params))


def _back_from_provider_logout():
    """The provider sends the browser back to the login page with the logout's state: say
    "U bent uitgelogd." then, as after a logout without single sign-on."""
    request = flask.request
    if request.path != "/login" or request.method != "GET" or "state" not in request.args:
        return None
    expected = flask.session.pop(LOGOUT_STATE_KEY, None)
    if isinstance(expected, str) and expected == request.args["state"]:
        return flask.redirect("/login?melding=uitgelogd")
    return None
