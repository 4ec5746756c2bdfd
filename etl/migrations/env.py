"""Alembic environment: uses the caller's connection, or opens one from store.engine."""

from alembic import context

from store.engine import make_engine
from store.schema import metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()
