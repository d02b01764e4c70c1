"""Keeping listings fresh: who owns a listing is asked, when it is old, whether it is still right.

The owner gets a link that opens one page about one listing, once, for LINK_DAYS; confirming or
proposing changes there, like a visitor's "something is wrong" report, lands as a proposal in the
editors' area. The site changes only when a publisher accepts a proposal, which then goes the
way of any version (content/versions.py): written, proposed and approved, with who and when.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import ListingCheck, ListingProposal
from ..vocabulary import ContentState
from . import versions
from .directory import Entry, Group
from .editing import front_matter
from .frontmatter import parse_document
from .model import DEFAULT_LANGUAGE, Content

LINK_DAYS = 14
KINDS = ("services", "groups")
OWNER, VISITOR = "owner", "visitor"
ACCEPTED, DISMISSED = "accepted", "dismissed"
# Who a version from a proposal is by, in the history (a staff member approves it).
AUTHORS = {OWNER: "owner of the listing", VISITOR: "a visitor"}
NOTE_MAX = 2000  # what an owner or a visitor may write (the forms say so before it is cut)


def kind_of(entry: Entry) -> str:
    return "groups" if isinstance(entry, Group) else "services"


def stale(content: Content, today: dt.date) -> list[Entry]:
    """Visible listings last checked longer ago than site.yaml's stale_after_days, oldest
    first."""
    limit = today - dt.timedelta(days=content.site.stale_after_days)
    entries = [
        languages[DEFAULT_LANGUAGE]
        for collection in (content.services, content.groups)
        for languages in collection.values()
    ]
    found = [e for e in entries if e.visible(today) and e.verified < limit]
    return sorted(found, key=lambda entry: (entry.verified, entry.slug))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, kind: str, slug: str, at: dt.datetime) -> str | None:
    """A new link for the owner of one listing; the token is returned once, only its hash
    kept (the link is mailed at once, never stored in the outbox). None when another host
    issued one for this listing today."""
    token = secrets.token_urlsafe(32)
    try:
        with session.begin_nested():
            session.add(
                ListingCheck(
                    token_hash=_hash(token),
                    kind=kind,
                    slug=slug,
                    issued_on=at.date(),
                    created_at=at,
                    expires_at=at + dt.timedelta(days=LINK_DAYS),
                )
            )
    except IntegrityError:
        return None
    return token


def open_link(session: Session, token: str, at: dt.datetime) -> ListingCheck | None:
    """The link's listing while the link is unused and unexpired; None otherwise (the same
    for a link that never existed, so an answer says nothing about which ones do)."""
    check = session.get(ListingCheck, _hash(token[:100]))
    if check is None or check.used_at is not None or check.expires_at <= at:
        return None
    return check


def due_reminders(
    session: Session, content: Content, today: dt.date, at: dt.datetime
) -> list[tuple[str, Entry]]:
    """Stale listings with an owner address and no link still open: those to mail."""
    open_links = set(
        session.execute(
            select(ListingCheck.kind, ListingCheck.slug).where(
                ListingCheck.used_at.is_(None), ListingCheck.expires_at > at
            )
        ).all()
    )
    return [
        (kind_of(entry), entry)
        for entry in stale(content, today)
        if entry.owner and (kind_of(entry), entry.slug) not in open_links
    ]


def with_changes(text: str, changes: Mapping[str, Any]) -> str:
    """A listing's file with some fields set (None removes one), the rest as it was."""
    doc = parse_document(Path("listing.nl.md"), [], text)
    if doc is None:
        raise ValueError("the listing's file cannot be read")
    fields = dict(doc.fields)
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return front_matter(fields, doc.body)


def propose(
    session: Session,
    kind: str,
    slug: str,
    source: str,
    base: Mapping[str, str],
    files: Mapping[str, str] | None,
    note: str,
    at: dt.datetime,
) -> ListingProposal:
    proposal = ListingProposal(
        kind=kind,
        slug=slug,
        source=source,
        files=dict(files) if files is not None else None,
        base=_fingerprint(base),
        note=note[:NOTE_MAX],
        created_at=at,
    )
    session.add(proposal)
    session.flush()
    return proposal


def answer_link(
    session: Session,
    check: ListingCheck,
    base: Mapping[str, str],
    files: Mapping[str, str],
    note: str,
    at: dt.datetime,
) -> ListingProposal | None:
    """The owner's answer: a proposal, and the link used up. None when the link was used in
    the meantime (two tabs, a double click): the one conditional update decides."""
    used = session.execute(
        update(ListingCheck)
        .where(ListingCheck.token_hash == check.token_hash, ListingCheck.used_at.is_(None))
        .values(used_at=at)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return propose(session, check.kind, check.slug, OWNER, base, files, note, at)


def _fingerprint(files: Mapping[str, str]) -> str:
    joined = "\0".join(f"{lang}\0{text}" for lang, text in sorted(files.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


def pending(session: Session, kind: str | None = None, slug: str | None = None) -> list:
    query = select(ListingProposal).where(ListingProposal.handled_at.is_(None))
    if kind is not None:
        query = query.where(ListingProposal.kind == kind, ListingProposal.slug == slug)
    return list(session.scalars(query.order_by(ListingProposal.created_at, ListingProposal.id)))


class Overtaken(Exception):
    """The listing changed after the proposal was made: applying it would undo that change."""


def _waiting(session: Session, proposal_id: int) -> ListingProposal:
    proposal = session.get(ListingProposal, proposal_id)
    if proposal is None or proposal.handled_at is not None:
        raise LookupError(proposal_id)
    return proposal


def accept(
    session: Session,
    proposal_id: int,
    publisher: str,
    current: Mapping[str, str],
    at: dt.datetime,
) -> versions.ContentVersion:
    """A publisher accepts an owner's proposal: it becomes a version by the owner, approved by
    the publisher and published now. `current` is the listing's files as the site has them."""
    proposal = _waiting(session, proposal_id)
    if proposal.files is None:
        raise LookupError(proposal_id)  # a visitor's words change nothing by themselves
    head = versions.head(session, proposal.kind, proposal.slug)
    # Overtaken: the site changed since, or an editor has an unpublished version under way.
    if _fingerprint(current) != proposal.base or (
        head is not None and head.state != ContentState.APPROVED
    ):
        raise Overtaken(proposal_id)
    version = versions.save(
        session,
        proposal.kind,
        proposal.slug,
        proposal.files,
        AUTHORS[proposal.source],
        head.id if head else None,
        at,
        note=proposal.note,
    )
    versions.propose(session, version.id)
    versions.approve(session, version.id, publisher, at, publish_at=at)
    _handled(proposal, publisher, ACCEPTED, at)
    return version


def dismiss(session: Session, proposal_id: int, by: str, at: dt.datetime) -> ListingProposal:
    proposal = _waiting(session, proposal_id)
    _handled(proposal, by, DISMISSED, at)
    return proposal


def _handled(proposal: ListingProposal, by: str, outcome: str, at: dt.datetime) -> None:
    proposal.handled_at, proposal.handled_by, proposal.outcome = at, by, outcome


def purge(session: Session, at: dt.datetime, keep: dt.timedelta) -> int:
    """Forget links that expired, and proposals handled, longer than `keep` ago; returns the
    proposals deleted (their words must then be scrubbed from the files)."""
    session.execute(delete(ListingCheck).where(ListingCheck.expires_at < at - keep))
    gone = session.execute(delete(ListingProposal).where(ListingProposal.handled_at < at - keep))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]
