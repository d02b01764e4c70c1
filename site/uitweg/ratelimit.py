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


def _items(limits: str) -> list:
    from limits import parse_many

    return parse_many(limits)


EVERYONE = "everyone"


def _strategy_call(method: str, scope: str, limits: str, key: str | None = None) -> bool:
    from .extensions import limiter

    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    try:
        strategy = limiter.limiter
        call = getattr(strategy, method)
        who = key or client_key()
        return all(call(item, prefix, scope, who) for item in _items(limits))
    except Exception:
        # A rate-limit store that is down must not turn away someone asking for help.
        current_app.logger.exception("rate limit store unavailable; allowing")
        return True


def within(scope: str, limits: str) -> bool:
    """Whether this client is still under `limits` in `scope`, without counting this time."""
    return _strategy_call("test", scope, limits)


def count(scope: str, limits: str) -> bool:
    """Count one for this client in `scope`; False when that goes over a limit."""
    return _strategy_call("hit", scope, limits)


def within_for_everyone(scope: str, limits: str) -> bool:
    """Whether all clients together are still under `limits` in `scope`: a ceiling that holds
    however many addresses someone spreads an attack over."""
    return _strategy_call("test", scope, limits, EVERYONE)


def count_for_everyone(scope: str, limits: str) -> bool:
    return _strategy_call("hit", scope, limits, EVERYONE)
