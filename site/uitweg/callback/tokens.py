"""The callback form's signed one-time token. It stands in for a session-bound CSRF token (the
form works with cookies refused), names the form so a second submit of it finds the request the
first made (intake.lifecycle.create), and carries the time the form was shown."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_SALT = "callback-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def new_token() -> str:
    """A signed one-time token: it names the form (for double submits) and when it was shown."""
    return _serializer().dumps(secrets.token_urlsafe(16))


class TokenProblem(Exception):
    """The token is missing, forged, too old, or came back too fast."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "too-fast"


def read_token(token: str | None, at: dt.datetime) -> str:
    """The token's nonce, after checking its signature and how long the form was open."""
    config = current_app.config
    try:
        nonce, shown = _serializer().loads(
            token or "", max_age=config["CALLBACK_MAX_FORM_AGE"], return_timestamp=True
        )
    except SignatureExpired:
        raise TokenProblem("expired") from None
    except BadSignature:
        raise TokenProblem("invalid") from None
    if (dt.datetime.now(dt.UTC) - shown).total_seconds() < config["CALLBACK_MIN_FILL_SECONDS"]:
        raise TokenProblem("too-fast")
    return str(nonce)
