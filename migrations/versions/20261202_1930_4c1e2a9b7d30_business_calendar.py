"""the business calendar the operator owns: stored holiday schedules, closures and working
hours; clocks counted over a guessed year are marked

Revision ID: 4c1e2a9b7d30
Revises: 39ca64137e7a
Create Date: 2026-12-02 19:30:00

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = '4c1e2a9b7d30'
down_revision = '39ca64137e7a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('outlet_key', sa.Integer(), nullable=False),
    sa.Column('entered_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('holiday', 'workday', 'closure')", name=op.f('ck_calendar_days_known_kind')),
    sa.CheckConstraint("kind = 'closure' OR outlet_id IS NULL", name=op.f('ck_calendar_days_official_is_company_wide')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_calendar_days_outlet_id_outlets')),
    sa.CheckConstraint('outlet_key = coalesce(outlet_id, 0)', name=op.f('ck_calendar_days_outlet_key')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', 'outlet_key', name=op.f('uq_calendar_days_day'))
    )
    op.create_index('ix_calendar_days_outlet_id_day', 'calendar_days', ['outlet_id', 'day'])
    op.create_table('working_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('outlet_key', sa.Integer(), nullable=False),
    sa.Column('hours', sa.String(length=400), nullable=False),
    sa.Column('updated_at', aftersales.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_working_hours_outlet_id_outlets')),
    sa.CheckConstraint('outlet_key = coalesce(outlet_id, 0)', name=op.f('ck_working_hours_outlet_key')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours')),
    sa.UniqueConstraint('outlet_key', name=op.f('uq_working_hours_outlet_key'))
    )
    for table in ('tickets', 'complaint_clocks'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('calendar_guessed', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))


def downgrade():
    for table in ('complaint_clocks', 'tickets'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('calendar_guessed')
    op.drop_table('working_hours')
    op.drop_index('ix_calendar_days_outlet_id_day', table_name='calendar_days')
    op.drop_table('calendar_days')
