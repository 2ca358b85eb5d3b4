"""Notifications keep the message id and its values, so each reader reads them in their
own language (the inbox, the API, the e-mail in the recipient's locale). Rows from before
keep only their stored text and show it as it is.

Revision ID: a8c0e2f4b6d9
Revises: b7d9f1a3c5e8
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a8c0e2f4b6d9'
down_revision = 'c8e0a2b4d6f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("message_json", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("message_json")
