"""Browser fixtures: gunicorn serving the site on loopback, and Debian's Chromium via Playwright.

The tests skip, saying why, only when Chromium is absent; in CI (CI=true) that is a failure."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import databases
from browser.server import gunicorn
from conftest import SAMPLE_CONTENT, migrate, unmigrated_app
from keyholders import give_keys
from public_urls import public_urls

CHROMIUM = Path(os.environ.get("UITWEG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The partner whose first member (and so its key pair) the partner-page tests make.
FIRST_MEMBER_PARTNER = "geldpunt-heideveen"
NOT_FOUND_URLS = ["/nl/bestaat-niet", "/en/does-not-exist"]
# SMS landing pages: a running campaign, its English twin, and the general page for any other code.
LANDING_URLS = ["/s/vs2610", "/en/s/vs2610", "/s/onbekend"]
# The directory's filters: lists with access facts, waits sorted, and the newer kinds of help.
FILTERED_URLS = [
    "/nl/help/?soon=1&noreferral=1",
    "/en/help/?kind=harm-reduction",
    "/nl/help/?kind=online-help&free=1",
    "/nl/help/?topic=drugs&open=1",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            # One pytest-xdist worker runs every browser test, against one server and one
            # Chromium, while the other workers run the rest of the suite.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Site:
    """A served app: its base URL, and the pages found from its sitemap and URL map."""

    def __init__(self, base_url: str, app) -> None:
        self.base_url = base_url
        self.app = app

    def pages(self) -> list[str]:
        urls = [u for u in public_urls(self.app) if self._is_html(u)]
        return urls + LANDING_URLS + FILTERED_URLS + NOT_FOUND_URLS + self._owner_pages()

    def _owner_pages(self) -> list[str]:
        """A listing owner's page in each language, from a link made for this call (a link
        works once, and the form gate uses it up)."""
        import datetime as dt

        from uitweg import db
        from uitweg.content import freshness

        content = self.app.extensions["content"].content
        at = dt.datetime.now(dt.UTC)
        pages = []
        with self.app.app_context(), db.session() as session:
            for lang in content.site.locales:
                for slug in sorted(content.services):
                    token = freshness.issue_link(session, "services", slug, at)
                    if token is not None:
                        pages.append(f"/{lang}/help/check/{token}")
                        break
        return pages

    def _is_html(self, url: str) -> bool:
        response = self.app.test_client().get(url)
        return response.status_code == 200 and response.mimetype == "text/html"

    def url(self, path: str) -> str:
        return self.base_url + path


def _serve(tmp_path_factory, app_spec: str, name: str) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp(name)
    env = {
        "UITWEG_ENV": "test",
        "UITWEG_CONTENT_DIR": str(SAMPLE_CONTENT),
        "PYTHONPATH": str(Path(__file__).parents[1]),
        # Many forms are sent from one address here; the limits themselves are tested elsewhere.
        "UITWEG_CALLBACK_RATE_LIMIT": "1000 per hour",
        "UITWEG_STATUS_RATE_LIMIT": "1000 per hour",
        "UITWEG_WRITTEN_RATE_LIMIT": "1000 per hour",
        "UITWEG_CODE_FAILURE_LIMIT": "1000 per hour",
        "UITWEG_CALLBACK_POST_LIMIT": "1000 per hour",
        # Counted apart from earlier runs that used the same Redis from the same address.
        "RATELIMIT_KEY_PREFIX": f"uitweg-browser-{secrets.token_hex(4)}",
    }
    # A database of its own, of the kind this leg tests: the PostgreSQL leg empties its shared
    # database after every test, and this site keeps its partners' keys for the whole run.
    with databases.fresh_database(folder) as url:
        env["DATABASE_URL"] = url
        app = unmigrated_app(folder, INSTANCE_DIR=folder / "instance", DATABASE_URL=url)
        migrate(app)
        # Every partner can receive, but one: its first member is enrolled by the
        # partner-page tests, in the browser.
        partners = app.extensions["content"].content.routing.partners
        give_keys(app, [slug for slug in partners if slug != FIRST_MEMBER_PARTNER])
        if app_spec != "app:app":
            from browser.fixture_site import add_fixture_pages

            add_fixture_pages(app)
        with gunicorn(app_spec, env) as base_url:
            yield Site(base_url, app)
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def site(browser, tmp_path_factory) -> Iterator[Site]:
    yield from _serve(tmp_path_factory, "app:app", "site")


@pytest.fixture(scope="session")
def fixture_site(browser, tmp_path_factory) -> Iterator[Site]:
    """The site plus deliberately faulty pages and a demo form (tests/browser/fixture_site.py)."""
    yield from _serve(tmp_path_factory, "browser.fixture_site:create()", "fixture-site")


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh context; records every request the browser makes."""
    contexts = []

    def open_(
        url: str,
        *,
        javascript: bool = True,
        width: int = 390,
        height: int = 844,
        bypass_csp: bool = False,
        wait: bool = True,
        locale: str = "nl-NL",
    ):
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
            bypass_csp=bypass_csp,
            locale=locale,
        )
        contexts.append(context)
        page = context.new_page()
        page.requested = []
        page.console_errors = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        if wait:
            visit(page, url)
        return page

    yield open_
    for context in contexts:
        context.close()


def visit(page, url: str):
    """Go to `url` in an open page, starting a fresh request and console log."""
    page.requested.clear()
    page.console_errors.clear()
    page.goto(url, wait_until="load")
    return page
