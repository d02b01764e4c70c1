"""Logging that never records who a visitor is.

The development server writes the client address at the start of each request line; that is
removed here, so the principle "no IP addresses in logs" holds on a laptop too. gunicorn's access
log format is set in gunicorn.conf.py.
"""

from __future__ import annotations

import ipaddress
import logging
import re

_ADDRESS_PREFIX = re.compile(r"^\S+ - - ")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
# Anything that might be an IPv6 address; _ipv6() keeps only what really is one.
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%\w+)?")
# Bearer secrets in paths: an enrolment link works for whoever holds it.
_SECRET_PATHS = re.compile(r"(/partner/enrol/|/help/check/)[^\s/?#\"']+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _ipv6(match: re.Match[str]) -> str:
    token = match.group()
    # The longest prefix that is an address: "::1:" (a message's colon after it) is "::1".
    for end in range(len(token), 1, -1):
        try:
            ipaddress.IPv6Address(token[:end].split("%")[0])
        except ValueError:
            continue
        return "[address]" + token[end:]
    return token


def scrub(text: str) -> str:
    """A log line without a client address, a secret from a URL or a control character (an
    encoded CR/LF in a path could otherwise forge a log line)."""
    text = _SECRET_PATHS.sub(r"\1[hidden]", text)
    text = _IPV6_CANDIDATE.sub(_ipv6, text)
    text = _IPV4.sub("[address]", text)
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class DropClientAddress(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _ADDRESS_PREFIX.sub("", record.msg)
        return True


def configure() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropClientAddress) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(DropClientAddress())
    # Alembic lists its plugins on every start (development migrates at start-up); what it
    # migrates is still logged.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
