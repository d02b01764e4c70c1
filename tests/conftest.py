"""Fixtures: an app with a fresh database per test, its client and CLI runner, and page helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from pagecheck import check_html
from uitweg import create_app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONTENT = ROOT / "content"
FIXTURES = Path(__file__).parent / "fixtures"


def make_app(tmp_path: Path, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "INSTANCE_DIR": tmp_path / "instance",
        "CONTENT_DIR": SAMPLE_CONTENT,
    }
    config.update(overrides)
    return create_app(config)


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
