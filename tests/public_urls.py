"""Find every public page by itself: the sitemap, each GET route of the URL map that needs no
argument but the language, and the pages those list pages link to (a self-test is linked from
its list but kept out of the sitemap, as it is not for search engines). A part added later is
covered the day it lands."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from pagecheck import parse
from uitweg.security import PRIVATE_PATHS

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOT_PAGES = {"static", "root.media", "root.favicon"}


def sitemap_entries(client: FlaskClient) -> list[ET.Element]:
    """Every <url> of every file the sitemap index at /sitemap.xml lists."""
    entries = []
    for location in ET.fromstring(client.get("/sitemap.xml").data).iter(f"{SITEMAP}loc"):
        response = client.get(urlsplit(location.text).path)
        assert response.status_code == 200, location.text
        entries += ET.fromstring(response.data).findall(f"{SITEMAP}url")
    return entries


def public_urls(app: Flask) -> list[str]:
    client = app.test_client()
    index = ET.fromstring(client.get("/sitemap.xml").data)
    urls = {urlsplit(loc.text).path for loc in index.iter(f"{SITEMAP}loc")}  # the files
    urls |= {urlsplit(e.find(f"{SITEMAP}loc").text).path for e in sitemap_entries(client)}
    languages = app.extensions["content"].content.site.locales
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        # Staff areas (partner inbox, editors' area): the site's own list of private paths.
        if any(rule.rule == path or rule.rule.startswith(path + "/") for path in PRIVATE_PATHS):
            continue
        arguments = set(rule.arguments)
        with app.test_request_context():
            if arguments == {"lang"}:
                lists = [app.url_for(rule.endpoint, lang=lang) for lang in languages]
                urls.update(lists)
                urls.update(_linked(app, lists, urls))
            elif not arguments:
                urls.add(app.url_for(rule.endpoint))
    urls.update(_one_of_each(app, sorted(urls)))
    return sorted(urls)


def _one_of_each(app: Flask, pages: list[str]) -> set[str]:
    """One page, per language, of each kind (URL rule) that `pages` link to and that none of
    them is: a listing's report form is linked from every listing, and checking one of them is
    checking its template."""
    adapter = app.url_map.bind("localhost")
    client = app.test_client()

    def kind(path: str) -> tuple[str, str | None] | None:
        try:
            rule, args = adapter.match(path, method="GET", return_rule=True)
        except HTTPException:
            return None
        return rule.rule, args.get("lang")

    seen = {kind(page) for page in pages}
    found = set()
    for href in sorted(_linked(app, pages, set(pages))):
        if kind(href) in seen:
            continue
        response = client.get(href)
        if response.status_code == 200 and response.mimetype == "text/html":
            seen.add(kind(href))
            found.add(href)
    return found


def _linked(app: Flask, pages: list[str], known: set[str]) -> set[str]:
    """Paths (without a query) that `pages` link to, that the URL map answers with a GET and
    that are not found already."""
    adapter = app.url_map.bind("localhost")
    found = set()
    client = app.test_client()
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in parse(response.get_data(as_text=True)).iter("a"):
            href = link.get("href") or ""
            if not href.startswith("/") or "?" in href or "#" in href or href in known:
                continue
            try:
                endpoint, _ = adapter.match(href, method="GET")
            except HTTPException:
                continue
            if endpoint not in NOT_PAGES and not href.startswith(PRIVATE_PATHS):
                found.add(href)
    return found
