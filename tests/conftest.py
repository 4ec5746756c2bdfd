"""Shared fixtures: a real SQLite file and a real PostgreSQL server per test session."""

import itertools
import os

import pytest

from tests.ops import demo_export
from tests.pg_server import PgServer

_counter = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """argon2 at its cheapest in this process: a test proves the logic, not the cost. The app
    servers the tests start keep the real parameters and rehash on first login."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from etl import gebruikers as accounts_cli
    from queries import gebruikers as accounts

    cheap = PasswordHasher.from_parameters(CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts_cli, "_hasher", cheap)
        patch.setattr(accounts, "_hasher", cheap)
        yield


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def jbn_export(tmp_path_factory):
    """The JBN demo export (seed 1, as `python -m etl demo` makes it), generated once per run;
    (folder, export date). Read it, never write into it."""
    return demo_export(tmp_path_factory.getbasetemp() / "exports", "jbn")


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty PostgreSQL database."""
    return pg_server.create_database(f"t{os.getpid()}_{next(_counter)}")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh, empty SQLite database file."""
    return f"sqlite:///{tmp_path / 'caseload.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """A fresh, empty database on each backend the project supports."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


_TIER_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Sum setup, call and teardown per tier: the folder under tests/ (unit, e2e, load ...)."""
    parts = report.nodeid.split("/")
    tier = parts[1] if len(parts) > 2 and parts[0] == "tests" else "overig"
    _TIER_SECONDS[tier] = _TIER_SECONDS.get(tier, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not _TIER_SECONDS:
        return
    terminalreporter.write_sep("-", "Tijd per laag (setup + test + teardown)")
    for tier, seconds in sorted(_TIER_SECONDS.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{tier:<10} {seconds:8.1f} s")
