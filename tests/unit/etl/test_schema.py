"""The Alembic migrations build exactly the tables of etl/schema.py, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from etl.db import make_engine
from etl.migrations import head_revision, upgrade
from etl.schema import DATA_TABLES, metadata


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
