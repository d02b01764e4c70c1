"""A request's contact block: sealed at submit, opened by a partner, shared on a forward, wiped.

See sealing.py for the scheme. Nothing here can open a block without a partner's private key:
a request is only ever routed to partners that hold one (`receivers`). Every function here
takes the caller's database session, so the block and its keys change in the same transaction
as whatever caused the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..context import content
from ..models import CallbackRequest, ContactScheme, PartnerKey, SealedDataKey
from . import conversation, sealing


def chain(partner: str) -> list[str]:
    """The partner and its fallbacks, as partners.yaml says today."""
    routing = content().routing
    if routing is None or partner not in routing.partners:
        return [partner]
    return [p.slug for p in routing.chain(partner)]


def receivers(session: Session) -> set[str]:
    """Partners that can receive a request: someone there holds the partner's key pair. A
    request is sealed only to these; the server keeps no copy it could open itself."""
    return set(session.scalars(select(PartnerKey.partner)))


def accepts_requests(session: Session) -> bool:
    """Whether the callback form can take requests now: some partner along the default
    partner's chain, where every request can fall back to, holds a key."""
    routing = content().routing
    return routing is not None and routing.accepts_requests(receivers(session))


CLOSED_REASON = (
    "the callback form takes no requests: nobody along the default partner's fallback chain "
    "holds a partner key yet (see `flask partners status`; the first person of a partner is "
    "invited with `flask partners invite`)"
)


def holders(session: Session, request_id: str) -> set[str]:
    """Partners holding a sealed copy of this request's data key: the only ones that can
    open it, and so the only ones it may move to."""
    return set(
        session.scalars(select(SealedDataKey.partner).where(SealedDataKey.request_id == request_id))
    )


def _public_keys(session: Session, partners: Iterable[str]) -> dict[str, bytes]:
    wanted = list(dict.fromkeys(partners))
    rows = session.scalars(select(PartnerKey).where(PartnerKey.partner.in_(wanted)))
    return {row.partner: row.public_key for row in rows}


def share(session: Session, row: CallbackRequest, data_key: bytes, partners: list[str]) -> set[str]:
    """Seal the data key to each of `partners` that has a key pair and no copy yet. A partner
    without a key pair gets nothing: nobody could open it there. Returns every partner that
    holds a copy afterwards."""
    have = holders(session, row.id)
    for partner, public_key in _public_keys(session, partners).items():
        if partner not in have:
            sealed = sealing.seal_to(public_key, data_key)
            session.add(SealedDataKey(request_id=row.id, partner=partner, sealed=sealed))
            have.add(partner)
    return have


class NoReceiver(Exception):
    """The partner a request should go to holds no key pair: nobody there could open it."""


def seal_new(session: Session, row: CallbackRequest, block: dict[str, Any]) -> bytes:
    """Encrypt a new request's block and seal its key to the routed partner's chain (those in
    it that can receive). The row must have been flushed (it needs its id). Raises NoReceiver
    when the routed partner itself has no key pair (its last key holder left meanwhile): the
    caller's transaction then stores nothing. Returns the data key, for a written
    conversation's messages (conversation.py)."""
    data_key = sealing.new_data_key()
    row.contact = sealing.encrypt_block(data_key, block)
    row.contact_scheme = ContactScheme.SEALED
    if row.partner not in share(session, row, data_key, chain(row.partner)):
        raise NoReceiver(row.partner)
    return data_key


class NoAccess(Exception):
    """This partner's key does not open this request (or it holds no contact details)."""


def data_key(
    session: Session, row: CallbackRequest, partner: str, private_key: bytes | None
) -> bytes:
    if row.contact is None or row.contact_scheme != ContactScheme.SEALED:
        raise NoAccess("no sealed contact block")
    sealed = session.get(SealedDataKey, (row.id, partner))
    if sealed is not None:
        if private_key is None:
            raise NoAccess("this member holds no partner key")
        return sealing.open_sealed(private_key, sealed.sealed)
    raise NoAccess("not sealed to this partner")


def open_block(
    session: Session, row: CallbackRequest, partner: str, private_key: bytes | None
) -> dict[str, Any]:
    key = data_key(session, row, partner, private_key)
    assert row.contact is not None  # data_key found a sealed block
    return sealing.decrypt_block(key, row.contact)


def wipe(session: Session, row: CallbackRequest, at: dt.datetime) -> None:
    """The contact block, every key to it, and a conversation's messages go."""
    conversation.forget(session, row)
    row.contact = None
    row.wiped_at = row.wiped_at or at
    session.execute(delete(SealedDataKey).where(SealedDataKey.request_id == row.id))
