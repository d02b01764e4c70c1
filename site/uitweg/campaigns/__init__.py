"""SMS campaigns: the short-link landing page, anonymous counts, and what each campaign achieved."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__)

from . import routes  # noqa: E402, F401  (routes register themselves on the blueprint)
