"""The anonymous callback request: form, confirmation, status and cancel."""

from flask import Blueprint

from ..extensions import csrf
from ..security import send_origin_to_ourselves

bp = Blueprint("callback", __name__, url_prefix="/<lang:lang>/callback")


from . import conversation, routes  # noqa: E402, F401

# No session-bound CSRF token here: the forms must work with cookies refused. They check a
# signed one-time token and the request's Origin themselves (routes.py), so a stale or foreign
# form gives the form back with what was typed (and an explanation), not a bare error page.
csrf.exempt(bp)

bp.after_request(send_origin_to_ourselves)
