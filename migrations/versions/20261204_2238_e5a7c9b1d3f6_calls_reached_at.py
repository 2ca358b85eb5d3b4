"""A missed call keeps when a callback first reached the caller (calls.reached_at), worked
out here for the calls already logged; the callback queue gets a partial index of the
missed calls nobody has reached (calls/models.py, calls/services.py settle_callbacks).

Revision ID: e5a7c9b1d3f6
Revises: d4f6a8c0e2b5
Create Date: 2026-12-04 22:38:51.171160

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'e5a7c9b1d3f6'
down_revision = 'd4f6a8c0e2b5'
branch_labels = None
depends_on = None

WAITING = "direction = 'inbound' AND outcome IN ('missed', 'abandoned') AND reached_at IS NULL"
# The same rule as calls.services._first_callback, set-based over every missed call.
BACKFILL = """
UPDATE calls SET reached_at = (
    SELECT min(later.answered_at) FROM calls AS later
    WHERE later.direction = 'outbound' AND later.answered_at IS NOT NULL
      AND (later.callback_of_id = calls.id
           OR (later.caller_number = calls.caller_number AND later.queued_at > calls.queued_at)))
WHERE direction = 'inbound' AND answered_at IS NULL
"""


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reached_at', aftersales.core.types.UTCDateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index('ix_calls_waiting_for_callback', ['queued_at', 'id'], unique=False, postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_waiting_for_callback', postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))
        batch_op.drop_column('reached_at')
