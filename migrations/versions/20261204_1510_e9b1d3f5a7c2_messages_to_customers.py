"""Messages to customers: the outbox every message is stored in before it is sent, and the
customers who opted out of non-essential messages.

Revision ID: e9b1d3f5a7c2
Revises: e4a6c8b0d2f1
Create Date: 2026-12-04 15:00:00

"""
import sqlalchemy as sa
from alembic import op

import aftersales.core.types

revision = "e9b1d3f5a7c2"
down_revision = "e4a6c8b0d2f1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", aftersales.core.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column("provider_message_id", sa.String(100), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("created_at", aftersales.core.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("sent_at", aftersales.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('sms', 'email', 'portal')",
                           name=op.f("ck_outgoing_messages_known_channel")),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'kept', 'failed', "
                           "'skipped_opt_out')", name=op.f("ck_outgoing_messages_known_status")),
        sa.CheckConstraint("language IN ('zh', 'en')",
                           name=op.f("ck_outgoing_messages_known_language")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_outgoing_messages_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_messages")),
    )
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.create_index("ix_outgoing_messages_status_due", ["status", "next_attempt_at"])
        batch.create_index("ix_outgoing_messages_customer_id", ["customer_id"])
    op.create_table(
        "messaging_opt_outs",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", aftersales.core.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_messaging_opt_outs_customer_id_customers")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_messaging_opt_outs_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_messaging_opt_outs")),
    )


def downgrade():
    op.drop_table("messaging_opt_outs")
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.drop_index("ix_outgoing_messages_customer_id")
        batch.drop_index("ix_outgoing_messages_status_due")
    op.drop_table("outgoing_messages")
