"""Requests to the public pages counted per key in fixed windows (core/rate_limit.py).

Revision ID: e4a6c8b0d2f1
Revises: d3f5a7c9e1b2
Create Date: 2026-12-04 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from aftersales.core.types import UTCDateTime

revision = 'e4a6c8b0d2f1'
down_revision = 'd3f5a7c9e1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("ends_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_windows")),
        sa.UniqueConstraint("key", name=op.f("uq_rate_windows_key")),
    )
    op.create_index(op.f("ix_rate_windows_ends_at"), "rate_windows", ["ends_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_rate_windows_ends_at"), table_name="rate_windows")
    op.drop_table("rate_windows")
