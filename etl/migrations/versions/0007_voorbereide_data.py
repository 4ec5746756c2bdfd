"""what a load prepares for the queries, stored with the load

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voorbereide_data",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "naam"),
    )


def downgrade() -> None:
    op.drop_table("voorbereide_data")
