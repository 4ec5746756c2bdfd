"""Shared fixtures: a real SQLite file and a real PostgreSQL server per test session."""

import itertools
import os

import pytest

from tests.pg_server import PgServer

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer().start()
    yield server
    server.stop()


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
