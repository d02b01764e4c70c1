"""Checks every HTML page a test sees: it parses, has a title and a language, its forms have an
action, and it loads nothing from another host."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import html5lib

LANGUAGES = {"nl", "en"}
# Attributes that make the browser fetch something when the page loads (links are navigation).
LOADING_ATTRIBUTES = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "iframe": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
    "track": ["src"],
}
FETCHING_LINK_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "manifest",
    "modulepreload",
    "apple-touch-icon",
    "dns-prefetch",
    "preconnect",
}
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def parse(html: str) -> ET.Element:
    """Parse strictly: html5lib raises on any parse error."""
    parser = html5lib.HTMLParser(
        tree=html5lib.treebuilders.getTreeBuilder("etree", ET),
        strict=True,
        namespaceHTMLElements=False,
    )
    return parser.parse(html)


def is_own(url: str) -> bool:
    url = url.strip()
    parts = urlsplit(url)
    if url.startswith("//"):
        return False
    if parts.scheme in {"", "http", "https"}:
        return parts.netloc in {"", "localhost", "127.0.0.1"}
    return False  # data:, javascript:, blob: and the like never count as the site's own


def loaded_urls(root: ET.Element) -> list[str]:
    urls = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        for attribute in LOADING_ATTRIBUTES.get(tag, []):
            value = element.get(attribute)
            if value:
                urls += (
                    [part.split()[0] for part in value.split(",")]
                    if "srcset" in attribute
                    else [value]
                )
        if tag == "link" and FETCHING_LINK_RELS & set((element.get("rel") or "").lower().split()):
            urls.append(element.get("href") or "")
        if tag == "style" and element.text:
            urls += CSS_URL_RE.findall(element.text)
        if element.get("style"):
            urls += CSS_URL_RE.findall(element.get("style"))
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            urls.append((element.get("content") or "").partition("url=")[2] or "")
    return urls


def check_html(html: str) -> ET.Element:
    root = parse(html)
    assert root.get("lang") in LANGUAGES, f"<html lang> is {root.get('lang')!r}"
    title = root.find("./head/title")
    assert title is not None and (title.text or "").strip(), "the page has no <title>"
    assert len(root.findall(".//h1")) == 1, "a page has exactly one <h1>"
    for form in root.iter("form"):
        assert form.get("action"), "every form names its action"
        # The server's translated messages are the only ones: no browser bubbles.
        assert form.get("novalidate") is not None, "every form has novalidate"
    foreign = [url for url in loaded_urls(root) if not is_own(url)]
    assert not foreign, f"the page loads from elsewhere: {foreign}"
    return root


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())
