"""Upkeep that runs on a timer: escalation, sealing escrowed keys, retention, old logins.

`flask maintenance` runs it once (for cron); each worker also runs it every few minutes in a
thread. Every part is safe when several processes run it at the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import delete

from . import contact, db, escalation, mail, retention
from .background import Worker
from .context import now
from .models import Invitation, LoginThrottle
from .partners import sessions

log = logging.getLogger(__name__)
KEEP_THROTTLE = dt.timedelta(days=2)
KEEP_INVITATIONS = dt.timedelta(days=30)


@dataclass
class Report:
    reminded: int = 0
    escalated: int = 0
    sealed: int = 0
    wiped: int = 0
    logins_ended: int = 0

    def __str__(self) -> str:
        return (
            f"reminded {self.reminded}, escalated {self.escalated}, sealed {self.sealed}, "
            f"wiped {self.wiped}, logins ended {self.logins_ended}"
        )


def run(at: dt.datetime | None = None) -> Report:
    at = at or now()
    escalated = escalation.run(at)
    with db.session() as session:
        sealed = contact.settle_escrow(session)
    wiped = retention.purge(at)
    ended = sessions.expire_old(at)
    with db.session() as session:
        session.execute(
            delete(LoginThrottle).where(LoginThrottle.last_failure_at < at - KEEP_THROTTLE)
        )
        session.execute(delete(Invitation).where(Invitation.expires_at < at - KEEP_INVITATIONS))
    if escalated.reminded or escalated.escalated:
        mail.notify_soon()
    return Report(escalated.reminded, escalated.escalated, sealed, len(wiped), ended)


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
