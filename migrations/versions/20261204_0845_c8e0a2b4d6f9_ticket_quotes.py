"""Every fee quote of a work order and its acceptance, kept (the work order keeps only the
last one on itself).

Revision ID: c8e0a2b4d6f9
Revises: b7d9f1a3c5e8
Create Date: 2026-12-04 08:45:00

"""
import sqlalchemy as sa
from alembic import op

from aftersales.core.types import UTCDateTime

revision = "c8e0a2b4d6f9"
down_revision = "b7d9f1a3c5e8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ticket_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("quoted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("quoted_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_ticket_quotes_amount_not_negative")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name=op.f("fk_ticket_quotes_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["quoted_by_id"], ["users.id"],
                                name=op.f("fk_ticket_quotes_quoted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_quotes")),
    )
    op.create_index("ix_ticket_quotes_ticket_id_id", "ticket_quotes", ["ticket_id", "id"])
    # The quotes given before this table existed: the last one each work order kept.
    op.execute(
        "INSERT INTO ticket_quotes (ticket_id, amount_fen, quoted_at, accepted_at) "
        "SELECT id, quote_fen, COALESCE(quote_accepted_at, created_at), quote_accepted_at "
        "FROM tickets WHERE quote_fen IS NOT NULL"
    )


def downgrade():
    op.drop_index("ix_ticket_quotes_ticket_id_id", table_name="ticket_quotes")
    op.drop_table("ticket_quotes")
