"""The board sums the complaints table alone: each complaint keeps its customer's previous
complaint's received time, its first response's outcome and its current cycle's
resolution outcome (complaints/models.py, complaints/figures.py), backfilled here from the
complaints and their clocks, set-based.

Revision ID: e6b8d0f2a4c7
Revises: d4f6a8c0e2b5
Create Date: 2026-12-04 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'e6b8d0f2a4c7'
down_revision = 'd4f6a8c0e2b5'
branch_labels = None
depends_on = None

COLUMNS = (
    ('previous_received_at', aftersales.core.types.UTCDateTime(timezone=True)),
    ('first_response_met', sa.Boolean()),
    ('first_response_seconds', sa.Integer()),
    ('resolution_met', sa.Boolean()),
    ('resolution_seconds', sa.Integer()),
)

# In received order (ties by id), as complaints/services.py places a new complaint.
PREVIOUS = """
UPDATE complaints SET previous_received_at = ordered.previous_received_at
FROM (SELECT id, lag(received_at) OVER (PARTITION BY customer_id
                                        ORDER BY received_at, id) AS previous_received_at
      FROM complaints) AS ordered
WHERE ordered.id = complaints.id AND ordered.previous_received_at IS NOT NULL
"""
FIRST_RESPONSE = """
UPDATE complaints SET first_response_met = clock.met,
                      first_response_seconds = clock.elapsed_seconds
FROM complaint_clocks AS clock
WHERE clock.complaint_id = complaints.id AND clock.cycle = 1 AND clock.kind = 'response'
  AND clock.stopped_at IS NOT NULL
"""
RESOLUTION = """
UPDATE complaints SET resolution_met = clock.met, resolution_seconds = clock.elapsed_seconds
FROM complaint_clocks AS clock
WHERE clock.complaint_id = complaints.id AND clock.cycle = complaints.cycle
  AND clock.kind = 'resolution' AND clock.stopped_at IS NOT NULL
"""


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column('complaints', sa.Column(name, type_, nullable=True))
    for statement in (PREVIOUS, FIRST_RESPONSE, RESOLUTION):
        op.execute(statement)


def downgrade():
    # Column by column, not by batch: on SQLite a batch copies the table, and dropping the
    # old one would cascade to the complaints' attachments, clocks and timeline.
    for name, _type in reversed(COLUMNS):
        op.drop_column('complaints', name)
