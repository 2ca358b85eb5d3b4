"""The portal's fault reports: each work order's intake channel (the rows already there
came in at the desk), the visit window the customer booked, the photos sent with the
report, the outlets' bookable windows with their per-day counts, and the customer act's
channel for a portal form (a report: the phone not verified).

Revision ID: a2c4e6f8b0d3
Revises: f1a3c5e7b9d2
Create Date: 2026-12-04 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


revision = 'a2c4e6f8b0d3'
down_revision = 'f1a3c5e7b9d2'
branch_labels = None
depends_on = None


OLD_CHANNELS = "channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code')"
NEW_CHANNELS = "channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code', 'portal_form')"


def _act_channels(check: str) -> None:
    for table in ('customer_links', 'customer_acts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_known_channel'), type_='check')
            batch_op.create_check_constraint('known_channel', check)


def upgrade():
    _act_channels(NEW_CHANNELS)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        # The desk's value only for the rows already there; new rows say their own.
        batch_op.add_column(sa.Column('channel', sa.String(length=16), nullable=False, server_default='desk'))
        batch_op.add_column(sa.Column('window_starts_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('window_ends_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('known_channel', "channel IN ('desk', 'hotline', 'portal', 'return_visit')")
        batch_op.create_check_constraint('window_whole', '(window_starts_at IS NULL) = (window_ends_at IS NULL) AND (window_starts_at IS NULL OR window_starts_at < window_ends_at)')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('channel', server_default=None)

    op.create_table('ticket_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_ticket_photos_not_empty')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_photos_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_photos'))
    )
    with op.batch_alter_table('ticket_photos', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_photos_ticket_id', ['ticket_id'], unique=False)

    op.create_table('service_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_service_slots_capacity_not_negative')),
    sa.CheckConstraint('starts < ends', name=op.f('ck_service_slots_starts_before_ends')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_service_slots_weekday_range')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_service_slots_outlet_id_outlets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_slots')),
    sa.UniqueConstraint('outlet_id', 'weekday', 'starts', name='uq_service_slots_outlet_weekday_starts')
    )
    op.create_table('slot_bookings',
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.CheckConstraint('booked >= 0', name=op.f('ck_slot_bookings_booked_not_negative')),
    sa.ForeignKeyConstraint(['slot_id'], ['service_slots.id'], name=op.f('fk_slot_bookings_slot_id_service_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', 'day', name=op.f('pk_slot_bookings'))
    )


def downgrade():
    _act_channels(OLD_CHANNELS)
    op.drop_table('slot_bookings')
    op.drop_table('service_slots')
    with op.batch_alter_table('ticket_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_photos_ticket_id')
    op.drop_table('ticket_photos')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint('window_whole', type_='check')
        batch_op.drop_constraint('known_channel', type_='check')
        batch_op.drop_column('window_ends_at')
        batch_op.drop_column('window_starts_at')
        batch_op.drop_column('channel')
