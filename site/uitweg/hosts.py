"""Only the site's own host, and only over HTTPS in production.

Pages carry absolute links (hreflang, the feed, the sitemap, open data), so a request's Host
would end up in them, and the page cache keeps one copy per host. In production every Host other
than the one in UITWEG_SITE_URL is refused with 400 before anything else runs, and plain HTTP is
redirected to HTTPS. In every environment a Host that is not a host name at all (an overlong
label, control characters) is refused. `/healthz` answers whatever the Host, for load balancers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, urlsplit

# A DNS name (labels of at most 63 letters, digits and dashes), an IPv4 address or a bracketed
# IPv6 address, with an optional port.
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
HOST_RE = re.compile(
    rf"^(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]{{2,45}}\])(?::[0-9]{{1,5}})?$"
)
EXEMPT = frozenset({"/healthz"})


def valid_host(value: str) -> bool:
    return len(value) <= 260 and bool(HOST_RE.match(value))


def site_host(site_url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of UITWEG_SITE_URL, lower-cased."""
    parts = urlsplit(site_url)
    return parts.scheme.lower(), parts.netloc.lower()


class HostGuard:
    """With `site_url` (production), only its host, and only over HTTPS when it is https://;
    without, any well-formed host."""

    def __init__(self, wsgi_app: Callable, site_url: str | None) -> None:
        self.wsgi_app = wsgi_app
        scheme, self.host = site_host(site_url) if site_url else ("", "")
        self.https_only = scheme == "https"

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in EXEMPT:
            return self.wsgi_app(environ, start_response)
        host = environ.get("HTTP_HOST", "")
        if not valid_host(host) or (self.host and host.lower() != self.host):
            body = b"This site answers only at its own address.\n"
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]
        if self.https_only and environ.get("wsgi.url_scheme") != "https":
            query = environ.get("QUERY_STRING")
            path = quote(environ.get("PATH_INFO", "/"), safe="/:@!$&'()*+,;=-._~")
            location = f"https://{self.host}{path}" + (f"?{query}" if query else "")
            start_response(
                "308 Permanent Redirect", [("Location", location), ("Content-Length", "0")]
            )
            return [b""]
        return self.wsgi_app(environ, start_response)
