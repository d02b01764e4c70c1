"""Finding the campaign a pasted code means."""

from __future__ import annotations

from ..content.campaigns import CODE_RE
from ..content.model import Campaign
from ..context import content, today

# What people paste from an SMS around the code: a slash, a full stop, a closing bracket.
_TRIM = " \t\r\n/.,;:!?)]}>'\"«»"
_LONGEST = 64


def find(code: str | None, lang: str) -> Campaign | None:
    """The active campaign a pasted code means, or None (also for look-alike letters: codes
    are plain ASCII)."""
    cleaned = (code or "")[:_LONGEST].strip(_TRIM).lower()
    if not CODE_RE.match(cleaned):
        return None
    return content().campaign(cleaned, lang, today())
