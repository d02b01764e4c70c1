"""The anonymous callback request: form, confirmation, status and cancel."""

import unicodedata

from flask import Blueprint

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

# The forms check their CSRF token themselves, so that a stale token gives the form back with
# what was typed (and an explanation) instead of a bare error page.
csrf.exempt(bp)
