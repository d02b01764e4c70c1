"""What partner pages say for codes: partner and language names, topics, statuses and the
audit log's lines, in the reader's language. The labels themselves are in vocabulary.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from babel.dates import format_date
from flask_babel import gettext

from ..context import content
from ..i18n import current_language
from ..intake import audit
from ..models import AuditEvent
from ..staff import organisations
from ..vocabulary import (
    ASKING_LABELS,
    ATTEMPT_LABELS,
    CONTENT_KIND_LABELS,
    DAY_LABELS,
    FORWARD_REASON_LABELS,
    OUTCOME_LABELS,
    REQUEST_KIND_LABELS,
    ROLE_LABELS,
    ROLE_NAMES,
    ROUTE_LABELS,
    STATUS_LABELS,
    TIME_LABELS,
    TOPIC_LABELS,
    label,
)


def partner_name(slug: str) -> str:
    return organisations.name(slug, current_language())


def language_name(code: str) -> str:
    """The name of the language a visitor asked to be called in, as the form offered it."""
    routing = content().routing
    names = routing.languages.get(code, {}) if routing else {}
    return names.get(current_language()) or names.get("nl") or code


def topic_names(topics: list[str]) -> str:
    return ", ".join(label(TOPIC_LABELS, topic) for topic in topics)


def _detail(event: AuditEvent) -> dict[str, str]:
    parts = (event.detail or "").split(" ", 1)
    other, reason = parts[0], parts[1] if len(parts) > 1 else ""
    return {
        "partner": partner_name(other),
        "reason": label(FORWARD_REASON_LABELS, reason),
        "result": label(ATTEMPT_LABELS, event.detail or ""),
        "outcome": label(OUTCOME_LABELS, event.detail or ""),
    }


def audit_text(event: AuditEvent, names: dict[str, str]) -> str:
    """One line of the audit log, in the reader's language."""
    who = names.get(event.actor or "", gettext("a former colleague")) if event.actor else None
    who = who or gettext("The system")
    d = _detail(event)
    member = names.get(event.detail or "", gettext("a colleague"))
    texts = {
        audit.CLAIMED: gettext("%(who)s took the request", who=who),
        audit.REASSIGNED: gettext("%(who)s gave the request to %(to)s", who=who, to=member),
        audit.CONTACT_SHOWN: gettext("%(who)s opened the contact details", who=who),
        audit.CONVERSATION_SHOWN: gettext("%(who)s opened the conversation", who=who),
        audit.REPLIED: gettext("%(who)s answered in writing", who=who),
        audit.ATTEMPT: gettext("%(who)s tried to make contact: %(result)s", who=who, **d),
        audit.FORWARDED: gettext(
            "%(who)s forwarded the request to %(partner)s (%(reason)s)", who=who, **d
        ),
        audit.FORWARD_RECEIVED: gettext("Forwarded to us by %(partner)s (%(reason)s)", **d),
        audit.CLOSED: gettext("%(who)s closed the request: %(outcome)s", who=who, **d),
        audit.REMINDED: gettext("Coordinators were told the request is late"),
        audit.ESCALATED: gettext("Nobody took the request in time: moved to %(partner)s", **d),
        audit.ESCALATION_RECEIVED: gettext(
            "Came to us because %(partner)s did not take it in time", **d
        ),
        audit.CANCELLED_BY_VISITOR: gettext(
            "The visitor cancelled the request, or ended the conversation"
        ),
        audit.WIPED: gettext("The contact details were deleted (retention period)"),
        audit.ACCESS_GRANTED: gettext(
            "%(who)s gave %(to)s access to contact details", who=who, to=member
        ),
        audit.LOGIN: gettext("%(who)s logged in", who=who),
        audit.LOGOUT_EVERYWHERE: gettext("%(who)s logged out everywhere", who=who),
        audit.ACCOUNT_DISABLED: gettext(
            "%(who)s disabled the account of %(to)s", who=who, to=member
        ),
        audit.INVITED: (
            gettext(
                "%(who)s invited a new colleague as %(role)s",
                who=who,
                role=label(ROLE_NAMES, event.detail or ""),
            )
            if event.actor
            else gettext(
                "The server operator invited someone as %(role)s (from the command line)",
                role=label(ROLE_NAMES, event.detail or ""),
            )
        ),
        audit.JOINED: gettext("%(who)s joined with an invitation", who=who),
        audit.CONTENT_ERASED: gettext(
            "%(who)s erased an item and its history for good (%(kind)s)",
            who=who,
            kind=label(CONTENT_KIND_LABELS, event.detail or ""),
        ),
        audit.REROUTED: gettext(
            "Nobody here could open requests yet: moved to %(partner)s, who can", **d
        ),
    }
    return texts.get(event.action, event.action)


def week_name(key: str) -> str:
    """A statistics week ("2026-W42") as people say it: "week 42 (13–19 okt)"."""
    try:
        year, week = key.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return key
    sunday = monday + dt.timedelta(days=6)
    lang = current_language()
    if monday.month == sunday.month:
        days = f"{monday.day}–{format_date(sunday, 'd MMM', locale=lang)}"
    else:
        first, last = (format_date(day, "d MMM", locale=lang) for day in (monday, sunday))
        days = f"{first} – {last}"
    return gettext("week %(week)d (%(days)s)", week=int(week), days=days)


def contact_link(route: str, address: str) -> dict[str, str]:
    """How staff reach a visitor: a number as it is dialled here (06 12345678) behind a tel:
    link, or an address behind a mailto: link."""
    if route == "email":
        return {"href": f"mailto:{address}", "text": address}
    try:
        number = phonenumbers.parse(address, "NL")
    except phonenumbers.NumberParseException:
        return {"href": "", "text": address}
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return {"href": f"tel:{e164}", "text": national}


def template_helpers() -> dict[str, Any]:
    return {
        "partner_name": partner_name,
        "contact_link": contact_link,
        "week_name": week_name,
        "request_language_name": language_name,
        "topic_names": topic_names,
        "topic_name": lambda code: topic_names([code]),
        "kind_name": lambda code: label(REQUEST_KIND_LABELS, code),
        "asking_name": lambda code: label(ASKING_LABELS, code),
        "status_name": lambda code: label(STATUS_LABELS, code),
        "route_name": lambda code: label(ROUTE_LABELS, code),
        "day_names": lambda codes: ", ".join(label(DAY_LABELS, c) for c in codes),
        "time_names": lambda codes: ", ".join(label(TIME_LABELS, c) for c in codes),
        "audit_text": audit_text,
        "role_name": lambda code: label(ROLE_LABELS, code),
    }
