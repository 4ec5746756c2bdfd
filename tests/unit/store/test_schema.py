"""The Alembic migrations build exactly the tables of etl/schema.py, on both backends."""

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from etl.migrations import alembic_config, current_revision, head_revision, upgrade
from store.engine import make_engine
from store.schema import DATA_TABLES, metadata


def _schema_snapshot(url):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            return {
                name: (
                    [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)],
                    sorted(ix["name"] for ix in insp.get_indexes(name)),
                )
                for name in insp.get_table_names()
            }
    finally:
        engine.dispose()


def test_migrating_an_empty_database_yields_the_schema(db_url):
    assert upgrade(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert tables == set(metadata.tables) | {"alembic_version"}


def test_migrating_twice_is_a_no_op(db_url):
    upgrade(db_url)
    before = _schema_snapshot(db_url)
    assert upgrade(db_url) == head_revision()
    assert _schema_snapshot(db_url) == before


def test_data_tables_are_the_twelve_contract_files():
    assert [t.name for t in DATA_TABLES] == [
        "teams",
        "jeugdigen",
        "medewerkers",
        "formatie",
        "verzuim",
        "caseloadgesprekken",
        "maatregelen",
        "toewijzingen",
        "contacten",
        "plannen",
        "risicotaxaties",
        "hulp",
    ]


def test_upgrading_a_0002_database_keeps_its_rejections_and_counts_its_runs_real(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
            conn.commit()
            assert "gevolg" not in {c["name"] for c in inspect(conn).get_columns("afgewezen_rijen")}
            conn.execute(
                text(
                    "INSERT INTO etl_runs (id, source, started, status, rows_rejected) "
                    "VALUES (1, '/export', :started, 'gedeeltelijk', 1)"
                ),
                {"started": dt.datetime(2026, 1, 1, 2, 0)},
            )
            conn.execute(
                text(
                    "INSERT INTO afgewezen_rijen (run_id, bestand, regel, kolom, waarde, reden) "
                    "VALUES (1, 'contacten.csv', 6, 'vorm', 'fax', 'onbekende code')"
                )
            )
            conn.commit()
        assert upgrade(db_url) == head_revision()
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            rows = conn.execute(text("SELECT bestand, regel, gevolg FROM afgewezen_rijen")).all()
            demo = conn.execute(text("SELECT demo FROM etl_runs")).all()
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert rows == [("contacten.csv", 6, "afgewezen")]
    assert [bool(d) for (d,) in demo] == [False]
    assert diff == []
