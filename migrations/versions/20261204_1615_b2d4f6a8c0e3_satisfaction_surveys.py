"""The satisfaction survey sent after a work order closed and the customer's answer
(visits/surveys.py).

Revision ID: b2d4f6a8c0e3
Revises: a2c4e6f8b0d3
Create Date: 2026-12-04 16:15:12.912241

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'b2d4f6a8c0e3'
down_revision = 'a2c4e6f8b0d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('satisfaction_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('act_id', sa.Integer(), nullable=True),
    sa.Column('timeliness', sa.Integer(), nullable=True),
    sa.Column('attitude', sa.Integer(), nullable=True),
    sa.Column('skill', sa.Integer(), nullable=True),
    sa.Column('result', sa.Integer(), nullable=True),
    sa.Column('fees', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('(answered_at IS NULL AND timeliness IS NULL AND attitude IS NULL AND skill IS NULL AND result IS NULL AND fees IS NULL) OR (answered_at IS NOT NULL AND timeliness BETWEEN 1 AND 5 AND attitude BETWEEN 1 AND 5 AND skill BETWEEN 1 AND 5 AND result BETWEEN 1 AND 5 AND fees BETWEEN 1 AND 5)', name=op.f('ck_satisfaction_surveys_scored_when_answered')),
    sa.CheckConstraint('(answered_at IS NULL) = (act_id IS NULL)', name=op.f('ck_satisfaction_surveys_answer_has_act')),
    sa.CheckConstraint('answered_at IS NULL OR answered_at >= sent_at', name=op.f('ck_satisfaction_surveys_answered_after_sent')),
    sa.ForeignKeyConstraint(['act_id'], ['customer_acts.id'], name=op.f('fk_satisfaction_surveys_act_id_customer_acts')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_satisfaction_surveys_outlet_id_outlets')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_satisfaction_surveys_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_surveys')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_satisfaction_surveys_ticket_id'))
    )
    with op.batch_alter_table('satisfaction_surveys', schema=None) as batch_op:
        batch_op.create_index('ix_satisfaction_surveys_answered_at', ['answered_at'], unique=False)
        batch_op.create_index('ix_satisfaction_surveys_outlet_id_id', ['outlet_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('satisfaction_surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_satisfaction_surveys_outlet_id_id')
        batch_op.drop_index('ix_satisfaction_surveys_answered_at')

    op.drop_table('satisfaction_surveys')
