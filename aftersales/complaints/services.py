"""Complaints: intake, the clocks and their pauses, handling from acknowledgement to the
customer's confirmation, reopening, attachments and the archive check.

Functions take a session and values, flush, and leave the commit to the caller.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from aftersales.complaints import clocks, jobs, settings
from aftersales.complaints.labels import BY_HAND
from aftersales.complaints.models import (
    CATEGORIES,
    CHANNELS,
    OPEN_STATES,
    SEVERITIES,
    Complaint,
    ComplaintAttachment,
    ComplaintClock,
    ComplaintEscalation,
    ComplaintEvent,
    ComplaintPause,
)
from aftersales.core import audit
from aftersales.core.audit import label_change
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import User
from aftersales.core.permissions import Scope
from aftersales.core.storage import storage
from aftersales.core.uploads import SCANS, check_upload, upload_limit
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.customers.attestations import AttestationChannel, AttestedStep
from aftersales.evidence import services as evidence_services
from aftersales.messaging import services as messaging
from aftersales.outlets import services as outlet_services
from aftersales.tickets import services as ticket_services

MAX_BACKDATING = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=5)
MAX_TEXT = 5000


def _actor_label(actor: User | None) -> str:
    # Without a person, whoever the request acts as: a job (system), the customer portal.
    return actor.username if actor is not None else audit.current_actor().label


def _event(session: Session, complaint: Complaint, actor: User | None, kind: str,
           text: str | None, at: datetime) -> None:
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id, cycle=complaint.cycle, at=at,
            actor_id=actor.id if actor else None, actor_label=_actor_label(actor), kind=kind,
            text=text or None,
        )
    )


def _text(value: str | None, field: str, message, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(message, field=field)
        return None
    if len(value) > MAX_TEXT:
        raise ValidationFailed(_l("At most %(count)d characters.", count=MAX_TEXT), field=field)
    return value


def _received_at(received_at: datetime | None, now: datetime) -> datetime:
    if received_at is None:
        return now
    if received_at.tzinfo is None:
        raise ValidationFailed(_l("Give the time with its zone."), field="received_at")
    if received_at > now + CLOCK_SKEW:
        raise ValidationFailed(_l("This time is in the future."), field="received_at")
    if now - received_at > MAX_BACKDATING:
        raise ValidationFailed(
            _l("Enter complaints within 30 days of receiving them."), field="received_at"
        )
    return min(received_at, now)


def _user(session: Session, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_enabled:
        raise ValidationFailed(_l("No such active user."), field=field)
    return user


# ---------------------------------------------------------------- intake


@dataclass(frozen=True)
class Intake:
    channel: str
    category: str
    severity: str
    customer_id: int
    summary: str
    description: str
    received_at: datetime | None = None
    received_by_id: int | None = None
    ticket_id: int | None = None
    product_id: int | None = None
    outlet_id: int | None = None
    handler_id: int | None = None
    external_ref: str | None = None


def open_complaint(session: Session, actor: User | None, intake: Intake,
                   now: datetime | None = None, calendar: str | None = None,
                   scope: Scope | None = None,
                   seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING,
                   ) -> Complaint:
    """Record a complaint from any channel and start its response and resolution clocks
    at the moment it was received (`now` is given only when replaying history). A work
    order or outlet it names must lie inside the recorder's `scope`; linked to a work
    order, it belongs to that order's outlet."""
    now = now or utcnow()
    for field, value, allowed in (
        ("channel", intake.channel, CHANNELS),
        ("category", intake.category, CATEGORIES),
        ("severity", intake.severity, SEVERITIES),
    ):
        if value not in allowed:
            raise ValidationFailed(_l("Not one of the listed values."), field=field)
    summary = _text(intake.summary, "summary", _l("Sum the complaint up in one line."))
    if len(summary) > 200:
        raise ValidationFailed(_l("At most %(count)d characters.", count=200), field="summary")
    description = _text(
        intake.description, "description", _l("Describe the complaint in the customer's words.")
    )
    received = _received_at(intake.received_at, now)
    customer = customer_services.get_customer(session, intake.customer_id, seen_by)
    product_id, outlet_id = intake.product_id, intake.outlet_id
    if intake.ticket_id is not None:
        ticket = ticket_services.get_ticket(session, intake.ticket_id, scope)
        if ticket.customer_id != customer.id:
            raise Conflict(_l("That work order belongs to another customer."), field="ticket_id")
        product_id = product_id or ticket.product_id
        outlet_id = outlet_id or ticket.outlet_id
    if product_id is not None:
        customer_services.get_product(session, product_id)
    if outlet_id is not None:
        outlet_services.get_outlet(session, outlet_id, scope)
    received_by = _user(session, intake.received_by_id, "received_by_id") or actor
    handler = _handler(session, intake.handler_id, outlet_id)
    complaint = Complaint(
        channel=intake.channel, category=intake.category, severity=intake.severity,
        state="received", calendar=calendar or settings.current().calendar_name, cycle=1,
        summary=summary, description=description,
        external_ref=(intake.external_ref or "").strip()[:100] or None,
        customer_id=customer.id, ticket_id=intake.ticket_id, product_id=product_id,
        outlet_id=outlet_id, received_at=received,
        received_by_id=received_by.id if received_by else None, entered_at=now,
        entered_by_id=actor.id if actor else None, handler_id=handler.id if handler else None,
        compensation_fen=0,
    )
    _link_to_neighbours(session, complaint)
    session.add(complaint)
    session.flush()
    _start_cycle(session, complaint, received)
    _event(session, complaint, actor, "received", None, now)
    session.flush()
    return complaint


def _link_to_neighbours(session: Session, complaint: Complaint) -> None:
    """Place a new complaint among its customer's, in received order (a new complaint
    comes after those received at the same moment): it keeps its predecessor's received
    time, and a complaint entered late becomes its successor's predecessor. The customer
    is locked first: two complaints taken at once would otherwise miss each other."""
    customer_services.lock_customer(session, complaint.customer_id)
    earlier = Complaint.received_at <= complaint.received_at
    of_customer = Complaint.customer_id == complaint.customer_id
    complaint.previous_received_at = session.scalar(
        select(Complaint.received_at).where(of_customer, earlier)
        .order_by(Complaint.received_at.desc()).limit(1))
    successor = session.scalar(
        select(Complaint).where(of_customer, ~earlier)
        .order_by(Complaint.received_at, Complaint.id).limit(1))
    if successor is not None:
        successor.previous_received_at = complaint.received_at


def _start_cycle(session: Session, complaint: Complaint, started_at: datetime) -> None:
    targets = settings.current().targets[complaint.severity]
    for kind, target in (("response", targets.response), ("resolution", targets.resolution)):
        name = clocks.calendar_of_clock(kind, complaint.calendar)
        calendar = clocks.calendar_named(session, name, complaint.outlet_id)
        due = calendar.add(started_at, target)
        session.add(
            ComplaintClock(
                complaint_id=complaint.id, cycle=complaint.cycle, kind=kind,
                calendar=name, started_at=started_at,
                target_seconds=int(target.total_seconds()), due_at=due, paused_seconds=0,
                calendar_guessed=calendar.guessed_between(started_at, due),
            )
        )
        if kind == "response":
            complaint.next_due_at = due


# ---------------------------------------------------------------- reading


def scoped(stmt: Select, scope: Scope | None) -> Select:
    return outlet_services.in_scope(stmt, scope, Complaint.outlet_id)


def get_complaint(session: Session, complaint_id: int, scope: Scope | None = None) -> Complaint:
    stmt = scoped(select(Complaint).where(Complaint.id == complaint_id), scope)
    complaint = session.scalar(stmt.execution_options(populate_existing=True))
    if complaint is None:
        raise NotFound(_l("No such complaint."))
    return complaint


def _by_complaint(session: Session, model, complaint_ids: list[int], *order) -> dict[int, list]:
    """Rows of `model` for each of these complaints, in `order`, in one query."""
    found: dict[int, list] = defaultdict(list)
    if complaint_ids:
        for row in session.scalars(select(model).where(model.complaint_id.in_(complaint_ids))
                                   .order_by(*order)):
            found[row.complaint_id].append(row)
    return found


def clocks_of(session: Session, complaint_id: int) -> list[ComplaintClock]:
    """Every clock of every cycle, the oldest cycle first: the clock history."""
    return clocks_by_complaint(session, [complaint_id]).get(complaint_id, [])


def clocks_by_complaint(session: Session, complaint_ids: list[int]
                        ) -> dict[int, list[ComplaintClock]]:
    return _by_complaint(session, ComplaintClock, complaint_ids, ComplaintClock.cycle,
                         ComplaintClock.id)


def running_clocks_of(session: Session, complaint_ids: list[int]) -> list[ComplaintClock]:
    """The clocks still running of the current cycle of these complaints, one query."""
    if not complaint_ids:
        return []
    return list(
        session.scalars(
            select(ComplaintClock)
            .join(Complaint, and_(Complaint.id == ComplaintClock.complaint_id,
                                  Complaint.cycle == ComplaintClock.cycle))
            .where(ComplaintClock.complaint_id.in_(complaint_ids),
                   ComplaintClock.stopped_at.is_(None))
        )
    )


def pauses_of(session: Session, complaint_id: int) -> list[ComplaintPause]:
    return pauses_by_complaint(session, [complaint_id]).get(complaint_id, [])


def pauses_by_complaint(session: Session, complaint_ids: list[int]
                        ) -> dict[int, list[ComplaintPause]]:
    return _by_complaint(session, ComplaintPause, complaint_ids, ComplaintPause.id)


def timeline(session: Session, complaint_id: int) -> list[ComplaintEvent]:
    return timelines(session, [complaint_id]).get(complaint_id, [])


def timelines(session: Session, complaint_ids: list[int]) -> dict[int, list[ComplaintEvent]]:
    return _by_complaint(session, ComplaintEvent, complaint_ids, ComplaintEvent.id)


def escalations_of(session: Session, complaint_id: int) -> list[ComplaintEscalation]:
    return escalations_by_complaint(session, [complaint_id]).get(complaint_id, [])


def escalations_by_complaint(session: Session, complaint_ids: list[int]
                             ) -> dict[int, list[ComplaintEscalation]]:
    return _by_complaint(session, ComplaintEscalation, complaint_ids, ComplaintEscalation.id)


def attachments_of(session: Session, complaint_id: int) -> list[ComplaintAttachment]:
    return list(
        session.scalars(
            select(ComplaintAttachment)
            .where(ComplaintAttachment.complaint_id == complaint_id)
            .order_by(ComplaintAttachment.id)
        )
    )


def cycle_pauses(session: Session, complaint: Complaint) -> list[clocks.Pause]:
    rows = session.execute(
        select(ComplaintPause.started_at, ComplaintPause.ended_at)
        .where(ComplaintPause.complaint_id == complaint.id,
               ComplaintPause.cycle == complaint.cycle)
        .order_by(ComplaintPause.started_at)
    )
    return [(start, end) for start, end in rows]


def _running_clocks(session: Session, complaint: Complaint) -> dict[str, ComplaintClock]:
    rows = session.scalars(
        select(ComplaintClock).where(
            ComplaintClock.complaint_id == complaint.id,
            ComplaintClock.cycle == complaint.cycle,
        )
    )
    return {clock.kind: clock for clock in rows}


# ---------------------------------------------------------------- the clocks


def _refresh_due(session: Session, complaint: Complaint, now: datetime) -> None:
    """Move the due times of the running clocks by the pauses of this cycle."""
    pauses = cycle_pauses(session, complaint)
    for clock in _running_clocks(session, complaint).values():
        if clock.stopped_at is None:
            recompute_due(session, complaint, clock, pauses)
            clock.paused_seconds = clocks.paused_seconds(pauses, now)
    set_next_due(session, complaint)


def recompute_due(session: Session, complaint: Complaint, clock: ComplaintClock,
                   pauses: list[clocks.Pause]) -> None:
    calendar = clocks.calendar_named(session, clock.calendar, complaint.outlet_id)
    clock.due_at = calendar.add(clock.started_at, timedelta(seconds=clock.target_seconds), pauses)
    clock.calendar_guessed = calendar.guessed_between(
        clock.started_at, clock.due_at or max(clock.started_at, utcnow()))


def set_next_due(session: Session, complaint: Complaint) -> None:
    running = _running_clocks(session, complaint)
    if complaint.state == "received":
        complaint.next_due_at = running["response"].due_at
    elif complaint.state == "acknowledged":
        complaint.next_due_at = running["resolution"].due_at
    else:
        complaint.next_due_at = None


def _stop(session: Session, complaint: Complaint, kind: str, now: datetime) -> ComplaintClock:
    pauses = cycle_pauses(session, complaint)
    clock = _running_clocks(session, complaint)[kind]
    calendar = clocks.calendar_named(session, clock.calendar, complaint.outlet_id)
    result = clocks.outcome(
        calendar, clock.started_at, timedelta(seconds=clock.target_seconds), now, pauses,
    )
    clock.stopped_at = now
    clock.met = result.met
    clock.elapsed_seconds = result.elapsed_seconds
    clock.variance_seconds = result.variance_seconds
    clock.paused_seconds = clocks.paused_seconds(pauses, now)
    clock.due_at = calendar.add(
        clock.started_at, timedelta(seconds=clock.target_seconds),
        [(start, end or now) for start, end in pauses],
    )
    clock.calendar_guessed = calendar.guessed_between(clock.started_at, max(clock.due_at, now))
    _keep_outcome(complaint, clock)
    return clock


def _keep_outcome(complaint: Complaint, clock: ComplaintClock) -> None:
    """What the board reads of a stopped clock, on the complaint: the first cycle's
    response, the current cycle's resolution."""
    if clock.kind == "response" and clock.cycle == 1:
        complaint.first_response_met = clock.met
        complaint.first_response_seconds = clock.elapsed_seconds
    elif clock.kind == "resolution":
        complaint.resolution_met = clock.met
        complaint.resolution_seconds = clock.elapsed_seconds


def _require_state(complaint: Complaint, allowed: tuple[str, ...], message) -> None:
    if complaint.state not in allowed:
        raise Conflict(message, field="state")


def _now(now: datetime | None, complaint: Complaint) -> datetime:
    now = now or utcnow()
    return max(now, complaint.received_at)


# ---------------------------------------------------------------- handling


def _handler(session: Session, user_id: int | None, outlet_id: int | None) -> User | None:
    """An enabled user who may handle complaints of this outlet, or None when none is
    named: assigning one who cannot open the complaint would hide it while it runs."""
    handler = _user(session, user_id, "handler_id")
    if handler is not None and not outlet_services.may_act_at(
            session, handler, "complaints.handle", outlet_id):
        raise ValidationFailed(
            _l("%(name)s cannot handle complaints of this outlet.", name=handler.display_name),
            field="handler_id")
    return handler


def assign(session: Session, complaint: Complaint, actor: User | None, handler_id: int) -> None:
    handler = _handler(session, handler_id, complaint.outlet_id)
    complaint.handler_id = handler.id
    label_change(session, complaint, "assigned")
    _event(session, complaint, actor, "note", f"→ {handler.display_name}", utcnow())
    session.flush()


def acknowledge(session: Session, complaint: Complaint, actor: User | None, text: str,
                now: datetime | None = None) -> ComplaintClock:
    """The first response to the customer: stops the response clock (met or failed)."""
    _require_state(complaint, ("received",), _l("This complaint has had its response."))
    text = _text(text, "text", _l("Say what the customer was told."))
    now = _now(now, complaint)
    with session.no_autoflush:
        clock = _stop(session, complaint, "response", now)
        complaint.state = "acknowledged"
        if complaint.acknowledged_at is None:
            complaint.acknowledged_at = now
        complaint.acknowledgement = text
        if complaint.handler_id is None and actor is not None:
            complaint.handler_id = actor.id
        set_next_due(session, complaint)
        _event(session, complaint, actor, "acknowledged", text, now)
        label_change(session, complaint, "acknowledged")
    session.flush()
    return clock


def add_note(session: Session, complaint: Complaint, actor: User | None, text: str,
             now: datetime | None = None) -> None:
    """An investigation note on the timeline."""
    text = _text(text, "text", _l("Write the note."))
    _event(session, complaint, actor, "note", text, now or utcnow())
    session.flush()


LADDER_LEVELS = ("handler", "supervisor", "manager")  # who is above whom


def next_level(session: Session, complaint: Complaint) -> str | None:
    """The level above the highest one this cycle has reached (by the ladder or by hand);
    None at the top."""
    reached = set(session.scalars(
        select(ComplaintEscalation.recipient_role).where(
            ComplaintEscalation.complaint_id == complaint.id,
            ComplaintEscalation.cycle == complaint.cycle)))
    top = max((LADDER_LEVELS.index(role) for role in reached if role in LADDER_LEVELS),
              default=0)
    return LADDER_LEVELS[top + 1] if top + 1 < len(LADDER_LEVELS) else None


def escalate_by_hand(session: Session, complaint: Complaint, actor: User, reason: str,
                     now: datetime | None = None) -> str:
    """The handler sends the complaint up the ladder now (supervisor, then manager), with a
    reason: one ledger entry, one notification per person, a timeline line. Returns the
    level reached."""
    _require_state(complaint, OPEN_STATES, _l("A closed complaint is not escalated."))
    reason = _text(reason, "reason", _l("Say why the complaint goes up."))
    level = next_level(session, complaint)
    recipients = set(jobs.recipients_of(session, complaint, level)) if level else set()
    if not recipients:
        raise Conflict(_l("There is nobody above to escalate to."), field="escalation")
    now = _now(now, complaint)
    clock = "response" if complaint.state == "received" else "resolution"
    subject = _l("Complaint %(number)s escalated by %(name)s",
                 number=complaint.number, name=actor.display_name)
    body = _l("%(summary)s\n%(reason)s", summary=complaint.summary, reason=reason)
    rung = jobs.Rung(f"{BY_HAND}{level}", clock, level, now, subject, body)
    if jobs.record_rung(session, complaint, rung, recipients, now, actor, reason) is None:
        raise Conflict(_l("The complaint has just been escalated."), field="escalation")
    return level


def pause(session: Session, complaint: Complaint, actor: User | None, reason: str,
          now: datetime | None = None) -> ComplaintPause:
    """Waiting for the customer: the running clocks stand still, and the pause is logged."""
    _require_state(complaint, OPEN_STATES, _l("Only an open complaint can wait."))
    if complaint.paused_since is not None:
        raise Conflict(_l("The complaint is waiting already."), field="state")
    reason = _text(reason, "reason", _l("Say what the complaint waits for."))[:200]
    now = _now(now, complaint)
    row = ComplaintPause(complaint_id=complaint.id, cycle=complaint.cycle, started_at=now,
                         reason=reason, started_by_id=actor.id if actor else None)
    session.add(row)
    complaint.paused_since = now
    session.flush()
    _refresh_due(session, complaint, now)
    _event(session, complaint, actor, "paused", reason, now)
    label_change(session, complaint, "paused")
    session.flush()
    return row


def resume(session: Session, complaint: Complaint, actor: User | None,
           now: datetime | None = None) -> ComplaintPause:
    """The wait is over: the clocks run again, due exactly the paused time later."""
    row = session.scalar(
        select(ComplaintPause).where(
            ComplaintPause.complaint_id == complaint.id, ComplaintPause.ended_at.is_(None)
        )
    )
    if row is None:
        raise Conflict(_l("The complaint is not waiting."), field="state")
    now = max(_now(now, complaint), row.started_at)
    row.ended_at = now
    row.ended_by_id = actor.id if actor else None
    complaint.paused_since = None
    session.flush()
    _refresh_due(session, complaint, now)
    _event(session, complaint, actor, "resumed", None, now)
    label_change(session, complaint, "resumed")
    session.flush()
    return row


def _end_open_pause(session: Session, complaint: Complaint, actor: User | None,
                    now: datetime) -> None:
    if complaint.paused_since is not None:
        resume(session, complaint, actor, now)


@dataclass(frozen=True)
class Resolution:
    resolution: str
    root_cause: str
    corrective_action: str | None = None
    compensation_fen: int = 0
    compensation_note: str | None = None
    improvement_action_id: int | None = None


def resolve(session: Session, complaint: Complaint, actor: User | None, values: Resolution,
            now: datetime | None = None) -> ComplaintClock:
    """What was done and why it happened: stops the resolution clock."""
    _require_state(complaint, ("acknowledged",),
                   _l("Respond to the customer before resolving the complaint."))
    resolution = _text(values.resolution, "resolution", _l("Say how the complaint was resolved."))
    root_cause = _text(values.root_cause, "root_cause", _l("Give the root cause found."))
    corrective = _text(values.corrective_action, "corrective_action", None, required=False)
    if values.compensation_fen < 0:
        raise ValidationFailed(_l("Compensation cannot be negative."), field="compensation_fen")
    if values.improvement_action_id is not None and not evidence_services.action_titles(
            session, {values.improvement_action_id}):
        raise ValidationFailed(_l("There is no such improvement action."),
                               field="improvement_action_id")
    now = _now(now, complaint)
    _end_open_pause(session, complaint, actor, now)
    with session.no_autoflush:
        clock = _stop(session, complaint, "resolution", now)
        complaint.state = "resolved"
        complaint.resolved_at = now
        complaint.resolution = resolution
        complaint.root_cause = root_cause
        complaint.corrective_action = corrective
        complaint.improvement_action_id = values.improvement_action_id
        complaint.compensation_fen = values.compensation_fen
        complaint.compensation_note = (values.compensation_note or "").strip()[:200] or None
        complaint.next_due_at = None
        _event(session, complaint, actor, "resolved", resolution, now)
        label_change(session, complaint, "resolved")
    session.flush()
    _ask_customer_to_confirm(session, complaint, now)
    return clock


CONFIRMATION_LINK_LIFETIME = timedelta(days=7)


def _ask_customer_to_confirm(session: Session, complaint: Complaint, now: datetime) -> None:
    """Send the customer a one-time link to accept the resolution, or say it is not, from
    their own phone (portal/confirm_views.py). A resolution recorded so late that the link
    would have expired already asks nothing."""
    if now + CONFIRMATION_LINK_LIFETIME <= utcnow():
        return
    token = attestations.issue_link(
        session, step=AttestedStep.CONFIRM_RESOLUTION, record_type="complaint",
        record_id=complaint.id, customer_id=complaint.customer_id,
        channel=AttestationChannel.SMS_LINK, lifetime=CONFIRMATION_LINK_LIFETIME, now=now)
    messaging.send(session, template="resolution_to_confirm", channel="sms", essential=True,
                   customer_id=complaint.customer_id,
                   values={"number": complaint.number,
                           "link": attestations.link_address(token)})


def mediate(session: Session, complaint: Complaint, actor: User | None, mediator: str,
            note: str, now: datetime | None = None) -> None:
    """A dispute taken to a mediator (clause 5.3.2.3): who, and what came of it."""
    _require_state(complaint, ("received", "acknowledged", "resolved"),
                   _l("A closed complaint takes no mediation; reopen it first."))
    mediator = _text(mediator, "mediator", _l("Name the mediator."))[:100]
    note = _text(note, "mediation_note", _l("Say what the mediation found."))
    complaint.mediator = mediator
    complaint.mediation_note = note
    _event(session, complaint, actor, "mediated", f"{mediator}: {note}", now or utcnow())
    label_change(session, complaint, "mediated")
    session.flush()


def confirm(session: Session, complaint: Complaint, actor: User | None, accepted: bool,
            satisfaction: int | None, feedback: str | None,
            now: datetime | None = None) -> None:
    """The customer's word on the resolution: accepted closes the complaint; refused
    reopens it with a new cycle of clocks."""
    _require_state(complaint, ("resolved",), _l("Only a resolved complaint is confirmed."))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ValidationFailed(_l("Give a score from 1 to 5."), field="satisfaction")
    feedback = _text(feedback, "feedback", None, required=False)
    now = _now(now, complaint)
    if not accepted:
        reopen(session, complaint, actor, feedback or str(_l("The customer refused.")), now)
        return
    complaint.customer_confirmed_at = now
    complaint.satisfaction = satisfaction
    complaint.customer_feedback = feedback
    complaint.state = "closed"
    complaint.closed_at = now
    _event(session, complaint, actor, "confirmed", feedback, now)
    label_change(session, complaint, "confirmed")
    session.flush()


def close(session: Session, complaint: Complaint, actor: User | None, note: str,
          now: datetime | None = None) -> None:
    """Close without the customer's confirmation (unreachable): the archive check will
    list the confirmation as missing."""
    _require_state(complaint, ("resolved",), _l("Only a resolved complaint is closed."))
    note = _text(note, "note", _l("Say why the customer did not confirm."))
    now = _now(now, complaint)
    complaint.state = "closed"
    complaint.closed_at = now
    _event(session, complaint, actor, "closed", note, now)
    label_change(session, complaint, "closed")
    session.flush()


def reopen(session: Session, complaint: Complaint, actor: User | None, reason: str,
           now: datetime | None = None) -> None:
    """The customer is not satisfied: a new cycle starts with fresh response and resolution
    clocks; the clocks, pauses and escalations of earlier cycles stay as they were."""
    _require_state(complaint, ("resolved", "closed"), _l("Only a resolved or closed complaint "
                                                         "is reopened."))
    reason = _text(reason, "reason", _l("Say why the complaint is reopened."))
    now = _now(now, complaint)
    with session.no_autoflush:
        complaint.cycle += 1
        complaint.state = "received"
        complaint.resolved_at = None
        complaint.closed_at = None
        complaint.customer_confirmed_at = None
        complaint.satisfaction = None
        complaint.customer_feedback = None
        complaint.resolution_met = complaint.resolution_seconds = None
        _start_cycle(session, complaint, now)
        _event(session, complaint, actor, "reopened", reason, now)
        label_change(session, complaint, "reopened")
    session.flush()


def attach(session: Session, complaint: Complaint, actor: User | None, filename: str,
           data: bytes, now: datetime | None = None) -> ComplaintAttachment:
    """Keep a letter, photo or PDF: PDF, PNG or JPEG by content, within the upload limit."""
    media_type = check_upload(data, SCANS, upload_limit())
    name = (filename or "attachment").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    row = ComplaintAttachment(
        complaint_id=complaint.id, filename=name or "attachment", media_type=media_type,
        size_bytes=len(data), sha256=storage().write(data),
        uploaded_by_id=actor.id if actor else None, uploaded_at=now or utcnow(),
    )
    session.add(row)
    _event(session, complaint, actor, "attached", row.filename, row.uploaded_at)
    session.flush()
    return row


def get_attachment(session: Session, complaint: Complaint, attachment_id: int
                   ) -> ComplaintAttachment:
    row = session.get(ComplaintAttachment, attachment_id)
    if row is None or row.complaint_id != complaint.id:
        raise NotFound(_l("No such attachment."))
    return row


def attachment_content(row: ComplaintAttachment) -> bytes:
    try:
        return storage().read(row.sha256)
    except KeyError as error:
        raise NotFound(_l("No such attachment.")) from error
