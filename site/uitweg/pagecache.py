"""Rendered public pages, kept in memory per worker, served in front of Flask.

A public page depends only on its URL, the loaded content and today's date (publish and expiry
dates); it never depends on who asks and sets no cookie. So a view marked
`@cacheable` is rendered once, and its whole response (status, security headers, body) is served
from memory until the content changes or the day turns. A page that depends on the clock as
well (the directory: open now, opens at, meets now) says until when it holds (`cache_until`):
the first moment its output can change. An SMS that sends thousands to one story
costs one render per worker, and each later visit only a dictionary lookup: the request never
reaches Flask's routing, sessions or rate limiter. Forms are never marked cacheable.

Each page is also stored compressed, once: brotli and gzip, served to a browser that accepts
them (`Vary: Accept-Encoding`). That is about two thirds less to send over the poor connections
the site is for. A public page that is not kept (too large, or not
marked) is compressed on the way out. A private page (`no-store`: a form's token, a
partner's contact details) is never compressed, so that its size cannot leak a secret (BREACH).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import brotli
from flask import Flask, request
from werkzeug.http import parse_accept_header

CACHEABLE = "uitweg.cacheable"
CACHE_UNTIL = "uitweg.cache_until"
# A private answer that is the same for everyone (the SMS landing: not stored by browsers or
# proxies, but holding nothing about the visitor): kept and compressed here all the same.
SAME_FOR_EVERYONE = "uitweg.same_for_everyone"
# What to do on every answer served from the cache (count a visit), and the request headers
# the answer depends on (the landing's language comes from Accept-Language).
ON_HIT = "uitweg.on_hit"
VARY = "uitweg.vary"
# Smaller than this, compression saves less than its headers cost.
COMPRESS_FROM = 512


COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


def compressible(status: str, headers: list[tuple[str, str]], shared: bool = False) -> bool:
    """A public text answer: not private (no-store) unless the same for everyone, sets no
    cookie, not compressed yet."""
    content_type = _header(headers, "Content-Type") or ""
    return (
        status.startswith("200")
        and content_type.startswith(COMPRESSIBLE_TYPES)
        and (shared or "no-store" not in (_header(headers, "Cache-Control") or ""))
        and _header(headers, "Set-Cookie") is None
        and _header(headers, "Content-Encoding") is None
    )


@dataclass(frozen=True)
class Entry:
    status: str
    headers: list[tuple[str, str]]
    bodies: dict[str, bytes]  # by content coding: "identity", and "br" and "gzip" when worth it
    # The first moment the page can read differently (besides content and day), or None.
    expires: dt.datetime | None = None
    on_hit: Callable[[dict[str, Any]], None] | None = None

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())

    @classmethod
    def of(
        cls,
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
        kept: bool = True,
        expires: dt.datetime | None = None,
        on_hit: Callable[[dict[str, Any]], None] | None = None,
        shared: bool = False,
    ) -> Entry:
        """An answer with its compressed bodies: the smallest for one kept in the cache, a
        quick one for an answer compressed once on its way out."""
        bodies = {"identity": body}
        if len(body) >= COMPRESS_FROM and compressible(status, headers, shared):
            bodies["br"] = brotli.compress(body, quality=11 if kept else 5)
            bodies["gzip"] = gzip.compress(body, compresslevel=9 if kept else 6, mtime=0)
        vary = [v for v in (_header(headers, "Vary"), "Accept-Encoding") if v]
        rest = [(k, v) for k, v in headers if k.lower() not in {"content-length", "vary"}]
        return cls(status, [*rest, ("Vary", ", ".join(vary))], bodies, expires, on_hit)

    def response(self, accept_encoding: str | None) -> tuple[list[tuple[str, str]], bytes]:
        """The headers and body for a client that sent this Accept-Encoding."""
        accepted = parse_accept_header(accept_encoding or "")
        coding = next(
            (c for c in ("br", "gzip") if c in self.bodies and accepted.quality(c) > 0),
            "identity",
        )
        body = self.bodies[coding]
        headers = [*self.headers, ("Content-Length", str(len(body)))]
        if coding != "identity":
            headers.append(("Content-Encoding", coding))
        return headers, body


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def cacheable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a public GET view whose 200 responses may be served from the page cache."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.environ[CACHEABLE] = True
        return view(*args, **kwargs)

    return wrapper


def cache_until(moment: dt.datetime) -> None:
    """The page being rendered holds until `moment` (aware) and must be rendered again then;
    the earliest moment wins when a view says it more than once."""
    earlier = request.environ.get(CACHE_UNTIL)
    if earlier is None or moment < earlier:
        request.environ[CACHE_UNTIL] = moment


def same_for_everyone(
    on_hit: Callable[[dict[str, Any]], None] | None = None, vary: tuple[str, ...] = ()
) -> None:
    """The private page being rendered is the same for everyone who sends the same `vary`
    request headers (WSGI names, "HTTP_ACCEPT_LANGUAGE"): keep it, and call `on_hit` with the
    request's environ for every later answer served from the cache."""
    request.environ[SAME_FOR_EVERYONE] = True
    request.environ[ON_HIT] = on_hit
    request.environ[VARY] = vary


class PageCache:
    """WSGI middleware with a small thread-safe LRU: arbitrary query strings cannot grow it."""

    def __init__(
        self, app: Flask, wsgi_app: Callable, max_entries: int, max_bytes: int = 32 << 20
    ) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_entries = max_entries
        # Bounded in bytes too: a few large pages (a long directory, a big sitemap) must not
        # hold a worker's memory however many entries are allowed.
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        # Per URL key: the request headers its answer depends on (same_for_everyone's vary).
        self._vary: dict[Hashable, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def _now(self) -> dt.datetime:
        # The app's clock: tests fix it with NOW, as the views' context.now() does.
        return self.app.config.get("NOW") or dt.datetime.now(dt.UTC)

    def _key(self, environ: dict[str, Any]) -> Hashable:
        store = self.app.extensions["content"]
        store.refresh()  # a publication (here or on another host) bumps the version
        today = self._now().astimezone(ZoneInfo(store.content.site.timezone)).date()
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),  # pages carry absolute links (hreflang, feed, sitemap)
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            store.version,  # bumped on every content load
            today,
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in {"GET", "HEAD"} or not self.max_entries:
            return self.wsgi_app(environ, start_response)
        base = self._key(environ)
        vary = self._vary.get(base, ())
        key = (base, *(environ.get(name) for name in vary)) if vary else base
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.expires is not None and self._now() >= entry.expires:
                self._entries.pop(key)
                self.size -= entry.size
                entry = None
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            if entry.on_hit is not None:
                with self.app.app_context():
                    entry.on_hit(environ)
            return self._serve(entry, environ, start_response)
        return self._fill(base, environ, start_response)

    @staticmethod
    def _serve(entry: Entry, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        headers, body = entry.response(environ.get("HTTP_ACCEPT_ENCODING"))
        start_response(entry.status, headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]

    def _fill(self, base: Hashable, environ: dict[str, Any], start_response: Callable):
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            # Held back until the page is known: a cached one is answered compressed.
            captured["status"], captured["headers"] = status, headers
            return lambda data: None  # the old write() callable; Flask never uses it

        result = self.wsgi_app(environ, capture)
        status, headers = captured["status"], captured["headers"]
        is_get = environ.get("REQUEST_METHOD") == "GET"
        shared = bool(environ.get(SAME_FOR_EVERYONE))
        keep = (
            is_get
            and environ.get(CACHEABLE)
            and status.startswith("200")
            and _header(headers, "Set-Cookie") is None
            # A private answer (an editor's preview renders a public view) is never kept,
            # unless its view says it is the same for everyone.
            and (shared or "no-store" not in (_header(headers, "Cache-Control") or ""))
        )
        if not keep and not (is_get and compressible(status, headers)):
            start_response(status, headers)
            return result  # streamed as it was: a media file is never held here
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if not keep or len(body) > self.max_bytes:
            return self._serve(
                Entry.of(status, list(headers), body, kept=False), environ, start_response
            )
        entry = Entry.of(
            status,
            list(headers),
            body,
            expires=environ.get(CACHE_UNTIL),
            on_hit=environ.get(ON_HIT),
            shared=shared,
        )
        vary = environ.get(VARY) or ()
        key = (base, *(environ.get(name) for name in vary)) if vary else base
        with self._lock:
            if vary:
                if len(self._vary) > 4 * self.max_entries:
                    self._vary.clear()  # bounded, whatever paths are asked for
                self._vary[base] = vary
            old = self._entries.pop(key, None)
            self.size -= old.size if old else 0
            self._entries[key] = entry
            self.size += entry.size
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self.size -= dropped.size
        return self._serve(entry, environ, start_response)


def init_app(app: Flask) -> None:
    # Where content reloads on every change (development), an edit must show at once: no cache.
    entries = 0 if app.config["CONTENT_AUTO_RELOAD"] else app.config["PAGE_CACHE_ENTRIES"]
    cache = PageCache(app, app.wsgi_app, entries, app.config["PAGE_CACHE_BYTES"])
    app.extensions["page_cache"] = cache
    # The stylesheet and icon too: read, compressed and kept once, like a page.
    if "static" in app.view_functions:
        app.view_functions["static"] = cacheable(app.view_functions["static"])
    app.wsgi_app = cache  # type: ignore[method-assign]
