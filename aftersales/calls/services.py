"""The call log: logging calls, the callback queue and the hotline figures.

Functions take a session and values, flush, and leave the commit to the caller.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from aftersales.calls import settings
from aftersales.calls.models import DIRECTIONS, OUTCOMES, UNANSWERED, Call
from aftersales.core.audit import label_change
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import RoleGrant, User
from aftersales.core.pagination import Page, decode_cursor, encode_cursor
from aftersales.core.permissions import roles_granting
from aftersales.core.types import epoch_seconds
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility

ANSWER_RATE_TARGET = 1.0  # GB/T 27922: every call in hotline hours answered
CLOCK_SKEW = timedelta(minutes=5)  # a call-centre clock slightly ahead is not an error
LONGEST_CALL = timedelta(hours=24)
MAX_NOTE = 2000

# ---------------------------------------------------------------- numbers and customers

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")  # 0 + 2-3 digit area code + 7-8 digit number


def normalise_number(raw: str, strict: bool = True) -> str:
    """The digits of a caller's number, +86 dropped: "+86 139-1234-5678" -> "13912345678",
    "010-62345678" -> "01062345678". Strict (a person typing) accepts Chinese mobile and
    landline numbers only; imports keep whatever digits the call centre recorded."""
    compact = re.sub(r"[\s()\-.]", "", raw or "")
    national = compact.removeprefix("+86").removeprefix("0086")
    if len(national) == 13 and national.startswith("86") and MOBILE.match(national[2:]):
        national = national[2:]
    if national != compact and national[:1].isdigit() and not MOBILE.match(national):
        national = "0" + national.removeprefix("0")  # +86 10 6234 5678: a Beijing landline
    compact = national
    digits = re.sub(r"\D", "", compact)
    if strict and not (digits == compact and (MOBILE.match(digits) or LANDLINE.match(digits))):
        raise ValidationFailed(
            _l("Not a Chinese mobile (11 digits, 1xx) or landline (0xx-xxxxxxxx) number."),
            field="caller_number",
        )
    if not 3 <= len(digits) <= 20:
        raise ValidationFailed(_l("Give the number as 3 to 20 digits."), field="caller_number")
    return digits


def _phone_forms(digits: str) -> list[str]:
    """How a customer's phone may be stored for these digits (landlines with or
    without the dash after the area code)."""
    forms = [digits]
    if digits.startswith("0"):
        forms += [f"{digits[:3]}-{digits[3:]}", f"{digits[:4]}-{digits[4:]}"]
    return forms


def match_customers(session: Session, numbers: Iterable[str]) -> dict[str, int]:
    """Customer id per number, for the numbers that match a customer's phone."""
    by_form = {form: number for number in set(numbers) for form in _phone_forms(number)}
    owners = customer_services.customer_ids_by_phone(session, list(by_form))
    matched: dict[str, int] = {}
    for form, customer_id in owners.items():
        number = by_form[form]
        matched[number] = max(customer_id, matched.get(number, 0))
    return matched


# ---------------------------------------------------------------- logging a call


@dataclass(frozen=True)
class CallDraft:
    """The values of a call as the call centre or the agent gives them."""

    direction: str
    caller_number: str
    queued_at: datetime | None
    outcome: str
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    agent_id: int | None = None
    note: str = ""
    callback_of_id: int | None = None


class InvalidCall(ValidationFailed):
    """Every bad field of a call at once, so a form can mark them all."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(_l("The call was not logged: correct the marked fields."))
        self.problems = problems

    @property
    def errors(self) -> dict[str, list[str]]:
        return {field: [str(reason)] for field, reason in self.problems.items()}


def check_call(draft: CallDraft, now: datetime, strict_number: bool = True) -> dict[str, str]:
    """The field errors of a call (empty when it may be logged), without the database."""
    problems: dict[str, str] = {}
    if draft.direction not in DIRECTIONS:
        problems["direction"] = _l("Use inbound or outbound.")
    if draft.outcome not in OUTCOMES:
        problems["outcome"] = _l("Use answered, missed, abandoned or called_back.")
    elif draft.direction == "outbound" and draft.outcome not in ("answered", "missed"):
        problems["outcome"] = _l("An outbound call is answered or missed.")
    try:
        normalise_number(draft.caller_number, strict_number)
    except ValidationFailed as problem:
        problems["caller_number"] = problem.message
    for name in ("queued_at", "answered_at", "ended_at"):
        moment = getattr(draft, name)
        if moment is not None and moment.tzinfo is None:
            problems[name] = _l("Give the time with its zone.")
    if problems.keys() & {"queued_at", "answered_at", "ended_at"}:
        return problems
    queued, answered, ended = draft.queued_at, draft.answered_at, draft.ended_at
    if queued is None:
        problems["queued_at"] = _l("Give when the call came in.")
        return problems
    if queued > now + CLOCK_SKEW:
        problems["queued_at"] = _l("This time is in the future.")
    if draft.outcome == "answered" and answered is None:
        problems["answered_at"] = _l("An answered call needs the time it was answered.")
    elif draft.outcome in OUTCOMES and draft.outcome != "answered" and answered is not None:
        problems["answered_at"] = _l("Only an answered call has an answer time.")
    elif answered is not None and answered < queued:
        problems["answered_at"] = _l("Answered before the call came in.")
    elif answered is not None and answered - queued > LONGEST_CALL:
        problems["answered_at"] = _l("More than a day after the call came in.")
    if ended is None and answered is None and draft.outcome != "answered":
        problems["ended_at"] = _l("Give when the unanswered call ended.")
    elif ended is not None and ended < queued:
        problems["ended_at"] = _l("Ended before the call came in.")
    elif ended is not None and answered is not None and ended < answered:
        problems["ended_at"] = _l("Ended before it was answered.")
    elif ended is not None and ended - queued > LONGEST_CALL:
        problems["ended_at"] = _l("More than a day after the call came in.")
    if len(draft.note) > MAX_NOTE:
        problems["note"] = _l("At most %(count)d characters.", count=MAX_NOTE)
    return problems


def wait_seconds(queued_at: datetime, answered_at: datetime | None, ended_at: datetime) -> int:
    """How long the caller waited: until answered, or until they gave up."""
    until = answered_at if answered_at is not None else ended_at
    return max(0, round((until - queued_at).total_seconds()))


def _build(draft: CallDraft, customer_id: int | None, hours: settings.HotlineHours) -> Call:
    return Call(
        direction=draft.direction,
        caller_number=normalise_number(draft.caller_number, strict=False),
        queued_at=draft.queued_at,
        answered_at=draft.answered_at,
        ended_at=draft.ended_at,
        wait_seconds=wait_seconds(draft.queued_at, draft.answered_at, draft.ended_at),
        outcome=draft.outcome,
        agent_id=draft.agent_id,
        customer_id=customer_id,
        within_hotline_hours=hours.contains(draft.queued_at),
        callback_of_id=draft.callback_of_id,
        note=draft.note.strip(),
    )


def _unknown_agents(session: Session, agent_ids: set[int]) -> set[int]:
    if not agent_ids:
        return set()
    known = session.scalars(select(User.id).where(User.id.in_(agent_ids)))
    return agent_ids - set(known)


def log_call(
    session: Session,
    draft: CallDraft,
    strict_number: bool = True,
    hours: settings.HotlineHours | None = None,
) -> Call:
    """Log one call: validated, its wait and hotline-hours flag computed, its customer
    matched by phone. An answered callback marks the missed call it returns."""
    problems = check_call(draft, utcnow(), strict_number)
    if draft.agent_id is not None and _unknown_agents(session, {draft.agent_id}):
        problems["agent_id"] = _l("No such user.")
    missed = None
    if draft.callback_of_id is not None:
        missed = session.get(Call, draft.callback_of_id)
        if missed is None or missed.direction != "inbound":
            problems["callback_of_id"] = _l("No such inbound call.")
        elif draft.direction != "outbound":
            problems["callback_of_id"] = _l("Only an outbound call returns a missed call.")
        elif "queued_at" not in problems and draft.queued_at <= missed.queued_at:
            problems["queued_at"] = _l("A callback comes after the call it returns.")
    if problems:
        raise InvalidCall(problems)
    number = normalise_number(draft.caller_number, strict=False)
    call = _build(draft, match_customers(session, [number]).get(number),
                  hours or settings.current().hotline_hours)
    session.add(call)
    if missed is not None and call.outcome == "answered" and missed.outcome in UNANSWERED:
        missed.outcome = "called_back"
        label_change(session, missed, "called_back")
    session.flush()
    settle_callbacks(session, [call])
    return call


class InvalidCalls(ValidationFailed):
    """The bad calls of a batch, by position: {index: {field: reason}}."""

    def __init__(self, problems: dict[int, dict[str, str]]):
        super().__init__(_l("Some calls are invalid; none was logged."))
        self.problems = problems

    @property
    def errors(self) -> dict[str, list[str]]:
        return {
            f"{index}.{field}": [str(reason)]
            for index, fields in self.problems.items()
            for field, reason in fields.items()
        }


def log_calls(
    session: Session,
    drafts: Sequence[CallDraft],
    strict_number: bool = False,
    hours: settings.HotlineHours | None = None,
) -> list[Call]:
    """Log many calls in one flush (imports, demo data); all or none. InvalidCalls names
    the bad ones by their position in `drafts`. Callback links are not taken here."""
    now, hours = utcnow(), hours or settings.current().hotline_hours
    problems: dict[int, dict[str, str]] = {}
    for index, draft in enumerate(drafts):
        found = check_call(draft, now, strict_number)
        if draft.callback_of_id is not None:
            found["callback_of_id"] = _l("Log callbacks one at a time.")
        if found:
            problems[index] = found
    unknown = _unknown_agents(session, {d.agent_id for d in drafts if d.agent_id is not None})
    for index, draft in enumerate(drafts):
        if draft.agent_id in unknown:
            problems.setdefault(index, {})["agent_id"] = _l("No such user.")
    if problems:
        raise InvalidCalls(problems)
    drafts = [
        replace(d, caller_number=normalise_number(d.caller_number, strict=False)) for d in drafts
    ]
    customers = match_customers(session, (draft.caller_number for draft in drafts))
    calls = [_build(draft, customers.get(draft.caller_number), hours) for draft in drafts]
    session.add_all(calls)
    session.flush()
    settle_callbacks(session, calls)
    return calls


def get_call(session: Session, call_id: int,
             seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING) -> Call:
    """One call, if its customer is one the reader may see (404 otherwise, as if none)."""
    call = session.scalar(select(Call).where(Call.id == call_id,
                                             seen_by.condition(Call.customer_id)))
    if call is None:
        raise NotFound(_l("No such call."))
    return call


def call_back(
    session: Session,
    call_id: int,
    queued_at: datetime,
    outcome: str = "answered",
    answered_at: datetime | None = None,
    ended_at: datetime | None = None,
    agent_id: int | None = None,
    note: str = "",
    seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING,
) -> Call:
    """Return a missed call: log the outbound call to its number. Reached (answered),
    the missed call is marked called back and leaves the queue; not reached, it stays
    and the attempt is counted. Only a call the agent may see can be returned."""
    # Locked (PostgreSQL), so two agents pressing "called back" at once log it once.
    missed = session.scalar(
        select(Call).where(Call.id == call_id, seen_by.condition(Call.customer_id))
        .with_for_update().execution_options(populate_existing=True))
    if missed is None:
        raise NotFound(_l("No such call."))
    if missed.direction != "inbound" or missed.outcome not in UNANSWERED:
        raise Conflict(_l("This call is not waiting for a callback."), field="callback_of_id")
    draft = CallDraft(
        direction="outbound",
        caller_number=missed.caller_number,
        queued_at=queued_at,
        outcome=outcome,
        answered_at=answered_at,
        ended_at=ended_at,
        agent_id=agent_id,
        note=note,
        callback_of_id=missed.id,
    )
    return log_call(session, draft, strict_number=False)


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class CallFilters:
    start: datetime | None = None  # queued at or after
    end: datetime | None = None  # queued before
    outcome: str | None = None
    direction: str | None = None
    agent_id: int | None = None
    caller_number: str | None = None
    call_id: int | None = None  # one call (the compliance drill-down opens the log at it)


def local_period(first_day: date | None, last_day: date | None):
    """Local calendar days (Asia/Shanghai), both included, as [start, end) in UTC."""
    start = datetime.combine(first_day, time(), DEFAULT_ZONE) if first_day else None
    end = (
        datetime.combine(last_day + timedelta(days=1), time(), DEFAULT_ZONE)
        if last_day
        else None
    )
    if start is not None and end is not None and end <= start:
        raise ValidationFailed(_l("The period ends before it starts."), field="to")
    return start, end


def list_calls(session: Session, filters: CallFilters, cursor: str | None, limit: int,
               seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING) -> Page:
    """The call log, the latest call first: for scoped staff, the calls of customers
    linked to work in their scope (a caller's number is personal data too)."""
    stmt = (select(Call).options(selectinload(Call.agent), selectinload(Call.customer))
            .where(seen_by.condition(Call.customer_id)))
    if filters.start is not None:
        stmt = stmt.where(Call.queued_at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(Call.queued_at < filters.end)
    if filters.outcome:
        stmt = stmt.where(Call.outcome == filters.outcome)
    if filters.direction:
        stmt = stmt.where(Call.direction == filters.direction)
    if filters.agent_id is not None:
        stmt = stmt.where(Call.agent_id == filters.agent_id)
    if filters.call_id is not None:
        stmt = stmt.where(Call.id == filters.call_id)
    if filters.caller_number:
        stmt = stmt.where(
            Call.caller_number == normalise_number(filters.caller_number, strict=False)
        )
    return _by_time_page(session, stmt, cursor, limit, newest_first=True)


def _by_time_page(session: Session, stmt, cursor: str | None, limit: int, newest_first: bool):
    """Keyset pagination on (queued_at, id): calls in the order they came in, whenever
    they were logged (imports add old calls late, so id order is not time order).
    The cursor is core.pagination's, carrying the id of the last call shown."""
    if cursor is not None:
        after = decode_cursor(cursor)
        anchor = select(Call.queued_at).where(Call.id == after).scalar_subquery()
        if newest_first:
            beyond = or_(Call.queued_at < anchor, and_(Call.queued_at == anchor, Call.id < after))
        else:
            beyond = or_(Call.queued_at > anchor, and_(Call.queued_at == anchor, Call.id > after))
        stmt = stmt.where(beyond)
    order = (Call.queued_at.desc(), Call.id.desc()) if newest_first else (Call.queued_at, Call.id)
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def call_takers(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the people who may log calls, for pickers and filters."""
    roles = roles_granting("calls.write")
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.grants.any(RoleGrant.role.in_(roles)))
        .order_by(User.display_name)
    )
    return [tuple(row) for row in rows]


# ---------------------------------------------------------------- the callback queue


def _first_callback(missed):
    """When an answered outbound call first returned `missed`: linked to it, or to its
    number after it (a call centre's export carries no link)."""
    later = aliased(Call, name="later")
    return (
        select(func.min(later.answered_at))
        .where(
            later.direction == "outbound",
            later.answered_at.is_not(None),
            or_(
                later.callback_of_id == missed.id,
                and_(later.caller_number == missed.caller_number,
                     later.queued_at > missed.queued_at),
            ),
        )
        .correlate(missed)
        .scalar_subquery()
    )


SETTLE_BATCH = 500


def settle_callbacks(session: Session, calls: Sequence[Call]) -> None:
    """Keep each missed call's `reached_at` true after `calls` are logged: the missed ones
    among them (an import may bring a missed call after its callback), and the missed
    calls an answered callback among them returns (linked, or to the same number). Calls
    are imported in any order, so it is worked out again from every call, never moved by
    one."""
    callbacks = [c for c in calls if c.direction == "outbound" and c.answered_at is not None]
    new_missed = [c.id for c in calls if c.direction == "inbound" and c.answered_at is None]
    numbers = sorted({c.caller_number for c in callbacks})
    returned = [c.callback_of_id for c in callbacks if c.callback_of_id is not None]
    for ids in _chunks(new_missed + returned):
        _settle(session, Call.id.in_(ids))
    for chunk in _chunks(numbers):
        _settle(session, Call.caller_number.in_(chunk))


def _chunks(values: list) -> Iterable[list]:
    return (values[start:start + SETTLE_BATCH] for start in range(0, len(values), SETTLE_BATCH))


def _settle(session: Session, among) -> None:
    session.execute(settling(among).execution_options(synchronize_session="fetch"))


def settling(among=None):
    """The UPDATE working out `reached_at` again for the missed calls `among` selects
    (every missed call without it: a bulk loader runs it once after loading)."""
    missed = and_(Call.direction == "inbound", Call.answered_at.is_(None))
    if among is not None:
        missed = and_(missed, among)
    first = _first_callback(Call)
    return update(Call).where(missed, Call.reached_at.is_distinct_from(first)).values(
        reached_at=first)


def waiting_for_callback():
    return and_(Call.direction == "inbound", Call.outcome.in_(UNANSWERED),
                Call.reached_at.is_(None))


def callback_queue(session: Session, cursor: str | None, limit: int,
                   seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING
                   ) -> Page:
    """Inbound calls nobody answered and nobody has reached since, oldest first."""
    stmt = (
        select(Call)
        .where(waiting_for_callback(), seen_by.condition(Call.customer_id))
        .options(selectinload(Call.customer), selectinload(Call.agent))
    )
    return _by_time_page(session, stmt, cursor, limit, newest_first=False)


def callback_queue_size(session: Session,
                        seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING
                        ) -> int:
    return session.scalar(select(func.count()).select_from(Call).where(
        waiting_for_callback(), seen_by.condition(Call.customer_id)))


def callback_attempts(session: Session, call_ids: Iterable[int]) -> dict[int, int]:
    """Unanswered callback attempts per missed call (one query for a page)."""
    ids = list(call_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Call.callback_of_id, func.count())
        .where(Call.callback_of_id.in_(ids), Call.answered_at.is_(None))
        .group_by(Call.callback_of_id)
    )
    return {call_id: count for call_id, count in rows}


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class HotlineFigures:
    start: datetime
    end: datetime
    hours: str
    offered: int  # inbound calls that came in during hotline hours
    answered: int
    unanswered: int  # missed or abandoned (some since called back)
    answer_rate: float | None  # answered / offered; None when nothing was offered
    average_wait_seconds: int | None  # of the answered ones
    out_of_hours: int  # inbound calls outside hotline hours (not in the answer rate)
    callbacks_due: int  # unanswered inbound calls, in hours or not
    called_back: int  # of those, reached since (or marked called back)
    callbacks_open: int
    callback_seconds_avg: int | None  # from the missed call to the answered callback
    callback_seconds_max: int | None
    answer_rate_target: float = ANSWER_RATE_TARGET


def _whole(value) -> int | None:
    return None if value is None else round(float(value))


def missed_calls(start: datetime, end: datetime):
    """The inbound calls of [start, end) nobody answered: id, when, outcome, and when a
    callback first reached the caller (an answered outbound call made for it, or to the same
    number later). The callback figures are computed over exactly these rows."""
    return select(
        Call.id.label("id"),
        Call.queued_at.label("queued_at"),
        Call.outcome.label("outcome"),
        Call.reached_at.label("reached_at"),
    ).where(Call.direction == "inbound", Call.queued_at >= start, Call.queued_at < end,
            Call.answered_at.is_(None))


@dataclass(frozen=True)
class DayAnswering:
    day: date
    offered: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.offered if self.offered else None


def daily_answering(session: Session, start: datetime, end: datetime) -> list[DayAnswering]:
    """Calls in hotline hours and those answered, per local day of [start, end) (`start` a
    local midnight), days without calls left out: one grouped query."""
    day_index = func.floor((epoch_seconds(Call.queued_at) - start.timestamp()) / 86400)
    rows = session.execute(
        select(day_index, func.count(), func.count(Call.answered_at))
        .where(Call.direction == "inbound", Call.queued_at >= start, Call.queued_at < end,
               Call.within_hotline_hours.is_(True))
        .group_by(day_index)
    ).all()
    first = start.astimezone(DEFAULT_ZONE).date()
    return [DayAnswering(first + timedelta(days=int(index)), offered, answered)
            for index, offered, answered in sorted(rows)]


def hotline_figures(session: Session, start: datetime, end: datetime) -> HotlineFigures:
    """The hotline's figures for calls that came in within [start, end): two aggregate
    queries, whatever the number of calls."""
    inbound = and_(
        Call.direction == "inbound", Call.queued_at >= start, Call.queued_at < end
    )
    in_hours = Call.within_hotline_hours.is_(True)
    was_answered = Call.answered_at.is_not(None)
    offered, answered, average_wait, out_of_hours = session.execute(
        select(
            func.count(case((in_hours, 1))),
            func.count(case((and_(in_hours, was_answered), 1))),
            func.avg(case((and_(in_hours, was_answered), Call.wait_seconds))),
            func.count(case((~in_hours, 1))),
        ).where(inbound)
    ).one()

    missed = missed_calls(start, end).subquery()
    delay = epoch_seconds(missed.c.reached_at) - epoch_seconds(missed.c.queued_at)
    due, reached, delay_avg, delay_max = session.execute(
        select(
            func.count(),
            func.count(
                case((or_(missed.c.reached_at.is_not(None), missed.c.outcome == "called_back"), 1))
            ),
            func.avg(delay),
            func.max(delay),
        ).select_from(missed)
    ).one()
    return HotlineFigures(
        start=start,
        end=end,
        hours=str(settings.current().hotline_hours),
        offered=offered,
        answered=answered,
        unanswered=offered - answered,
        answer_rate=round(answered / offered, 4) if offered else None,
        average_wait_seconds=_whole(average_wait),
        out_of_hours=out_of_hours,
        callbacks_due=due,
        called_back=reached,
        callbacks_open=due - reached,
        callback_seconds_avg=_whole(delay_avg),
        callback_seconds_max=_whole(delay_max),
    )


def hotline_hours_text() -> str:
    """When the hotline answers, as customers are told it ("08:00-12:00, 13:00-20:00")."""
    return str(settings.current().hotline_hours)
