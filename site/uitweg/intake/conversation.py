"""A written conversation: the visitor asks in writing and gets a code instead of leaving a
phone number; partner staff answer in the inbox; the visitor reads and answers with the code.

Keys. A conversation is a request (its contact block holds the visitor's preferences) and has
that block's data key. The data key is sealed to the partners of its chain (contact.share) and
to the visitor's public key, which only the code gives back (sealing.visitor_keys); every
message, both ways, is encrypted with it. So partner staff read with their partner's key, the
visitor reads with the code, and the server, holding neither, reads nothing: not from the
database, not with its own keys. The code itself is never stored, only a digest that finds the
row, derived with Argon2id so that guessing codes against a stolen copy stays hopeless.

Status changes (asking, the partner's reply claiming the request, ending) are in lifecycle.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..context import setting
from ..models import CallbackRequest, ConversationMessage, OutboxMessage
from ..vocabulary import Author, RequestKind
from . import codes, reference, sealing

# The longest message either side may write: room for a real question, short of a letter.
MESSAGE_MAX = 2000


def cost() -> sealing.KdfCost:
    """The Argon2id cost for new codes (config VISITOR_CODE_*). It is paid on every submit and
    every use of a code, so it is lighter than the staff passwords'; each row keeps the cost it
    was made with, so raising it later keeps older codes working."""
    return sealing.KdfCost(setting("VISITOR_CODE_TIME_COST"), setting("VISITOR_CODE_MEMORY_KIB"), 1)


def _cost_text(value: sealing.KdfCost) -> str:
    return f"{value.time_cost},{value.memory_kib},{value.parallelism}"


def _cost_from(text: str) -> sealing.KdfCost:
    time_cost, memory_kib, parallelism = (int(part) for part in text.split(","))
    return sealing.KdfCost(time_cost, memory_kib, parallelism)


def _from_nonce(purpose: str, nonce: str, alphabet: str, length: int) -> str:
    """A code made from a form's one-time nonce under the server's secret, so that the same
    form sent twice (a retry after a timeout) shows the same code again although the code is
    never stored. Only the nonce's SHA-256 is kept, so a copy of the database and the
    environment cannot make the code either."""
    digest = hmac.new(
        str(setting("SECRET_KEY")).encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256
    ).digest()
    value = int.from_bytes(digest, "big")  # 256 bits: the little bias of `%` is negligible
    chars = []
    for _ in range(length):
        value, index = divmod(value, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def code_for(nonce: str) -> str:
    """The code of the written conversation a form starts (intake/codes.py, 80 bits)."""
    return _from_nonce("conversation", nonce, codes.ALPHABET, codes.LENGTH)


def reference_for(nonce: str, attempt: int = 0) -> str:
    """The reference code of the callback request a form makes (intake/reference.py); a
    further `attempt` when an earlier one was taken."""
    return _from_nonce(f"reference:{attempt}", nonce, codes.ALPHABET, codes.LENGTH)


def normalise(typed: str) -> str | None:
    """A conversation code or a callback's reference code, as derived from, from what a person
    typed; None when it is neither."""
    return codes.normalise(typed) or reference.normalise(typed)


def has_code(row: CallbackRequest, code: str) -> bool:
    """Whether `code` is the one this row was given (one derivation)."""
    if row.code_digest is None or row.code_cost is None:
        return False
    return sealing.visitor_keys(code, _cost_from(row.code_cost)).digest == row.code_digest


def give_key(row: CallbackRequest, code: str, data_key: bytes) -> None:
    """Let `code` open the request and its conversation: its digest finds the row, its
    public key holds a sealed copy of the data key. A callback's reference code gets the same,
    so that a request whose calls failed can go on in writing."""
    used = cost()
    keys = sealing.visitor_keys(code, used)
    row.code_digest = keys.digest
    row.code_cost = _cost_text(used)
    row.visitor_key = keys.public_key
    row.visitor_box = sealing.seal_to(keys.public_key, data_key)


@dataclass(frozen=True)
class Opened:
    """A conversation opened with its code: its row and its data key."""

    row: CallbackRequest
    data_key: bytes


def find_with_code(session: Session, code: str) -> tuple[CallbackRequest, Opened | None] | None:
    """The request this code finds, and what it opens: None for a request whose messages
    and keys are gone (a callback keeps its digest after a wipe, so that its code still shows
    that it was cancelled or closed). The same work is done whether or not the code exists
    (one derivation per cost in use), so the time says nothing either."""
    costs = [_cost_text(cost())]
    in_use = session.scalars(
        select(CallbackRequest.code_cost).where(CallbackRequest.code_cost.is_not(None)).distinct()
    )
    costs += [text for text in in_use if text is not None and text not in costs]
    for text in costs:
        keys = sealing.visitor_keys(code, _cost_from(text))
        row = session.scalars(
            select(CallbackRequest).where(CallbackRequest.code_digest == keys.digest)
        ).first()
        if row is None:
            continue
        if row.visitor_box is None:
            return row, None
        try:
            return row, Opened(row, sealing.open_sealed(keys.private_key, row.visitor_box))
        except sealing.SealError:
            return row, None
    return None


def open_with_code(session: Session, code: str) -> Opened | None:
    """The conversation this code opens, or None."""
    found = find_with_code(session, code)
    return found[1] if found is not None else None


@dataclass(frozen=True)
class Message:
    at: dt.datetime
    author: str  # Author.VISITOR or Author.PARTNER
    member_id: str | None
    text: str


def add(
    session: Session,
    row: CallbackRequest,
    data_key: bytes,
    author: str,
    member_id: str | None,
    text: str,
    at: dt.datetime,
) -> None:
    """Add a message (the caller holds the row, locked when it already exists)."""
    count = select(func.count()).where(ConversationMessage.request_id == row.id)
    session.add(
        ConversationMessage(
            request_id=row.id,
            seq=session.scalar(count) or 0,
            at=at,
            author=author,
            member_id=member_id,
            body=sealing.encrypt_text(data_key, text),
        )
    )
    row.waiting_for = Author.VISITOR if author == Author.PARTNER else Author.PARTNER
    if author == Author.PARTNER:
        row.answered_at = row.answered_at or at


def messages(session: Session, row: CallbackRequest, data_key: bytes) -> list[Message]:
    rows = session.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.request_id == row.id)
        .order_by(ConversationMessage.seq)
    )
    return [
        Message(m.at, m.author, m.member_id, sealing.decrypt_text(data_key, m.body)) for m in rows
    ]


def preferences(row: CallbackRequest, data_key: bytes) -> dict[str, Any]:
    assert row.contact is not None
    return sealing.decrypt_block(data_key, row.contact)


def set_preferences(row: CallbackRequest, data_key: bytes, block: dict[str, Any]) -> None:
    row.contact = sealing.encrypt_block(data_key, block)


def forget(session: Session, row: CallbackRequest) -> None:
    """Every message and the visitor's key material go (contact.wipe calls it with the
    contact block): after this the code opens nothing. A written conversation's code finds
    nothing either; a callback's still shows the request's status, as before."""
    session.execute(delete(ConversationMessage).where(ConversationMessage.request_id == row.id))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id == row.id, OutboxMessage.recipient.is_not(None))
        .values(recipient=None)
    )
    if row.kind == RequestKind.WRITTEN:
        row.code_digest = None
        row.code_cost = None
    row.visitor_key = None
    row.visitor_box = None
