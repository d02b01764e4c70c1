"""A request's contact block: sealed at submit, opened by a partner, shared on a forward, wiped.

See sealing.py for the scheme. Every function here takes the caller's database session, so the
block and its keys change in the same transaction as whatever caused the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import sealing
from .context import content
from .models import CallbackRequest, ContactScheme, PartnerKey, SealedDataKey
from .privacy import vault


def chain(partner: str) -> list[str]:
    """The partner and its fallbacks, as partners.yaml says today."""
    routing = content().routing
    if routing is None or partner not in routing.partners:
        return [partner]
    return [p.slug for p in routing.chain(partner)]


def _public_keys(session: Session, partners: Iterable[str]) -> dict[str, bytes]:
    wanted = list(dict.fromkeys(partners))
    rows = session.scalars(select(PartnerKey).where(PartnerKey.partner.in_(wanted)))
    return {row.partner: row.public_key for row in rows}


def _sealed_partners(session: Session, request_id: str) -> set[str]:
    return set(
        session.scalars(select(SealedDataKey.partner).where(SealedDataKey.request_id == request_id))
    )


def share(session: Session, row: CallbackRequest, data_key: bytes, partners: list[str]) -> None:
    """Seal the data key to each partner that has a key pair and does not have it yet. The
    server keeps an escrow copy only while one of `partners` has no key pair."""
    keys = _public_keys(session, partners)
    have = _sealed_partners(session, row.id)
    for partner, public_key in keys.items():
        if partner not in have:
            sealed = sealing.seal_to(public_key, data_key)
            session.add(SealedDataKey(request_id=row.id, partner=partner, sealed=sealed))
    missing = [partner for partner in partners if partner not in keys]
    if missing:
        row.contact_escrow = row.contact_escrow or vault().lock(data_key)


def needs_sharing(session: Session, row: CallbackRequest, partners: list[str]) -> bool:
    """Whether some partner in `partners` has a key pair but no sealed copy of this request's
    data key (a block that was wiped needs nothing)."""
    if row.contact is None:
        return False
    keys = _public_keys(session, partners)
    return bool(set(keys) - _sealed_partners(session, row.id))


def seal_new(session: Session, row: CallbackRequest, block: dict[str, Any]) -> None:
    """Encrypt a new request's block and seal its key to the routed partner's chain. The row
    must have been flushed (it needs its id)."""
    data_key = sealing.new_data_key()
    row.contact = sealing.encrypt_block(data_key, block)
    row.contact_scheme = ContactScheme.SEALED
    row.contact_escrow = None
    share(session, row, data_key, chain(row.partner))


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
    if row.contact_escrow is not None:
        # Stored before this partner had a key pair; settle_escrow() seals it to them soon.
        return vault().unlock(row.contact_escrow)
    raise NoAccess("not sealed to this partner")


def open_block(
    session: Session, row: CallbackRequest, partner: str, private_key: bytes | None
) -> dict[str, Any]:
    return sealing.decrypt_block(data_key(session, row, partner, private_key), row.contact)


def wipe(session: Session, row: CallbackRequest, at: dt.datetime) -> None:
    row.contact = None
    row.contact_escrow = None
    row.wiped_at = row.wiped_at or at
    session.execute(delete(SealedDataKey).where(SealedDataKey.request_id == row.id))


def settle_escrow(session: Session) -> int:
    """Seal escrowed data keys to partners that now have a key pair, and drop the escrow copy
    once every partner in the chain has its own. Also moves blocks stored under the server key
    (before partner keys existed) into the sealed scheme. Returns how many requests changed.

    Runs at every enrolment and maintenance run, so it first reads only ids and partner names:
    a row whose chain still waits for someone to enrol costs no decryption."""
    waiting = (CallbackRequest.contact.is_not(None)) & (
        CallbackRequest.contact_escrow.is_not(None)
        | (CallbackRequest.contact_scheme == ContactScheme.SERVER_KEY)
    )
    # In id order: two runs at once (enrolment and maintenance) lock rows in the same order.
    candidates = session.execute(
        select(CallbackRequest.id, CallbackRequest.partner, CallbackRequest.contact_scheme)
        .where(waiting)
        .order_by(CallbackRequest.id)
    ).all()
    if not candidates:
        return 0
    keys = dict(session.execute(select(PartnerKey.partner, PartnerKey.public_key)).all())
    have: dict[str, set[str]] = {}
    for request_id, partner in session.execute(
        select(SealedDataKey.request_id, SealedDataKey.partner).join(CallbackRequest).where(waiting)
    ):
        have.setdefault(request_id, set()).add(partner)
    changed = 0
    for request_id, routed_to, scheme in candidates:
        partners = chain(routed_to)
        unsealed = [p for p in partners if p in keys and p not in have.get(request_id, set())]
        complete = all(p in keys for p in partners)
        if scheme != ContactScheme.SERVER_KEY and not unsealed and not complete:
            continue  # still waiting for a partner to enrol
        row = session.get(CallbackRequest, request_id, with_for_update=True)
        if row is None or row.contact is None:
            continue  # wiped meanwhile
        if row.contact_scheme == ContactScheme.SERVER_KEY:
            seal_new(session, row, vault().open(row.contact))
        elif row.contact_escrow is not None:
            share(session, row, vault().unlock(row.contact_escrow), partners)
            if complete:
                row.contact_escrow = None
        changed += 1
    return changed
