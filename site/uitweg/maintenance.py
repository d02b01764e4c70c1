"""Upkeep that runs on a timer: escalation, retention, old logins.

`flask maintenance` runs it once (for cron); each worker also runs it every few minutes in a
thread. Every part is safe when several processes run it at the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import delete, select

from . import db, mail
from .background import Worker
from .content import freshness
from .content.model import DEFAULT_LANGUAGE
from .context import now
from .intake import escalation, retention
from .models import CallbackRequest, Invitation, LoginThrottle
from .staff import sessions

log = logging.getLogger(__name__)
KEEP_THROTTLE = dt.timedelta(days=2)
KEEP_INVITATIONS = dt.timedelta(days=30)


@dataclass
class Report:
    reminded: int = 0
    escalated: int = 0
    wiped: int = 0
    logins_ended: int = 0

    def __str__(self) -> str:
        return (
            f"reminded {self.reminded}, escalated {self.escalated}, "
            f"wiped {self.wiped}, logins ended {self.logins_ended}"
        )


def run(at: dt.datetime | None = None) -> Report:
    at = at or now()
    escalated = escalation.run(at)
    wiped = retention.purge(at)
    ended = sessions.expire_old(at)
    with db.session() as session:
        session.execute(
            delete(LoginThrottle).where(LoginThrottle.last_failure_at < at - KEEP_THROTTLE)
        )
        session.execute(delete(Invitation).where(Invitation.expires_at < at - KEEP_INVITATIONS))
        proposals_gone = freshness.purge(session, at, KEEP_INVITATIONS)
    if escalated.reminded or escalated.escalated:
        mail.notify_soon()
    report = Report(escalated.reminded, escalated.escalated, len(wiped), ended)
    _scrub_if_needed(at, bool(report.wiped or report.logins_ended or proposals_gone))
    return report


def remind_listing_owners(at: dt.datetime | None = None) -> int:
    """Mail the owner of every listing checked too long ago a link to check it (once per open
    link; one per listing and day however many hosts run this). Returns the mails sent."""
    from smtplib import SMTPException

    from .context import content, today

    at = at or now()
    with db.session() as session:
        due = freshness.due_reminders(session, content(), today(), at)
    site_url = current_app.config["SITE_URL"].rstrip("/")
    sent = 0
    for kind, entry in due:
        try:
            with db.session() as session:
                token = freshness.issue_link(session, kind, entry.slug, at)
                if token is None:
                    continue
                link = f"{site_url}/{DEFAULT_LANGUAGE}/help/check/{token}"
                # Sent before the link is committed: a mail that fails leaves no link, and the
                # next run tries again.
                assert entry.owner is not None
                mail.send_listing_check(entry.owner, link, entry.title, freshness.LINK_DAYS)
            sent += 1
        except (OSError, SMTPException) as exc:
            log.warning("listing reminder not sent: %s", type(exc).__name__)
    return sent


def _scrub_if_needed(at: dt.datetime, deleted: bool) -> None:
    """Scrub the database files (db.scrub) when something was wiped since this process last
    did: by this run, by a visitor's cancel, or by an account losing its keys (scrub_soon)."""
    # A process's first run is always due: it does not know what was wiped before it started.
    state = current_app.extensions.setdefault("scrub", {"at": None, "due": True})
    since, state["at"] = state["at"], at
    if not (deleted or state["due"]):
        with db.session() as session:
            deleted = (
                session.scalar(
                    select(CallbackRequest.id).where(CallbackRequest.wiped_at >= since).limit(1)
                )
                is not None
            )
    if deleted or state["due"]:
        state["due"] = False
        if not db.scrub():
            state["due"] = True  # another process is at it; try again next round


def scrub_soon() -> None:
    """After a wipe in a web request: SQLite's log is checkpointed at once (cheap); the
    PostgreSQL rewrite, which locks the tables for a moment, runs in this worker's maintenance
    thread (or the next `flask maintenance`, which always scrubs at its start)."""
    if db.engine().dialect.name != "postgresql":
        db.scrub()
        return
    current_app.extensions.setdefault("scrub", {"at": None, "due": True})["due"] = True
    if current_app.config["MAINTENANCE_WORKER"]:
        current_app.extensions["maintenance"].kick()


def _round() -> None:
    report = run()
    if any(vars(report).values()):
        log.info("maintenance: %s", report)


def init_app(app: Flask) -> None:
    worker = app.extensions["maintenance"] = Worker(
        app, "maintenance", float(app.config["MAINTENANCE_SECONDS"]), _round
    )
    if app.config["MAINTENANCE_WORKER"]:
        app.before_request(worker.ensure_running)
