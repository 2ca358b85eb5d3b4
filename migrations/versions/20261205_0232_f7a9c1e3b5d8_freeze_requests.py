"""Requests to freeze an audit period, run by the scheduler: a year's freeze at one
enterprise's size takes minutes, longer than a web request may (evidence/models.py
FreezeRequest, evidence/audit/freezing.py).

Revision ID: f7a9c1e3b5d8
Revises: e6b8d0f2a4c7
Create Date: 2026-12-05 02:32:02.452006

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'f7a9c1e3b5d8'
down_revision = 'e6b8d0f2a4c7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_freeze_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('sample_share', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('sample_seed', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_label', sa.String(length=100), nullable=False),
    sa.Column('requested_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('progress_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('builder', sa.String(length=120), server_default='', nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.CheckConstraint("(status = 'done') = (period_id IS NOT NULL)", name=op.f('ck_evidence_freeze_requests_done_has_period')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_evidence_freeze_requests_known_status')),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_evidence_freeze_requests_ends_after_start')),
    sa.ForeignKeyConstraint(['period_id'], ['evidence_audit_periods.id'], name=op.f('fk_evidence_freeze_requests_period_id_evidence_audit_periods')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_evidence_freeze_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_freeze_requests'))
    )
    with op.batch_alter_table('evidence_freeze_requests', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_freeze_requests_status_id', ['status', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('evidence_freeze_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_freeze_requests_status_id')

    op.drop_table('evidence_freeze_requests')
