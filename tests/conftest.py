"""Fixtures: an app with a fresh database per test, its client and CLI runner, and page helpers."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

import databases
from keyholders import give_keys
from pagecheck import check_html
from uitweg import create_app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONTENT = ROOT / "content"
FIXTURES = Path(__file__).parent / "fixtures"
# The published HSDS schemas and Meeting Guide codes, read in place beside the checkout.
STANDARDS = Path(os.environ.get("UITWEG_STANDARDS_DIR") or ROOT.parent / "shared" / "standards")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI nothing may be skipped: a skipped browser or database test is a failing one."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI every test must run")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def make_app(tmp_path: Path, key_holders: bool = True, **overrides: object) -> Flask:
    """An app for tests, its database brought to the newest migration. With `key_holders`,
    every sample partner can receive requests (see keyholders.py); without, none can until
    someone enrols."""
    app = unmigrated_app(tmp_path, **overrides)
    migrate(app)
    if key_holders and app.extensions["content"].content.routing is not None:
        give_keys(app)
    return app


# Every app a test made (databases.MADE, one list however this file is imported: pytest loads it
# as a plugin and test modules import it again as `conftest`), so that its pooled connections
# are closed when the test ends: on the PostgreSQL leg an app left for the garbage collector
# holds its connections, and a few hundred tests exhaust the server's max_connections.
_made: list[Flask] = databases.MADE


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    while _made:
        engine = _made.pop().extensions.get("db_engine")
        # Not SQLite: an in-memory database lives in its one pooled connection.
        if engine is not None and engine.dialect.name != "sqlite":
            engine.dispose()  # a later use (a module-scoped app) simply connects again


def unmigrated_app(tmp_path: Path, **overrides: object) -> Flask:
    """An app for tests whose database is left as it is (for migration tests)."""
    config = {
        "TESTING": True,
        "INSTANCE_DIR": tmp_path / "instance",
        "CONTENT_DIR": SAMPLE_CONTENT,
        # Each app counts rate limits apart, also in a Redis shared with other runs.
        "RATELIMIT_KEY_PREFIX": f"uitweg-test-{secrets.token_hex(4)}",
    }
    config.update(overrides)
    app = create_app(config)
    _made.append(app)
    return app


def migrate(app: Flask, revision: str = "head") -> None:
    if revision == "head" and app.config["DATABASE_URL"] == "sqlite://":
        _copy_migrated_memory_database(app)
    else:
        _upgrade(app, revision)


def _upgrade(app: Flask, revision: str) -> None:
    from alembic import command

    from uitweg.cli import alembic_config

    with app.app_context():
        command.upgrade(alembic_config(), revision)


_migrated_sqlite: list[bytes] = []


def _copy_migrated_memory_database(app: Flask) -> None:
    """An in-memory database at the newest migration: the migrations run once per test run
    (tests/test_database.py runs them on every database); each app then starts from a copy."""
    if not _migrated_sqlite:
        template = create_app(
            {"TESTING": True, "INSTANCE_DIR": app.instance_path, "DATABASE_URL": "sqlite://"}
        )
        _upgrade(template, "head")
        with template.extensions["db_engine"].connect() as connection:
            _migrated_sqlite.append(connection.connection.driver_connection.serialize())
    with app.extensions["db_engine"].connect() as connection:
        connection.connection.driver_connection.deserialize(_migrated_sqlite[0])


@pytest.fixture(scope="session", autouse=True)
def test_database() -> Iterator[str | None]:
    """On the PostgreSQL leg: one fresh database for the whole run, dropped at the end."""
    if not databases.on_postgres():
        yield None
        return
    with databases.fresh_postgres_database() as url:
        previous = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = url
        try:
            yield url
        finally:
            if previous is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = previous


@pytest.fixture(autouse=True)
def _empty_tables_after_each_test(test_database: str | None) -> Iterator[None]:
    yield
    if test_database:
        databases.truncate_all(test_database)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the small test content in tests/fixtures/content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


@pytest.fixture
def fixture_app(tmp_path: Path, content_dir: Path) -> Flask:
    return make_app(tmp_path, CONTENT_DIR=content_dir)


@pytest.fixture
def get_page(client: FlaskClient) -> Callable[..., TestResponse]:
    """GET a URL or an endpoint, assert the status, and check the page when it is HTML."""

    def get(target: str, status: int = 200, headers: dict | None = None, **values) -> TestResponse:
        if not target.startswith("/"):
            with client.application.test_request_context():
                target = url_for(target, **values)
        response = client.get(target, headers=headers or {})
        assert response.status_code == status, f"{target}: {response.status_code}"
        if response.mimetype == "text/html":
            response.root = check_html(response.get_data(as_text=True))
        return response

    return get
