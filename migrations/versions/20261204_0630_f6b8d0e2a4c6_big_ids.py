"""64-bit keys for the tables that grow fastest: GPS stamps, the work-order and complaint
timelines, notifications (PostgreSQL; SQLite's integer keys are 64-bit already). Works on
a database with data: each column and its sequence are widened in place.

Revision ID: f6b8d0e2a4c6
Revises: e5a7c9d1f3b5
Create Date: 2026-12-04 06:30:00

"""
from alembic import op


revision = 'f6b8d0e2a4c6'
down_revision = 'e5a7c9d1f3b5'
branch_labels = None
depends_on = None

TABLES = ("ticket_stamps", "ticket_events", "complaint_events", "notifications")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE BIGINT")
        op.execute(f"ALTER SEQUENCE {table}_id_seq AS BIGINT")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER SEQUENCE {table}_id_seq AS INTEGER")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE INTEGER")
