"""gunicorn settings for Uitweg.

The access log leaves out the client address and user agent on purpose: a visitor who arrives
from a police SMS must not be traceable through our logs.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
# Method, path without query string, status, size, duration in ms. No %(h)s, %(a)s, %(f)s.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Every message of both logs without client addresses, secrets in paths or control characters.
logger_class = "uitweg.gunicorn_logging.PrivateLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server) -> None:
    """Refuse what works on a laptop but fails people on a server."""
    env = os.environ.get("UITWEG_ENV", "development")
    if env != "production" and os.environ.get("UITWEG_ALLOW_NON_PRODUCTION") != "1":
        # Development makes a random secret per worker (so forms sent to another worker are
        # refused) and writes mail to the log while visitors are told "received".
        raise RuntimeError(
            f"UITWEG_ENV is {env!r}: gunicorn serves only UITWEG_ENV=production. For a local "
            "test server set UITWEG_ALLOW_NON_PRODUCTION=1 as well."
        )
    storage = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    if env == "production" and storage.startswith("memory://") and server.cfg.workers > 1:
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI keeps rate limits in each worker's memory, so with "
            f"{server.cfg.workers} workers every limit counts {server.cfg.workers} times over. "
            "Set RATELIMIT_STORAGE_URI=redis://... (or run one worker)."
        )
