"""the follow-up's own tables: mail, calendar feed, caseloadgesprekken, report versions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_instellingen",
        sa.Column("medewerker_id", sa.String(), nullable=False),
        sa.Column("cadans", sa.String(), nullable=False),
        sa.Column("gewijzigd_door", sa.String(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("medewerker_id"),
    )
    op.create_table(
        "mail_verzendingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("medewerker_id", sa.String(), nullable=False),
        sa.Column("soort", sa.String(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("fout", sa.Text(), nullable=True),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_mail_verzendingen_medewerker_id", "mail_verzendingen", ["medewerker_id", "peildatum"]
    )
    op.create_table(
        "agenda_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("gebruikersnaam", sa.String(), nullable=False),
        sa.Column("medewerker_id", sa.String(), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(), nullable=False),
        sa.Column("ingetrokken", sa.DateTime(), nullable=True),
        sa.Column("reden", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_agenda_tokens_gebruikersnaam", "agenda_tokens", ["gebruikersnaam"])
    op.create_table(
        "gesprekken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("medewerker_id", sa.String(), nullable=False),
        sa.Column("begeleider_id", sa.String(), nullable=True),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=True),
        sa.Column("vastgelegd_door", sa.String(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_gesprekken_medewerker_id", "gesprekken", ["medewerker_id"])
    op.create_table(
        "gesprek_notities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gesprek_id", sa.Integer(), nullable=False),
        sa.Column("maatregel_id", sa.String(), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_gesprek_notities_gesprek_id", "gesprek_notities", ["gesprek_id"])
    op.create_table(
        "afspraken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gesprek_id", sa.Integer(), nullable=False),
        sa.Column("medewerker_id", sa.String(), nullable=False),
        sa.Column("maatregel_id", sa.String(), nullable=True),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("afgerond_op", sa.Date(), nullable=True),
        sa.Column("afgerond_door", sa.String(), nullable=True),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_afspraken_medewerker_id", "afspraken", ["medewerker_id"])
    op.create_index("ix_afspraken_gesprek_id", "afspraken", ["gesprek_id"])
    op.create_table(
        "rapport_versies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("instellingen", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("samenvatting", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("xlsx", sa.LargeBinary(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=True),
        sa.Column("vastgesteld_door", sa.String(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("rapport_versies")
    op.drop_index("ix_afspraken_gesprek_id", "afspraken")
    op.drop_index("ix_afspraken_medewerker_id", "afspraken")
    op.drop_table("afspraken")
    op.drop_index("ix_gesprek_notities_gesprek_id", "gesprek_notities")
    op.drop_table("gesprek_notities")
    op.drop_index("ix_gesprekken_medewerker_id", "gesprekken")
    op.drop_table("gesprekken")
    op.drop_index("ix_agenda_tokens_gebruikersnaam", "agenda_tokens")
    op.drop_table("agenda_tokens")
    op.drop_index("ix_mail_verzendingen_medewerker_id", "mail_verzendingen")
    op.drop_table("mail_verzendingen")
    op.drop_table("mail_instellingen")
