"""notifications: in-app notices, once per user and event, with their e-mail state

Revision ID: 03851ec26ddc
Revises: 2dff4c49132b
Create Date: 2026-11-23 12:26:47.719446

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = '03851ec26ddc'
down_revision = '2dff4c49132b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('created_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_to', sa.String(length=254), nullable=True),
    sa.Column('email_state', sa.String(length=8), nullable=False),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.Column('email_sent_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'dedupe_key', name=op.f('uq_notifications_user_id')),
    sa.CheckConstraint("email_state IN ('none', 'pending', 'sent', 'failed')", name=op.f('ck_notifications_email_state'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_email_state', ['email_state', 'id'], unique=False)
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')
        batch_op.drop_index('ix_notifications_email_state')

    op.drop_table('notifications')
