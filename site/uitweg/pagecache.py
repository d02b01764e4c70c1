"""Rendered public pages, kept in memory per worker, served in front of Flask.

A public page depends only on its URL, the loaded content and today's date (publish and expiry
dates); it never depends on who asks and sets no cookie. So a view marked
`@cacheable` is rendered once, and its whole response (status, security headers, body) is served
from memory until the content changes or the day turns. An SMS that sends thousands to one story
costs one render per worker, and each later visit only a dictionary lookup: the request never
reaches Flask's routing, sessions or rate limiter. Forms are never marked cacheable.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, request

CACHEABLE = "uitweg.cacheable"

Entry = tuple[str, list[tuple[str, str]], bytes]


def cacheable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a public GET view whose 200 responses may be served from the page cache."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.environ[CACHEABLE] = True
        return view(*args, **kwargs)

    return wrapper


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
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def _key(self, environ: dict[str, Any]) -> Hashable:
        store = self.app.extensions["content"]
        today = dt.datetime.now(ZoneInfo(store.content.site.timezone)).date()
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
        key = self._key(environ)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            status, headers, body = entry
            start_response(status, headers)
            return [b"" if method == "HEAD" else body]
        return self._fill(key, environ, start_response)

    def _fill(self, key: Hashable, environ: dict[str, Any], start_response: Callable):
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not (
            environ.get(CACHEABLE)
            and environ.get("REQUEST_METHOD") == "GET"
            and captured.get("status", "").startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in captured["headers"])
        ):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(body) > self.max_bytes:
            return [body]
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= len(old[2]) if old else 0
            self._entries[key] = (captured["status"], list(captured["headers"]), body)
            self.size += len(body)
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                _key, (_status, _headers, dropped) = self._entries.popitem(last=False)
                self.size -= len(dropped)
        return [body]


def init_app(app: Flask) -> None:
    # Where content reloads on every change (development), an edit must show at once: no cache.
    entries = 0 if app.config["CONTENT_AUTO_RELOAD"] else app.config["PAGE_CACHE_ENTRIES"]
    cache = PageCache(app, app.wsgi_app, entries, app.config["PAGE_CACHE_BYTES"])
    app.extensions["page_cache"] = cache
    app.wsgi_app = cache  # type: ignore[method-assign]
