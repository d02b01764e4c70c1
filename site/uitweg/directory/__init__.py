"""The directory of care services and self-help groups."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/<lang:lang>/help")

from . import listings, routes  # noqa: E402, F401
