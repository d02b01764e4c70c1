"""Escalation: a request nobody took in time first reminds the partner's coordinators; past
twice the promised time it moves to the partner's fallback.

Each step is one conditional UPDATE that only succeeds for the process that makes the change
(the row must still be as it was read), so several workers or hosts may run this at once:
nobody is reminded twice and no request escalates twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from .. import db, mail
from ..content.routing import Routing
from ..context import content
from ..models import CallbackRequest
from ..vocabulary import RequestStatus
from . import audit, lifecycle
from . import contact as sealed_contact


@dataclass
class EscalationReport:
    reminded: int = 0
    escalated: int = 0


def _unclaimed():
    return (
        CallbackRequest.status == RequestStatus.RECEIVED,
        CallbackRequest.claimed_by.is_(None),
    )


def remind(at: dt.datetime) -> int:
    count = 0
    with db.session() as session:
        due = session.execute(
            select(CallbackRequest.id, CallbackRequest.partner).where(
                *_unclaimed(),
                CallbackRequest.expected_by <= at,
                CallbackRequest.reminded_at.is_(None),
            )
        ).all()
    for request_id, partner in due:
        with db.session() as session:
            won = db.changed(
                session,
                update(CallbackRequest)
                .where(
                    CallbackRequest.id == request_id,
                    CallbackRequest.partner == partner,
                    CallbackRequest.reminded_at.is_(None),
                    *_unclaimed(),
                )
                .values(reminded_at=at),
            )
            if won == 1:
                mail.enqueue(session, mail.OVERDUE, partner, request_id, at)
                audit.record(session, partner, None, audit.REMINDED, request_id, at=at)
                count += 1
    return count


def escalate(at: dt.datetime) -> int:
    routing = content().routing
    if routing is None:
        return 0
    count = 0
    with db.session() as session:
        due = session.execute(
            select(CallbackRequest.id, CallbackRequest.partner, CallbackRequest.forwards).where(
                *_unclaimed(), CallbackRequest.escalate_at <= at
            )
        ).all()
    for request_id, partner, forwards in due:
        with db.session() as session:
            fallback = next_holder(routing, partner, sealed_contact.holders(session, request_id))
            if fallback is None:
                continue  # nowhere it could be opened: the reminder is all we can do
            # Take the row: only the process whose UPDATE matches the row as it was read goes on.
            won = db.changed(
                session,
                update(CallbackRequest)
                .where(
                    CallbackRequest.id == request_id,
                    CallbackRequest.partner == partner,
                    CallbackRequest.forwards == forwards,
                    *_unclaimed(),
                )
                .values(forwards=forwards + 1),
            )
            if won != 1:
                continue
            row = session.get_one(CallbackRequest, request_id)
            lifecycle.escalate(session, row, fallback, at)
            count += 1
    return count


def next_holder(routing: Routing, partner: str, holders: set[str]) -> str | None:
    """Where a late request goes: the first partner after `partner` along its fallback chain
    that holds a sealed copy of it. A partner that had no key holder when the request came in
    cannot open it, so it is skipped, even when someone has enrolled there since."""
    start = partner if partner in routing.partners else routing.default
    for candidate in routing.chain(start):
        if candidate.slug != partner and candidate.slug in holders:
            return candidate.slug
    return None


def run(at: dt.datetime) -> EscalationReport:
    return EscalationReport(reminded=remind(at), escalated=escalate(at))
