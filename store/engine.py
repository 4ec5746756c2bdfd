"""Which database to use and how to connect to it."""

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "data" / "caseload.sqlite"


def database_url(explicit: str | None = None) -> str:
    """The --db option wins, then CASELOAD_DB_URL, then the embedded SQLite file."""
    if explicit:
        return explicit
    env = os.environ.get("CASELOAD_DB_URL")
    if env:
        return env
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        # WAL lets the dashboard read the old snapshot while a load writes the new one.
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            # First: switching a new file to WAL waits for any other connection's lock, and
            # sqlite3's own 5 s gives up when a busy disk slows that other connection down.
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine
