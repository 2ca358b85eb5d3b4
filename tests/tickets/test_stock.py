"""The spare-parts ledger's services: receipts, transfers, returns, never below zero."""

import pytest
from sqlalchemy import select

from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from aftersales.tickets import field_work, stock
from aftersales.tickets.models import StockMovement
from tests.factories import make_outlet, make_ticket


def _only(*outlet_ids) -> Scope:
    return Scope(everywhere=False, outlet_ids=frozenset(outlet_ids))


def _movements(outlet_id):
    return db.session.execute(
        select(StockMovement.kind, StockMovement.quantity, StockMovement.balance_after)
        .where(StockMovement.outlet_id == outlet_id).order_by(StockMovement.id)).all()


def test_a_receipt_adds_to_stock_and_books_the_balance_after(site):
    ticket, part, _technician, dispatcher = site
    on_hand = stock.receive_stock(db.session, ticket.outlet_id, part.id, 3, dispatcher,
                                  note="送货单 2026-118")
    assert on_hand == 8
    assert _movements(ticket.outlet_id)[-1] == ("receipt", 3, 8)


def test_a_receipt_at_an_outlet_outside_the_scope_is_not_found(site):
    ticket, part, _technician, dispatcher = site
    mine = make_outlet()
    with pytest.raises(NotFound) as refused:
        stock.receive_stock(db.session, ticket.outlet_id, part.id, 3, dispatcher,
                            scope=_only(mine.id))
    assert refused.value.field == "outlet_id"


def test_a_transfer_books_out_at_the_source_and_in_at_the_destination_linked(site):
    ticket, part, _technician, dispatcher = site
    other = make_outlet()
    out, into = stock.transfer(db.session, ticket.outlet_id, other.id, part.id, 2, dispatcher,
                               scope=_only(other.id, ticket.outlet_id))
    assert (out.kind, out.quantity, out.balance_after) == ("transfer_out", -2, 3)
    assert (into.kind, into.quantity, into.balance_after, into.linked_id) == (
        "transfer_in", 2, 2, out.id)
    assert stock.stock_on_hand(db.session, other.id, part.id) == 2


def test_a_transfer_to_an_outlet_outside_the_scope_is_refused(site):
    ticket, part, _technician, dispatcher = site
    other = make_outlet()
    with pytest.raises(NotFound) as refused:
        stock.transfer(db.session, ticket.outlet_id, other.id, part.id, 2, dispatcher,
                       scope=_only(ticket.outlet_id))
    assert refused.value.field == "to_outlet_id"


def test_a_transfer_from_an_outlet_outside_the_scope_is_refused(site):
    ticket, part, _technician, dispatcher = site
    other = make_outlet()
    with pytest.raises(NotFound) as refused:
        stock.transfer(db.session, ticket.outlet_id, other.id, part.id, 2, dispatcher,
                       scope=_only(other.id))
    assert refused.value.field == "from_outlet_id"


def test_a_transfer_to_the_same_outlet_is_refused(site):
    ticket, part, _technician, dispatcher = site
    with pytest.raises(ValidationFailed) as refused:
        stock.transfer(db.session, ticket.outlet_id, ticket.outlet_id, part.id, 1, dispatcher)
    assert refused.value.field == "to_outlet_id"


def test_a_transfer_of_more_than_on_hand_is_refused_and_nothing_moves(site):
    ticket, part, _technician, dispatcher = site
    other = make_outlet()
    with pytest.raises(Conflict) as refused:
        stock.transfer(db.session, ticket.outlet_id, other.id, part.id, 6, dispatcher)
    assert refused.value.field == "quantity"
    db.session.rollback()
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 5
    assert _movements(other.id) == []


def test_the_conditional_update_takes_nothing_when_stock_ran_out_meanwhile(site):
    """Another request took the last ones after this one read the shelf: the UPDATE's own
    condition refuses, whatever was read before."""
    ticket, part, _technician, dispatcher = site
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 5
    stock.return_to_supplier(db.session, ticket.outlet_id, part.id, 4, "漏液", dispatcher)
    with pytest.raises(Conflict):
        stock.transfer(db.session, ticket.outlet_id, make_outlet().id, part.id, 2, dispatcher)
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 1


def test_a_faulty_part_goes_back_to_the_supplier_with_the_reason(site):
    ticket, part, _technician, dispatcher = site
    sent = stock.return_to_supplier(db.session, ticket.outlet_id, part.id, 1, " 到货即损坏 ",
                                    dispatcher)
    assert (sent.kind, sent.quantity, sent.balance_after, sent.note) == (
        "supplier_return", -1, 4, "到货即损坏")


def test_a_faulty_return_needs_a_reason(site):
    ticket, part, _technician, dispatcher = site
    with pytest.raises(ValidationFailed) as refused:
        stock.return_to_supplier(db.session, ticket.outlet_id, part.id, 1, "  ", dispatcher)
    assert refused.value.field == "reason"


def test_an_unused_part_goes_back_to_stock_and_is_no_longer_charged(site):
    ticket, part, technician, _dispatcher = site
    used = field_work.use_part(db.session, ticket, part.id, 3, technician)
    back = stock.return_from_work(db.session, ticket, used.id, 2, technician)
    assert (back.returned, back.kept) == (2, 1)
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 4
    assert _movements(ticket.outlet_id)[-1] == ("work_return", 2, 4)


def test_no_more_can_go_back_than_were_used_on_the_work_order(site):
    ticket, part, technician, _dispatcher = site
    used = field_work.use_part(db.session, ticket, part.id, 2, technician)
    stock.return_from_work(db.session, ticket, used.id, 1, technician)
    with pytest.raises(Conflict) as refused:
        stock.return_from_work(db.session, ticket, used.id, 2, technician)
    assert refused.value.field == "quantity"
    assert "1" in str(refused.value.message)


def test_a_part_of_another_work_order_cannot_be_returned_through_this_one(site):
    ticket, part, technician, _dispatcher = site
    used = field_work.use_part(db.session, ticket, part.id, 1, technician)
    other = make_ticket(outlet_id=ticket.outlet_id)
    with pytest.raises(NotFound) as refused:
        stock.return_from_work(db.session, other, used.id, 1, technician)
    assert refused.value.field == "usage_id"


def test_the_removed_parts_serial_is_kept_on_the_usage(site):
    ticket, part, technician, _dispatcher = site
    used = field_work.use_part(db.session, ticket, part.id, 1, technician,
                               removed_serial=" tc-0042 ")
    assert used.removed_serial == "TC-0042"


def test_the_ledger_names_the_work_order_the_person_and_the_other_outlet(site):
    ticket, part, technician, dispatcher = site
    field_work.use_part(db.session, ticket, part.id, 1, technician)
    other = make_outlet()
    stock.transfer(db.session, ticket.outlet_id, other.id, part.id, 1, dispatcher)
    lines = stock.ledger(db.session, ticket.outlet_id, None, None, None, 10).items
    assert [(line.kind, line.quantity, line.balance_after) for line in lines] == [
        ("transfer_out", -1, 3), ("use", -1, 4), ("receipt", 5, 5)]
    assert (lines[0].other_outlet_name, lines[0].actor_name) == (other.name,
                                                                  dispatcher.display_name)
    assert (lines[1].ticket_number, lines[1].part_code) == (ticket.number, "P-1")


def test_the_ledger_pages_by_keyset(site):
    ticket, part, _technician, dispatcher = site
    for _ in range(3):
        stock.receive_stock(db.session, ticket.outlet_id, part.id, 1, dispatcher)
    first = stock.ledger(db.session, ticket.outlet_id, None, part.id, None, 2)
    second = stock.ledger(db.session, ticket.outlet_id, None, part.id, first.next_cursor, 2)
    assert [line.balance_after for line in first.items + second.items] == [8, 7, 6, 5]
    assert second.next_cursor is None


def test_the_ledger_is_one_query_whatever_its_length(site, count_queries):
    ticket, part, technician, dispatcher = site
    field_work.use_part(db.session, ticket, part.id, 1, technician)
    for _ in range(5):
        stock.receive_stock(db.session, ticket.outlet_id, part.id, 1, dispatcher)
    outlet_id = ticket.outlet_id
    db.session.commit()
    with count_queries() as statements:
        stock.ledger(db.session, outlet_id, None, None, None, 50)
    with count_queries() as holding_statements:
        stock.holdings(db.session, outlet_id, None)
    # the outlet's check, then the list
    assert (len(statements), len(holding_statements)) == (2, 2), statements


def test_a_transfer_is_in_the_audit_trail_when_it_commits(site):
    from aftersales.core.models import AuditEntry

    ticket, part, _technician, dispatcher = site
    out, into = stock.transfer(db.session, ticket.outlet_id, make_outlet().id, part.id, 1,
                               dispatcher)
    db.session.commit()
    audited = {(entry.record_type, entry.record_id) for entry in db.session.query(AuditEntry)}
    assert {("stock_movements", str(out.id)), ("stock_movements", str(into.id))} <= audited
    assert any(record_type == "stock_levels" for record_type, _id in audited)
