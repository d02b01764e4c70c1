"""Opening hours and meetings that recur, as HSDS schedules describe them.

A rule repeats weekly or monthly (`freq`), every `interval` weeks or months counted from `dtstart`,
on the days in `byday`: plain weekdays ("MO") or, for monthly rules, the n-th weekday of the month
("2MO", the second Monday; "-1FR", the last Friday), between `valid_from` and `valid_to`.

Times are wall-clock minutes in the site's time zone (0..1440; 1440 is 24:00, the end of the
day). A span never crosses midnight: a night service is written as two spans. Every moment is
turned into an aware datetime only when compared, so daylight saving changes are handled by
zoneinfo, not by arithmetic on offsets.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .problems import N_

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BYDAY_RE = re.compile(r"^(?P<ordinal>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
TIME_RE = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")
END_OF_DAY = 24 * 60
HORIZON_DAYS = 62  # far enough to find the next "last Friday of the month" from any day


class ScheduleError(ValueError):
    """A schedule that cannot exist; the message says why in plain words. It keeps its
    template and values, so the editors' area and `content check --lang nl` can say it in
    Dutch (see problems.py)."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template.format(**params))
        self.template = template
        self.params = params


def parse_time(value: object, allow_end_of_day: bool = False) -> int:
    """'09:30' -> 570 minutes. '24:00' only where a span may end at midnight."""
    match = TIME_RE.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ScheduleError(
            N_("'{value}' is not a time; write it as HH:MM, e.g. 09:30"), value=value
        )
    hour, minute = int(match["hour"]), int(match["minute"])
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not allow_end_of_day)):
        raise ScheduleError(N_("'{value}' is not a time of day"), value=value)
    return hour * 60 + minute


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ByDay:
    weekday: int  # 0 = Monday
    ordinal: int | None = None  # 2 = second, -1 = last (monthly rules only)

    @classmethod
    def parse(cls, code: str) -> ByDay:
        match = BYDAY_RE.match(code.strip().upper()) if isinstance(code, str) else None
        if not match:
            raise ScheduleError(
                N_(
                    "'{code}' is not a weekday; use MO, TU, WE, TH, FR, SA, SU "
                    "(monthly: 2MO for the second Monday, -1FR for the last Friday)"
                ),
                code=code,
            )
        ordinal = int(match["ordinal"]) if match["ordinal"] else None
        return cls(DAY_CODES.index(match["day"]), ordinal)

    @property
    def code(self) -> str:
        return f"{self.ordinal or ''}{DAY_CODES[self.weekday]}"

    def matches(self, day: dt.date) -> bool:
        if day.weekday() != self.weekday:
            return False
        if self.ordinal is None:
            return True
        if self.ordinal > 0:
            return (day.day - 1) // 7 + 1 == self.ordinal
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        return -((days_in_month - day.day) // 7 + 1) == self.ordinal


@dataclass(frozen=True)
class Rule:
    byday: tuple[ByDay, ...]
    freq: str = "WEEKLY"
    interval: int = 1
    dtstart: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.freq not in {"WEEKLY", "MONTHLY"}:
            raise ScheduleError(N_("freq '{freq}' must be WEEKLY or MONTHLY"), freq=self.freq)
        if not self.byday:
            raise ScheduleError(N_("byday needs at least one day"))
        if self.interval < 1:
            raise ScheduleError(N_("interval must be 1 or more"))
        if self.interval > 1 and self.dtstart is None:
            raise ScheduleError(
                N_("a rule with an interval needs dtstart: the date it starts from")
            )
        if self.freq == "WEEKLY" and any(b.ordinal for b in self.byday):
            raise ScheduleError(N_("days like 2MO or -1FR need freq: MONTHLY"))
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ScheduleError(N_("valid_to is before valid_from"))

    @property
    def is_weekly(self) -> bool:
        return self.freq == "WEEKLY" and self.interval == 1

    def matches(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        if self.dtstart and day < self.dtstart:
            return False
        if not any(b.matches(day) for b in self.byday):
            return False
        if self.interval == 1:
            return True
        assert self.dtstart is not None
        if self.freq == "WEEKLY":
            start_monday = self.dtstart - dt.timedelta(days=self.dtstart.weekday())
            return ((day - start_monday).days // 7) % self.interval == 0
        months = (day.year - self.dtstart.year) * 12 + day.month - self.dtstart.month
        return months % self.interval == 0

    def rrule(self) -> str:
        """The rule as an iCalendar RRULE value."""
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        parts.append("BYDAY=" + ",".join(b.code for b in self.byday))
        if self.valid_to:
            parts.append(f"UNTIL={self.valid_to:%Y%m%d}T235959Z")
        return ";".join(parts)


@dataclass(frozen=True)
class Span:
    """A recurring stretch of time: opening hours, or a meeting."""

    rule: Rule
    start: int  # minutes after midnight
    end: int

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ScheduleError(
                N_(
                    "the end ({end}) is not after the start ({start}); "
                    "a span after midnight is written as a second span"
                ),
                end=format_time(self.end),
                start=format_time(self.start),
            )


def moment(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time on a day as an aware datetime; 24:00 is the next day's 00:00."""
    if minutes == END_OF_DAY:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)


@dataclass(frozen=True)
class Hours:
    """When a service is open: recurring spans, dated exceptions, and the site's closed days."""

    spans: tuple[Span, ...] = ()
    # A date -> the spans that day instead of the usual ones; an empty tuple means closed.
    exceptions: Mapping[dt.date, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    always_open: bool = False
    open_on_closed_days: bool = False

    def spans_on(self, day: dt.date, closed_days: Iterable[dt.date] = ()) -> list[tuple[int, int]]:
        if self.always_open:
            return [(0, END_OF_DAY)]
        if day in self.exceptions:
            return list(self.exceptions[day])
        if not self.open_on_closed_days and day in closed_days:
            return []
        return sorted((s.start, s.end) for s in self.spans if s.rule.matches(day))

    def status(
        self, now: dt.datetime, tz: ZoneInfo, closed_days: frozenset[dt.date] = frozenset()
    ) -> OpenStatus:
        """Open now (and until when), or when it next opens (None: not within two months)."""
        local = now.astimezone(tz)
        today = local.date()
        for start, end in self.spans_on(today, closed_days):
            opens, closes = moment(today, start, tz), moment(today, end, tz)
            if opens <= now < closes:
                # Consecutive spans (17:00-24:00, then 00:00 the next day) read as one.
                return OpenStatus(True, until=self._closing(today, end, tz, closed_days))
        for offset in range(HORIZON_DAYS):
            day = today + dt.timedelta(days=offset)
            for start, _end in self.spans_on(day, closed_days):
                opens = moment(day, start, tz)
                if opens > now:
                    return OpenStatus(False, next_open=opens)
        return OpenStatus(False)

    def _closing(self, day: dt.date, end: int, tz: ZoneInfo, closed_days) -> dt.datetime:
        for _ in range(HORIZON_DAYS):
            if end != END_OF_DAY:
                return moment(day, end, tz)
            day += dt.timedelta(days=1)
            following = [e for s, e in self.spans_on(day, closed_days) if s == 0]
            if not following:
                return moment(day, 0, tz)
            end = following[0]
        return moment(day, end, tz)


@dataclass(frozen=True)
class OpenStatus:
    open: bool
    until: dt.datetime | None = None
    next_open: dt.datetime | None = None


def next_occurrence(
    spans: Iterable[Span],
    now: dt.datetime,
    tz: ZoneInfo,
    skipped: frozenset[dt.date] = frozenset(),
) -> tuple[dt.datetime, dt.datetime, Span] | None:
    """The first span that is under way or still to start: (start, end, span)."""
    spans = list(spans)
    today = now.astimezone(tz).date()
    for offset in range(HORIZON_DAYS):
        day = today + dt.timedelta(days=offset)
        if day in skipped:
            continue
        found = [
            (moment(day, s.start, tz), moment(day, s.end, tz), s)
            for s in spans
            if s.rule.matches(day)
        ]
        found = [f for f in found if f[1] > now]
        if found:
            return min(found, key=lambda f: f[0])
    return None
