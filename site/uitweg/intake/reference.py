"""Reference codes: what a visitor writes down to check or cancel a request, and to read what
the partner wrote when its calls did not reach them.

A reference code is a code like a written conversation's (intake/codes.py: 16 characters, 80
bits), made from the form's one-time nonce under the server's secret
(conversation.reference_for): nothing about the time or the order of requests is in them. The
code is not stored: the row keeps an Argon2id-derived digest (conversation.give_key).

Older requests have ten characters from an alphabet without look-alikes (22^10, about
2^44.6): still read here, so that their codes keep working (each row keeps its cost). Ten
characters were too few against a stolen copy of the database: every guess costs one Argon2id
run, and 2^44.6 runs is within reach of a well-equipped attacker; 2^80 is not, even at a tenth
of the cost (README, "Visitors' codes").
"""

from __future__ import annotations

import re

from . import codes

# The codes of older requests.
OLD_ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
OLD_LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-–—.]+")


def display(reference: str) -> str:
    """Four groups of four (two groups of five for an older code): easier to read and copy."""
    if len(reference) == OLD_LENGTH:
        return f"{reference[:5]}-{reference[5:]}"
    return codes.display(reference)


def normalise(typed: str) -> str | None:
    """The code as derived from, from what a person typed; None when it cannot be one."""
    old = _SEPARATORS.sub("", typed or "").upper()
    if len(old) == OLD_LENGTH and all(ch in OLD_ALPHABET for ch in old):
        return old
    return codes.normalise(typed)
