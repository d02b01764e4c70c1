"""Database tables. Contact details live only in `CallbackRequest.contact`, encrypted."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import DateTime, Index, Integer, LargeBinary, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class RequestStatus:
    RECEIVED = "received"
    IN_PROGRESS = "in-progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class CallbackRequest(Base):
    __tablename__ = "callback_request"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    # What the visitor types on the status page; random, see callback/reference.py.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the form's one-time token: a second submit of the same form finds this row.
    submission: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.RECEIVED)
    partner: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    # Routing facts, kept after the contact details are gone so that counts survive.
    topics: Mapped[str] = mapped_column(String(200))
    asking: Mapped[str] = mapped_column(String(32))
    municipality: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(8))
    campaign: Mapped[str | None] = mapped_column(String(64))
    # When the partner can first call, and by when it promised to.
    expected_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expected_by: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The encrypted contact block; None once wiped.
    contact: Mapped[bytes | None] = mapped_column(LargeBinary)
    wiped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def topic_list(self) -> list[str]:
        return self.topics.split(",") if self.topics else []


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
