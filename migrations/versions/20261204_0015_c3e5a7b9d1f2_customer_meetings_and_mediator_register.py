"""customer meetings and the mediator register: the meetings held with customers and
their minutes (5.3.1.5), and who on the staff is appointed as a service mediator, from
when to when (5.3.2.3)

Revision ID: c3e5a7b9d1f2
Revises: a15e0c7d1f00
Create Date: 2026-12-04 00:15:00

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'c3e5a7b9d1f2'
down_revision = 'a15e0c7d1f00'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customer_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('attendee_count', sa.Integer(), nullable=False),
    sa.Column('minutes_filename', sa.String(length=200), nullable=True),
    sa.Column('minutes_content_type', sa.String(length=100), nullable=True),
    sa.Column('minutes_file_key', sa.String(length=64), nullable=True),
    sa.Column('minutes_sha256', sa.String(length=64), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('attendee_count > 0', name=op.f('ck_customer_meetings_someone_came')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_customer_meetings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_meetings'))
    )
    op.create_index('ix_customer_meetings_held_on', 'customer_meetings', ['held_on'],
                    unique=False)
    op.create_table('complaint_mediator_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=False),
    sa.Column('appointed_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= appointed_on',
                       name=op.f('ck_complaint_mediator_appointments_ends_after_start')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_complaint_mediator_appointments_user_id_users')),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'],
                            name=op.f('fk_complaint_mediator_appointments_appointed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_mediator_appointments'))
    )
    op.create_index('ix_complaint_mediator_appointments_user_id',
                    'complaint_mediator_appointments', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_complaint_mediator_appointments_user_id',
                  table_name='complaint_mediator_appointments')
    op.drop_table('complaint_mediator_appointments')
    op.drop_index('ix_customer_meetings_held_on', table_name='customer_meetings')
    op.drop_table('customer_meetings')
