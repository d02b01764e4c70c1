"""Home, stories, advice pages, feed and sitemap."""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/<lang:lang>")
# Routes outside the language prefix: the language choice, sitemap, health check, media.
root_bp = Blueprint("root", __name__)

from . import routes  # noqa: E402, F401  (routes register themselves on the blueprints)
