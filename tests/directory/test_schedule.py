"""Opening hours and meetings with fixed clocks: clock changes, midnight, every 2 weeks, monthly."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from uitweg.content.hours import (
    ByDay,
    Hours,
    Rule,
    ScheduleError,
    Span,
    next_occurrence,
    parse_time,
)

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)


def span(days: str, start: str, end: str, **rule: object) -> Span:
    byday = tuple(ByDay.parse(d) for d in days.split(","))
    return Span(Rule(byday=byday, **rule), parse_time(start), parse_time(end, True))


WEEKDAYS_9_TO_5 = Hours(spans=(span("MO,TU,WE,TH,FR,SA,SU", "09:00", "17:00"),))

# 2026: summer time starts Sunday 29 March 02:00 (UTC+1 -> UTC+2), ends Sunday 25 October 03:00.


@pytest.mark.parametrize(
    ("now", "is_open", "expected"),
    [
        # The day before spring forward: 09:00 local is 08:00 UTC.
        (utc(2026, 3, 28, 7, 30), False, utc(2026, 3, 28, 8, 0)),
        (utc(2026, 3, 28, 8, 0), True, utc(2026, 3, 28, 16, 0)),
        # The day of spring forward: 09:00 local is 07:00 UTC, 17:00 local is 15:00 UTC.
        (utc(2026, 3, 29, 6, 30), False, utc(2026, 3, 29, 7, 0)),
        (utc(2026, 3, 29, 7, 0), True, utc(2026, 3, 29, 15, 0)),
        (utc(2026, 3, 29, 15, 0), False, utc(2026, 3, 30, 7, 0)),
        # Summer, the day before autumn: still UTC+2.
        (utc(2026, 10, 24, 6, 59), False, utc(2026, 10, 24, 7, 0)),
        # The day of the autumn change: 09:00 local is 08:00 UTC again.
        (utc(2026, 10, 25, 7, 30), False, utc(2026, 10, 25, 8, 0)),
        (utc(2026, 10, 25, 8, 0), True, utc(2026, 10, 25, 16, 0)),
    ],
)
def test_open_now_and_opening_times_are_right_around_the_clock_changes(now, is_open, expected):
    status = WEEKDAYS_9_TO_5.status(now, AMS)
    assert status.open is is_open
    assert (status.until if is_open else status.next_open) == expected


def test_a_span_in_the_hour_that_repeats_in_autumn_is_open_in_both() -> None:
    night = Hours(spans=(span("SU", "02:00", "04:00"),))
    # 02:30 local happens twice on 25 October 2026: 00:30 UTC (summer) and 01:30 UTC (winter).
    assert night.status(utc(2026, 10, 25, 0, 30), AMS).open
    assert night.status(utc(2026, 10, 25, 1, 30), AMS).open
    assert night.status(utc(2026, 10, 25, 3, 0), AMS).open is False  # 04:00 winter time


def test_a_span_ending_at_midnight_closes_at_midnight_and_is_not_open_after() -> None:
    friday_evening = Hours(spans=(span("FR", "20:00", "24:00"),))
    just_before = friday_evening.status(local(2026, 1, 9, 23, 59), AMS)
    just_after = friday_evening.status(local(2026, 1, 10, 0, 0), AMS)

    assert just_before.open and just_before.until == local(2026, 1, 10, 0, 0)
    assert not just_after.open and just_after.next_open == local(2026, 1, 16, 20, 0)


def test_spans_joined_at_midnight_read_as_open_until_the_next_morning() -> None:
    night = Hours(spans=(span("FR", "18:00", "24:00"), span("SA", "00:00", "02:00")))
    status = night.status(local(2026, 1, 9, 23, 0), AMS)
    assert status.open and status.until == local(2026, 1, 10, 2, 0)


def test_always_open_services_are_open_at_any_moment() -> None:
    crisis = Hours(always_open=True)
    assert crisis.status(local(2026, 12, 25, 3, 0), AMS, frozenset({dt.date(2026, 12, 25)})).open


def test_closed_days_and_exceptions_change_the_usual_hours() -> None:
    christmas = dt.date(2026, 12, 25)
    hours = Hours(
        spans=WEEKDAYS_9_TO_5.spans,
        exceptions={dt.date(2026, 12, 24): ((9 * 60, 13 * 60),), dt.date(2026, 12, 28): ()},
    )
    closed = frozenset({christmas, dt.date(2026, 12, 26)})

    eve = hours.status(local(2026, 12, 24, 14, 0), AMS, closed)
    assert not eve.open and eve.next_open == local(2026, 12, 27, 9, 0)  # 25, 26 closed
    assert hours.status(local(2026, 12, 24, 12, 0), AMS, closed).until == local(2026, 12, 24, 13)
    monday = hours.status(local(2026, 12, 28, 10, 0), AMS, closed)
    assert not monday.open and monday.next_open == local(2026, 12, 29, 9, 0)
    open_anyway = Hours(spans=hours.spans, open_on_closed_days=True)
    assert open_anyway.status(local(2026, 12, 25, 10, 0), AMS, closed).open


@pytest.mark.parametrize(
    ("now", "expected_start"),
    [
        # Fortnightly on Wednesday from 7 January 2026: 7, 21 January, 4, 18 February ...
        (local(2026, 1, 8, 12, 0), local(2026, 1, 21, 19, 30)),
        (local(2026, 1, 21, 20, 0), local(2026, 1, 21, 19, 30)),  # under way
        (local(2026, 1, 21, 21, 0), local(2026, 2, 4, 19, 30)),  # across the month end
        (local(2026, 3, 18, 21, 0), local(2026, 4, 1, 19, 30)),  # and across the clock change
    ],
)
def test_next_meeting_of_a_fortnightly_group(now, expected_start) -> None:
    meeting = span("WE", "19:30", "21:00", interval=2, dtstart=dt.date(2026, 1, 7))
    start, end, _ = next_occurrence([meeting], now, AMS)
    assert start == expected_start
    assert end - start == dt.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("byday", "now", "expected_day"),
    [
        ("2MO", local(2026, 1, 1, 9, 0), dt.date(2026, 1, 12)),
        ("2MO", local(2026, 1, 12, 22, 0), dt.date(2026, 2, 9)),
        ("2MO", local(2026, 2, 28, 9, 0), dt.date(2026, 3, 9)),
        ("-1FR", local(2026, 1, 1, 9, 0), dt.date(2026, 1, 30)),
        ("-1FR", local(2026, 1, 31, 9, 0), dt.date(2026, 2, 27)),
        ("-1FR", local(2026, 2, 28, 9, 0), dt.date(2026, 3, 27)),  # the Friday before the change
        ("-1SU", local(2026, 3, 1, 9, 0), dt.date(2026, 3, 29)),  # the day of the change itself
        ("1SA", local(2026, 10, 31, 21, 0), dt.date(2026, 11, 7)),
    ],
)
def test_next_meeting_of_a_monthly_group(byday, now, expected_day) -> None:
    meeting = span(byday, "20:00", "21:30", freq="MONTHLY")
    start, _, _ = next_occurrence([meeting], now, AMS)
    assert start == local(expected_day.year, expected_day.month, expected_day.day, 20, 0)


def test_a_meeting_just_before_midnight_is_under_way_until_it_ends() -> None:
    late = span("SU", "23:00", "24:00")
    start, end, _ = next_occurrence([late], local(2026, 1, 4, 23, 45), AMS)
    assert (start, end) == (local(2026, 1, 4, 23, 0), local(2026, 1, 5, 0, 0))
    start, _, _ = next_occurrence([late], local(2026, 1, 5, 0, 0), AMS)
    assert start == local(2026, 1, 11, 23, 0)


def test_skipped_dates_move_the_next_meeting_on() -> None:
    weekly = span("TH", "19:00", "20:00")
    start, _, _ = next_occurrence(
        [weekly], local(2026, 12, 20, 12), AMS, skipped=frozenset({dt.date(2026, 12, 24)})
    )
    assert start == local(2026, 12, 31, 19, 0)


def test_valid_from_and_to_bound_a_rule() -> None:
    rule = Rule(
        byday=(ByDay.parse("MO"),), valid_from=dt.date(2026, 2, 1), valid_to=dt.date(2026, 2, 28)
    )
    assert not rule.matches(dt.date(2026, 1, 26))
    assert rule.matches(dt.date(2026, 2, 2)) and rule.matches(dt.date(2026, 2, 23))
    assert not rule.matches(dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("value", "end", "message"),
    [
        ("24:30", True, "not a time of day"),
        ("24:00", False, "not a time of day"),
        ("9.30", False, "HH:MM"),
        ("12:60", False, "not a time of day"),
    ],
)
def test_impossible_times_are_refused(value, end, message) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_time(value, end)


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ScheduleError, match="not after the start"):
        span("MO", "21:00", "19:00")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"byday": (ByDay.parse("2MO"),)}, "need freq: MONTHLY"),
        ({"byday": (ByDay.parse("MO"),), "interval": 2}, "needs dtstart"),
        ({"byday": (ByDay.parse("MO"),), "freq": "DAILY"}, "WEEKLY or MONTHLY"),
    ],
)
def test_rules_that_cannot_work_are_refused(rule, message) -> None:
    with pytest.raises(ScheduleError, match=message):
        Rule(**rule)


def test_unknown_weekdays_are_refused() -> None:
    with pytest.raises(ScheduleError, match="not a weekday"):
        ByDay.parse("MA")


def test_rules_write_themselves_as_icalendar_rrules() -> None:
    rule = Rule(byday=(ByDay.parse("-1FR"),), freq="MONTHLY")
    assert rule.rrule() == "FREQ=MONTHLY;BYDAY=-1FR"
    fortnightly = Rule(byday=(ByDay.parse("WE"),), interval=2, dtstart=dt.date(2026, 1, 7))
    assert fortnightly.rrule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
