"""Self-tests: the list, one test on one page, its result, and the counted next steps."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("selftests", __name__, url_prefix="/<lang:lang>/selftests")

from . import routes  # noqa: E402, F401

# No session-bound CSRF token: a test must work with cookies refused, and a forged POST can
# at most show someone a result or add one to a count (which keeps nothing about anyone).
csrf.exempt(bp)
