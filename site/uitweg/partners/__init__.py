"""The partner inbox: staff of care partners call people back, forward and close requests, and
coordinators keep their team; the statistics page for analysts. Logging in is the staff
blueprint's (staff/views.py)."""

from __future__ import annotations

from flask import Blueprint

from ..staff.sessions import choose_language

bp = Blueprint("partners", __name__, url_prefix="/partner")
bp.before_request(choose_language)


@bp.context_processor
def helpers() -> dict:
    from .texts import template_helpers

    return template_helpers()


from . import inbox, stats, team  # noqa: E402, F401
