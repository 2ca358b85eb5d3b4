"""Bookable visit windows: each outlet's weekly slots (weekday, start, end, capacity) and
the places left in them over the next days. The portal offers the windows with a place
left at the outlet that covers the customer; booking one counts it with one conditional
UPDATE (`booked < capacity`), so of two customers racing for the last place one gets it
and the other is asked to choose again."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales.core.clock import DEFAULT_ZONE, to_zone
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.fields import INT_MAX
from aftersales.core.sql import insert_unless_present
from aftersales.outlets.models import ServiceSlot, SlotBooking


@dataclass(frozen=True)
class OpenWindow:
    """One slot on one day, with the places still free in it."""

    slot_id: int
    day: date
    starts_at: datetime  # aware
    ends_at: datetime
    places_left: int

    @property
    def key(self) -> str:
        """How a form names the window it chose: the day and the slot (2026-12-07/12)."""
        return f"{self.day.isoformat()}/{self.slot_id}"


def add_slot(session: Session, outlet_id: int, weekday: int, starts: time, ends: time,
             capacity: int) -> ServiceSlot:
    """A weekly window the outlet takes bookings in (Monday is weekday 0)."""
    if not 0 <= weekday <= 6:
        raise ValidationFailed(_l("Choose a day of the week."), field="weekday")
    if not starts < ends:
        raise ValidationFailed(_l("The window must end after it starts."), field="ends")
    if capacity < 0:
        raise ValidationFailed(_l("A capacity cannot be negative."), field="capacity")
    if session.scalar(select(ServiceSlot.id).where(
            ServiceSlot.outlet_id == outlet_id, ServiceSlot.weekday == weekday,
            ServiceSlot.starts == starts)) is not None:
        raise Conflict(_l("The outlet already has a window starting then on that day: "
                          "change its capacity instead."), field="starts")
    slot = ServiceSlot(outlet_id=outlet_id, weekday=weekday, starts=starts, ends=ends,
                       capacity=capacity)
    session.add(slot)
    session.flush()
    return slot


def slots_of(session: Session, outlet_id: int) -> list[ServiceSlot]:
    """The outlet's weekly windows, Monday first, each day's in time order."""
    return list(session.scalars(select(ServiceSlot).where(ServiceSlot.outlet_id == outlet_id)
                                .order_by(ServiceSlot.weekday, ServiceSlot.starts)))


def set_capacity(session: Session, outlet_id: int, slot_id: int, capacity: int) -> ServiceSlot:
    """How many visits the window takes from now on (0 closes it); places already booked
    stay booked."""
    slot = session.get(ServiceSlot, slot_id)
    if slot is None or slot.outlet_id != outlet_id:
        raise NotFound(_l("No such visit window."))
    if capacity < 0:
        raise ValidationFailed(_l("A capacity cannot be negative."), field="capacity")
    slot.capacity = capacity
    session.flush()
    return slot


def _moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=DEFAULT_ZONE)


def open_windows(session: Session, outlet_id: int, now: datetime, days: int
                 ) -> list[OpenWindow]:
    """The outlet's windows from now over the next `days` days (today first) that have
    not started and still have a place: two queries, whatever the number of days."""
    first = to_zone(now).date()
    slots = slots_of(session, outlet_id)
    last = first + timedelta(days=days - 1)
    booked = {
        (row.slot_id, row.day): row.booked for row in session.execute(
            select(SlotBooking.slot_id, SlotBooking.day, SlotBooking.booked)
            .where(SlotBooking.slot_id.in_([slot.id for slot in slots]),
                   SlotBooking.day.between(first, last)))
    }
    windows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for slot in (slot for slot in slots if slot.weekday == day.weekday()):
            left = slot.capacity - booked.get((slot.id, day), 0)
            if left > 0 and _moment(day, slot.starts) > now:
                windows.append(OpenWindow(slot.id, day, _moment(day, slot.starts),
                                          _moment(day, slot.ends), left))
    return windows


def book_window(session: Session, outlet_id: int, key: str, now: datetime, days: int) -> OpenWindow:
    """Take one place in the window a form chose (`OpenWindow.key`) at this outlet, if it
    is one open_windows would offer and a place is still free at the moment of booking;
    else a refusal naming the field `window`, so the customer chooses again."""
    slot, day = _slot_named(session, outlet_id, key)
    first = to_zone(now).date()
    starts_at = _moment(day, slot.starts)
    if not first <= day < first + timedelta(days=days) or starts_at <= now:
        raise ValidationFailed(_l("That time can no longer be booked: choose another."),
                               field="window")
    session.execute(insert_unless_present(session, SlotBooking, "slot_id", "day")
                    .values(slot_id=slot.id, day=day, booked=0))
    taken = session.execute(
        update(SlotBooking)
        .where(SlotBooking.slot_id == slot.id, SlotBooking.day == day,
               SlotBooking.booked < select(ServiceSlot.capacity)
               .where(ServiceSlot.id == slot.id).scalar_subquery())
        .values(booked=SlotBooking.booked + 1)
    )
    if not taken.rowcount:
        raise Conflict(_l("That time has just been fully booked: choose another."),
                       field="window")
    return OpenWindow(slot.id, day, starts_at, _moment(day, slot.ends), 0)


def _slot_named(session: Session, outlet_id: int, key: str) -> tuple[ServiceSlot, date]:
    day_text, _, slot_text = key.partition("/")
    try:
        day, slot_id = date.fromisoformat(day_text), int(slot_text)
    except ValueError:
        day, slot_id = None, 0
    slot = session.get(ServiceSlot, slot_id) if 0 < slot_id <= INT_MAX else None
    if slot is None or slot.outlet_id != outlet_id or slot.weekday != day.weekday():
        raise ValidationFailed(_l("Choose one of the times offered."), field="window")
    return slot, day
