"""The dashboard against a real SQLite database loaded with the shared sample export."""

import shutil
from datetime import date
from pathlib import Path

import flask
import pytest

from dashboard import data
from dashboard.app import create_app
from etl.gebruikers import create_demo_accounts
from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT

EXPORT_DATE = date(2025, 11, 1)


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'sample.sqlite'}"
    # Loaded as the demo command does: the demo accounts work only on demo loads.
    result = load_source(SAMPLE_EXPORT, url, EXPORT_DATE, False, demo=True)
    assert result.status == "geslaagd", result.message
    create_demo_accounts(url, EXPORT_DATE)
    return url


@pytest.fixture(scope="session")
def app(sample_url):
    return create_app(sample_url, demo=True)


@pytest.fixture(autouse=True)
def _sample_data(request):
    """Every test reads the sample database, whatever an earlier test pointed the app at."""
    if "sample_url" in request.fixturenames or "app" in request.fixturenames:
        data.configure(request.getfixturevalue("sample_url"))


@pytest.fixture
def as_viewer(app):
    """Run code inside a request whose session holds the given viewer."""

    pushed = []

    def enter(role: str, medewerker_id: str | None = None) -> None:
        ctx = app.server.test_request_context("/")
        ctx.push()
        pushed.append(ctx)
        flask.session["viewer"] = {"role": role, "medewerker_id": medewerker_id}

    yield enter
    for ctx in reversed(pushed):
        ctx.pop()


@pytest.fixture(scope="session")
def jbn_template(tmp_path_factory, jbn_export) -> Path:
    """The JBN demo loaded once per run into an SQLite file that tests copy, never change."""
    folder = tmp_path_factory.mktemp("jbn-dashboard")
    source, export_date = jbn_export
    url = f"sqlite:///{folder / 'jbn.sqlite'}"
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    return folder / "jbn.sqlite"


@pytest.fixture
def jbn(app, jbn_template, tmp_path, as_viewer):
    """A fresh copy of the JBN database for the app, MT's session pushed; yields its URL."""
    target = tmp_path / "jbn.sqlite"
    shutil.copy(jbn_template, target)
    url = f"sqlite:///{target}"
    data.configure(url)
    as_viewer("manager", "1157")
    return url
