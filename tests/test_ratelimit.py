"""Rate limits count per client without keeping the client's address, in memory or in Redis."""

from __future__ import annotations

import datetime as dt
import os

from conftest import make_app
from public_urls import public_urls
from uitweg.extensions import limiter
from uitweg.ratelimit import client_key, daily_salt


def test_a_limited_route_answers_429_past_its_limit_on_the_configured_storage(tmp_path) -> None:
    app = make_app(tmp_path)

    @app.get("/limited")
    @limiter.limit("2 per minute")
    def limited() -> str:
        return "ok"

    client = app.test_client()
    statuses = [client.get("/limited").status_code for _ in range(3)]
    other = client.get("/limited", environ_base={"REMOTE_ADDR": "192.0.2.44"}).status_code

    assert statuses == [200, 200, 429]
    assert other == 200  # another client has its own count
    expected = os.environ.get("RATELIMIT_STORAGE_URI", "memory://").split(":")[0]
    assert type(limiter.storage).__name__.lower().startswith(expected)


def test_the_key_hides_the_address_and_changes_every_day(app) -> None:
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        key = client_key()
        today = daily_salt(dt.datetime.now(dt.UTC).date())
        tomorrow = daily_salt(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1))
    assert "203.0.113.9" not in key and len(key) == 32
    assert today != tomorrow


def test_the_public_pages_have_no_rate_limit(tmp_path) -> None:
    # Without the page cache, which answers a repeated page before Flask (and any limiter) sees
    # it: every request here reaches the views. A default limit of 5 a minute, say, would make
    # the sixth visit to a page a 429.
    app = make_app(tmp_path, PAGE_CACHE_ENTRIES=0)
    client = app.test_client()
    urls = [*public_urls(app), "/s/vs2610", "/nl/s/vs2610/help", "/nl/help/?topic=drugs"]
    for url in urls:
        statuses = [client.get(url).status_code for _ in range(8)]
        assert statuses == [statuses[0]] * 8 and statuses[0] in {200, 302, 303, 308}, url
