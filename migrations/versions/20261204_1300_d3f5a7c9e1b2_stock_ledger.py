"""The spare-parts ledger an outlet and an auditor read: each movement's kind (a
vocabulary instead of free text), the quantity on hand after it, a note, the link between
the two halves of a transfer; on a part used on a work order, how many went back unused
and the serial of the part it replaced.

Revision ID: d3f5a7c9e1b2
Revises: d1f3a5c7e9b2
Create Date: 2026-12-04 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d3f5a7c9e1b2"
down_revision = "d1f3a5c7e9b2"
branch_labels = None
depends_on = None

KINDS = "'receipt', 'use', 'work_return', 'transfer_out', 'transfer_in', 'supplier_return'"
INCOMING = "'receipt', 'work_return', 'transfer_in'"


def upgrade():
    with op.batch_alter_table("stock_movements") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=True))
        batch.add_column(sa.Column("balance_after", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("note", sa.String(200), nullable=True))
        batch.add_column(sa.Column("linked_id", sa.Integer(), nullable=True))
    # Until now a movement was a receipt or a use ("used"); any other reason given to a
    # receipt is kept as its note. The balance after each is the running sum of its
    # outlet's part, in the order booked.
    op.execute("UPDATE stock_movements SET kind = CASE WHEN quantity < 0 THEN 'use' "
               "ELSE 'receipt' END")
    op.execute("UPDATE stock_movements SET note = reason "
               "WHERE reason NOT IN ('receipt', 'used')")
    op.execute(
        "UPDATE stock_movements SET balance_after = (SELECT SUM(earlier.quantity) "
        "FROM stock_movements AS earlier WHERE earlier.outlet_id = stock_movements.outlet_id "
        "AND earlier.part_id = stock_movements.part_id AND earlier.id <= stock_movements.id)"
    )
    with op.batch_alter_table("stock_movements") as batch:
        batch.alter_column("kind", existing_type=sa.String(16), nullable=False)
        batch.alter_column("balance_after", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("reason")
        batch.create_foreign_key(batch.f("fk_stock_movements_linked_id_stock_movements"),
                                 "stock_movements", ["linked_id"], ["id"])
        batch.create_index(batch.f("ix_stock_movements_linked_id"), ["linked_id"])
        batch.create_check_constraint("known_kind", f"kind IN ({KINDS})")
        batch.create_check_constraint("direction", f"(quantity > 0) = (kind IN ({INCOMING}))")
        batch.create_check_constraint("balance_not_negative", "balance_after >= 0")
        batch.create_check_constraint("transfer_linked",
                                      "kind <> 'transfer_in' OR linked_id IS NOT NULL")
        batch.create_check_constraint("supplier_return_reason",
                                      "kind <> 'supplier_return' OR note IS NOT NULL")
    with op.batch_alter_table("ticket_parts") as batch:
        batch.add_column(sa.Column("returned", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("removed_serial", sa.String(64), nullable=True))
    with op.batch_alter_table("ticket_parts") as batch:
        batch.alter_column("returned", existing_type=sa.Integer(), server_default=None)
        batch.create_check_constraint("returned_within_used",
                                      "returned >= 0 AND returned <= quantity")


def downgrade():
    with op.batch_alter_table("ticket_parts") as batch:
        batch.drop_constraint("returned_within_used", type_="check")
        batch.drop_column("removed_serial")
        batch.drop_column("returned")
    with op.batch_alter_table("stock_movements") as batch:
        batch.add_column(sa.Column("reason", sa.String(100), nullable=True))
    op.execute("UPDATE stock_movements SET reason = COALESCE(note, CASE kind WHEN 'use' "
               "THEN 'used' ELSE kind END)")
    with op.batch_alter_table("stock_movements") as batch:
        batch.alter_column("reason", existing_type=sa.String(100), nullable=False)
        for name in ("supplier_return_reason", "transfer_linked", "balance_not_negative",
                     "direction", "known_kind"):
            batch.drop_constraint(name, type_="check")
        batch.drop_index(batch.f("ix_stock_movements_linked_id"))
        batch.drop_constraint(batch.f("fk_stock_movements_linked_id_stock_movements"),
                              type_="foreignkey")
        batch.drop_column("linked_id")
        batch.drop_column("note")
        batch.drop_column("balance_after")
        batch.drop_column("kind")
