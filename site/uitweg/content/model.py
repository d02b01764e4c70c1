"""What content/ holds once loaded: immutable values, safe to share between threads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .directory import Group, Service
    from .routing import Routing
    from .selftests import SelfTest

SUPPORTED_LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


@dataclass(frozen=True)
class Line:
    """A phone line shown in the crisis block."""

    name: dict[str, str]
    number: str
    note: dict[str, str] | None = None

    @property
    def tel(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class SiteSettings:
    name: dict[str, str]
    short_name: str
    example: bool
    region: dict[str, str]
    municipalities: tuple[str, ...]
    locales: tuple[str, ...]
    timezone: str
    local_lines: tuple[Line, ...]
    colours: dict[str, str]
    privacy_email: str
    retention_days: int
    unhandled_days: int
    quick_exit_url: str
    themes: dict[str, dict[str, str]]
    substances: dict[str, dict[str, str]]
    age_bands: tuple[str, ...]
    advice_sections: tuple[str, ...]
    footer_pages: tuple[str, ...]
    # Advice for people who use (safer use), linked from the home page and the SMS landing.
    harm_reduction_pages: tuple[str, ...]
    topics: dict[str, dict[str, str]]
    closed_days: dict[dt.date, dict[str, str]]
    stale_after_days: int
    province: str

    @property
    def closed_dates(self) -> frozenset[dt.date]:
        return frozenset(self.closed_days)


@dataclass(frozen=True)
class Item:
    """Fields every story and page has."""

    slug: str
    lang: str
    title: str
    summary: str
    html: str
    source: Path
    draft: bool
    publish: dt.date | None
    expires: dt.date | None

    def visible(self, today: dt.date, preview: bool = False) -> bool:
        if preview:
            return True
        if self.draft:
            return False
        if self.publish and self.publish > today:
            return False
        return not (self.expires and self.expires <= today)

    @property
    def is_preview_only(self) -> bool:
        return self.draft or self.publish is not None


@dataclass(frozen=True)
class Story(Item):
    alias: str = ""
    place: str = ""
    age_band: str = ""
    substances: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    date: dt.date = dt.date.min
    image: dict[str, str] | None = None


@dataclass(frozen=True)
class Page(Item):
    parent: str | None = None
    order: int = 100
    updated: dt.date | None = None
    image: dict[str, str] | None = None


@dataclass(frozen=True)
class Campaign(Item):
    """An SMS campaign: its landing text, and what is needed to count what it achieved. The code
    is the same for every recipient; nothing here can tell recipients apart."""

    code: str = ""
    municipality: str = ""
    sent: dt.date = dt.date.min
    recipients: int = 0
    sms: str = ""
    partner: str | None = None
    active_from: dt.date = dt.date.min
    active_until: dt.date | None = None  # the last day the landing page shows this campaign

    def active(self, today: dt.date) -> bool:
        if self.draft or today < self.active_from:
            return False
        return self.active_until is None or today <= self.active_until


T = TypeVar("T", bound=Item)


@dataclass(frozen=True)
class Localized(Generic[T]):
    """An item as shown for a requested language; `is_fallback` when only Dutch exists."""

    item: T
    requested: str

    @property
    def is_fallback(self) -> bool:
        return self.item.lang != self.requested


@dataclass
class Content:
    site: SiteSettings
    stories: dict[str, dict[str, Story]] = field(default_factory=dict)
    pages: dict[str, dict[str, Page]] = field(default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    services: dict[str, dict[str, Service]] = field(default_factory=dict)
    groups: dict[str, dict[str, Group]] = field(default_factory=dict)
    # Who receives callback requests; None when content/partners.yaml is missing.
    routing: Routing | None = None
    # SMS campaigns by code, then language.
    campaigns: dict[str, dict[str, Campaign]] = field(default_factory=dict)
    selftests: dict[str, dict[str, SelfTest]] = field(default_factory=dict)

    def campaign(self, code: str, lang: str, today: dt.date) -> Campaign | None:
        """The campaign with this code while it is active, in `lang` where translated."""
        versions = self.campaigns.get(code)
        if not versions or not versions[DEFAULT_LANGUAGE].active(today):
            return None
        return versions.get(lang) or versions[DEFAULT_LANGUAGE]

    def _pick(
        self, versions: dict[str, T] | None, lang: str, today: dt.date, preview: bool
    ) -> Localized[T] | None:
        if not versions:
            return None
        primary = versions[DEFAULT_LANGUAGE]
        if not primary.visible(today, preview):
            return None
        translation = versions.get(lang)
        if translation is not None and translation.visible(today, preview):
            return Localized(translation, lang)
        return Localized(primary, lang)

    def service(self, slug: str, lang: str, today: dt.date, preview: bool = False):
        return self._pick(self.services.get(slug), lang, today, preview)

    def group(self, slug: str, lang: str, today: dt.date, preview: bool = False):
        return self._pick(self.groups.get(slug), lang, today, preview)

    def selftest(self, slug: str, lang: str, today: dt.date, preview: bool = False):
        return self._pick(self.selftests.get(slug), lang, today, preview)

    def selftest_list(self, lang: str, today: dt.date, preview: bool = False) -> list:
        shown = [self.selftest(slug, lang, today, preview) for slug in self.selftests]
        found = [s for s in shown if s is not None]
        return sorted(found, key=lambda s: (s.item.order, s.item.title))

    def story(self, slug: str, lang: str, today: dt.date, preview: bool = False):
        return self._pick(self.stories.get(slug), lang, today, preview)

    def page(self, slug: str, lang: str, today: dt.date, preview: bool = False):
        return self._pick(self.pages.get(slug), lang, today, preview)

    def story_list(
        self,
        lang: str,
        today: dt.date,
        preview: bool = False,
        theme: str | None = None,
        substance: str | None = None,
    ) -> list[Localized[Story]]:
        found = []
        for slug in self.stories:
            shown = self.story(slug, lang, today, preview)
            if shown is None:
                continue
            if theme and theme not in shown.item.themes:
                continue
            if substance and substance not in shown.item.substances:
                continue
            found.append(shown)
        return sorted(found, key=lambda s: (s.item.date, s.item.slug), reverse=True)

    def related_stories(
        self, slug: str, lang: str, today: dt.date, preview: bool = False, limit: int = 3
    ) -> list[Localized[Story]]:
        shown = (self.story(other, lang, today, preview) for other in self.related.get(slug, ()))
        return [s for s in shown if s is not None][:limit]

    def child_pages(
        self, parent: str, lang: str, today: dt.date, preview: bool = False
    ) -> list[Localized[Page]]:
        children = [
            self.page(slug, lang, today, preview)
            for slug, versions in self.pages.items()
            if versions[DEFAULT_LANGUAGE].parent == parent
        ]
        shown = [c for c in children if c is not None]
        return sorted(shown, key=lambda p: (p.item.order, p.item.title))
