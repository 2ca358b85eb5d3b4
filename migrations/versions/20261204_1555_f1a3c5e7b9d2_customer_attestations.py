"""What customers do from their own phones: one-time links, one-time codes and the acts
themselves (customers/attestations.py).

Revision ID: f1a3c5e7b9d2
Revises: e9b1d3f5a7c2
Create Date: 2026-12-04 15:55:49.785801

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'f1a3c5e7b9d2'
down_revision = 'e9b1d3f5a7c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customer_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('record_type', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('used_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("record_type IN ('ticket', 'complaint')", name=op.f('ck_customer_codes_known_record_type')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_codes_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_codes'))
    )
    with op.batch_alter_table('customer_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_codes_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_codes_expires_at'), ['expires_at'], unique=False)

    op.create_table('customer_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=24), nullable=False),
    sa.Column('record_type', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=True),
    sa.Column('created_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code')", name=op.f('ck_customer_links_known_channel')),
    sa.CheckConstraint("record_type IN ('ticket', 'complaint')", name=op.f('ck_customer_links_known_record_type')),
    sa.CheckConstraint("step IN ('report', 'complain', 'accept_quote', 'confirm_arrival', 'confirm_completion', 'rate_service', 'answer_survey', 'confirm_resolution', 'track')", name=op.f('ck_customer_links_known_step')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_links_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_customer_links_token_hash'))
    )
    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_links_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_customer_links_record', ['record_type', 'record_id'], unique=False)

    op.create_table('customer_acts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.CheckConstraint("channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code')", name=op.f('ck_customer_acts_known_channel')),
    sa.CheckConstraint("record_type IN ('ticket', 'complaint')", name=op.f('ck_customer_acts_known_record_type')),
    sa.CheckConstraint("step IN ('report', 'complain', 'accept_quote', 'confirm_arrival', 'confirm_completion', 'rate_service', 'answer_survey', 'confirm_resolution', 'track')", name=op.f('ck_customer_acts_known_step')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_customer_acts_rating_range')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_acts_customer_id_customers')),
    sa.ForeignKeyConstraint(['link_id'], ['customer_links.id'], name=op.f('fk_customer_acts_link_id_customer_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_acts'))
    )
    with op.batch_alter_table('customer_acts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_acts_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_customer_acts_record', ['record_type', 'record_id', 'step'], unique=False)
        batch_op.create_index('ix_customer_acts_step_at', ['step', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('customer_acts', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_acts_step_at')
        batch_op.drop_index('ix_customer_acts_record')
        batch_op.drop_index(batch_op.f('ix_customer_acts_customer_id'))

    op.drop_table('customer_acts')
    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_links_record')
        batch_op.drop_index(batch_op.f('ix_customer_links_customer_id'))

    op.drop_table('customer_links')
    with op.batch_alter_table('customer_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_codes_expires_at'))
        batch_op.drop_index(batch_op.f('ix_customer_codes_customer_id'))

    op.drop_table('customer_codes')
