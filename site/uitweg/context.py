"""Request-time access to the loaded content, today's date and preview mode."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g

from .content import Content, Localized, Page


def content() -> Content:
    """The site's content; during an editor's preview, the content with that version in it."""
    shown = g.get("preview_content")
    return shown if shown is not None else current_app.extensions["content"].content


def today() -> dt.date:
    """Today in the site's time zone: publish and expiry dates change at local midnight, and
    campaigns count per local day. Follows now(), so a test's fixed clock fixes the day too."""
    return now().astimezone(ZoneInfo(content().site.timezone)).date()


def now() -> dt.datetime:
    """The current moment; tests fix it with the NOW setting to check opening times."""
    return current_app.config.get("NOW") or dt.datetime.now(dt.UTC)


def setting(name: str) -> Any:
    """A configuration value, for domain code that must not reach into Flask itself."""
    return current_app.config[name]


def preview() -> bool:
    """Drafts and future stories are shown (with a banner) only in development, and in an
    editor's preview."""
    return g.get("preview_content") is not None or bool(current_app.config["CONTENT_PREVIEW"])


def init_app(app: Flask) -> None:
    @app.before_request
    def reload_content() -> None:
        store = app.extensions["content"]
        if app.config["CONTENT_AUTO_RELOAD"]:
            store.reload_if_changed()
        store.refresh()

    @app.context_processor
    def inject_site() -> dict[str, object]:
        return {
            "site": content().site,
            "preview_mode": preview(),
            "footer_pages": footer_pages,
            "harm_reduction_pages": harm_reduction_pages,
        }


def _pages(slugs: tuple[str, ...]) -> list[Localized[Page]]:
    from .i18n import current_language

    pages = (content().page(slug, current_language(), today(), preview()) for slug in slugs)
    return [p for p in pages if p is not None]


def footer_pages() -> list[Localized[Page]]:
    return _pages(content().site.footer_pages)


def harm_reduction_pages() -> list[Localized[Page]]:
    return _pages(content().site.harm_reduction_pages)
