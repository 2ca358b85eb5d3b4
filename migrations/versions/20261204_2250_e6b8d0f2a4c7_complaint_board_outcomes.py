"""The board sums the complaints table alone: each complaint keeps its customer's previous
complaint's received time, its first response's outcome and its current cycle's
resolution outcome (complaints/models.py, complaints/figures.py), backfilled here from the
complaints and their clocks, set-based.

Revision ID: e6b8d0f2a4c7
Revises: e5a7c9b1d3f6
Create Date: 2026-12-04 22:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import aftersales.core.types


# revision identifiers, used by Alembic.
revision = 'e6b8d0f2a4c7'
down_revision = 'e5a7c9b1d3f6'
branch_labels = None
depends_on = None

COLUMNS = (
    ('previous_received_at', aftersales.core.types.UTCDateTime(timezone=True)),
    ('first_response_met', sa.Boolean()),
    ('first_response_seconds', sa.Integer()),
    ('resolution_met', sa.Boolean()),
    ('resolution_seconds', sa.Integer()),
)

# One pass, one new row version per complaint: the previous complaint in received order
# (ties by id), as complaints/services.py places a new one; a clock still running has
# neither met nor elapsed seconds, so the outer joins leave its outcome empty.
BACKFILL = """
UPDATE complaints SET previous_received_at = kept.previous_received_at,
       first_response_met = kept.first_response_met,
       first_response_seconds = kept.first_response_seconds,
       resolution_met = kept.resolution_met, resolution_seconds = kept.resolution_seconds
FROM (SELECT complaint.id,
             lag(complaint.received_at) OVER (PARTITION BY complaint.customer_id
                                              ORDER BY complaint.received_at, complaint.id)
               AS previous_received_at,
             response.met AS first_response_met,
             response.elapsed_seconds AS first_response_seconds,
             resolution.met AS resolution_met, resolution.elapsed_seconds AS resolution_seconds
      FROM complaints AS complaint
      LEFT JOIN complaint_clocks AS response
        ON response.complaint_id = complaint.id AND response.cycle = 1
           AND response.kind = 'response'
      LEFT JOIN complaint_clocks AS resolution
        ON resolution.complaint_id = complaint.id AND resolution.cycle = complaint.cycle
           AND resolution.kind = 'resolution') AS kept
WHERE kept.id = complaints.id
"""


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column('complaints', sa.Column(name, type_, nullable=True))
    op.execute(BACKFILL)


def downgrade():
    # Column by column, not by batch: on SQLite a batch copies the table, and dropping the
    # old one would cascade to the complaints' attachments, clocks and timeline.
    for name, _type in reversed(COLUMNS):
        op.drop_column('complaints', name)
