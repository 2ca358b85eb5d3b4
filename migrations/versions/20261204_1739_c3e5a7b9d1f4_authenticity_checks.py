"""The portal's anonymous authenticity checks, counted for clause 5.3.1.1 (portal/models.py).

Revision ID: c3e5a7b9d1f4
Revises: b2d4f6a8c0e3
Create Date: 2026-12-04 17:39:28.601412

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'c3e5a7b9d1f4'
down_revision = 'b2d4f6a8c0e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portal_authenticity_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('genuine', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_authenticity_checks'))
    )
    with op.batch_alter_table('portal_authenticity_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_authenticity_checks_at'), ['at'], unique=False)



def downgrade():
    with op.batch_alter_table('portal_authenticity_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_authenticity_checks_at'))

    op.drop_table('portal_authenticity_checks')
