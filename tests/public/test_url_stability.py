"""Links in an SMS or a shared story must keep working: a public URL never disappears quietly."""

from __future__ import annotations

PUBLISHED_RULES = {
    "/",
    "/<lang:lang>/",
    "/<lang:lang>/stories/",
    "/<lang:lang>/stories/<slug>",
    "/<lang:lang>/stories/feed.xml",
    "/<lang:lang>/help/",
    "/<lang:lang>/callback",
    "/<lang:lang>/<slug>",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/media/<path:filename>",
}


def test_every_published_url_pattern_still_exists(app) -> None:
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    missing = PUBLISHED_RULES - rules
    assert missing == set(), f"these public URLs disappeared; add a redirect instead: {missing}"
