"""The record sheets of a batch of work orders (what an audit freeze keeps): each the
same data as the work order's own sheet, however the batch mixes them."""

from datetime import timedelta

from aftersales.core.clock import local_today, utcnow
from aftersales.core.permissions import Scope
from aftersales.customers import attestations
from aftersales.extensions import db
from aftersales.tickets import field_work, loaners, record_sheet, services
from tests.factories import make_ticket, sheet_content, signature_png
from tests.tickets.stamp_helpers import assigned_ticket, at_distance, send


def _worked(site):
    """Parts used, a loaner lent, signed, and confirmed by the customer on their phone."""
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 2, technician, removed_serial="TC-0042")
    unit = loaners.register_loaner(db.session, Scope(everywhere=True), ticket.outlet_id,
                                   "LN-007", "备用热水器", None)
    loaners.lend(db.session, ticket, unit.id, local_today() + timedelta(days=5), technician)
    attestations.record_act(db.session, customer_id=ticket.customer_id, record_type="ticket",
                            record_id=ticket.id, step="confirm_arrival", channel="sms_link",
                            user_agent="Mozilla/5.0")
    services.move_ticket(db.session, ticket, services.Move("resolved"), technician, False)
    field_work.sign_off(db.session, ticket, "张伟本人", signature_png(), technician)
    return ticket


def _stamped():
    ticket, technician, _desk = assigned_ticket(priority="emergency")
    now = utcnow()
    send(ticket, technician, "arrive", at_distance(2500), now=now - timedelta(minutes=20))
    send(ticket, technician, "arrive", at_distance(60), now=now)
    return ticket


def test_a_batch_gives_each_work_order_the_data_of_its_own_sheet(site):
    tickets = [_worked(site), _stamped(), make_ticket()]
    db.session.commit()
    missing = 999_999
    ids = [ticket.id for ticket in tickets] + [missing]

    batch = record_sheet.sheets_data(db.session, ids)

    assert sorted(batch) == sorted(ticket.id for ticket in tickets)
    for record_id in ids:
        alone = record_sheet.sheet_data(db.session, record_id)
        assert sheet_content(batch.get(record_id)) == sheet_content(alone)
