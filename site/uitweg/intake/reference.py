"""Reference codes: what a visitor writes down to check or cancel a request, and to read what
the partner wrote when its calls did not reach them.

Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), made
from the form's one-time nonce under the server's secret (conversation.reference_for): nothing
about the time or the order of requests is in them. 22^10 is about 2.7e13 codes; with lookups
rate-limited per client, guessing one that exists is hopeless. The code is not stored: the row
keeps an Argon2id-derived digest (conversation.give_key).
"""

from __future__ import annotations

import re

ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-–—.]+")


def display(reference: str) -> str:
    """Shown as two groups of five, easier to read aloud and to copy."""
    return f"{reference[:5]}-{reference[5:]}"


def normalise(typed: str) -> str | None:
    """The code as stored, from what a person typed; None when it cannot be one."""
    code = _SEPARATORS.sub("", typed or "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
