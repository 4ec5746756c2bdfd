"""Builds the Dash app: pages from dashboard/pages, the shell, the session and the data source."""

import logging
import os
from pathlib import Path

import plotly.io as pio
from dash import Dash
from sqlalchemy.exc import SQLAlchemyError

from dashboard import agenda, agenda_feed, data, inloggen, server
from dashboard.components import appshell, exports, guard
from dashboard.session import secret_key
from queries.laadhistorie import demo_allowed

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("dashboard.app")


def demo_mode() -> bool:
    """Demo mode (demo accounts, the "Bekijk als" switch) only when CASELOAD_DEMO=1."""
    return os.environ.get("CASELOAD_DEMO") == "1"


def _demo_allowed() -> bool:
    """No real export loaded; a database without tables yet holds none."""
    try:
        return demo_allowed(data.engine())
    except SQLAlchemyError:
        return True


def create_app(db_url: str | None = None, demo: bool | None = None) -> Dash:
    """The dashboard on the given database (default CASELOAD_DB_URL or the embedded SQLite).

    demo: accept the demo accounts and show the "Bekijk als (demo)" switch (default:
    CASELOAD_DEMO=1); otherwise only real accounts log in.
    """
    demo = demo_mode() if demo is None else demo
    data.configure(db_url)
    if demo and not _demo_allowed():
        log.warning(
            "Demomodus is gevraagd (CASELOAD_DEMO=1), maar de database bevat een echte export: "
            "het dashboard start zonder demo-accounts en zonder 'Bekijk als'."
        )
        demo = False
    app = Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(ROOT / "dashboard" / "pages"),
        assets_folder=str(ROOT / "assets"),
        suppress_callback_exceptions=True,
        title=appshell.APP_TITLE,
        update_title=None,
        description="Caseload en termijnen van de jeugdbescherming en jeugdreclassering",
    )
    # The image has no orjson, so plotly writes JSON with the standard module there; a machine
    # with an orjson of its own serves the same (this one's 3.8.3 died of SIGILL under load).
    pio.json.config.default_engine = "json"
    # Screen readers and the browser's own controls (date input) follow the page language.
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">', 1)
    app.server.secret_key = secret_key()
    app.server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    # Before the login gate's callback audit, so a callback refused for the role is logged as
    # that refusal only; a request without a session is still the gate's to answer.
    guard.register(app)
    inloggen.register(app.server, demo)
    app.layout = appshell.make_layout(demo)
    appshell.register_routes(app, demo)
    appshell.register_callbacks(app)
    exports.register_callbacks(app)
    agenda.register_callbacks(app)
    server.register(app)
    agenda_feed.register(app.server)
    guard.check_declared(app)
    logging.getLogger("dashboard").setLevel(logging.INFO)
    return app
