"""Logging that never records who a visitor is.

The development server writes the client address at the start of each request line; that is
removed here, so the principle "no IP addresses in logs" holds on a laptop too. gunicorn's access
log format is set in gunicorn.conf.py.
"""

from __future__ import annotations

import logging
import re

_ADDRESS_PREFIX = re.compile(r"^\S+ - - ")


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
