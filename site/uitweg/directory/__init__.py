"""The directory of care services and self-help groups."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/<lang:lang>/help")

from . import routes  # noqa: E402, F401
from .labels import LABELS  # noqa: E402


@bp.app_context_processor
def directory_labels() -> dict[str, object]:
    from ..i18n import current_language
    from . import describe

    return {
        **LABELS,
        "describe_rule": lambda rule: describe.rule_text(rule, current_language()),
        "describe_span": describe.span_text,
        "describe_place": describe.meeting_place,
    }
