"""The SMS landing from the page cache: rendered once per language, every later visit answered
in front of Flask and still counted, robots, previews and HEAD requests still not; the answer
stays private (no-store) and is sent compressed."""

from __future__ import annotations

import gzip

from flask import template_rendered

from campaigns.test_landing import NOW, visits
from conftest import make_app


def test_visits_from_the_cache_are_counted_and_robots_are_not(tmp_path) -> None:
    app = make_app(tmp_path, NOW=NOW)
    renders: list[str] = []
    template_rendered.connect(
        lambda s, template, context, **e: renders.append(template.name), app, weak=False
    )
    client = app.test_client()
    dutch = {"Accept-Language": "nl-NL,nl;q=0.9"}
    first = client.get("/s/vs2610", headers=dutch)
    for _ in range(5):
        again = client.get("/s/vs2610", headers=dutch)
        assert again.get_data() == first.get_data()
    assert renders.count("campaigns/landing.html") == 1
    assert visits(app) == 6
    # Not people: a link preview, a prefetch, a HEAD request; all answered from the cache.
    client.get("/s/vs2610", headers={**dutch, "User-Agent": "WhatsApp/2.23.20 A"})
    client.get("/s/vs2610", headers={**dutch, "Sec-Purpose": "prefetch"})
    assert client.head("/s/vs2610", headers=dutch).status_code == 200
    assert visits(app) == 6 and renders.count("campaigns/landing.html") == 1
    assert first.headers["Cache-Control"] == "no-store"


def test_each_language_is_kept_apart_and_sent_compressed(tmp_path) -> None:
    app = make_app(tmp_path, NOW=NOW)
    client = app.test_client()
    dutch = client.get("/s/vs2610", headers={"Accept-Language": "nl"})
    english = client.get("/s/vs2610", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="nl"' in dutch.get_data(as_text=True)
    assert 'lang="en"' in english.get_data(as_text=True)
    again = client.get(
        "/s/vs2610", headers={"Accept-Language": "en-GB,en;q=0.9", "Accept-Encoding": "gzip"}
    )
    assert again.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.get_data()) == english.get_data()
    assert again.headers["Cache-Control"] == "no-store"
    assert visits(app) == 3
