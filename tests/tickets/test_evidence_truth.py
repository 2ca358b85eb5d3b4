"""Work-order figures count what happened: clocks past due fail whether or not they
stopped, arrivals count only when a GPS stamp proves them within the rubric's limit, paid
work is compared with the quote the customer accepted, warranty follows the sold unit,
and long repairs are checked for a loaner. Each figure is worked out by hand."""

from datetime import timedelta

from aftersales.core.clock import utcnow
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets.models import Loaner, LoanerLoan, TicketPart
from tests.evidence.test_providers import measure, period, stamped_ticket
from tests.factories import make_outlet, make_product, make_serial

DAY = timedelta(days=1)


def ago(days: float):
    return utcnow() - timedelta(days=days)


# ---------------------------------------------------------------- clocks past due


def test_an_open_work_order_past_its_due_time_fails_the_resolution_figure():
    # One resolved on time, one still open 5 days past due: 1 of 2, not "100 %".
    stamped_ticket(state="resolved", resolved_at=ago(2), resolution_met=True)
    overdue = stamped_ticket(state="assigned", received_at=ago(10), resolution_due_at=ago(5))
    measured, failing = measure("tickets.resolution_sla")
    assert (measured.passed, measured.checked, failing) == (1, 2, [overdue.id])


def test_an_open_work_order_not_yet_due_and_a_cancelled_one_are_not_counted():
    stamped_ticket(state="resolved", resolved_at=ago(2), resolution_met=True)
    stamped_ticket(state="assigned", received_at=ago(1), resolution_due_at=utcnow() + DAY)
    stamped_ticket(state="cancelled", received_at=ago(10), resolution_due_at=ago(5))
    measured, _ = measure("tickets.resolution_sla")
    assert (measured.passed, measured.checked) == (1, 1)


def test_a_response_past_due_without_an_answer_fails_and_each_order_counts_once():
    # Answered in time (stopped and met), answered late (stopped, not met) and never
    # answered past due: 1 of 3.
    stamped_ticket(responded_at=ago(3), response_met=True, response_due_at=ago(3) + DAY)
    late = stamped_ticket(responded_at=ago(3), response_met=False, response_due_at=ago(4))
    silent = stamped_ticket(received_at=ago(6), response_due_at=ago(5), responded_at=None,
                            response_met=None)
    measured, failing = measure("tickets.response_sla")
    assert (measured.passed, measured.checked) == (1, 3)
    assert failing == sorted([late.id, silent.id])


def test_the_typed_figures_count_overdue_work_of_their_kind():
    stamped_ticket(type="installation", state="assigned", received_at=ago(10),
                   resolution_due_at=ago(3))
    measured, _ = measure("tickets.installation_sla")
    assert (measured.passed, measured.checked) == (0, 1)


# ---------------------------------------------------------------- emergency arrival


def test_an_emergency_counts_on_time_only_with_a_gps_proven_arrival_within_the_limit():
    received = ago(2)
    proven = stamped_ticket(priority="emergency", received_at=received,
                            arrival_verified_at=received + timedelta(minutes=90))
    # Typed at the desk as arrived in an hour, but no stamp proves it: fails.
    typed = stamped_ticket(priority="emergency", received_at=received,
                           arrived_at=received + timedelta(hours=1))
    measured, failing = measure("tickets.emergency_arrival")
    assert (measured.passed, measured.checked, failing) == (1, 2, [typed.id])
    rows = {row.id: row for row in db.session.execute(measured.detail)}
    assert float(rows[proven.id].hours_to_arrival) == 1.5


def test_the_arrival_limit_is_the_rubrics():
    received = ago(2)
    stamped_ticket(priority="emergency", received_at=received,
                   arrival_verified_at=received + timedelta(hours=3))
    from aftersales.evidence.compliance import registry

    within_four = period()
    within_four.memo["limits"] = {"tickets.emergency_arrival": 4}
    measured = registry.registered()["tickets.emergency_arrival"].func(
        db.session, within_four, 1.0)
    assert measured.passed == 1
    assert measure("tickets.emergency_arrival")[0].passed == 0  # 2 h by default


# ---------------------------------------------------------------- fee quote


def charge(ticket, *prices_fen):
    product = make_product()
    part = customer_services.create_part(db.session, product.id, f"P-{ticket.id}", "压缩机",
                                         "main", 100)
    for price in prices_fen:
        db.session.add(TicketPart(ticket_id=ticket.id, part_id=part.id, quantity=1,
                                  unit_price_fen=price, charged=True, used_at=ago(3)))
    db.session.commit()


def paid(quote_fen, accepted=True):
    ticket = stamped_ticket(state="resolved", resolved_at=ago(2), warranty_status="expired",
                            quote_fen=quote_fen, quote_accepted_at=ago(4) if accepted else None)
    return ticket


def test_paid_work_charged_above_the_accepted_quote_fails():
    # Quoted ¥180 and charged ¥150 + ¥50 = ¥200: above what the customer accepted.
    over = paid(18000)
    charge(over, 15000, 5000)
    within = paid(20000)
    charge(within, 15000, 5000)
    unaccepted = paid(30000, accepted=False)
    charge(unaccepted, 1000)
    measured, failing = measure("tickets.quote_before_paid_work")
    assert (measured.passed, measured.checked) == (1, 3)
    assert failing == sorted([over.id, unaccepted.id])
    detail = {row.id: row for row in db.session.execute(measured.detail)}
    assert (detail[over.id].charged_fen, detail[over.id].accepted_quote_fen) == (20000, 18000)


# ---------------------------------------------------------------- warranty


def test_a_unit_under_warranty_handled_as_paid_work_fails_the_warranty_figure():
    # Sold 2 months ago with a 12-month warranty, recorded as expired and charged.
    unit = make_serial(sold_on=(utcnow() - timedelta(days=60)).date())
    wrongly_paid = stamped_ticket(state="resolved", resolved_at=ago(2), serial_id=unit.id,
                                  warranty_status="expired")
    charge(wrongly_paid, 8000)
    honoured = stamped_ticket(state="resolved", resolved_at=ago(2), serial_id=unit.id,
                              warranty_status="in_warranty")
    measured, failing = measure("tickets.warranty_honoured")
    assert (measured.passed, measured.checked, failing) == (1, 2, [wrongly_paid.id])
    detail = {row.id: row for row in db.session.execute(measured.detail)}
    assert detail[wrongly_paid.id].charged_fen == 8000
    assert detail[honoured.id].handled_as == "in_warranty"


def test_a_unit_out_of_warranty_is_not_in_the_warranty_figure():
    unit = make_serial(sold_on=(utcnow() - timedelta(days=800)).date())
    stamped_ticket(state="resolved", resolved_at=ago(2), serial_id=unit.id,
                   warranty_status="expired")
    assert measure("tickets.warranty_honoured")[0].checked == 0


# ---------------------------------------------------------------- loaners


def lend_for(ticket):
    outlet = make_outlet()
    loaner = Loaner(outlet_id=outlet.id, asset_tag=f"LN-{ticket.id}", description="备用空调")
    db.session.add(loaner)
    db.session.flush()
    db.session.add(LoanerLoan(loaner_id=loaner.id, ticket_id=ticket.id, lent_at=ago(5),
                              due_back_at=ago(1)))
    db.session.commit()


def test_long_repairs_are_checked_for_a_loaner():
    # Resolved after 5 days with a loaner, after 4 days without one, open for 6 days
    # without one, and a one-day repair (not long): 1 of 3.
    with_loaner = stamped_ticket(state="resolved", received_at=ago(7), resolved_at=ago(2))
    lend_for(with_loaner)
    without = stamped_ticket(state="resolved", received_at=ago(6), resolved_at=ago(2))
    still_open = stamped_ticket(state="assigned", received_at=ago(6),
                                resolution_due_at=utcnow() + DAY)
    stamped_ticket(state="resolved", received_at=ago(3), resolved_at=ago(2),
                   resolution_met=True)
    measured, failing = measure("tickets.loaners_for_long_repairs")
    assert (measured.passed, measured.checked) == (1, 3)
    assert failing == sorted([without.id, still_open.id])


def test_no_long_repair_is_no_data():
    stamped_ticket(state="resolved", received_at=ago(3), resolved_at=ago(2),
                   resolution_met=True)
    assert measure("tickets.loaners_for_long_repairs")[0].value is None
