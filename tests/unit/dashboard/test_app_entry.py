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
