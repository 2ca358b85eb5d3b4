"""Every change of every business record is in the audit chain: each table is audited or
exempt here with its reason (a new table fails until it is one or the other), and changes
made by statements (bulk UPDATE, INSERT … SELECT, INSERT … ON CONFLICT) are recorded as
well as changes made through objects."""

from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from aftersales.core import audit
from aftersales.core.models import Audited, AuditEntry
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from aftersales.tickets import loaners
from aftersales.tickets.models import Loaner, TicketEvent
from tests.factories import home_outlet, make_ticket, make_user

EXEMPT = {
    "audit_chain_head": "the chain's own head: it is what the entries are chained by",
    "audit_entries": "the audit trail itself",
    "cities": "the national list of prefecture-level cities, reloaded from its published "
              "file (`aftersales outlets load-cities`); no one edits it",
    "customer_codes": "one-time codes to open a record on the portal: keyed hashes that "
                      "expire in minutes, swept a day later; what a code opened is recorded "
                      "as the customer's act",
    **dict.fromkeys(
        ("evidence_frozen_records", "evidence_frozen_rows", "evidence_frozen_sheets",
         "evidence_frozen_population"),
        "what a period froze, written once by the freeze: sealed by one digest in the "
        "period's audit entry (evidence/audit/seal.py) instead of an entry per row, which "
        "a year's freeze could not hold in memory"),
    "notifications": "messages to users about records (each change they tell of is in the "
                     "trail); their read and e-mail state is delivery bookkeeping",
    "portal_authenticity_checks": "anonymous look-ups counted for the channel's evidence: "
                                  "when and whether the code was ours, nothing else; "
                                  "nobody edits them",
    "rate_windows": "how many public look-ups each client address made in the current "
                    "window: throttling bookkeeping, swept hourly, no business meaning",
    "outgoing_messages": "messages to customers about records (each change they tell of is in "
                         "the trail); the row is its own record of what was sent and answered",
    "slot_bookings": "how many visits are booked in an outlet's window on a day: the counter "
                     "a booking takes its place from; each booking is on its work order's "
                     "audited window",
    "scheduler_lease": "which scheduler process acts now: coordination, renewed every few "
                       "seconds, no business meaning",
}


def audited_tables() -> set[str]:
    return {mapper.class_.__tablename__ for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, Audited)}


def test_every_table_is_audited_or_exempt_with_a_reason():
    tables = set(db.metadata.tables)
    assert sorted(tables - audited_tables() - set(EXEMPT)) == []
    assert sorted(set(EXEMPT) & audited_tables()) == []
    assert sorted(set(EXEMPT) - tables) == []


def entries(record_type: str, action: str) -> list[AuditEntry]:
    db.session.commit()
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == record_type, AuditEntry.action == action)))


def test_a_bulk_update_writes_an_entry_per_row_it_changed():
    outlet = home_outlet()
    units = [loaners.register_loaner(db.session, Scope(everywhere=True), outlet.id,
                                     f"LN-{n}", "备用空调", None) for n in range(3)]
    db.session.commit()
    db.session.execute(update(Loaner).where(Loaner.id.in_([units[0].id, units[1].id]))
                       .values(state="retired"))
    changed = entries("loaners", "update")
    assert sorted(entry.record_id for entry in changed) == sorted(
        [str(units[0].id), str(units[1].id)])
    assert '"state":"retired"' in changed[0].after_json


def test_a_bulk_delete_writes_what_was_deleted():
    outlet = home_outlet()
    unit = loaners.register_loaner(db.session, Scope(everywhere=True), outlet.id, "LN-X",
                                   "备用空调", None)
    db.session.commit()
    db.session.execute(delete(Loaner).where(Loaner.id == unit.id))
    [deleted] = entries("loaners", "delete")
    assert '"asset_tag":"LN-X"' in deleted.before_json


def test_an_insert_statement_writes_an_entry_per_row_and_returns_what_was_asked():
    ticket = make_ticket(actor=make_user("agent"))
    before = len(entries("ticket_events", "create"))
    event_id = db.session.scalar(insert(TicketEvent).values(
        ticket_id=ticket.id, actor_label="system", from_state="new", to_state="new", note="批量",
        at=ticket.received_at + timedelta(minutes=1)).returning(TicketEvent.id))
    created = entries("ticket_events", "create")
    assert len(created) == before + 1
    assert created[-1].record_id == str(event_id)


def test_an_update_that_matches_nothing_writes_nothing():
    home_outlet()
    db.session.execute(update(Loaner).where(Loaner.id == -1).values(state="retired"))
    assert entries("loaners", "update") == []


def test_the_chain_stays_whole_after_statement_changes():
    test_a_bulk_update_writes_an_entry_per_row_it_changed()
    assert audit.verify_chain(db.session)[1] is None
