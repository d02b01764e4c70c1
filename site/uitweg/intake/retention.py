"""Retention: contact details go a set number of days after a request is closed or cancelled,
and a request nobody closed is closed and wiped after a longer time. The row stays, without any
personal data, so the counts stay right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from .. import db
from ..context import content
from ..models import CallbackRequest
from ..vocabulary import RequestStatus
from . import lifecycle


@dataclass(frozen=True)
class Due:
    request_id: str
    partner: str
    status: str
    reason: str  # "closed", "cancelled" or "unhandled"


def due(at: dt.datetime) -> list[Due]:
    site = content().site
    closed_before = at - dt.timedelta(days=site.retention_days)
    created_before = at - dt.timedelta(days=site.unhandled_days)
    with db.session() as session:
        done = session.execute(
            select(CallbackRequest.id, CallbackRequest.partner, CallbackRequest.status).where(
                CallbackRequest.contact.is_not(None),
                CallbackRequest.status.in_((RequestStatus.CLOSED, RequestStatus.CANCELLED)),
                CallbackRequest.closed_at <= closed_before,
            )
        ).all()
        stale = session.execute(
            select(CallbackRequest.id, CallbackRequest.partner, CallbackRequest.status).where(
                CallbackRequest.status.in_((RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)),
                CallbackRequest.created_at <= created_before,
            )
        ).all()
    return [Due(i, p, s, s) for i, p, s in done] + [Due(i, p, s, "unhandled") for i, p, s in stale]


def purge(at: dt.datetime) -> list[Due]:
    """Wipe what is due; returns what was wiped. Safe to run twice at once: a row is re-read
    under lock and skipped when someone else already wiped it."""
    wiped = []
    for item in due(at):
        with db.session() as session:
            row = session.get_one(CallbackRequest, item.request_id, with_for_update=True)
            if lifecycle.is_open(row):
                if item.reason != "unhandled":
                    continue
                lifecycle.expire(session, row, at)
            elif row.contact is None:
                continue
            else:
                lifecycle.wipe(session, row, item.reason, at)
            wiped.append(item)
    return wiped
