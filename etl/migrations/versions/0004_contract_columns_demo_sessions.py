"""contract columns gezin_id and email, demo runs, sessions, a chained audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REFUSAL = "audit_log is alleen aan te vullen"


def upgrade() -> None:
    op.add_column("jeugdigen", sa.Column("gezin_id", sa.String(), nullable=True))
    op.add_column("medewerkers", sa.Column("email", sa.String(), nullable=True))
    # Every run loaded before this revision counts as real, so no demo door opens on it.
    op.add_column(
        "etl_runs", sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "sessies",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("gebruikersnaam", sa.String(), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(), nullable=False),
        sa.Column("laatst_gezien", sa.DateTime(), nullable=False),
        sa.Column("verloopt", sa.DateTime(), nullable=False),
        sa.Column("beeindigd", sa.DateTime(), nullable=True),
        sa.Column("reden", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sessies_gebruikersnaam", "sessies", ["gebruikersnaam"])
    op.add_column("audit_log", sa.Column("aantal", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("hmac", sa.String(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # REPLACE deletes the old row without firing the DELETE trigger (recursive triggers
        # are off), so an insert onto an existing id is refused before it happens.
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_replace")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hmac")
        batch.drop_column("aantal")
    op.drop_index("ix_sessies_gebruikersnaam", "sessies")
    op.drop_table("sessies")
    for table, column in (("etl_runs", "demo"), ("medewerkers", "email"), ("jeugdigen", "gezin_id")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
