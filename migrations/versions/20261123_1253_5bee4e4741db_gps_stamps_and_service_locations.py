"""gps stamps: technicians' depart / arrive / finish positions, the service location of
work orders, and the first verified arrival (emergency arrival SLA)

Revision ID: 5bee4e4741db
Revises: 705d0adf7696
Create Date: 2026-11-23 12:53:45.992335

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = '5bee4e4741db'
down_revision = '705d0adf7696'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ticket_stamps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('accuracy_m', sa.Numeric(precision=8, scale=1), nullable=False),
    sa.Column('device_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('server_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('distance_m', sa.Integer(), nullable=True),
    sa.Column('geofence_m', sa.Integer(), nullable=True),
    sa.Column('impossible_speed', sa.Boolean(), nullable=False),
    sa.Column('speed_kmh', sa.Integer(), nullable=True),
    sa.Column('clock_skew', sa.Boolean(), nullable=False),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('step_refused', sa.String(length=300), nullable=True),
    sa.CheckConstraint("kind IN ('depart', 'arrive', 'finish')", name=op.f('ck_ticket_stamps_known_kind')),
    sa.CheckConstraint("status IN ('recorded', 'verified', 'off_site', 'no_service_location')", name=op.f('ck_ticket_stamps_known_status')),
    sa.CheckConstraint('accuracy_m >= 0', name=op.f('ck_ticket_stamps_accuracy_not_negative')),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_ticket_stamps_latitude_range')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_ticket_stamps_longitude_range')),
    sa.ForeignKeyConstraint(['technician_id'], ['users.id'], name=op.f('fk_ticket_stamps_technician_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_stamps_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_stamps')),
    sa.UniqueConstraint('client_id', name=op.f('uq_ticket_stamps_client_id'))
    )
    with op.batch_alter_table('ticket_stamps', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_stamps_technician_id_device_at', ['technician_id', 'device_at'], unique=False)
        batch_op.create_index('ix_ticket_stamps_technician_id_id', ['technician_id', 'id'], unique=False)
        batch_op.create_index('ix_ticket_stamps_ticket_id_id', ['ticket_id', 'id'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrival_verified_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('service_latitude', sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column('service_longitude', sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column('service_location_precision', sa.String(length=10), nullable=True))
        batch_op.create_index('ix_tickets_arrival_met_arrival_due_at', ['arrival_met', 'arrival_due_at'], unique=False)
        batch_op.create_check_constraint(
            op.f('ck_tickets_service_location_whole'),
            "(service_latitude IS NULL) = (service_longitude IS NULL)"
            " AND (service_latitude IS NULL) = (service_location_precision IS NULL)",
        )
        batch_op.create_check_constraint(
            op.f('ck_tickets_known_location_precision'),
            "service_location_precision IS NULL OR "
            "service_location_precision IN ('exact', 'district', 'city')",
        )



def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tickets_known_location_precision'), type_='check')
        batch_op.drop_constraint(op.f('ck_tickets_service_location_whole'), type_='check')
        batch_op.drop_index('ix_tickets_arrival_met_arrival_due_at')
        batch_op.drop_column('service_location_precision')
        batch_op.drop_column('service_longitude')
        batch_op.drop_column('service_latitude')
        batch_op.drop_column('arrival_verified_at')

    with op.batch_alter_table('ticket_stamps', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_stamps_ticket_id_id')
        batch_op.drop_index('ix_ticket_stamps_technician_id_id')
        batch_op.drop_index('ix_ticket_stamps_technician_id_device_at')

    op.drop_table('ticket_stamps')
