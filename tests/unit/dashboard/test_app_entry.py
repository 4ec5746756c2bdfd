import sqlalchemy as sa

import app as entry
from dashboard import data
from queries.snapshot import latest_run


def test_first_run_loads_the_jbn_demo_into_the_embedded_database(tmp_path, monkeypatch):
    monkeypatch.delenv("CASELOAD_DB_URL", raising=False)
    monkeypatch.setattr(data, "DEFAULT_SQLITE", tmp_path / "data" / "caseload.sqlite")
    entry.ensure_demo()
    engine = sa.create_engine(data.resolve_url())
    run_id, export_date = latest_run(engine)
    entry.ensure_demo()  # the second start finds the load and leaves it alone
    assert latest_run(engine) == (run_id, export_date)
    engine.dispose()


def test_an_external_database_is_never_filled_with_the_demo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'extern.sqlite'}"
    monkeypatch.setenv("CASELOAD_DB_URL", url)
    entry.ensure_demo()
    assert not (tmp_path / "extern.sqlite").exists()


def test_the_wsgi_app_is_exposed_for_gunicorn():
    assert entry.server is entry.app.server
    assert callable(entry.server.wsgi_app)


def test_a_demo_loaded_before_logins_existed_gets_its_demo_accounts(tmp_path, monkeypatch):
    from datetime import date

    from etl.loader import load_source
    from queries.gebruikers import demo_accounts
    from tests.frames import SAMPLE_EXPORT

    monkeypatch.delenv("CASELOAD_DB_URL", raising=False)
    monkeypatch.setattr(data, "DEFAULT_SQLITE", tmp_path / "data" / "caseload.sqlite")
    data.DEFAULT_SQLITE.parent.mkdir()
    url = data.resolve_url()
    loaded = load_source(SAMPLE_EXPORT, url, date(2025, 11, 1), False, demo=True)
    assert loaded.status == "geslaagd", loaded.message
    entry.ensure_demo()
    engine = sa.create_engine(url)
    assert latest_run(engine) == (1, date(2025, 11, 1))  # the sample stays, no new demo load
    assert {a.rol for a in demo_accounts(engine)} >= {"jeugdzorgwerker", "beheerder"}
    engine.dispose()


def test_real_data_in_the_embedded_database_gets_no_demo_accounts(tmp_path, monkeypatch):
    from datetime import date

    from etl.loader import load_source
    from queries.gebruikers import demo_accounts
    from tests.frames import SAMPLE_EXPORT

    monkeypatch.delenv("CASELOAD_DB_URL", raising=False)
    monkeypatch.setattr(data, "DEFAULT_SQLITE", tmp_path / "data" / "caseload.sqlite")
    data.DEFAULT_SQLITE.parent.mkdir()
    url = data.resolve_url()
    assert load_source(SAMPLE_EXPORT, url, date(2025, 11, 1), False).status == "geslaagd"
    entry.ensure_demo()
    engine = sa.create_engine(url)
    assert demo_accounts(engine) == []
    engine.dispose()


def test_importing_the_entry_point_changes_no_environment_and_starts_no_thread():
    import os
    import subprocess
    import sys

    probe = (
        # polars sets its allocator's variable when imported: the libraries come first.
        "import os, threading, polars, dash; before = dict(os.environ); import app; "
        "assert dict(os.environ) == before, 'environment changed'; "
        "assert threading.active_count() == 1, threading.enumerate()"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=entry.__file__.rsplit("/", 1)[0],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
