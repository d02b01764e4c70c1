"""A group's meetings as an iCalendar file, with the time zone written out, so calendars keep
the meeting at the same local time across the clock changes."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from ..content.directory import Group
from ..content.hours import moment, next_occurrence


def group_calendar(group: Group, tz_name: str, page_url: str, now: dt.datetime) -> bytes:
    tz = ZoneInfo(tz_name)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Uitweg//Meetings//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", group.title)
    calendar.add_component(icalendar.Timezone.from_tzid(tz_name))
    for index, meeting in enumerate(group.meetings):
        first = next_occurrence([meeting.span], now, tz)
        if first is None:
            continue
        start, end, _ = first
        event = icalendar.Event()
        # Unique across every site that runs this code, and stable: the site's own host.
        host = urlsplit(page_url).hostname or "uitweg.invalid"
        event.add("uid", f"{group.slug}-{index + 1}@{host}")
        event.add("summary", group.title)
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("rrule", icalendar.vRecur.from_ical(meeting.span.rule.rrule()))
        for day in sorted(group.cancelled):
            if meeting.span.rule.matches(day):
                event.add("exdate", moment(day, meeting.span.start, tz))
        place = ", ".join(
            p
            for p in (meeting.location, meeting.address.one_line() if meeting.address else "")
            if p
        )
        if place:
            event.add("location", place)
        description = [page_url] + ([meeting.online] if meeting.online else [])
        event.add("description", "\n".join(description))
        event.add("url", page_url)
        calendar.add_component(event)
    return calendar.to_ical()
