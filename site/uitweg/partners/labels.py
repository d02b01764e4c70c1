"""Words for codes on partner pages: topics, statuses, audit events. Shared with the form's own
labels where the visitor saw the same choice."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import audit
from ..callback.forms import ASKING_LABELS, DAY_LABELS, ROUTE_LABELS, TIME_LABELS, TOPIC_LABELS
from ..context import content
from ..i18n import current_language
from ..models import AuditEvent
from .forms import attempt_labels, forward_reason_labels, outcome_labels, role_labels

STATUS_LABELS = {
    "received": _l("Waiting"),
    "in-progress": _l("Being handled"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled by the visitor"),
}


def partner_name(slug: str) -> str:
    routing = content().routing
    partner = routing.partners.get(slug) if routing else None
    if partner is None:
        return slug
    return partner.name.get(current_language()) or partner.name["nl"]


def language_name(code: str) -> str:
    """The name of the language a visitor asked to be called in, as the form offered it."""
    routing = content().routing
    names = routing.languages.get(code, {}) if routing else {}
    return names.get(current_language()) or names.get("nl") or code


def topic_names(topics: list[str]) -> str:
    return ", ".join(str(TOPIC_LABELS.get(topic, topic)) for topic in topics)


def _detail(event: AuditEvent) -> dict[str, str]:
    parts = (event.detail or "").split(" ", 1)
    other, reason = parts[0], parts[1] if len(parts) > 1 else ""
    return {
        "partner": partner_name(other),
        "reason": str(forward_reason_labels().get(reason, reason)),
        "result": str(attempt_labels().get(event.detail or "", event.detail or "")),
        "outcome": str(outcome_labels().get(event.detail or "", event.detail or "")),
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
        audit.CANCELLED_BY_VISITOR: gettext("The visitor cancelled the request"),
        audit.WIPED: gettext("The contact details were deleted (retention period)"),
        audit.ACCESS_GRANTED: gettext(
            "%(who)s gave %(to)s access to contact details", who=who, to=member
        ),
        audit.LOGIN: gettext("%(who)s logged in", who=who),
        audit.LOGOUT_EVERYWHERE: gettext("%(who)s logged out everywhere", who=who),
        audit.ACCOUNT_DISABLED: gettext(
            "%(who)s disabled the account of %(to)s", who=who, to=member
        ),
        audit.INVITED: gettext("%(who)s made an invitation", who=who),
        audit.JOINED: gettext("%(who)s joined with an invitation", who=who),
        audit.REROUTED: gettext(
            "Nobody here could open requests yet: moved to %(partner)s, who can", **d
        ),
    }
    return texts.get(event.action, event.action)


def template_helpers() -> dict[str, Any]:
    return {
        "partner_name": partner_name,
        "language_name": language_name,
        "topic_names": topic_names,
        "topic_name": lambda code: topic_names([code]),
        "asking_name": lambda code: ASKING_LABELS.get(code, code),
        "status_name": lambda code: STATUS_LABELS.get(code, code),
        "route_name": lambda code: ROUTE_LABELS.get(code, code),
        "day_names": lambda codes: ", ".join(str(DAY_LABELS.get(c, c)) for c in codes),
        "time_names": lambda codes: ", ".join(str(TIME_LABELS.get(c, c)) for c in codes),
        "audit_text": audit_text,
        "role_name": lambda code: role_labels().get(code, code),
    }
