"""Find every public page by itself: the sitemap, plus each GET route of the URL map that needs
no argument but the language. A part added later is covered the day it lands."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from flask import Flask

from uitweg.security import PRIVATE_PATHS

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOT_PAGES = {"static", "root.media", "root.favicon"}


def public_urls(app: Flask) -> list[str]:
    client = app.test_client()
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    urls = {urlsplit(loc.text).path for loc in sitemap.iter(f"{SITEMAP}loc")}
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
                urls.update(app.url_for(rule.endpoint, lang=lang) for lang in languages)
            elif not arguments:
                urls.add(app.url_for(rule.endpoint))
    return sorted(urls)
