"""The editors' area (/beheer): the site owner's editors write and propose stories, pages,
services, groups and campaigns; publishers review and publish them. Logging in is the staff
blueprint's (staff/views.py); versions and publishing are content/versions.py."""

from __future__ import annotations

from flask import Blueprint

from ..staff.sessions import choose_language

bp = Blueprint("editor", __name__, url_prefix="/beheer")
bp.before_request(choose_language)


from . import views  # noqa: E402, F401
