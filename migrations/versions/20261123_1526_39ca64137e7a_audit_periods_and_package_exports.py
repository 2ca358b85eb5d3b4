"""audit periods (frozen snapshot, record ids, sample population) and package exports

Revision ID: 39ca64137e7a
Revises: bc2422b7a576
Create Date: 2026-11-23 15:26:50.458991

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = '39ca64137e7a'
down_revision = 'bc2422b7a576'
branch_labels = None
depends_on = None


SNAPSHOT_KIND = "ck_evidence_snapshots_known_kind"


def _snapshot_kinds(kinds: str) -> None:
    with op.batch_alter_table("evidence_snapshots") as batch_op:
        batch_op.drop_constraint(op.f(SNAPSHOT_KIND), type_="check")
        batch_op.create_check_constraint(op.f(SNAPSHOT_KIND), f"kind IN ({kinds})")


def upgrade():
    _snapshot_kinds("'full', 'refresh', 'frozen'")
    op.create_table('evidence_audit_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('chain_seq', sa.BigInteger(), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('sample_seed', sa.BigInteger(), nullable=False),
    sa.Column('sample_share', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('frozen_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.Column('frozen_by_label', sa.String(length=100), nullable=False),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_evidence_audit_periods_ends_after_start')),
    sa.CheckConstraint('sample_share >= 0.1 AND sample_share <= 1', name=op.f('ck_evidence_audit_periods_share_range')),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'], name=op.f('fk_evidence_audit_periods_frozen_by_id_users')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['evidence_snapshots.id'], name=op.f('fk_evidence_audit_periods_snapshot_id_evidence_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_audit_periods')),
    sa.UniqueConstraint('first_day', 'last_day', name='one_per_period')
    )
    op.create_table('evidence_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_label', sa.String(length=100), nullable=False),
    sa.Column('requested_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('progress_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('steps_done', sa.Integer(), nullable=False),
    sa.Column('steps_total', sa.Integer(), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.CheckConstraint("(status = 'done') = (sha256 IS NOT NULL)", name=op.f('ck_evidence_exports_done_has_hash')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f('ck_evidence_exports_known_status')),
    sa.ForeignKeyConstraint(['period_id'], ['evidence_audit_periods.id'], name=op.f('fk_evidence_exports_period_id_evidence_audit_periods')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_evidence_exports_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_exports'))
    )
    with op.batch_alter_table('evidence_exports', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_exports_period_id_id', ['period_id', 'id'], unique=False)
        batch_op.create_index('ix_evidence_exports_status_id', ['status', 'id'], unique=False)

    op.create_table('evidence_frozen_population',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['evidence_audit_periods.id'], name=op.f('fk_evidence_frozen_population_period_id_evidence_audit_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'record_type', 'record_id', name=op.f('pk_evidence_frozen_population'))
    )
    with op.batch_alter_table('evidence_frozen_population', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_frozen_population_strata', ['period_id', 'record_type', 'outlet_id', 'month', 'record_id'], unique=False)

    op.create_table('evidence_frozen_records',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('provider_key', sa.String(length=60), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('failing', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['evidence_audit_periods.id'], name=op.f('fk_evidence_frozen_records_period_id_evidence_audit_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'provider_key', 'record_id', name=op.f('pk_evidence_frozen_records'))
    )


def downgrade():
    op.drop_table('evidence_frozen_records')
    with op.batch_alter_table('evidence_frozen_population', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_frozen_population_strata')

    op.drop_table('evidence_frozen_population')
    with op.batch_alter_table('evidence_exports', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_exports_status_id')
        batch_op.drop_index('ix_evidence_exports_period_id_id')

    op.drop_table('evidence_exports')
    op.drop_table('evidence_audit_periods')
    op.execute("DELETE FROM evidence_snapshots WHERE kind = 'frozen'")
    _snapshot_kinds("'full', 'refresh'")
