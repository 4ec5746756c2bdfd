"""Alembic migrations of the project's database, runnable from any working directory."""

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from store.engine import make_engine

HERE = Path(__file__).resolve().parent

# Any constant works; it only has to be the same for every process that migrates or loads.
ADVISORY_LOCK_KEY = 7_406_221
WAITING = "Er loopt al een lading of migratie; deze wacht tot die klaar is ..."


def alembic_config() -> Config:
    """The Alembic configuration, built in code so no alembic.ini lookup depends on the cwd."""
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    # None only without revisions; versions/ always holds the initial schema.
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def lock_for_writing(conn: Connection) -> None:
    """Serialise writers: migrations and loads must not interleave; a writer that has to wait
    says so on stderr."""
    if conn.dialect.name == "postgresql":
        key = {"k": ADVISORY_LOCK_KEY}
        if not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), key).scalar():
            print(WAITING, file=sys.stderr, flush=True)
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), key)
        return
    # pysqlite leaves BEGIN to us; IMMEDIATE takes the write lock now, waiting busy_timeout.
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    except OperationalError:
        conn.rollback()
    print(WAITING, file=sys.stderr, flush=True)
    conn.exec_driver_sql("PRAGMA busy_timeout=600000")
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(url: str | None = None) -> str:
    """Bring the database to the newest revision; a no-op when it is already there."""
    engine = make_engine(url)
    try:
        head = head_revision()
        with engine.connect() as conn:
            if current_revision(conn) == head:
                return head
        with engine.connect() as conn:
            lock_for_writing(conn)
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        return head
    finally:
        engine.dispose()
