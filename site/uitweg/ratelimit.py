"""Rate-limit keys that identify a client for a day without storing who it is.

The key is an HMAC of the client address under a salt derived from SECRET_KEY and today's date:
every worker and host computes the same key without sharing state, yesterday's keys cannot be
linked to today's, and the address itself is never written to Redis, the database or a log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app, request


def daily_salt(day: dt.date) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"ratelimit:{day.isoformat()}".encode(), hashlib.sha256).digest()


def client_key() -> str:
    address = (request.remote_addr or "unknown").encode()
    salt = daily_salt(dt.datetime.now(dt.UTC).date())
    return hmac.new(salt, address, hashlib.sha256).hexdigest()[:32]
