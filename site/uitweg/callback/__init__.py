"""The anonymous callback request: form, confirmation, status and cancel."""

from flask import Blueprint, Response

from ..extensions import csrf

bp = Blueprint("callback", __name__, url_prefix="/<lang:lang>/callback")


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
