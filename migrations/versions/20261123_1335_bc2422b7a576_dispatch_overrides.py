"""dispatch overrides: a manager sending a technician without a required certificate

Revision ID: bc2422b7a576
Revises: 5bee4e4741db
Create Date: 2026-11-23 13:35:05.583723

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'bc2422b7a576'
down_revision = '5bee4e4741db'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dispatch_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    sa.Column('missing', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_dispatch_overrides_decided_by_id_users')),
    sa.ForeignKeyConstraint(['technician_id'], ['users.id'], name=op.f('fk_dispatch_overrides_technician_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_dispatch_overrides_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_overrides'))
    )
    with op.batch_alter_table('dispatch_overrides', schema=None) as batch_op:
        batch_op.create_index('ix_dispatch_overrides_ticket_id', ['ticket_id'], unique=False)



def downgrade():
    with op.batch_alter_table('dispatch_overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_overrides_ticket_id')

    op.drop_table('dispatch_overrides')
