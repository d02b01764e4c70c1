"""Conversation codes: the only key to a written conversation (intake/conversation.py).

Sixteen characters of Crockford's base32 (digits and letters without I, L, O and U), chosen by
`secrets`: 16 x 5 = 80 bits. Shown in four groups of four. Reading it back forgives what people
do when they copy a code: small letters, spaces or dashes anywhere, and O for 0, I or L for 1.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
BITS = LENGTH * 5
_SEPARATORS = re.compile(r"[\s\-–—.]+")
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(typed: str) -> str | None:
    """The code as it is derived from, or None when what was typed cannot be one."""
    code = _SEPARATORS.sub("", typed or "").upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
