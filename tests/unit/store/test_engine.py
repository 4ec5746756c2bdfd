import sqlite3
import threading
import time

from sqlalchemy import text

from store.engine import make_engine


def test_a_new_connection_waits_for_a_lock_held_longer_than_sqlite3s_own_timeout(tmp_path):
    # A fresh file is still in rollback mode: turning on WAL needs every other lock released.
    path = tmp_path / "caseload.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE t (x INTEGER)")
    released = threading.Timer(6.0, lambda: holder.execute("COMMIT"))
    released.start()
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            tables = conn.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    finally:
        engine.dispose()
        released.join()
        holder.close()
    assert time.perf_counter() - started >= 5.5
    assert (mode, tables) == ("wal", ["t"])
