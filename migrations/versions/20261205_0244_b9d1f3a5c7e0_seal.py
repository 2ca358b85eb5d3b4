"""A frozen period's seal: one SHA-256 over everything frozen with it, kept in its audit
entry instead of an entry per frozen row (evidence/audit/seal.py). Periods frozen before
have none; their frozen rows keep their own entries.

Revision ID: b9d1f3a5c7e0
Revises: f7a9c1e3b5d8
Create Date: 2026-12-05 02:44:54.398178

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'b9d1f3a5c7e0'
down_revision = 'f7a9c1e3b5d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence_audit_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('evidence_audit_periods', schema=None) as batch_op:
        batch_op.drop_column('content_sha256')

