"""The Flask side of the dashboard: security headers, Dutch error pages and /health.

/health answers without a login, for the compose healthcheck and a load balancer: a bare
200 or 503. Only a request from this machine itself (loopback, not relayed by a proxy, which
adds X-Forwarded-For or Forwarded) and a logged-in beheerder get the details: the latest run
and its export date, or why the app is not ready.
"""

import ipaddress
import logging

import flask
from dash import Dash
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.serving import WSGIRequestHandler

from dashboard import agenda_feed, data, session
from queries.snapshot import NoDataError, latest_run

log = logging.getLogger("dashboard.server")

HEALTH_PATH = "/health"
UNREACHABLE = "De database is tijdelijk niet bereikbaar. Probeer het over een paar minuten opnieuw."
FAILED = "Er ging iets mis bij het maken van deze pagina. Probeer het opnieuw of meld het beheer."
HTTP_MESSAGES = {
    400: "Dit verzoek klopt niet.",
    403: "U hebt geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet.",
    405: "Dit verzoek is hier niet toegestaan.",
}
# Versioned files Dash serves may be cached; everything else can hold case data.
CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/")
HSTS = "max-age=31536000; includeSubDomains"
SERVER_NAME = "caseloaddashboard"
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


class QuietRequestHandler(WSGIRequestHandler):
    """For `python app.py`: werkzeug's server names its own and Python's version in every
    answer's Server header, whatever the app sets; this one names the app only. (gunicorn's
    header carries no version.)"""

    def version_string(self) -> str:
        return SERVER_NAME

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The request line without an agenda link's token, which opens the feed."""
        path = getattr(self, "path", None)
        if path is None:
            return super().log_request(code, size)
        self.path = agenda_feed.masked(path)
        try:
            super().log_request(code, size)
        finally:
            self.path = path


def register(app: Dash) -> None:
    """Add the headers, error handlers and the health endpoint to the app's Flask server."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    dash_pages = {prefix, f"{prefix}<path:path>"}

    @server.after_request
    def _security_headers(response: flask.Response) -> flask.Response:
        dash_page = flask.request.endpoint in dash_pages and response.status_code == 200
        response.headers["Content-Security-Policy"] = content_security_policy(app, dash_page)
        if server.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        path, versioned = flask.request.path, "m" in flask.request.args
        if not path.startswith(CACHEABLE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        elif path.startswith("/assets/") and versioned and response.status_code == 200:
            # Dash names an asset with its modification time (?m=...): a new file is a new
            # address, so the browser need not ask again on every page load.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return _error(HTTP_MESSAGES.get(exc.code or 500, FAILED), exc.code or 500)

    @server.errorhandler(SQLAlchemyError)
    def _database_error(exc: SQLAlchemyError):
        path = agenda_feed.masked(flask.request.path)
        log.error("Database niet bereikbaar bij %s: %s", path, type(exc).__name__)
        return _error(UNREACHABLE, 503)

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):
        path = agenda_feed.masked(flask.request.path)
        log.exception("Onverwachte fout bij %s %s", flask.request.method, path)
        return _error(FAILED, 500)

    server.add_url_rule(HEALTH_PATH, "health", _health)


def _health():
    try:
        run_id, export_date = latest_run(data.engine())
    except NoDataError:
        status, body = 503, {"status": "geen export", "detail": "Er is nog geen export geladen."}
    except SQLAlchemyError:
        status, body = 503, {"status": "database niet bereikbaar", "detail": UNREACHABLE}
    else:
        status = 200
        # gereed: this process has prepared the latest load, so its first visitor need not wait;
        # alles_gereed: MT's other pages of that load are computed too.
        body = {
            "status": "ok",
            "run_id": run_id,
            "export_date": export_date.isoformat(),
            "gereed": data.warmed_run() == run_id,
            "alles_gereed": data.fully_warmed_run() == run_id,
        }
    if not _may_read_health():
        return flask.Response(status=status)
    return flask.jsonify(body), status


def _may_read_health() -> bool:
    """The machine itself (its healthcheck, an operator's curl), or a logged-in beheerder."""
    request = flask.request
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if local and not any(h in request.headers for h in PROXY_HEADERS):
        return True
    account = session.current_account()
    return account is not None and account.rol == "beheerder"


def content_security_policy(app: Dash, dash_page: bool = False) -> str:
    """Scripts only from the app itself plus Dash's own inline scripts by hash; no framing.
    Inline styles only on Dash's own pages, where plotly.js and AG Grid set them at run time;
    the login and error pages, written here, have none."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    styles = "'self' 'unsafe-inline'" if dash_page else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _error(message: str, status: int):
    """JSON for Dash's callback requests, a small Dutch page for the browser; never a trace."""
    if flask.request.path.startswith("/_dash-") or flask.request.is_json:
        return flask.jsonify(fout=message), status
    body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>Caseloaddashboard</title></head><body><main><h1>{status}</h1>"
        f'<p>{message}</p><p><a href="/">Naar de startpagina</a></p></main></body></html>'
    )
    return flask.Response(body, status=status, mimetype="text/html")
