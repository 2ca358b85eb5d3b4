"""export builders: a running package export names the process building it (host:pid),
so an export whose builder died is taken over at once on the same host, and within a
minute of its last heartbeat elsewhere

Revision ID: e5a7c9d1f3b5
Revises: d4f6b8c0e2a4
Create Date: 2026-12-04 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a7c9d1f3b5'
down_revision = 'd4f6b8c0e2a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence_exports') as batch_op:
        batch_op.add_column(sa.Column('builder', sa.String(length=120), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('evidence_exports') as batch_op:
        batch_op.drop_column('builder')
