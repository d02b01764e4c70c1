"""Storing a callback request: route it, seal the contact block to its partners, write it with
its outbox mail in one transaction. A form sent twice (double click, back button, a retry after
a timeout) carries the same one-time token and finds the request the first submit made."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import contact as sealed_contact
from .. import db, mail, routing
from ..context import content
from ..models import CallbackRequest
from .reference import new_reference

_SALT = "callback-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def new_token() -> str:
    """A signed one-time token: it names the form (for double submits) and when it was shown."""
    return _serializer().dumps(secrets.token_urlsafe(16))


class TokenProblem(Exception):
    """The token is missing, forged, too old, or came back too fast."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "too-fast"


def read_token(token: str | None, at: dt.datetime) -> str:
    """The token's nonce, after checking its signature and how long the form was open."""
    config = current_app.config
    try:
        nonce, shown = _serializer().loads(
            token or "", max_age=config["CALLBACK_MAX_FORM_AGE"], return_timestamp=True
        )
    except SignatureExpired:
        raise TokenProblem("expired") from None
    except BadSignature:
        raise TokenProblem("invalid") from None
    if (dt.datetime.now(dt.UTC) - shown).total_seconds() < config["CALLBACK_MIN_FILL_SECONDS"]:
        raise TokenProblem("too-fast")
    return str(nonce)


@dataclass(frozen=True)
class Accepted:
    request_id: str
    reference: str
    duplicate: bool


def _find(submission: str) -> CallbackRequest | None:
    with db.session() as session:
        return session.scalars(
            select(CallbackRequest).where(CallbackRequest.submission == submission)
        ).first()


class NobodyToReceive(Exception):
    """No partner along the request's chain or the default partner's holds a key yet: the
    request cannot be sealed to anyone, so it is not accepted."""


def accepting() -> bool:
    """Whether the form can take requests now (see Routing.accepts_requests)."""
    with db.session() as session:
        return sealed_contact.accepts_requests(session)


def store(facts: routing.Facts, contact: dict, nonce: str, at: dt.datetime) -> Accepted:
    submission = hashlib.sha256(nonce.encode()).hexdigest()
    existing = _find(submission)
    if existing is not None:
        return Accepted(existing.id, existing.reference, duplicate=True)
    site = content().site
    with db.session() as session:
        decision = content().routing.route_to_receiver(facts, sealed_contact.receivers(session))
    if decision is None:
        raise NobodyToReceive
    expected_from, expected_by = decision.partner.expected_contact(
        at, ZoneInfo(site.timezone), site.closed_dates
    )
    for _attempt in range(5):
        row = CallbackRequest(
            reference=new_reference(),
            submission=submission,
            created_at=at,
            partner=decision.partner.slug,
            rule=decision.rule,
            instead_of=decision.instead_of,
            topics=",".join(facts.topics),
            asking=facts.asking,
            municipality=facts.municipality,
            language=facts.language,
            campaign=facts.campaign,
            expected_from=expected_from,
            expected_by=expected_by,
            escalate_at=expected_by + (expected_by - expected_from),
        )
        try:
            with db.session() as session:
                session.add(row)
                session.flush()
                sealed_contact.seal_new(session, row, contact)
                mail.enqueue(session, mail.NEW_REQUEST, row.partner, row.id, at)
        except sealed_contact.NoReceiver:
            raise NobodyToReceive from None
        except IntegrityError:
            # Either the same form arrived twice at once, or (rarely) the reference was taken.
            existing = _find(submission)
            if existing is not None:
                return Accepted(existing.id, existing.reference, duplicate=True)
            continue
        return Accepted(row.id, row.reference, duplicate=False)
    raise RuntimeError("no free reference code after five tries")
