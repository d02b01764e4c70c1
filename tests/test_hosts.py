"""Only the site's own host: production refuses any other Host with 400 before the page cache
and redirects plain HTTP to HTTPS; everywhere, a Host that is no host name is refused; the page
cache is bounded in bytes as well as entries."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from test_security import production_environment
from uitweg import create_app
from uitweg.config import ConfigError


@pytest.fixture
def production(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    production_environment(monkeypatch, DATABASE_URL=url)
    app = create_app({"INSTANCE_DIR": tmp_path})
    yield app
    app.extensions["db_engine"].dispose()
    create_engine(url).dispose()


def test_production_answers_only_at_its_own_address(production) -> None:
    client = production.test_client()
    own = client.get("/nl/", base_url="https://example.org")
    assert own.status_code == 200
    assert 'href="https://example.org/' in own.get_data(as_text=True)
    cache = production.extensions["page_cache"]
    filled = len(cache)
    for number in range(50):
        other = client.get("/nl/", base_url=f"https://evil{number}.example")
        assert other.status_code == 400
        assert b"evil" not in other.data
    assert len(cache) == filled  # no entry per foreign host
    # A load balancer's health check may use any Host (this database is not migrated: 503).
    assert client.get("/healthz", base_url="http://10.0.0.7").status_code == 503


def test_production_redirects_plain_http_to_https(production) -> None:
    response = production.test_client().get("/nl/stories/?thema=x", base_url="http://example.org")
    assert response.status_code == 308
    assert response.headers["Location"] == "https://example.org/nl/stories/?thema=x"


@pytest.mark.parametrize(
    "host",
    ["a" * 64 + ".example", "example.org\x00", "exa mple.org", "-x.example", "x" * 300, ""],
)
def test_a_host_that_is_no_host_name_is_refused_everywhere(client, host) -> None:
    response = client.get("/nl/", headers={"Host": host})
    assert response.status_code == 400


def test_production_needs_a_site_address_over_https(monkeypatch, tmp_path) -> None:
    production_environment(monkeypatch, UITWEG_SITE_URL="")
    with pytest.raises(ConfigError, match="UITWEG_SITE_URL is not set"):
        create_app({"INSTANCE_DIR": tmp_path})
    production_environment(monkeypatch, UITWEG_SITE_URL="http://uitweg.example")
    with pytest.raises(ConfigError, match="must be an https:// address"):
        create_app({"INSTANCE_DIR": tmp_path})


def test_the_page_cache_is_bounded_in_bytes(tmp_path) -> None:
    from conftest import make_app

    app = make_app(tmp_path, CONTENT_AUTO_RELOAD=False, PAGE_CACHE_BYTES=40_000)
    client = app.test_client()
    cache = app.extensions["page_cache"]
    for path in ("/nl/", "/en/", "/nl/stories/", "/en/stories/", "/nl/help/", "/nl/about"):
        client.get(path)
        assert cache.size <= 40_000
    assert 0 < len(cache) < 6
    assert cache.size == sum(entry.size for entry in cache._entries.values())
