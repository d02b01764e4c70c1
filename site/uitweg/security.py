"""Security headers for every response, set in one place.

The Content-Security-Policy starts from `default-src 'none'` and opens only what the site's own
pages need. Nothing is ever loaded from another host.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort, current_app, request

CSP: dict[str, list[str]] = {
    "default-src": ["'none'"],
    "script-src": [],  # only the inlined quick-exit script, by its hash
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "manifest-src": ["'self'"],
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # A visitor's path through the site must not be told to the sites they go on to.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), "
        "browsing-topics=()"
    ),
}


@functools.lru_cache(maxsize=8)  # the hashes change only with the theme or the script
def content_security_policy(
    style_hashes: tuple[str, ...], script_hashes: tuple[str, ...], frameable: bool = False
) -> str:
    directives = {name: list(sources) for name, sources in CSP.items()}
    if frameable:
        directives["frame-ancestors"] = ["'self'"]
        directives["frame-src"] = ["'self'"]
    directives["style-src"] += [f"'sha256-{digest}'" for digest in style_hashes]
    directives["script-src"] += [f"'sha256-{digest}'" for digest in script_hashes]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> None:
        # No address or parameter of this site holds a NUL, and PostgreSQL cannot compare
        # text with one: refuse it before any view passes it to the database.
        if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(True)):
            abort(400)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        if _is_private():
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        from .assets import script_hash, theme_style_hash

        framing = _framing()
        response.headers["Content-Security-Policy"] = content_security_policy(
            (theme_style_hash(),), (script_hash(),), frameable=framing == "framed"
        )
        if framing == "framed":
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        elif framing == "frames":
            response.headers["Content-Security-Policy"] += "; frame-src 'self'"
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["ENV_NAME"] == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def same_origin() -> bool:
    """Whether a POST comes from a page of this site. Browsers send Origin with every form POST
    (ours in full, see send_origin_to_ourselves); a client that sends neither Origin nor Referer
    is let through, as the one-time token still binds the submit to a form we served."""
    expected = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == expected
    referer = request.headers.get("Referer")
    return referer is None or referer.startswith(expected + "/")


def send_origin_to_ourselves(response: Response) -> Response:
    """For pages whose forms same_origin checks. The site's Referrer-Policy is no-referrer,
    with which browsers send "Origin: null" on a form POST; same-origin sends our own origin to
    ourselves (and still nothing elsewhere), so same_origin can tell our forms from another
    site's."""
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def sends_origin(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose answers carry send_origin_to_ourselves (a blueprint of such pages
    registers it as its after_request instead)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        return send_origin_to_ourselves(current_app.make_response(view(*args, **kwargs)))

    return wrapper


# Every answer under these paths is private, error pages included (a 404 has no view to mark).
PRIVATE_PATHS = ("/partner", "/beheer")


def private(view: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a view whose answers are never stored and never indexed: forms and anything
    about one visitor. The after-request hook above sets the headers, for every status."""
    view.private = True  # type: ignore[attr-defined]
    return view


def frames(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a view that may be shown in a frame of this site ("framed": an editor's preview)
    or that shows such frames ("frames"); every other answer refuses to be framed."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.framing = kind  # type: ignore[attr-defined]
        return view

    return mark


def _framing() -> str | None:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "framing", None)


def _is_private() -> bool:
    path = request.path
    if any(path == prefix or path.startswith(prefix + "/") for prefix in PRIVATE_PATHS):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "private", False))
