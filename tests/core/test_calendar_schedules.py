"""Due times across China's 2026 holiday schedule, worked out by hand.

Every expected due time below is a literal counted by hand from the State Council's 2026
notice, never taken from the chinese-calendar package. The 2026 dates these tests stand on:

- New Year: Thu 01-01 .. Sat 01-03 off; Sun 01-04 worked (make-up).
- Spring Festival: Sun 02-15 .. Mon 02-23 off; Sat 02-14 and Sat 02-28 worked (make-up).
- Mid-Autumn: Fri 09-25 .. Sun 09-27 off.
- National Day: Thu 10-01 .. Wed 10-07 off; Sun 09-20 and Sat 10-10 worked (make-up).
"""

from datetime import date, datetime, timedelta

import pytest

from aftersales.core.calendar import BusinessCalendar, DayBook, WorkingHours
from aftersales.core.clock import DEFAULT_ZONE

HOUR = timedelta(hours=1)
TARGET = 16 * HOUR

# One window, 9 working hours a working day.
NINE_TO_SIX = WorkingHours.parse("workday=09:00-18:00")
# Two windows around lunch: 3 h + 4.5 h = 7.5 working hours a working day.
WITH_LUNCH = WorkingHours.parse("workday=09:00-12:00,13:30-18:00")

single_window = BusinessCalendar(zone=DEFAULT_ZONE, hours=NINE_TO_SIX)
lunch_break = BusinessCalendar(zone=DEFAULT_ZONE, hours=WITH_LUNCH)


@pytest.fixture(autouse=True)
def database():
    """The calendar is pure logic: no app and no database for these tests."""
    yield


def local(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=DEFAULT_ZONE)


# ---------------------------------------------------------------- one window, 9 h a day


def test_sixteen_hours_from_the_eve_of_national_day_resume_after_the_holiday_week():
    # Wed 09-30 15:00-18:00: 3 h (13 left). Thu 10-01 .. Wed 10-07: holidays, 0 h.
    # Thu 10-08: 9 h (4 left). Fri 10-09: 09:00 + 4 h = 13:00.
    due = single_window.add(local(2026, 9, 30, 15), TARGET)
    assert due == local(2026, 10, 9, 13)


def test_the_national_day_make_up_saturday_counts_a_full_working_day():
    # Fri 10-09 15:00-18:00: 3 h (13 left). Sat 10-10 is a make-up day: 9 h (4 left).
    # Sun 10-11: weekend, 0 h. Mon 10-12: 09:00 + 4 h = 13:00.
    due = single_window.add(local(2026, 10, 9, 15), TARGET)
    assert due == local(2026, 10, 12, 13)


def test_the_spring_festival_make_up_saturday_before_the_holiday_is_worked():
    # Fri 02-13 15:00-18:00: 3 h (13 left). Sat 02-14 is a make-up day: 9 h (4 left).
    # Sun 02-15 .. Mon 02-23: holidays, 0 h. Tue 02-24: 09:00 + 4 h = 13:00.
    due = single_window.add(local(2026, 2, 13, 15), TARGET)
    assert due == local(2026, 2, 24, 13)


def test_the_spring_festival_make_up_saturday_after_the_holiday_is_worked():
    # Fri 02-27 15:00-18:00: 3 h (13 left). Sat 02-28 is a make-up day: 9 h (4 left).
    # Sun 03-01: weekend, 0 h. Mon 03-02: 09:00 + 4 h = 13:00.
    due = single_window.add(local(2026, 2, 27, 15), TARGET)
    assert due == local(2026, 3, 2, 13)


def test_a_clock_started_on_friday_evening_runs_on_the_make_up_sunday():
    # Fri 09-18 20:00: after closing, 0 h. Sat 09-19: weekend, 0 h.
    # Sun 09-20 is a make-up day (for National Day): 9 h (7 left). Mon 09-21: 09:00 + 7 h.
    due = single_window.add(local(2026, 9, 18, 20), TARGET)
    assert due == local(2026, 9, 21, 16)


def test_a_clock_started_on_the_new_year_holiday_runs_on_the_make_up_sunday():
    # Fri 01-02 20:00 and Sat 01-03: New Year holidays, 0 h.
    # Sun 01-04 is a make-up day: 9 h (7 left). Mon 01-05: 09:00 + 7 h = 16:00.
    due = single_window.add(local(2026, 1, 2, 20), TARGET)
    assert due == local(2026, 1, 5, 16)


# ---------------------------------------------------------------- lunch break, 7.5 h a day


def test_with_a_lunch_break_sixteen_hours_from_the_eve_of_national_day():
    # Wed 09-30 15:00-18:00: 3 h (13 left). Thu 10-01 .. Wed 10-07: holidays, 0 h.
    # Thu 10-08: 7.5 h (5.5 left). Fri 10-09: 09:00-12:00 3 h (2.5 left), 13:30 + 2.5 h.
    due = lunch_break.add(local(2026, 9, 30, 15), TARGET)
    assert due == local(2026, 10, 9, 16)


def test_with_a_lunch_break_the_spring_festival_make_up_saturday_is_worked():
    # Fri 02-13 15:00-18:00: 3 h (13 left). Sat 02-14 make-up: 7.5 h (5.5 left).
    # Sun 02-15 .. Mon 02-23: holidays, 0 h.
    # Tue 02-24: 09:00-12:00 3 h (2.5 left), 13:30 + 2.5 h = 16:00.
    due = lunch_break.add(local(2026, 2, 13, 15), TARGET)
    assert due == local(2026, 2, 24, 16)


def test_with_a_lunch_break_a_clock_runs_on_the_make_up_sunday():
    # Fri 09-18 20:00 and Sat 09-19: 0 h. Sun 09-20 make-up: 7.5 h (8.5 left).
    # Mon 09-21: 7.5 h (1 left). Tue 09-22: 09:00 + 1 h = 10:00.
    due = lunch_break.add(local(2026, 9, 18, 20), TARGET)
    assert due == local(2026, 9, 22, 10)


# ---------------------------------------------------------------- pauses over a holiday


def test_a_pause_spanning_national_day_only_costs_the_working_time_inside_it():
    # Unpaused: Tue 09-29 9 h + Wed 09-30 7 h, due 09-30 16:00.
    # Paused Wed 09-30 12:00 .. Thu 10-08 12:00: working time inside it is
    # 09-30 12:00-18:00 6 h + 10-01 .. 10-07 0 h + 10-08 09:00-12:00 3 h = 9 h.
    # So: 09-29 9 h (7 left), 09-30 09:00-12:00 3 h (4 left), pause, 10-08 12:00 + 4 h.
    pause = (local(2026, 9, 30, 12), local(2026, 10, 8, 12))
    due = single_window.add(local(2026, 9, 29, 9), TARGET, [pause])
    assert due == local(2026, 10, 8, 16)


def test_a_pause_covering_only_closed_hours_around_national_day_changes_nothing():
    # Paused Wed 09-30 18:00 .. Thu 10-08 09:00: no working minute inside it, so the
    # due time is the unpaused one: 09-30 3 h, 10-08 9 h, 10-09 09:00 + 4 h = 13:00.
    pause = (local(2026, 9, 30, 18), local(2026, 10, 8, 9))
    due = single_window.add(local(2026, 9, 30, 15), TARGET, [pause])
    assert due == local(2026, 10, 9, 13)


# ---------------------------------------------------------------- a year after the package

# TEST DATA, NOT THE OFFICIAL SCHEDULE: an invented 2027 Spring Festival, entered the way an
# operator would enter a year the chinese-calendar package does not know yet.
# Sat 2027-02-06 .. Fri 2027-02-12 off; Sun 2027-02-14 worked (make-up).
INVENTED_2027_HOLIDAYS = {
    date(2027, 2, 6) + timedelta(days=offset): "Spring Festival (test data)" for offset in range(7)
}
INVENTED_2027_WORKDAYS = {date(2027, 2, 14): "Spring Festival make-up (test data)"}

entered_2027 = BusinessCalendar(
    zone=DEFAULT_ZONE,
    hours=NINE_TO_SIX,
    days=DayBook(
        holidays=INVENTED_2027_HOLIDAYS,
        workdays=INVENTED_2027_WORKDAYS,
        entered_years=frozenset({2027}),
    ),
)
package_only_2027 = BusinessCalendar(zone=DEFAULT_ZONE, hours=NINE_TO_SIX, days=DayBook())

FRIDAY_BEFORE_2027_FESTIVAL = local(2027, 2, 5, 15)


def test_an_entered_2027_spring_festival_is_skipped_and_its_make_up_sunday_worked():
    # Fri 02-05 15:00-18:00: 3 h (13 left). Sat 02-06 .. Fri 02-12: entered holidays, 0 h.
    # Sat 02-13: weekend, 0 h. Sun 02-14: entered make-up day, 9 h (4 left).
    # Mon 02-15: 09:00 + 4 h = 13:00.
    due = entered_2027.add(FRIDAY_BEFORE_2027_FESTIVAL, TARGET)
    assert due == local(2027, 2, 15, 13)


def test_a_clock_over_an_entered_2027_is_not_guessed():
    start = FRIDAY_BEFORE_2027_FESTIVAL
    assert not entered_2027.guessed_between(start, local(2027, 2, 15, 13))


def test_without_entries_2027_is_counted_as_plain_monday_to_friday():
    # Nothing known about 2027: Fri 02-05 15:00-18:00 3 h (13 left), Sat-Sun 0 h,
    # Mon 02-08 9 h (4 left), Tue 02-09 09:00 + 4 h = 13:00.
    due = package_only_2027.add(FRIDAY_BEFORE_2027_FESTIVAL, TARGET)
    assert due == local(2027, 2, 9, 13)


def test_a_clock_over_an_unentered_2027_is_guessed():
    start = FRIDAY_BEFORE_2027_FESTIVAL
    assert package_only_2027.guessed_between(start, local(2027, 2, 9, 13))


# ---------------------------------------------------------------- company closures


def test_a_company_closure_inside_an_ordinary_working_week_is_skipped():
    # Closed Wed 2026-03-11, an official working day.
    # Tue 03-10 15:00-18:00: 3 h (13 left). Wed 03-11: closed, 0 h.
    # Thu 03-12: 9 h (4 left). Fri 03-13: 09:00 + 4 h = 13:00.
    calendar = BusinessCalendar(
        zone=DEFAULT_ZONE, hours=NINE_TO_SIX, days=DayBook(closures=frozenset({date(2026, 3, 11)}))
    )
    due = calendar.add(local(2026, 3, 10, 15), TARGET)
    assert due == local(2026, 3, 13, 13)


def test_a_company_closure_on_a_make_up_saturday_is_skipped():
    # Closed Sat 2026-10-10, officially a make-up working day.
    # Fri 10-09 15:00-18:00: 3 h (13 left). Sat 10-10: closed, 0 h. Sun 10-11: weekend.
    # Mon 10-12: 9 h (4 left). Tue 10-13: 09:00 + 4 h = 13:00.
    calendar = BusinessCalendar(
        zone=DEFAULT_ZONE, hours=NINE_TO_SIX, days=DayBook(closures=frozenset({date(2026, 10, 10)}))
    )
    due = calendar.add(local(2026, 10, 9, 15), TARGET)
    assert due == local(2026, 10, 13, 13)


# ---------------------------------------------------------------- other working hours

saturday_mornings = BusinessCalendar(
    zone=DEFAULT_ZONE, hours=WorkingHours.parse("workday=09:00-18:00;sat=09:00-12:00")
)
around_the_clock = BusinessCalendar(
    zone=DEFAULT_ZONE,
    hours=WorkingHours.parse("workday=00:00-24:00;weekend=00:00-24:00;holiday=00:00-24:00"),
)


def test_a_saturday_override_counts_saturday_mornings():
    # Fri 03-13 15:00-18:00: 3 h (13 left). Sat 03-14 09:00-12:00: 3 h (10 left).
    # Sun 03-15: 0 h. Mon 03-16: 9 h (1 left). Tue 03-17: 09:00 + 1 h = 10:00.
    due = saturday_mornings.add(local(2026, 3, 13, 15), TARGET)
    assert due == local(2026, 3, 17, 10)


def test_a_saturday_override_does_not_shorten_a_make_up_saturday():
    # A make-up day keeps the workday hours: Fri 10-09 15:00-18:00 3 h (13 left),
    # Sat 10-10 09:00-18:00 9 h (4 left), Sun 10-11 0 h, Mon 10-12 09:00 + 4 h = 13:00.
    due = saturday_mornings.add(local(2026, 10, 9, 15), TARGET)
    assert due == local(2026, 10, 12, 13)


def test_a_saturday_override_does_not_open_a_holiday_saturday():
    # Sat 10-03 is a National Day holiday: holiday hours (none), not the Saturday morning.
    # Wed 09-30 15:00-18:00 3 h (13 left), 10-01 .. 10-07 0 h, Thu 10-08 9 h (4 left),
    # Fri 10-09 09:00 + 4 h = 13:00.
    due = saturday_mornings.add(local(2026, 9, 30, 15), TARGET)
    assert due == local(2026, 10, 9, 13)


def test_a_round_the_clock_outlet_counts_wall_clock_hours_into_national_day():
    # Every hour counts: Wed 09-30 15:00 + 16 h = Thu 10-01 07:00, a holiday.
    due = around_the_clock.add(local(2026, 9, 30, 15), TARGET)
    assert due == local(2026, 10, 1, 7)


def test_a_round_the_clock_outlet_counts_the_whole_national_day_week():
    # Seven full days, holidays and weekend included: Wed 09-30 15:00 + 168 h = 10-07 15:00.
    due = around_the_clock.add(local(2026, 9, 30, 15), 7 * 24 * HOUR)
    assert due == local(2026, 10, 7, 15)
