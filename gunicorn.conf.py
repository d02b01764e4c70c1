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
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
