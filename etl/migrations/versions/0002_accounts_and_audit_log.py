"""accounts and the append-only audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REFUSAL = "audit_log is alleen aan te vullen"


def upgrade() -> None:
    op.create_table(
        "gebruikers",
        sa.Column("gebruikersnaam", sa.String(), nullable=False),
        sa.Column("medewerker_id", sa.String(), nullable=True),
        sa.Column("rol", sa.String(), nullable=False),
        sa.Column("wachtwoord_hash", sa.Text(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(), nullable=False),
        sa.Column("mislukte_pogingen", sa.Integer(), nullable=False),
        sa.Column("geblokkeerd_tot", sa.DateTime(), nullable=True),
        sa.Column("laatst_ingelogd", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("gebruikersnaam"),
    )
    op.create_index("ix_gebruikers_medewerker_id", "gebruikers", ["medewerker_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.Column("gebruikersnaam", sa.String(), nullable=True),
        sa.Column("rol", sa.String(), nullable=True),
        sa.Column("medewerker_id", sa.String(), nullable=True),
        sa.Column("actie", sa.String(), nullable=False),
        sa.Column("onderwerp", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_tijdstip", "audit_log", ["tijdstip"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_table("audit_log")
    op.drop_table("gebruikers")
