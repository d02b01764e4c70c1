"""Public pages are rendered once and then served from memory, until content or date changes."""

from __future__ import annotations

import gzip
import re
from contextlib import contextmanager
from pathlib import Path

import brotli
import pytest
from flask import Flask, template_rendered

import uitweg
from conftest import make_app
from uitweg.pagecache import cacheable


@contextmanager
def count_renders(app: Flask):
    rendered: list[str] = []

    def record(sender, template, context, **extra) -> None:
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(record, app)


def test_a_public_page_is_rendered_once_and_then_served_with_the_same_headers(app, client) -> None:
    with count_renders(app) as rendered:
        first = client.get("/nl/stories/lisa-en-ghb")
        second = client.get("/nl/stories/lisa-en-ghb")

    assert rendered == ["public/story.html"]
    assert second.data == first.data
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == "text/html; charset=utf-8"


def test_head_requests_get_the_headers_without_a_body(client) -> None:
    client.get("/en/")
    head = client.head("/en/")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_query_strings_and_hosts_are_cached_apart(app, client) -> None:
    with count_renders(app) as rendered:
        client.get("/nl/stories/?theme=debt")
        client.get("/nl/stories/?theme=family")
        other = client.get("/nl/stories/?theme=debt", base_url="https://uitweg.example")

    assert len(rendered) == 3
    assert 'href="https://uitweg.example/en/stories/?theme=debt"' in other.get_data(as_text=True)


def test_reloaded_content_is_rendered_again(app, client) -> None:
    with count_renders(app) as rendered:
        client.get("/nl/")
        app.extensions["content"].load()
        client.get("/nl/")
    assert rendered == ["public/home.html", "public/home.html"]


def test_errors_and_responses_with_a_cookie_are_never_cached(app, client) -> None:
    @app.get("/nl/cookie-test")
    @cacheable
    def sets_cookie():
        response = app.make_response("hello")
        response.set_cookie("x", "1")
        return response

    with count_renders(app) as rendered:
        client.get("/nl/bestaat-niet")
        client.get("/nl/bestaat-niet")
    assert rendered == ["errors/404.html", "errors/404.html"]
    assert "Set-Cookie" in client.get("/nl/cookie-test").headers
    assert "Set-Cookie" in client.get("/nl/cookie-test").headers
    assert len(app.extensions["page_cache"]) == 0


def test_the_cache_keeps_at_most_its_number_of_entries(tmp_path) -> None:
    app = make_app(tmp_path, PAGE_CACHE_ENTRIES=2)
    client = app.test_client()
    for theme in ("debt", "family", "work", "relapse"):
        client.get(f"/nl/stories/?theme={theme}")
    assert len(app.extensions["page_cache"]) == 2


def test_development_with_content_reload_does_not_cache(tmp_path) -> None:
    app = make_app(tmp_path, CONTENT_AUTO_RELOAD=True)
    with count_renders(app) as rendered:
        app.test_client().get("/nl/")
        app.test_client().get("/nl/")
    assert len(rendered) == 2


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        (None, None),
    ],
)
def test_a_public_page_is_sent_compressed_as_the_browser_accepts(client, accept, coding) -> None:
    plain = client.get("/nl/stories/lisa-en-ghb").data  # fills the cache
    headers = {"Accept-Encoding": accept} if accept else {}
    client.application.extensions["page_cache"]._entries.clear()
    for _ in range(2):  # the answer that fills the cache, and one from the cache
        response = client.get("/nl/stories/lisa-en-ghb", headers=headers)
        assert response.headers.get("Content-Encoding") == coding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.data)
        body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(coding, bytes)(response.data)
        assert body == plain
        if coding:
            assert len(response.data) < len(plain) / 2


def test_static_files_are_compressed_too(client) -> None:
    page = client.get("/nl/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)[1]
    plain = client.get(css).data
    response = client.get(css, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == plain
    assert "immutable" in response.headers["Cache-Control"]


def test_pages_with_a_form_or_a_secret_are_never_compressed(client) -> None:
    # A size that changes with what was typed could tell a token or a detail (BREACH).
    for path in ("/nl/callback", "/nl/callback/status", "/partner/login"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert "Content-Encoding" not in response.headers, path


def test_a_public_page_that_is_not_kept_is_compressed_on_its_way_out(client) -> None:
    # The directory says what is open now, so it is rendered each time; it holds no secret.
    plain = client.get("/nl/help/").data
    response = client.get("/nl/help/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == plain


def test_the_stylesheet_is_sent_without_comments_and_keeps_every_rule(client) -> None:
    from uitweg.assets import minified_css

    source = (Path(uitweg.__file__).parent / "static" / "css" / "site.css").read_bytes()
    small = minified_css(source).decode()
    assert len(small) < 0.9 * len(source) and "/*" not in small

    def selectors(css: str) -> list[str]:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        found = re.findall(r"([^{}]+)\{", css)
        return [re.sub(r"\s*([,>])\s*", r"\1", " ".join(s.split())) for s in found]

    assert selectors(small) == selectors(source.decode())
    page = client.get("/nl/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)[1]
    assert client.get(css).data == small.encode()
