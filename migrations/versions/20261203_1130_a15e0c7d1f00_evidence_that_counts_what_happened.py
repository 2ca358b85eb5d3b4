"""evidence that counts what happened: versions keep when they were withdrawn,
attestations carry their evidence, the rubric keeps time limits and per-clause evidence
rules, a frozen period keeps the content of its records and sheets, and work orders are
found by their response due time

Revision ID: a15e0c7d1f00
Revises: 4c1e2a9b7d30
Create Date: 2026-12-03 11:30:00

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'a15e0c7d1f00'
down_revision = '4c1e2a9b7d30'
branch_labels = None
depends_on = None


def _frozen_table(name, *columns):
    op.create_table(name,
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    *columns,
    sa.ForeignKeyConstraint(['period_id'], ['evidence_audit_periods.id'],
                            name=op.f(f'fk_{name}_period_id_evidence_audit_periods'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'record_type', 'record_id', name=op.f(f'pk_{name}'))
    )


def upgrade():
    with op.batch_alter_table('evidence_document_versions') as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', aftersales.core.types.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('evidence_attestations') as batch_op:
        batch_op.add_column(sa.Column('evidence_file_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('evidence_filename', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('evidence_content_type', sa.String(length=100),
                                      nullable=True))
        batch_op.add_column(sa.Column('evidence_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('evidence_records', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('evidence_rubric_clauses') as batch_op:
        batch_op.add_column(sa.Column('evidence_required', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('evidence_rubric_targets') as batch_op:
        batch_op.add_column(sa.Column('limit_hours', sa.Numeric(precision=8, scale=2),
                                      nullable=True))
    with op.batch_alter_table('evidence_audit_periods') as batch_op:
        batch_op.add_column(sa.Column('layout_json', sa.Text(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('evidence_frozen_records') as batch_op:
        batch_op.add_column(sa.Column('detail_json', sa.Text(), nullable=True))
    _frozen_table('evidence_frozen_rows', sa.Column('values_json', sa.Text(), nullable=False))
    _frozen_table('evidence_frozen_sheets', sa.Column('data_json', sa.Text(), nullable=False))
    op.create_index('ix_tickets_response_due_at', 'tickets', ['response_due_at'])


def downgrade():
    op.drop_index('ix_tickets_response_due_at', table_name='tickets')
    op.drop_table('evidence_frozen_sheets')
    op.drop_table('evidence_frozen_rows')
    with op.batch_alter_table('evidence_frozen_records') as batch_op:
        batch_op.drop_column('detail_json')
    with op.batch_alter_table('evidence_audit_periods') as batch_op:
        batch_op.drop_column('layout_json')
    with op.batch_alter_table('evidence_rubric_targets') as batch_op:
        batch_op.drop_column('limit_hours')
    with op.batch_alter_table('evidence_rubric_clauses') as batch_op:
        batch_op.drop_column('evidence_required')
    with op.batch_alter_table('evidence_attestations') as batch_op:
        for column in ('evidence_records', 'evidence_sha256', 'evidence_content_type',
                       'evidence_filename', 'evidence_file_key'):
            batch_op.drop_column(column)
    with op.batch_alter_table('evidence_document_versions') as batch_op:
        batch_op.drop_column('withdrawn_at')
