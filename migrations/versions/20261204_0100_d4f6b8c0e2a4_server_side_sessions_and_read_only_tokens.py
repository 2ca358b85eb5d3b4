"""server-side sessions, read-only tokens and sign-in throttles: each signed-in browser is
a row that signing out, a password change or a disabled account ends; a token can be
read-only; failed sign-ins are counted per username typed and per address (the per-user
lock-out columns go)

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
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.Column('blocked_until', aftersales.core.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('key', name=op.f('uq_login_throttles_key'))
    )
    op.create_index(op.f('ix_login_throttles_blocked_until'), 'login_throttles',
                    ['blocked_until'], unique=False)
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('locked_until', aftersales.core.types.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.drop_index(op.f('ix_login_throttles_blocked_until'), table_name='login_throttles')
    op.drop_table('login_throttles')
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_column('read_only')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
