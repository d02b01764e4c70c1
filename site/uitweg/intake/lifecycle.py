"""Every change of a callback request's status, each with its audit record: create, claim,
assign, attempt, close, forward, escalate, cancel, expire, wipe; and for a written
conversation, ask and reply. Nothing else writes a status
(a test reads the source to keep it so). Each function works inside the caller's transaction,
so the row, its sealed keys, its audit record and any mail change together or not at all.

    received --claim/assign/attempt--> in-progress --close--> closed
    received / in-progress --forward/escalate--> received (at another partner)
    received / in-progress --cancel (the visitor)--> cancelled
    received / in-progress --expire (retention)--> closed ("expired")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from .. import db, mail
from ..content.routing import Facts
from ..context import content
from ..models import CallbackRequest
from ..vocabulary import EXPIRED, Author, RequestKind, RequestStatus
from . import audit, conversation
from . import contact as sealed_contact

OPEN = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)

log = logging.getLogger(__name__)


def is_open(row: CallbackRequest) -> bool:
    return row.status in OPEN


@dataclass(frozen=True)
class Accepted:
    request_id: str
    reference: str
    duplicate: bool


class NobodyToReceive(Exception):
    """No partner along the request's chain or the default partner's holds a key yet: the
    request cannot be sealed to anyone, so it is not accepted."""


def accepting() -> bool:
    """Whether the form can take requests now (see Routing.accepts_requests). When the
    database cannot be asked, yes: the form is shown (it may be back before the visitor is
    done) and its submit, which needs the database anyway, says to try again or call, keeping
    what was typed. Saying "closed" would be wrong, and a 500 worse."""
    try:
        with db.session() as session:
            return sealed_contact.accepts_requests(session)
    except SQLAlchemyError:
        log.warning("the database did not answer whether the form takes requests")
        return True


def _submitted(submission: str) -> CallbackRequest | None:
    with db.session() as session:
        return session.scalars(
            select(CallbackRequest).where(CallbackRequest.submission == submission)
        ).first()


def _route(facts: Facts, at: dt.datetime) -> dict[str, Any]:
    """Where a new request goes, and the promise that comes with it: the columns routing sets."""
    site = content().site
    routing = content().routing
    if routing is None:
        raise NobodyToReceive
    with db.session() as session:
        decision = routing.route_to_receiver(facts, sealed_contact.receivers(session))
    if decision is None:
        raise NobodyToReceive
    expected_from, expected_by = decision.partner.expected_contact(
        at, ZoneInfo(site.timezone), site.closed_dates
    )
    return {
        "partner": decision.partner.slug,
        "rule": decision.rule,
        "instead_of": decision.instead_of,
        "topics": ",".join(facts.topics),
        "asking": facts.asking,
        "municipality": facts.municipality,
        "language": facts.language,
        "campaign": facts.campaign,
        "expected_from": expected_from,
        "expected_by": expected_by,
        "escalate_at": expected_by + (expected_by - expected_from),
    }


def create(facts: Facts, contact: dict[str, Any], nonce: str, at: dt.datetime) -> Accepted:
    """Route a new request, seal its contact block to its partners and store it with its
    outbox mail in one transaction. Its reference code opens it for the visitor, like a
    conversation's code (conversation.give_key), and is not stored either: the same form sent
    twice (the same `nonce`: a double click, the back button, a retry after a timeout) finds
    the request the first submit made, and shows the same code."""
    submission = hashlib.sha256(nonce.encode()).hexdigest()
    existing = _submitted(submission)
    if existing is not None:
        return _again(existing, nonce)
    routed = _route(facts, at)
    for attempt in range(5):
        code = conversation.reference_for(nonce, attempt)
        row = CallbackRequest(
            kind=RequestKind.CALLBACK,
            # Not a code anyone has: lower-case hex, and typed codes are read in capitals.
            reference="r:" + secrets.token_hex(7),
            submission=submission,
            created_at=at,
            status=RequestStatus.RECEIVED,
            **routed,
        )
        try:
            with db.session() as session:
                session.add(row)
                session.flush()
                data_key = sealed_contact.seal_new(session, row, contact)
                conversation.give_key(row, code, data_key)
                mail.enqueue(session, mail.NEW_REQUEST, row.partner, row.id, at)
        except sealed_contact.NoReceiver:
            raise NobodyToReceive from None
        except IntegrityError:
            # Either the same form arrived twice at once, or (rarely) the code was taken.
            existing = _submitted(submission)
            if existing is not None:
                return _again(existing, nonce)
            continue
        return Accepted(row.id, code, duplicate=False)
    raise RuntimeError("no free reference code after five tries")


def _again(existing: CallbackRequest, nonce: str) -> Accepted:
    """The answer to a form sent again: the code the first submit gave (kept in clear only by
    requests made before codes were derived, migration 0010)."""
    if existing.code_digest is None:
        return Accepted(existing.id, existing.reference, duplicate=True)
    for attempt in range(5):
        code = conversation.reference_for(nonce, attempt)
        if conversation.has_code(existing, code):
            return Accepted(existing.id, code, duplicate=True)
    raise LookupError("the request this form made has no code it could have had")


def ask(
    facts: Facts, preferences: dict[str, Any], text: str, nonce: str, at: dt.datetime
) -> Accepted:
    """Start a written conversation with the visitor's first message: routed, sealed and
    announced like a callback request, in one transaction. `reference` in the answer is the
    conversation's code, shown once and never stored (conversation.py); the same form sent
    twice finds the conversation the first submit started, and gives the same code."""
    submission = hashlib.sha256(nonce.encode()).hexdigest()
    code = conversation.code_for(nonce)
    existing = _submitted(submission)
    if existing is not None:
        return Accepted(existing.id, code, duplicate=True)
    row = CallbackRequest(
        kind=RequestKind.WRITTEN,
        # Not a code anyone has: lower-case hex, and typed codes are read in capitals.
        reference="w:" + secrets.token_hex(7),
        submission=submission,
        created_at=at,
        status=RequestStatus.RECEIVED,
        **_route(facts, at),
    )
    try:
        with db.session() as session:
            session.add(row)
            session.flush()
            data_key = sealed_contact.seal_new(session, row, preferences)
            conversation.give_key(row, code, data_key)
            conversation.add(session, row, data_key, Author.VISITOR, None, text, at)
            mail.enqueue(session, mail.NEW_QUESTION, row.partner, row.id, at)
    except sealed_contact.NoReceiver:
        raise NobodyToReceive from None
    except IntegrityError:
        existing = _submitted(submission)
        if existing is None:
            raise
        return Accepted(existing.id, code, duplicate=True)
    return Accepted(row.id, code, duplicate=False)


def visitor_writes(
    session: Session, opened: conversation.Opened, text: str, at: dt.datetime
) -> None:
    """The visitor answers with their code: the partner that has the conversation is told, and
    owes an answer within its usual response time again."""
    row = opened.row
    conversation.add(session, row, opened.data_key, Author.VISITOR, None, text, at)
    routing = content().routing
    partner = routing.partners.get(row.partner) if routing else None
    if partner is not None:
        site = content().site
        row.expected_from, row.expected_by = partner.expected_contact(
            at, ZoneInfo(site.timezone), site.closed_dates
        )
    mail.enqueue(session, mail.NEW_MESSAGE, row.partner, row.id, at)


def reply(
    session: Session,
    row: CallbackRequest,
    member_id: str,
    private_key: bytes | None,
    text: str,
    at: dt.datetime,
) -> None:
    """A partner's answer, sealed with the conversation's data key (which only the partner's
    key and the visitor's code open). Answering a question nobody took takes it. Raises
    contact.NoAccess when this member cannot open the conversation."""
    data_key = sealed_contact.data_key(session, row, row.partner, private_key)
    if row.claimed_by is None:
        claim(session, row, member_id, at)
    conversation.add(session, row, data_key, Author.PARTNER, member_id, text, at)
    audit.record(session, row.partner, member_id, audit.REPLIED, row.id, at=at)
    notify = conversation.preferences(row, data_key).get("notify")
    if notify:
        mail.enqueue_notice(session, row.partner, row.id, notify, at)


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
    mail to tell them. Forward and escalate audit why."""
    routing = content().routing
    if routing is None:
        raise NoKeyHolder(to_partner)
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
    kind = mail.NEW_QUESTION if row.kind == RequestKind.WRITTEN else mail.NEW_REQUEST
    mail.enqueue(session, kind, to_partner, row.id, at)


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


def escalate(session: Session, row: CallbackRequest, fallback: str, at: dt.datetime) -> None:
    """Nobody took the request in time: it moves to `fallback` (escalation.py decides when and
    where, and takes the row first so that only one process escalates it)."""
    partner = row.partner
    move(session, row, fallback, at)
    audit.record(session, partner, None, audit.ESCALATED, row.id, fallback, at=at)
    audit.record(session, fallback, None, audit.ESCALATION_RECEIVED, row.id, partner, at=at)


def cancel(session: Session, row: CallbackRequest, at: dt.datetime) -> None:
    """The visitor cancels with their code (or ends a written conversation): the request ends
    and its contact block, and a conversation's messages, go at once. Cancelling again, or
    after the partner closed it, only makes sure they are gone."""
    if is_open(row):
        row.status = RequestStatus.CANCELLED
        row.closed_at = at
        audit.record(session, row.partner, None, audit.CANCELLED_BY_VISITOR, row.id, at=at)
    sealed_contact.wipe(session, row, at)


def expire(session: Session, row: CallbackRequest, at: dt.datetime) -> None:
    """Retention closes a request nobody closed in time, and deletes its contact block at once
    (audited as a wipe of an unhandled request)."""
    row.status = RequestStatus.CLOSED
    row.outcome = EXPIRED
    row.closed_at = at
    wipe(session, row, "unhandled", at)


def wipe(session: Session, row: CallbackRequest, reason: str, at: dt.datetime) -> None:
    """Retention deletes the contact block of a request that ended `reason` ("closed",
    "cancelled" or "unhandled"); the row stays, without personal data."""
    sealed_contact.wipe(session, row, at)
    audit.record(session, row.partner, None, audit.WIPED, row.id, reason, at=at)


def from_the_past(**facts: Any) -> CallbackRequest:
    """A request that was closed and wiped long ago, for made-up history (outreach/demo.py):
    routing facts and dates only, never contact details."""
    return CallbackRequest(status=RequestStatus.CLOSED, contact=None, **facts)
