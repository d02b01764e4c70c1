"""The anonymous callback request: form, confirmation, status and cancel."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("callback", __name__, url_prefix="/<lang:lang>/callback")

from . import routes  # noqa: E402, F401

# The forms check their CSRF token themselves, so that a stale token gives the form back with
# what was typed (and an explanation) instead of a bare error page.
csrf.exempt(bp)
