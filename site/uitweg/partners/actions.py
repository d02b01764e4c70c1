"""What staff and the system do to a request: claim, attempt, close, forward, escalate. Each
function changes the row, audits it, and queues any mail, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from .. import audit, mail
from .. import contact as sealed_contact
from ..context import content
from ..models import CallbackRequest, RequestStatus

OPEN = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


def is_open(row: CallbackRequest) -> bool:
    return row.status in OPEN


def claim(session: Session, row: CallbackRequest, member_id: str, at: dt.datetime) -> None:
    row.claimed_by = member_id
    row.claimed_at = at
    row.status = RequestStatus.IN_PROGRESS
    audit.record(session, row.partner, member_id, audit.CLAIMED, row.id, at=at)


def assign(
    session: Session, row: CallbackRequest, actor: str, member_id: str, at: dt.datetime
) -> None:
    row.claimed_by = member_id
    row.claimed_at = at
    row.status = RequestStatus.IN_PROGRESS
    audit.record(session, row.partner, actor, audit.REASSIGNED, row.id, detail=member_id, at=at)


def record_attempt(
    session: Session, row: CallbackRequest, member_id: str, result: str, at: dt.datetime
) -> None:
    if row.claimed_by is None:
        claim(session, row, member_id, at)
    row.attempts += 1
    row.first_attempt_at = row.first_attempt_at or at
    if result == "reached":
        row.reached_at = row.reached_at or at
    audit.record(session, row.partner, member_id, audit.ATTEMPT, row.id, detail=result, at=at)


def close(
    session: Session, row: CallbackRequest, actor: str | None, outcome: str, at: dt.datetime
) -> None:
    row.status = RequestStatus.CLOSED
    row.outcome = outcome
    row.closed_at = at
    audit.record(session, row.partner, actor, audit.CLOSED, row.id, detail=outcome, at=at)


def move(session: Session, row: CallbackRequest, to_partner: str, at: dt.datetime) -> None:
    """Give an open request to another partner: unclaimed, with that partner's promise, and a
    mail to tell them."""
    routing = content().routing
    partner = routing.partners[to_partner]
    site = content().site
    expected_from, expected_by = partner.expected_contact(
        at, ZoneInfo(site.timezone), site.closed_dates
    )
    row.partner = to_partner
    row.status = RequestStatus.RECEIVED
    row.claimed_by = None
    row.claimed_at = None
    row.reminded_at = None
    row.expected_from = expected_from
    row.expected_by = expected_by
    row.escalate_at = expected_by + (expected_by - expected_from)
    mail.enqueue(session, mail.NEW_REQUEST, to_partner, row.id, at)


class CannotShare(Exception):
    """The new partner cannot be given the contact details by this member."""


class NoKeyHolder(Exception):
    """Nobody at the new partner holds its key: a request sent there could never be opened."""


def forward(
    session: Session,
    row: CallbackRequest,
    actor: str,
    to_partner: str,
    reason: str,
    private_key: bytes | None,
    at: dt.datetime,
) -> None:
    """Move the request to another partner, sealing its data key to that partner's chain. Only
    to a partner that can open it: one that already holds a copy, or one with a key pair that
    this member (who can open the request) seals it to."""
    from_partner = row.partner
    if row.contact is not None:
        have = sealed_contact.holders(session, row.id)
        receivers = sealed_contact.receivers(session)
        wanted = [p for p in sealed_contact.chain(to_partner) if p in receivers and p not in have]
        if to_partner not in have and to_partner not in wanted:
            raise NoKeyHolder(to_partner)
        if wanted:
            try:
                data_key = sealed_contact.data_key(session, row, from_partner, private_key)
            except sealed_contact.NoAccess:
                if to_partner not in have:
                    raise CannotShare from None
            else:
                sealed_contact.share(session, row, data_key, wanted)
    move(session, row, to_partner, at)
    row.forwards += 1
    audit.record(
        session, from_partner, actor, audit.FORWARDED, row.id, f"{to_partner} {reason}", at=at
    )
    audit.record(
        session,
        to_partner,
        actor,
        audit.FORWARD_RECEIVED,
        row.id,
        f"{from_partner} {reason}",
        at=at,
    )
