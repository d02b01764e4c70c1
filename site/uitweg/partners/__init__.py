"""The partner inbox: staff of care partners log in, call people back, forward and close."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, request
from flask_login import current_user

bp = Blueprint("partners", __name__, url_prefix="/partner")
PREFIX = "/partner"


@bp.before_request
def choose_language() -> None:
    from ..i18n import negotiated_language

    g.lang = (
        current_user.member.language if current_user.is_authenticated else negotiated_language()
    )


@bp.context_processor
def helpers() -> dict:
    from .labels import template_helpers

    return template_helpers()


def _private_everywhere(response: Response) -> Response:
    # Every answer under /partner, error pages included: never stored, never indexed.
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def init_app(app: Flask) -> None:
    from . import sessions

    sessions.init_app(app)
    app.after_request(_private_everywhere)
    app.register_blueprint(bp)


from . import auth, inbox, stats, team  # noqa: E402, F401
