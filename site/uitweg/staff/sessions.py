"""Staff logins with Flask-Login, backed by a row per login.

The cookie carries a random token and a random secret. The database keeps the token's hash and
the partner's private key locked with the secret. A stolen database copy opens no login and no
key; a stolen cookie is worthless once the row is gone (logout, "log out everywhere", idle
timeout). Nothing about the client (address, browser) is kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from flask import Flask, current_app, g, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import delete

from .. import db
from ..context import now
from ..intake import sealing
from ..models import StaffMember, StaffSession
from ..vocabulary import Role
from .accounts import token_hash

COOKIE_SECRET = "staff_secret"  # noqa: S105 (a session key name, not a secret)
# last_seen_at is written at most this often, not on every click.
TOUCH_EVERY = dt.timedelta(minutes=1)

login_manager = LoginManager()


class StaffUser(UserMixin):
    def __init__(self, member: StaffMember, token: str, record: StaffSession) -> None:
        self.member = member
        self.token = token
        self.record = record

    def get_id(self) -> str:
        return self.token

    @property
    def partner(self) -> str:
        return self.member.partner

    @property
    def role(self) -> str:
        return self.member.role

    @property
    def handles_requests(self) -> bool:
        return self.member.role in Role.HANDLES_REQUESTS

    @property
    def coordinates(self) -> bool:
        return self.member.role in Role.COORDINATES

    @property
    def sees_statistics(self) -> bool:
        return self.member.role in Role.SEES_STATISTICS

    @property
    def edits_content(self) -> bool:
        return self.member.role in Role.EDITS_CONTENT

    @property
    def publishes(self) -> bool:
        return self.member.role in Role.PUBLISHES

    @property
    def admitted(self) -> bool:
        """Whether this login carries the partner's key: the member held a grant (was admitted
        by a coordinator, or is the partner's first member) when they logged in."""
        return self.record.partner_key_box is not None

    @property
    def is_admin(self) -> bool:
        return self.member.role == Role.ADMIN

    def partner_private_key(self) -> bytes | None:
        """The partner's private key, unlocked with the secret in this browser's cookie."""
        secret = session.get(COOKIE_SECRET)
        if self.record.partner_key_box is None or not secret:
            return None
        try:
            return sealing.unlock(self.record.partner_key_box, base64.b64decode(secret))
        except (sealing.SealError, ValueError):
            return None


def start(member: StaffMember, partner_private_key: bytes | None) -> None:
    """Log in: a fresh session (nothing from before the login survives) with a new token."""
    token = secrets.token_urlsafe(32)
    secret = secrets.token_bytes(32)
    at = now()
    box = sealing.lock(partner_private_key, secret) if partner_private_key else None
    record = StaffSession(
        token_hash=token_hash(token),
        member_id=member.id,
        created_at=at,
        last_seen_at=at,
        partner_key_box=box,
    )
    with db.session() as db_session:
        db_session.add(record)
    session.clear()
    session[COOKIE_SECRET] = base64.b64encode(secret).decode()
    login_user(StaffUser(member, token, record))


def end(everywhere: bool = False) -> None:
    if current_user.is_authenticated:
        with db.session() as db_session:
            if everywhere:
                condition = StaffSession.member_id == current_user.member.id
            else:
                condition = StaffSession.token_hash == token_hash(current_user.token)
            db_session.execute(delete(StaffSession).where(condition))
    logout_user()
    session.clear()


def _limits() -> tuple[dt.timedelta, dt.timedelta]:
    """How long a login may sit idle, and how long it may last at all."""
    config = current_app.config
    return (
        dt.timedelta(minutes=config["PARTNER_IDLE_MINUTES"]),
        dt.timedelta(hours=config["PARTNER_SESSION_HOURS"]),
    )


def _load(token: str) -> StaffUser | None:
    at = now()
    idle, longest = _limits()
    with db.session() as db_session:
        record = db_session.get(StaffSession, token_hash(token))
        if record is None:
            return None
        member = db_session.get(StaffMember, record.member_id)
        if (
            member is None
            or member.disabled_at is not None
            or record.last_seen_at + idle <= at
            or record.created_at + longest <= at
        ):
            db_session.delete(record)
            return None
        if at - record.last_seen_at >= TOUCH_EVERY:
            record.last_seen_at = at
    return StaffUser(member, token, record)


def expire_old(at: dt.datetime) -> int:
    """Remove logins that ended by time (run by maintenance)."""
    idle, longest = _limits()
    with db.session() as db_session:
        result = db.changed(
            db_session,
            delete(StaffSession).where(
                (StaffSession.last_seen_at <= at - idle) | (StaffSession.created_at <= at - longest)
            ),
        )
    return result


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load)
    login_manager.login_view = "staff.login"
    login_manager.login_message = None
    # "strong" protection hashes the client's address and browser into the cookie; the site
    # keeps nothing about a client, and the session row already ends a stolen cookie's use.
    login_manager.session_protection = None
    # Flask-Login writes that hash into the session at every login whatever the protection;
    # the session cookie then carried a value derived from the address and browser.
    login_manager._session_identifier_generator = lambda: ""


def choose_language() -> None:
    """Staff pages speak the member's chosen language, or the browser's before login."""
    from ..i18n import negotiated_language

    g.lang = (
        current_user.member.language if current_user.is_authenticated else negotiated_language()
    )
