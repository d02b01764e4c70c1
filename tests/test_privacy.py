"""Nothing on any public page comes from another host, and pages without a form set no cookie."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_CONTENT, make_app
from keyholders import ensure_keys
from pagecheck import check_html
from public_urls import public_urls


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("privacy"), CONTENT_DIR=SAMPLE_CONTENT)


@pytest.fixture(autouse=True)
def _partners_can_receive(sample_app) -> None:
    # The PostgreSQL leg empties the tables after each test, the partners' keys included.
    ensure_keys(sample_app)


def test_public_pages_are_found_from_the_sitemap_and_the_url_map(sample_app) -> None:
    urls = public_urls(sample_app)
    assert {
        "/nl/",
        "/en/stories/lisa-en-ghb",
        "/nl/callback",
        "/en/help/",
        "/healthz",
        "/sitemap.xml",
        "/nl/stories/feed.xml",
        "/robots.txt",
        "/",
    } <= set(urls)
    assert len(urls) > 40


def test_no_public_page_loads_anything_from_another_host_or_sets_a_cookie(sample_app) -> None:
    client = sample_app.test_client()
    checked = 0
    for url in public_urls(sample_app):
        client.delete_cookie("uitweg_session")
        response = client.get(url, headers={"Accept-Language": "nl"})
        assert response.status_code in {200, 302}, url
        has_form = False
        if response.mimetype == "text/html":
            root = check_html(response.get_data(as_text=True))  # asserts no foreign resource
            has_form = root.find(".//form") is not None
            checked += 1
        if not has_form:
            assert "Set-Cookie" not in response.headers, f"{url} sets a cookie"
        csp = response.headers["Content-Security-Policy"]
        assert csp.startswith("default-src 'none'")
    assert checked > 30


def test_the_stylesheet_and_script_load_nothing_from_elsewhere(sample_app) -> None:
    client = sample_app.test_client()
    for name in ("site.css", "staff.css"):
        css = client.get(f"/static/css/{name}").get_data(as_text=True)
        assert css and "url(" not in css and "@import" not in css
    js = client.get("/static/js/exit.js").get_data(as_text=True)
    assert "fetch(" not in js and "XMLHttpRequest" not in js and "http" not in js


def test_the_development_server_log_leaves_out_the_client_address() -> None:
    import logging

    from uitweg.logs import DropClientAddress

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '203.0.113.7 - - [23/Nov/2026 11:31:36] "%s" %s %s',
        ("GET /nl/ HTTP/1.1", 200, "-"),
        None,
    )
    assert DropClientAddress().filter(record)
    assert record.getMessage() == '[23/Nov/2026 11:31:36] "GET /nl/ HTTP/1.1" 200 -'


def test_the_gunicorn_access_log_format_has_no_address_user_agent_or_query() -> None:
    import runpy

    from conftest import ROOT

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = settings["access_log_format"]
    # Gunicorn's fields are case-sensitive: %(U)s is the path without query, %(u)s a user name.
    for field in ("%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s", "%(u)s"):
        assert field not in log_format
    assert "i)s" not in log_format, "no request headers (user agent, X-Forwarded-For) in the log"
    assert log_format == '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
