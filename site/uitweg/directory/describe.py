"""Opening hours, meetings and their status in plain words, in the visitor's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..content.directory import Group, Meeting, Service
from ..content.hours import Rule, next_occurrence
from ..content.hours import format_time as hhmm

ORDINALS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    5: _l("fifth"),
    -1: _l("last"),
}


def day_name(weekday: int, lang: str) -> str:
    return get_day_names("wide", locale=lang)[weekday]


def rule_text(rule: Rule, lang: str) -> str:
    days = [b for b in rule.byday]
    if rule.freq == "MONTHLY":
        parts = [
            _(
                "the %(ordinal)s %(day)s of the month",
                ordinal=ORDINALS[b.ordinal],
                day=day_name(b.weekday, lang),
            )
            if b.ordinal
            else _("every %(day)s", day=day_name(b.weekday, lang))
            for b in days
        ]
        return ", ".join(parts)
    names = ", ".join(day_name(b.weekday, lang) for b in days)
    if rule.interval == 2:
        return _("every other week on %(days)s", days=names)
    if rule.interval > 2:
        return _("every %(count)s weeks on %(days)s", count=rule.interval, days=names)
    return names


def span_text(start: int, end: int) -> str:
    return _("%(start)s to %(end)s", start=hhmm(start), end=hhmm(end))


def moment_text(when: dt.datetime, now: dt.datetime, tz: ZoneInfo, lang: str) -> str:
    local, today = when.astimezone(tz), now.astimezone(tz).date()
    clock = format_time(local, "HH:mm", locale=lang)
    if local.date() == today:
        return _("today at %(time)s", time=clock)
    if local.date() == today + dt.timedelta(days=1):
        return _("tomorrow at %(time)s", time=clock)
    return _(
        "%(date)s at %(time)s", date=format_date(local, "EEEE d MMMM", locale=lang), time=clock
    )


def service_status(service: Service, now: dt.datetime, tz: ZoneInfo, closed, lang: str):
    """(is open, sentence) for a service right now."""
    if service.hours.always_open:
        return True, _("Open day and night")
    if not service.hours.spans and not service.hours.exceptions:
        return False, service.hours_note or ""
    status = service.hours.status(now, tz, closed)
    if status.open and status.until is not None:
        return True, _(
            "Open now, until %(time)s",
            time=format_time(status.until.astimezone(tz), "HH:mm", locale=lang),
        )
    if status.next_open:
        return False, _(
            "Closed now. Opens %(when)s", when=moment_text(status.next_open, now, tz, lang)
        )
    return False, _("Closed now")


def waiting_text(service: Service, lang: str) -> str | None:
    """The waiting time with the day it was given: "about 6 weeks, as of 3 November"."""
    if service.waiting_weeks is None or service.waiting_checked is None:
        return None
    as_of = format_date(service.waiting_checked, "d MMMM", locale=lang)
    if service.waiting_weeks == 0:
        return _("No waiting time (as of %(date)s)", date=as_of)
    return ngettext(
        "Waiting time: about %(num)d week (as of %(date)s)",
        "Waiting time: about %(num)d weeks (as of %(date)s)",
        service.waiting_weeks,
        date=as_of,
    )


def access_line(service: Service, lang: str) -> list[str]:
    """The facts about getting in that a list shows for each service, shortest first."""
    facts = []
    if service.no_new_clients:
        facts.append(_("Takes no new clients at the moment"))
    waiting = waiting_text(service, lang)
    if waiting and not service.no_new_clients:
        facts.append(waiting)
    if service.referral:
        facts.append(_("Referral needed"))
    return facts


def next_meeting(group: Group, now: dt.datetime, tz: ZoneInfo) -> tuple | None:
    """(start, end, meeting) of the next meeting, or the one under way."""
    found = next_occurrence([m.span for m in group.meetings], now, tz, group.cancelled)
    if found is None:
        return None
    start, end, span = found
    meeting = next(m for m in group.meetings if m.span is span)
    return start, end, meeting


def group_status(group: Group, now: dt.datetime, tz: ZoneInfo, lang: str):
    found = next_meeting(group, now, tz)
    if found is None:
        return False, _("No meeting planned in the next two months")
    start, end, _meeting = found
    if start <= now:
        return True, _(
            "Meeting now, until %(time)s",
            time=format_time(end.astimezone(tz), "HH:mm", locale=lang),
        )
    return False, _("Next meeting %(when)s", when=moment_text(start, now, tz, lang))


def meeting_place(meeting: Meeting) -> str:
    parts = [meeting.location or "", meeting.address.one_line() if meeting.address else ""]
    return ", ".join(p for p in parts if p)
