"""Markdown to safe HTML, once at load time.

Raw HTML in the markdown is dropped (`flask content check` warns about each line); bleach then
keeps only an allow-list of tags, attributes and URL schemes. Both layers are on purpose: an
editor's paste must never put a script, an event handler or a tracking pixel on a page read by
someone afraid of being watched.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter  # type: ignore[attr-defined]
from markdown_it import MarkdownIt

from .problems import N_

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag == "img":
        if name == "src":
            # Images must come from this site: a remote image would tell another host who reads.
            parts = urlsplit(value)
            return not parts.scheme and not parts.netloc and not value.startswith("//")
        return name in {"alt", "title"}
    return False


class _LinkRel(Filter):
    """Give every link rel="noopener noreferrer": no other site learns where a visitor came from."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                attrs = dict(token["data"])
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_markdown = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["replacements", "smartquotes"]
)
# Every link becomes a link token, so a bad URL loses its href in bleach instead of being shown
# as literal text; bleach's protocol allow-list is the one place that decides.
_markdown.validateLink = lambda url: True  # type: ignore[method-assign]
RAW_HTML_TOKENS = {"html_block", "html_inline"}


def _without_raw_html(tokens: list) -> list:
    """Drop raw HTML entirely: escaped as text it would still put markup on a page."""
    kept = []
    for token in tokens:
        if token.type in RAW_HTML_TOKENS:
            continue
        if token.children:
            token.children = _without_raw_html(token.children)
        kept.append(token)
    return kept


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRel],
)


def render(source: str) -> str:
    """Markdown source to sanitised HTML."""
    tokens = _without_raw_html(_markdown.parse(source))
    for token in tokens:
        # The page title is the only <h1>; a '#' heading in the body becomes a section heading.
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _cleaner.clean(html).strip()


RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
UNSAFE_LINK_RE = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def unsafe_markup(source: str) -> list[tuple[int, str]]:
    """Lines (1-based, within `source`) holding raw HTML or a script link that will be dropped."""
    found = []
    for number, line in enumerate(source.split("\n"), start=1):
        if RAW_HTML_RE.search(line):
            found.append((number, N_("raw HTML is not shown on the site; use markdown instead")))
        elif UNSAFE_LINK_RE.search(line):
            found.append((number, N_("this link is not allowed; use https://, mailto: or tel:")))
    return found


def plain(source: str) -> str:
    """Markdown source to plain text (for feed summaries and meta descriptions)."""
    html = _markdown.render(source)
    return " ".join(bleach.clean(html, tags=set(), strip=True).split())
