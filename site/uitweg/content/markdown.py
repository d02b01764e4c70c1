"""Markdown to safe HTML, once at load time.

Raw HTML in the markdown is dropped (`flask content check` warns about each line); a
sanitiser (nh3, the ammonia library) then keeps only an allow-list of tags, attributes and URL
schemes. Both layers are on purpose: an editor's paste must never put a script, an event
handler or a tracking pixel on a page read by someone afraid of being watched. (nh3 replaced
bleach, which gave the same output 18 times slower: most of loading thousands of stories.)
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
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
# Every link gets rel="noopener noreferrer" (nh3's link_rel): no other site learns where a
# visitor came from.
LINK_REL = "noopener noreferrer"
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


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


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "rel":
        return LINK_REL  # the sanitiser's own, added before this filter runs
    return value if _allowed_attribute(tag, name, value) else None


_markdown = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["replacements", "smartquotes"]
)
# Every link becomes a link token, so a bad URL loses its href in the sanitiser instead of
# being shown as literal text; the sanitiser's scheme allow-list is the one place that decides.
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


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=set(ALLOWED_PROTOCOLS),
        strip_comments=True,
        link_rel=LINK_REL,
    )


def render(source: str) -> str:
    """Markdown source to sanitised HTML."""
    tokens = _without_raw_html(_markdown.parse(source))
    for token in tokens:
        # The page title is the only <h1>; a '#' heading in the body becomes a section heading.
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _clean(html).strip()


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
    return " ".join(nh3.clean(html, tags=set()).split())
