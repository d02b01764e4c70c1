"""The anonymous callback request. Until the form lands, the page says it is coming soon."""

from flask import Blueprint

bp = Blueprint("callback", __name__, url_prefix="/<lang:lang>/callback")

from . import routes  # noqa: E402, F401
