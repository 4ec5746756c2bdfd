"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('afgewezen_rijen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('bestand', sa.Text(), nullable=False),
    sa.Column('regel', sa.Integer(), nullable=False),
    sa.Column('kolom', sa.Text(), nullable=True),
    sa.Column('waarde', sa.Text(), nullable=True),
    sa.Column('reden', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_afgewezen_rijen_run_id', 'afgewezen_rijen', ['run_id'])

    op.create_table('caseloadgesprekken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('medewerker_id', sa.String(), nullable=False),
    sa.Column('begeleider_id', sa.String(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_caseloadgesprekken_medewerker_id', 'caseloadgesprekken', ['medewerker_id'])

    op.create_table('contacten',
    sa.Column('contact_id', sa.String(), nullable=False),
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('medewerker_id', sa.String(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('vorm', sa.String(), nullable=False),
    sa.Column('met', sa.String(), nullable=False),
    sa.Column('jeugdige_alleen_gezien', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('contact_id')
    )
    op.create_index('ix_contacten_maatregel_id', 'contacten', ['maatregel_id'])
    op.create_index('ix_contacten_medewerker_id', 'contacten', ['medewerker_id'])

    op.create_table('etl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('export_date', sa.Date(), nullable=True),
    sa.Column('started', sa.DateTime(), nullable=False),
    sa.Column('finished', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('rows_per_file', sa.Text(), nullable=True),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('formatie',
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('maand', sa.String(), nullable=False),
    sa.Column('formatie_fte', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'maand')
    )
    op.create_table('hulp',
    sa.Column('hulp_id', sa.String(), nullable=False),
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('soort', sa.String(), nullable=True),
    sa.Column('aangevraagd', sa.Date(), nullable=False),
    sa.Column('gestart', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('hulp_id')
    )
    op.create_index('ix_hulp_maatregel_id', 'hulp', ['maatregel_id'])

    op.create_table('jeugdigen',
    sa.Column('jeugdige_id', sa.String(), nullable=False),
    sa.Column('geboortedatum', sa.Date(), nullable=False),
    sa.Column('gemeente', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('jeugdige_id')
    )
    op.create_table('maatregelen',
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('jeugdige_id', sa.String(), nullable=False),
    sa.Column('soort', sa.String(), nullable=False),
    sa.Column('subsoort', sa.String(), nullable=True),
    sa.Column('uitspraak', sa.Date(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('einde_gepland', sa.Date(), nullable=True),
    sa.Column('einde', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('maatregel_id')
    )
    op.create_index('ix_maatregelen_jeugdige_id', 'maatregelen', ['jeugdige_id'])

    op.create_table('medewerkers',
    sa.Column('medewerker_id', sa.String(), nullable=False),
    sa.Column('naam', sa.String(), nullable=False),
    sa.Column('functie', sa.String(), nullable=False),
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('fte', sa.Float(), nullable=False),
    sa.Column('in_dienst', sa.Date(), nullable=False),
    sa.Column('uit_dienst', sa.Date(), nullable=True),
    sa.Column('dienstverband', sa.String(), nullable=True),
    sa.Column('begeleider_id', sa.String(), nullable=True),
    sa.Column('vog_datum', sa.Date(), nullable=True),
    sa.Column('skj_geldig_tot', sa.Date(), nullable=True),
    sa.Column('diploma_in_dossier', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('medewerker_id')
    )
    op.create_index('ix_medewerkers_team_id', 'medewerkers', ['team_id'])

    op.create_table('plannen',
    sa.Column('plan_id', sa.String(), nullable=False),
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('soort', sa.String(), nullable=False),
    sa.Column('vastgesteld', sa.Date(), nullable=False),
    sa.Column('met_jeugdige_besproken', sa.Boolean(), nullable=True),
    sa.Column('met_ouders_besproken', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('plan_id')
    )
    op.create_index('ix_plannen_maatregel_id', 'plannen', ['maatregel_id'])

    op.create_table('risicotaxaties',
    sa.Column('taxatie_id', sa.String(), nullable=False),
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('instrument', sa.String(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('aanleiding', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('taxatie_id')
    )
    op.create_index('ix_risicotaxaties_maatregel_id', 'risicotaxaties', ['maatregel_id'])

    op.create_table('teams',
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('naam', sa.String(), nullable=False),
    sa.Column('regio', sa.String(), nullable=False),
    sa.Column('soort', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('team_id')
    )
    op.create_table('toewijzingen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('maatregel_id', sa.String(), nullable=False),
    sa.Column('medewerker_id', sa.String(), nullable=False),
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('rol', sa.String(), nullable=False),
    sa.Column('vanaf', sa.Date(), nullable=False),
    sa.Column('tot', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_toewijzingen_maatregel_id', 'toewijzingen', ['maatregel_id'])
    op.create_index('ix_toewijzingen_medewerker_id', 'toewijzingen', ['medewerker_id'])
    op.create_index('ix_toewijzingen_team_id', 'toewijzingen', ['team_id'])

    op.create_table('verzuim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('medewerker_id', sa.String(), nullable=False),
    sa.Column('ziek_vanaf', sa.Date(), nullable=False),
    sa.Column('ziek_tot', sa.Date(), nullable=True),
    sa.Column('percentage', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_verzuim_medewerker_id', 'verzuim', ['medewerker_id'])


def downgrade() -> None:
    op.drop_table('verzuim')
    op.drop_table('toewijzingen')
    op.drop_table('teams')
    op.drop_table('risicotaxaties')
    op.drop_table('plannen')
    op.drop_table('medewerkers')
    op.drop_table('maatregelen')
    op.drop_table('jeugdigen')
    op.drop_table('hulp')
    op.drop_table('formatie')
    op.drop_table('etl_runs')
    op.drop_table('contacten')
    op.drop_table('caseloadgesprekken')
    op.drop_table('afgewezen_rijen')
