"""A sample database with real and demo accounts, and logging in through the real form."""

import datetime as dt
import re

import polars as pl

from dashboard import audit_trail
from dashboard.app import create_app
from etl.gebruikers import add_user, create_demo_accounts
from etl.loader import load_source
from queries.audit import audit_log
from queries.scope import Viewer
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT

PASSWORD = "een-lang-wachtwoord"
# name -> (rol, medewerker_id); 2001 works in team GRN-A, 1002 in DRE-A.
ACCOUNTS = {
    "sanne": ("jeugdzorgwerker", "1001"),
    "teamleider": ("teammanager", "2001"),
    "beheer": ("beheerder", None),
    "slot": ("jeugdzorgwerker", "1003"),
}


def build_database(folder) -> str:
    url = f"sqlite:///{folder / 'toegang.sqlite'}"
    # Loaded as the demo command does: the demo accounts work only on demo loads.
    result = load_source(SAMPLE_EXPORT, url, dt.date(2025, 11, 1), False, demo=True)
    assert result.status == "geslaagd", result.message
    create_demo_accounts(url, dt.date(2025, 11, 1))
    for name, (rol, medewerker) in ACCOUNTS.items():
        add_user(url, name, rol, medewerker, PASSWORD)
    return url


def client_for(url: str, demo: bool = False):
    """A fresh app (Dash binds page callbacks to the app that serves first) and its client."""
    app = create_app(url, demo=demo)
    client = app.server.test_client()
    client.get("/login")  # the first request lets Dash register its callbacks
    return app, client


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_html).group(1)


def login(client, name: str, password: str = PASSWORD, volgende: str | None = None):
    token = csrf_of(client.get("/login").text)
    form = {"csrf": token, "gebruikersnaam": name, "wachtwoord": password}
    if volgende is not None:
        form["volgende"] = volgende
    return client.post("/login", data=form)


def events(url: str, after_id: int = 0) -> pl.DataFrame:
    """The audit log as the beheerder reads it, oldest first (anonymous refusals of this
    minute included, which the app writes only once the minute is over)."""
    audit_trail.ANONYMOUS.flush()
    engine = make_engine(url)
    try:
        log = audit_log(engine, Viewer("beheerder"))
    finally:
        engine.dispose()
    return log.filter(pl.col("id") > after_id).sort("id")


def last_event_id(url: str) -> int:
    log = events(url)
    return int(log["id"].max()) if log.height else 0
