"""afgewezen_rijen.gevolg: a rejected row or a loaded row with one value left out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every row stored before this revision was a rejected row, so the default covers them.
    op.add_column(
        "afgewezen_rijen",
        sa.Column("gevolg", sa.Text(), nullable=False, server_default="afgewezen"),
    )


def downgrade() -> None:
    # Batch mode: older SQLite versions cannot drop a column in place.
    with op.batch_alter_table("afgewezen_rijen") as batch:
        batch.drop_column("gevolg")
