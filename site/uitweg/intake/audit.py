"""The audit log: who did what to which request, and when.

An event names its actor (a staff member's id, or nobody for the system), the partner whose log
it belongs to, the request, an action from the list below and at most a category or a partner
slug as detail. It never copies a contact detail or any text someone typed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..context import now
from ..models import AuditEvent

CLAIMED = "claimed"
REASSIGNED = "reassigned"
CONTACT_SHOWN = "contact-shown"
CONVERSATION_SHOWN = "conversation-shown"
REPLIED = "replied"
ATTEMPT = "attempt"
FORWARDED = "forwarded"  # detail: "<to-partner> <reason>"
FORWARD_RECEIVED = "forward-received"  # detail: "<from-partner> <reason>"
CLOSED = "closed"  # detail: the outcome
REMINDED = "reminded"
ESCALATED = "escalated"  # detail: the fallback partner
ESCALATION_RECEIVED = "escalation-received"  # detail: the partner it came from
CANCELLED_BY_VISITOR = "cancelled-by-visitor"
WIPED = "wiped"  # retention removed the contact block
ACCESS_GRANTED = "access-granted"  # detail: the member who was granted
LOGIN = "login"
LOGOUT_EVERYWHERE = "logout-everywhere"
ACCOUNT_DISABLED = "account-disabled"  # detail: the member
INVITED = "invited"  # detail: the role
JOINED = "joined"  # actor: the new member; detail: their role
REROUTED = "rerouted"  # detail: the partner that holds a key, where the request went instead
# An editors' item erased with its history; detail: its kind only ("stories"), never its slug,
# which may name the person the story was about.
CONTENT_ERASED = "content-erased"

ACTIONS = (
    CLAIMED,
    REASSIGNED,
    CONTACT_SHOWN,
    CONVERSATION_SHOWN,
    REPLIED,
    ATTEMPT,
    FORWARDED,
    FORWARD_RECEIVED,
    CLOSED,
    REMINDED,
    ESCALATED,
    ESCALATION_RECEIVED,
    CANCELLED_BY_VISITOR,
    WIPED,
    ACCESS_GRANTED,
    LOGIN,
    LOGOUT_EVERYWHERE,
    JOINED,
    REROUTED,
    ACCOUNT_DISABLED,
    INVITED,
    CONTENT_ERASED,
)


def record(
    session: Session,
    partner: str,
    actor: str | None,
    action: str,
    request_id: str | None = None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        at=at or now(),
        partner=partner,
        actor=actor,
        request_id=request_id,
        action=action,
        detail=detail[:100] if detail else None,
    )
    session.add(event)
    return event
