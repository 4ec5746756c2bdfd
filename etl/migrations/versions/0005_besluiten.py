"""transfer decisions, the app's own table

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "besluiten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maatregel_id", sa.String(), nullable=False),
        sa.Column("van_medewerker_id", sa.String(), nullable=True),
        sa.Column("naar_medewerker_id", sa.String(), nullable=False),
        sa.Column("naar_team_id", sa.String(), nullable=False),
        sa.Column("soort", sa.String(), nullable=False),
        sa.Column("besluit", sa.String(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("besloten_door", sa.String(), nullable=False),
        sa.Column("besloten_op", sa.Date(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_besluiten_maatregel_id", "besluiten", ["maatregel_id"])


def downgrade() -> None:
    op.drop_index("ix_besluiten_maatregel_id", "besluiten")
    op.drop_table("besluiten")
