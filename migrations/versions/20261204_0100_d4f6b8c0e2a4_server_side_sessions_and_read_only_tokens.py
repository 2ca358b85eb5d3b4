"""server-side sessions and read-only tokens: each signed-in browser is a row that signing
out, a password change or a disabled account ends; a token can be read-only

Revision ID: d4f6b8c0e2a4
Revises: c3e5a7b9d1f2
Create Date: 2026-12-04 01:00:00

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'd4f6b8c0e2a4'
down_revision = 'c3e5a7b9d1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('started_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.Column('ended_at', aftersales.core.types.UTCDateTime(), nullable=True),
    sa.Column('ended_reason', sa.String(length=32), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('client_address', sa.String(length=45), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_sessions_key_hash'))
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.add_column(sa.Column('read_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_column('read_only')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
