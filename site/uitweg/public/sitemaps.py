"""The sitemap as the sitemaps protocol has it for large sites: /sitemap.xml is an index of
files, each holding as many pages as fit in `SITEMAP_FILE_BYTES` (every page in each language,
with its other languages as alternates). The files are cut by their written size, so long
addresses or more languages make more files, never bigger ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

URLSET_START = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)
URLSET_END = "\n</urlset>\n"
INDEX_START = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
)
INDEX_END = "\n</sitemapindex>\n"


def _entry(urls: Mapping[str, str]) -> str:
    """One page: a <url> per language, each naming all languages (itself included)."""
    alternates = "".join(
        f'\n    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(url)}/>'
        for lang, url in urls.items()
    )
    return "".join(
        f"\n  <url>\n    <loc>{escape(url)}</loc>{alternates}\n  </url>" for url in urls.values()
    )


def files(pages: Iterable[Mapping[str, str]], budget: int) -> list[str]:
    """The sitemap files for `pages` (each a mapping of language to address), in order, each
    at most `budget` bytes unless a single page is larger. Always at least one file."""
    room = budget - len(URLSET_START) - len(URLSET_END)
    written: list[str] = []
    current: list[str] = []
    size = 0
    for page in pages:
        entry = _entry(page)
        length = len(entry.encode())
        if current and size + length > room:
            written.append(URLSET_START + "".join(current) + URLSET_END)
            current, size = [], 0
        current.append(entry)
        size += length
    written.append(URLSET_START + "".join(current) + URLSET_END)
    return written


def index(locations: Iterable[str]) -> str:
    body = "".join(
        f"\n  <sitemap>\n    <loc>{escape(location)}</loc>\n  </sitemap>" for location in locations
    )
    return INDEX_START + body + INDEX_END
