"""The customer act's channel for a portal form anyone may send (a complaint, a fault
report: the phone not verified). The same widening as the fault-report branch's
a2c4e6f8b0d3: when both are merged, one of them is enough.

Revision ID: b5d7f9a1c3e4
Revises: f1a3c5e7b9d2
Create Date: 2026-12-04 16:40:00.000000

"""
from alembic import op


revision = 'b5d7f9a1c3e4'
down_revision = 'f1a3c5e7b9d2'
branch_labels = None
depends_on = None


OLD_CHANNELS = "channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code')"
NEW_CHANNELS = "channel IN ('sms_link', 'email_link', 'shared_link', 'portal_code', 'portal_form')"


def _act_channels(check: str) -> None:
    for table in ('customer_links', 'customer_acts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_known_channel'), type_='check')
            batch_op.create_check_constraint('known_channel', check)


def upgrade():
    _act_channels(NEW_CHANNELS)


def downgrade():
    _act_channels(OLD_CHANNELS)
