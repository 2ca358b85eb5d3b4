"""The escalation ladder's running clocks: a partial index of the clocks not stopped yet,
holding what the scan reads (complaints/models.py, complaints/jobs.py).

Revision ID: d4f6a8c0e2b5
Revises: c3e5a7b9d1f4
Create Date: 2026-12-04 20:05:22.902879

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f6a8c0e2b5'
down_revision = 'c3e5a7b9d1f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint_clocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_clocks_kind_stopped_at'))
        batch_op.create_index('ix_complaint_clocks_running', ['kind', 'id'], unique=False, postgresql_where=sa.text('stopped_at IS NULL'), postgresql_include=['complaint_id', 'cycle', 'calendar', 'started_at', 'target_seconds'], sqlite_where=sa.text('stopped_at IS NULL'))


def downgrade():
    with op.batch_alter_table('complaint_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_clocks_running', postgresql_where=sa.text('stopped_at IS NULL'), postgresql_include=['complaint_id', 'cycle', 'calendar', 'started_at', 'target_seconds'], sqlite_where=sa.text('stopped_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_complaint_clocks_kind_stopped_at'), ['kind', 'stopped_at'], unique=False)

