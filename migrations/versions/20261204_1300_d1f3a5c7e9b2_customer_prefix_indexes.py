"""The agent's box finds a caller by the start of a name or phone number: on PostgreSQL
under a non-C collation only an index with the pattern operator class serves
`LIKE 'start%'`, so the three indexes are rebuilt with it (it serves equality too). SQLite's
plain indexes already serve both: nothing changes there.

Revision ID: d1f3a5c7e9b2
Revises: a8c0e2f4b6d9
Create Date: 2026-12-04 13:00:00

"""
from alembic import op

revision = 'd1f3a5c7e9b2'
down_revision = 'a8c0e2f4b6d9'
branch_labels = None
depends_on = None

COLUMNS = ("name", "phone", "alt_phone")


def _rebuild(pattern_ops: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_customers_{column}", table_name="customers")
        op.create_index(f"ix_customers_{column}", "customers", [column],
                        postgresql_ops={column: "varchar_pattern_ops"} if pattern_ops else {})


def upgrade():
    _rebuild(pattern_ops=True)


def downgrade():
    _rebuild(pattern_ops=False)
