from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales.core.calendar import (
    BusinessCalendar,
    ClockCalendar,
    DayBook,
    HoursError,
    WorkingHours,
)
from aftersales.core.clock import DEFAULT_ZONE

business = BusinessCalendar()
clock = ClockCalendar()
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def database():
    """The calendar is pure logic: no app and no database for these tests."""
    yield


def local(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=DEFAULT_ZONE)


# Working windows: 09:00-12:00 and 13:30-18:00, 7.5 hours a working day.


def test_a_duration_inside_one_window_ends_in_that_window():
    assert business.add(local(2026, 3, 10, 9), 2 * HOUR) == local(2026, 3, 10, 11)


def test_a_duration_crossing_the_lunch_break_skips_it():
    assert business.add(local(2026, 3, 10, 11), 2 * HOUR) == local(2026, 3, 10, 14, 30)


def test_a_duration_that_fills_a_window_ends_at_its_close_not_at_the_next_opening():
    assert business.add(local(2026, 3, 10, 9), 3 * HOUR) == local(2026, 3, 10, 12)


def test_a_duration_crossing_a_weekend_skips_it():
    friday = local(2026, 3, 13, 17)
    assert business.add(friday, 2 * HOUR) == local(2026, 3, 16, 10)


def test_national_day_week_is_skipped():
    # 2026-10-01..07 are holidays (10-03 and 10-04 fall on the weekend anyway).
    assert business.add(local(2026, 9, 30, 17), 2 * HOUR) == local(2026, 10, 8, 10)


def test_a_weekday_public_holiday_is_skipped():
    # Mid-Autumn Festival, Friday 2026-09-25.
    assert business.add(local(2026, 9, 24, 17), 2 * HOUR) == local(2026, 9, 28, 10)


def test_a_make_up_saturday_is_a_working_day():
    # Saturday 2026-10-10 is worked in exchange for the National Day week.
    assert business.add(local(2026, 10, 9, 17), 2 * HOUR) == local(2026, 10, 10, 10)


def test_a_make_up_sunday_is_a_working_day():
    # Sunday 2026-09-20 is worked in exchange for the National Day week.
    assert business.add(local(2026, 9, 19, 10), HOUR) == local(2026, 9, 20, 10)


def test_a_start_before_opening_counts_from_opening():
    assert business.add(local(2026, 3, 10, 7), HOUR) == local(2026, 3, 10, 10)


def test_a_start_at_night_counts_from_the_next_morning():
    assert business.add(local(2026, 3, 10, 22), HOUR) == local(2026, 3, 11, 10)


def test_a_start_during_lunch_counts_from_the_afternoon_opening():
    assert business.add(local(2026, 3, 10, 12, 30), HOUR) == local(2026, 3, 10, 14, 30)


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    assert business.add(local(2026, 10, 3, 10), HOUR) == local(2026, 10, 8, 10)


def test_no_duration_is_due_at_the_first_working_moment():
    assert business.add(local(2026, 3, 13, 20), timedelta(0)) == local(2026, 3, 16, 9)


def test_thirty_business_days_end_at_the_close_of_the_thirtieth():
    # 22 working days in March, 3 in April before Qingming (Monday 04-06), 5 after it.
    due = business.add(local(2026, 3, 2, 9), 30 * 7.5 * HOUR)
    assert due == local(2026, 4, 13, 18)


def test_ten_years_of_business_time_end_about_ten_calendar_years_later():
    # About 250 working days of 7.5 hours a year (holidays and make-up days aside).
    due = business.add(local(2026, 1, 5, 9), 10 * 250 * 7.5 * HOUR)
    assert 2035 <= due.year <= 2036


def test_the_due_time_is_in_utc():
    due = business.add(local(2026, 3, 10, 9), HOUR)
    assert (due.tzinfo, due) == (UTC, datetime(2026, 3, 10, 2, tzinfo=UTC))


# Pauses.


def test_a_pause_inside_a_window_delays_the_due_time_by_its_length():
    pause = (local(2026, 3, 10, 10), local(2026, 3, 10, 10, 30))
    due = business.add(local(2026, 3, 10, 9), 2 * HOUR, [pause])
    assert due == local(2026, 3, 10, 11, 30)


def test_a_pause_overlapping_lunch_only_costs_its_working_part():
    pause = (local(2026, 3, 10, 11), local(2026, 3, 10, 14))
    due = business.add(local(2026, 3, 10, 9), 4 * HOUR, [pause])
    assert due == local(2026, 3, 10, 16)


def test_a_pause_over_the_evening_only_costs_its_working_part():
    pause = (local(2026, 3, 10, 17), local(2026, 3, 11, 10))
    due = business.add(local(2026, 3, 10, 16), 3 * HOUR, [pause])
    assert due == local(2026, 3, 11, 12)


def test_overlapping_pauses_are_not_counted_twice():
    pauses = [
        (local(2026, 3, 10, 10, 30), local(2026, 3, 10, 11, 30)),
        (local(2026, 3, 10, 10), local(2026, 3, 10, 11)),
        (local(2026, 3, 10, 10, 15), local(2026, 3, 10, 10, 20)),
    ]
    due = business.add(local(2026, 3, 10, 9), 2 * HOUR, pauses)
    assert due == local(2026, 3, 10, 14)


def test_a_pause_that_ended_before_the_start_changes_nothing():
    pause = (local(2026, 3, 9, 10), local(2026, 3, 9, 11))
    assert business.add(local(2026, 3, 10, 9), HOUR, [pause]) == local(2026, 3, 10, 10)


def test_an_open_pause_before_the_due_time_stops_the_clock():
    pause = (local(2026, 3, 10, 10), None)
    assert business.add(local(2026, 3, 10, 9), 2 * HOUR, [pause]) is None


def test_an_open_pause_after_the_due_time_changes_nothing():
    pause = (local(2026, 3, 10, 11, 30), None)
    assert business.add(local(2026, 3, 10, 9), 2 * HOUR, [pause]) == local(2026, 3, 10, 11)


def test_an_open_pause_stops_elapsed_time_at_its_start():
    pause = (local(2026, 3, 10, 10), None)
    assert business.elapsed(local(2026, 3, 10, 9), local(2026, 3, 12, 9), [pause]) == HOUR


def test_a_pause_ending_before_it_begins_is_refused():
    pause = (local(2026, 3, 10, 11), local(2026, 3, 10, 10))
    with pytest.raises(ValueError, match="pause"):
        business.add(local(2026, 3, 10, 9), HOUR, [pause])


# Years the chinese-calendar package does not know, and operator overrides.


def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday():
    friday = local(2100, 1, 8, 17)
    assert business.add(friday, 2 * HOUR) == local(2100, 1, 11, 10)


def test_the_fallback_knows_no_holidays():
    # 2100-01-01 is a Friday; nobody has published its holidays yet.
    assert business.is_workday(date(2100, 1, 1))


def test_a_count_over_an_unknown_year_is_guessed():
    assert business.guessed_between(local(2100, 1, 8, 17), local(2100, 1, 11, 10))


def test_a_count_inside_a_published_year_is_not_guessed():
    assert not business.guessed_between(local(2026, 3, 10, 9), local(2026, 12, 31, 18))


def test_an_entered_year_is_not_guessed():
    calendar = BusinessCalendar(days=DayBook(entered_years=frozenset({2100})))
    assert not calendar.guessed_between(local(2100, 1, 8, 17), local(2100, 1, 11, 10))


def test_a_stored_holiday_is_skipped():
    calendar = BusinessCalendar(days=DayBook(holidays={date(2026, 3, 11): "closed"}))
    assert calendar.add(local(2026, 3, 10, 17), 2 * HOUR) == local(2026, 3, 12, 10)


def test_a_stored_workday_is_worked():
    calendar = BusinessCalendar(days=DayBook(workdays={date(2026, 3, 14): "make-up"}))
    assert calendar.add(local(2026, 3, 13, 17), 2 * HOUR) == local(2026, 3, 14, 10)


def test_a_stored_workday_overrides_a_public_holiday():
    calendar = BusinessCalendar(days=DayBook(workdays={date(2026, 10, 1): "worked"}))
    assert calendar.add(local(2026, 9, 30, 17), 2 * HOUR) == local(2026, 10, 1, 10)


def test_a_stored_holiday_applies_in_a_fallback_year():
    calendar = BusinessCalendar(days=DayBook(holidays={date(2100, 1, 1): "New Year"}))
    assert calendar.add(local(2099, 12, 31, 17), 2 * HOUR) == local(2100, 1, 4, 10)


def test_a_day_both_holiday_and_workday_is_refused():
    with pytest.raises(ValueError, match="both"):
        DayBook(holidays={date(2026, 3, 11): "a"}, workdays={date(2026, 3, 11): "b"})


# Other windows and zones.


def test_custom_windows_are_used():
    calendar = BusinessCalendar(hours=WorkingHours.parse("workday=08:00-20:00"))
    assert calendar.add(local(2026, 3, 10, 19), 2 * HOUR) == local(2026, 3, 11, 9)


@pytest.mark.parametrize(("text", "key", "reason"), [
    ("workday=09:00-12:00,11:00-18:00", "workday", "overlapping"),
    ("sat=09:00-09:00", "sat", "empty"),
    ("holiday=18:00-09:00", "holiday", "ends before"),
    ("weekend=24:30-25:00", "weekend", "between 00:00 and 24:00"),
    ("workday=9-18", "workday", "window such as"),
    ("workday=", "workday", "at least one"),
    ("fridays=09:00-18:00", "fridays", "days: workday"),
    ("mon=09:00-18:00;mon=10:00-11:00", "mon", "twice"),
])
def test_hours_that_cannot_be_kept_are_refused_naming_the_day(text, key, reason):
    with pytest.raises(HoursError, match=reason) as refused:
        WorkingHours.parse(text)
    assert refused.value.key == key


def test_hours_read_back_from_their_text():
    hours = WorkingHours.parse("sat=09:00-12:00; workday=08:30-12:00,13:00-17:30")
    assert WorkingHours.parse(hours.text()) == hours


def test_a_window_may_end_at_midnight():
    calendar = BusinessCalendar(hours=WorkingHours.parse("workday=20:00-24:00"))
    assert calendar.add(local(2026, 3, 10, 23), 2 * HOUR) == local(2026, 3, 11, 21)


def test_a_start_in_another_zone_is_counted_on_the_calendar_zone():
    # 22:00 in Europe/Berlin on 03-09 is 05:00 in Shanghai on 03-10, before opening.
    start = datetime(2026, 3, 9, 22, tzinfo=ZoneInfo("Europe/Berlin"))
    assert business.add(start, HOUR) == local(2026, 3, 10, 10)


# Clock hours.


def test_clock_hours_run_through_the_night_and_holidays():
    assert clock.add(local(2026, 9, 30, 22), 24 * HOUR) == local(2026, 10, 1, 22)


def test_clock_hours_stop_during_pauses():
    pause = (local(2026, 10, 1, 2), local(2026, 10, 1, 5))
    assert clock.add(local(2026, 9, 30, 22), 24 * HOUR, [pause]) == local(2026, 10, 2, 1)


def test_clock_hours_stop_at_an_open_pause():
    pause = (local(2026, 10, 1, 2), None)
    assert clock.add(local(2026, 9, 30, 22), 24 * HOUR, [pause]) is None


def test_clock_hours_elapsed_excludes_pauses():
    pause = (local(2026, 10, 1, 2), local(2026, 10, 1, 5))
    assert clock.elapsed(local(2026, 9, 30, 22), local(2026, 10, 1, 22), [pause]) == 21 * HOUR


# Elapsed time.


def test_elapsed_over_a_weekend_counts_only_working_hours():
    assert business.elapsed(local(2026, 3, 13, 17), local(2026, 3, 16, 10)) == 2 * HOUR


def test_elapsed_between_equal_moments_is_zero():
    moment = local(2026, 3, 10, 10)
    assert business.elapsed(moment, moment) == timedelta(0)


def test_elapsed_with_the_end_before_the_start_is_refused():
    with pytest.raises(ValueError, match="before"):
        business.elapsed(local(2026, 3, 10, 10), local(2026, 3, 10, 9))


ROUND_TRIPS = [
    (local(2026, 3, 10, 9), timedelta(minutes=1), ()),
    (local(2026, 3, 10, 11), 2 * HOUR, ()),
    (local(2026, 3, 13, 17, 45), 8 * HOUR, ()),
    (local(2026, 9, 30, 22), 30 * HOUR, ()),
    (local(2026, 12, 31, 12), 40 * 7.5 * HOUR, ()),
    (local(2026, 3, 10, 9), 5 * HOUR, [(local(2026, 3, 10, 11), local(2026, 3, 11, 14))]),
    (
        local(2026, 3, 10, 9),
        3 * HOUR,
        [
            (local(2026, 3, 10, 10), local(2026, 3, 10, 10, 30)),
            (local(2026, 3, 10, 10, 15), local(2026, 3, 10, 13, 45)),
        ],
    ),
]


@pytest.mark.parametrize("calendar", [business, clock], ids=["business", "clock"])
@pytest.mark.parametrize(("start", "duration", "pauses"), ROUND_TRIPS)
def test_the_elapsed_time_until_the_due_time_is_the_duration(calendar, start, duration, pauses):
    due = calendar.add(start, duration, pauses)
    assert calendar.elapsed(start, due, pauses) == duration


# Refused inputs.


@pytest.mark.parametrize("calendar", [business, clock], ids=["business", "clock"])
def test_a_naive_start_is_refused(calendar):
    with pytest.raises(ValueError, match="naive"):
        calendar.add(datetime(2026, 3, 10, 9), HOUR)


def test_a_naive_end_is_refused():
    with pytest.raises(ValueError, match="naive"):
        business.elapsed(local(2026, 3, 10, 9), datetime(2026, 3, 10, 10))


def test_a_naive_pause_is_refused():
    pause = (datetime(2026, 3, 10, 10), None)
    with pytest.raises(ValueError, match="naive"):
        business.add(local(2026, 3, 10, 9), HOUR, [pause])


@pytest.mark.parametrize("calendar", [business, clock], ids=["business", "clock"])
def test_a_negative_duration_is_refused(calendar):
    with pytest.raises(ValueError, match="negative"):
        calendar.add(local(2026, 3, 10, 9), -HOUR)
