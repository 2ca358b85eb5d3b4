"""loaners: spare units lent to customers during long repairs, and each lending

Revision ID: 84e324f88295
Revises: 03851ec26ddc
Create Date: 2026-11-23 12:33:16.896216

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = '84e324f88295'
down_revision = '03851ec26ddc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('loaners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('asset_tag', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.CheckConstraint("state IN ('available', 'lent', 'retired')", name=op.f('ck_loaners_state')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_loaners_outlet_id_outlets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loaners')),
    sa.UniqueConstraint('asset_tag', name=op.f('uq_loaners_asset_tag'))
    )
    with op.batch_alter_table('loaners', schema=None) as batch_op:
        batch_op.create_index('ix_loaners_outlet_state', ['outlet_id', 'state'], unique=False)

    op.create_table('loaner_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loaner_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('lent_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_back_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lent_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_condition', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['lent_by_id'], ['users.id'], name=op.f('fk_loaner_loans_lent_by_id_users')),
    sa.ForeignKeyConstraint(['loaner_id'], ['loaners.id'], name=op.f('fk_loaner_loans_loaner_id_loaners')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_loaner_loans_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loaner_loans'))
    )
    with op.batch_alter_table('loaner_loans', schema=None) as batch_op:
        batch_op.create_index('ix_loaner_loans_loaner', ['loaner_id'], unique=False)
        batch_op.create_index('ix_loaner_loans_ticket', ['ticket_id'], unique=False)



def downgrade():
    with op.batch_alter_table('loaner_loans', schema=None) as batch_op:
        batch_op.drop_index('ix_loaner_loans_ticket')
        batch_op.drop_index('ix_loaner_loans_loaner')

    op.drop_table('loaner_loans')
    with op.batch_alter_table('loaners', schema=None) as batch_op:
        batch_op.drop_index('ix_loaners_outlet_state')

    op.drop_table('loaners')
