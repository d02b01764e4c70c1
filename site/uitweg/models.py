"""Database tables. Contact details live only in `CallbackRequest.contact`, encrypted (see
sealing.py); nothing else holds a visitor's details, and the audit log holds none."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The codes live with their labels; models and older callers import them from here too.
from .vocabulary import RequestKind, RequestStatus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite keeps no time zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware one in UTC")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None else None


def random_id() -> str:
    """Ids are random, never counters: an id says nothing about how many requests there are."""
    return secrets.token_hex(16)


class ContactScheme:
    # 1 was the server key, before partner keys; migration 0004 sealed every such block.
    # A data key per request, sealed to partners (sealing.py).
    SEALED = 2


class CallbackRequest(Base):
    __tablename__ = "callback_request"
    __table_args__ = (Index("ix_callback_request_partner_status", "partner", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    # A callback (we contact you) or a written conversation (RequestKind).
    kind: Mapped[str] = mapped_column(
        String(16), default=RequestKind.CALLBACK, server_default=RequestKind.CALLBACK
    )
    # What the visitor types on the status page; random, see intake/reference.py. A written
    # conversation's code (intake/codes.py) is never stored: its reference is a random
    # placeholder in small letters, which no typed code ever matches (lifecycle.ask).
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the form's one-time token: a second submit of the same form finds this row.
    submission: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.RECEIVED)
    partner: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    # The partner the rule chose, when nobody there could receive requests yet (no key holder)
    # and the request went to the first partner along its chain, or the default, that could.
    instead_of: Mapped[str | None] = mapped_column(String(64))
    # Routing facts, kept after the contact details are gone so that counts survive.
    topics: Mapped[str] = mapped_column(String(200))
    asking: Mapped[str] = mapped_column(String(32))
    municipality: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(8))
    campaign: Mapped[str | None] = mapped_column(String(64))
    # When the partner can first call, and by when it promised to.
    expected_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expected_by: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Unclaimed by then, the request goes to the partner's fallback (twice the response time).
    escalate_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The encrypted contact block; None once wiped.
    contact: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_scheme: Mapped[int] = mapped_column(Integer, default=ContactScheme.SEALED)
    wiped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Handling by the partner's staff.
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reached_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    # Escalation: coordinators reminded once per partner; how often the request moved on.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    forwards: Mapped[int] = mapped_column(Integer, default=0)
    # A written conversation (intake/conversation.py): what the visitor's code derives to find
    # the row, the Argon2id cost it was derived with, the visitor's public key and the data key
    # sealed to it. All None once the conversation is wiped.
    code_digest: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    code_cost: Mapped[str | None] = mapped_column(String(40))
    visitor_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    visitor_box: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Who the conversation waits for: the partner after the visitor wrote, the visitor after a
    # reply (Author); and when the partner first answered (for the statistics).
    waiting_for: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def topic_list(self) -> list[str]:
        return self.topics.split(",") if self.topics else []


class ConversationMessage(Base):
    """One message of a written conversation, from the visitor or from the partner, encrypted
    with the conversation's data key (the one its contact block has). Who wrote it is a side,
    plus the staff member for a partner's; the text exists only in `body`."""

    __tablename__ = "conversation_message"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    request_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("callback_request.id", ondelete="CASCADE")
    )
    # The message's place in its conversation (0, 1, ...): the order does not hang on clocks.
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(16))
    member_id: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[bytes] = mapped_column(LargeBinary)


class OutboxMessage(Base):
    """A mail to send. Written in the same transaction as what it announces, so it cannot be
    lost; sent (and retried) by mail.deliver_due()."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    partner: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A sender holds a message until this moment; another sender may take it after.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The kind of failure only (never a mail body or address).
    last_error: Mapped[str | None] = mapped_column(String(200))
    # A visitor's own address for a "there is an answer" notice, under the server key, only
    # until the notice is sent or given up (mail.VISITOR_NOTICE); None for mail to partners.
    recipient: Mapped[bytes | None] = mapped_column(LargeBinary)


class StaffMember(Base):
    """A care partner's staff account. No visitor data; the e-mail address is the login."""

    __tablename__ = "staff_member"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8), default="nl")
    password_hash: Mapped[str] = mapped_column(String(200))
    # The TOTP secret, under the server key: it is a second factor, not a key to any data.
    totp_secret: Mapped[bytes] = mapped_column(LargeBinary)
    # The last TOTP time step used: a code is accepted once.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # The member's private key, wrapped with a key derived from their password.
    private_key_wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PartnerKey(Base):
    """A partner's public key. Its private key exists only in `PartnerKeyGrant` rows."""

    __tablename__ = "partner_key"

    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PartnerKeyGrant(Base):
    """The partner's private key sealed to one member's public key."""

    __tablename__ = "partner_key_grant"

    member_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("staff_member.id", ondelete="CASCADE"), primary_key=True
    )
    partner: Mapped[str] = mapped_column(String(64))
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by: Mapped[str | None] = mapped_column(String(32))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SealedDataKey(Base):
    """A request's data key sealed to one partner's public key."""

    __tablename__ = "sealed_data_key"

    request_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("callback_request.id", ondelete="CASCADE"), primary_key=True
    )
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class StaffSession(Base):
    """A login. The cookie holds a token and a secret; this row holds the token's hash and the
    partner's private key locked with that secret, so neither side alone opens anything."""

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    partner_key_box: Mapped[bytes | None] = mapped_column(LargeBinary)


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    partner: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed logins per account name (an HMAC of it, whether or not the account exists)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who did what to which request and when. Never a contact detail or a free text."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_partner_at", "partner", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    partner: Mapped[str] = mapped_column(String(64))
    # A staff member's id, or None for the system (escalation, retention).
    actor: Mapped[str | None] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(32))
    # A category or a partner slug, from a fixed list (see partners/audit.py).
    detail: Mapped[str | None] = mapped_column(String(100))


class CampaignCount(Base):
    """How often something happened for a campaign on one day. The only thing counted about
    visitors: one number per campaign, day and event, raised by one atomic update."""

    __tablename__ = "campaign_count"

    campaign: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    # "visit", or an onward click: "help", "stories", "callback" (campaigns/counting.py).
    event: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SelfTestCount(Base):
    """How often a self-test was completed with a result in one band, or left for one next
    step, on one day (and through which campaign, "" for none). Never the answers, and
    nothing that tells one person from another."""

    __tablename__ = "selftest_count"

    test: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    band: Mapped[str] = mapped_column(String(40), primary_key=True)
    # "done", or a next step: "callback", "help", "groups", "stories", "page".
    event: Mapped[str] = mapped_column(String(16), primary_key=True)
    campaign: Mapped[str] = mapped_column(String(16), primary_key=True, default="")
    count: Mapped[int] = mapped_column(Integer, default=0)


class ContentVersion(Base):
    """One version of one content item (a story, page, service, group or campaign) in every
    language it has, written by an editor in the editors' area. Versions are never changed
    after they are written, only moved along the workflow (content/versions.py); the approved
    ones are laid over the files in content/ by the content loader."""

    __tablename__ = "content_version"
    __table_args__ = (Index("ix_content_version_item", "kind", "slug", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(100))
    # {"nl": "<file text>", "en": "<file text>"}: the same format as a file in content/; None
    # for a withdrawal (the item is taken off the site).
    files: Mapped[dict[str, str] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)
    # The version the editor started from: a save on top of anything else is a conflict.
    base_id: Mapped[int | None] = mapped_column(Integer)
    # Staff e-mail addresses as they were: the history says who, even after an account goes.
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str | None] = mapped_column(String(254))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    publish_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unpublish_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class MediaFile(Base):
    """An image file made from an editor's upload (content/media.py): pixels only, no metadata.
    Served at /media/<name> from every host; a name is never reused for other bytes."""

    __tablename__ = "media_file"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ListingCheck(Base):
    """A link mailed to a listing's owner (content/freshness.py): it opens one page about one
    listing, once, until it expires. Only the token's hash is kept."""

    __tablename__ = "listing_check"
    # One reminder per listing and day, however many hosts run the maintenance at once.
    __table_args__ = (UniqueConstraint("kind", "slug", "issued_on"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(100), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ListingProposal(Base):
    """A listing's owner confirming it or proposing changes, or a visitor saying something is
    wrong: waiting in the editors' area until an editor or publisher deals with it; the site
    does not change until a publisher accepts. Nothing about who sent a visitor's report."""

    __tablename__ = "listing_proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(16))  # "owner" or "visitor"
    # The listing's files with the owner's changes in place (None for a visitor's words only),
    # and what they were made from, so a proposal overtaken by a later version is not applied.
    files: Mapped[dict[str, str] | None] = mapped_column(JSON)
    base: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    handled_by: Mapped[str | None] = mapped_column(String(254))
    outcome: Mapped[str | None] = mapped_column(String(16))  # accepted, dismissed
