"""The anonymous callback request: form, confirmation, status and cancel."""

import unicodedata

from flask import Blueprint, Response

from ..extensions import csrf

bp = Blueprint("callback", __name__, url_prefix="/<lang:lang>/callback")


@bp.app_template_filter("printable")
def printable(value: object) -> str:
    """A typed value to show again in a form, without control characters (which HTML cannot
    hold); the field's error says they were there."""
    if not isinstance(value, str):
        return ""
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}
    )


from . import routes  # noqa: E402, F401

# No session-bound CSRF token here: the forms must work with cookies refused. They check a
# signed one-time token and the request's Origin themselves (routes.py), so a stale or foreign
# form gives the form back with what was typed (and an explanation), not a bare error page.
csrf.exempt(bp)


@bp.after_request
def send_origin_to_ourselves(response: Response) -> Response:
    # The site's Referrer-Policy is no-referrer, with which browsers send "Origin: null" on a
    # form POST; same-origin sends our own origin to ourselves (and still nothing elsewhere),
    # so that routes.same_origin can tell our forms from another site's.
    response.headers["Referrer-Policy"] = "same-origin"
    return response
