"""Security headers are exact, and static files are fingerprinted and cached for a year."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.fernet import Fernet

from uitweg import create_app
from uitweg.config import ConfigError
from uitweg.content import ContentInvalid


def test_every_response_carries_the_exact_security_headers(client) -> None:
    headers = client.get("/nl/").headers
    csp = headers["Content-Security-Policy"]
    script_hash, style_hash = re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp)

    assert csp == (
        f"default-src 'none'; script-src 'sha256-{script_hash}'; "
        f"style-src 'self' 'sha256-{style_hash}'; img-src 'self'; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
        "manifest-src 'self'"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert "Strict-Transport-Security" not in headers  # only in production, behind TLS


def sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_inline_theme_style_and_script_are_allowed_by_their_hashes(client) -> None:
    response = client.get("/en/")
    html = response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.DOTALL).group(1)

    assert style.startswith(":root{--primary:#1d5c63;")
    assert "data-quick-exit" in script
    assert f"style-src 'self' 'sha256-{sha256(style)}'" in csp
    assert f"script-src 'sha256-{sha256(script)}';" in csp


def test_static_files_have_a_hash_in_their_url_and_are_cached_for_a_year(get_page, client) -> None:
    root = get_page("/nl/").root
    stylesheet = next(
        link.get("href") for link in root.iter("link") if link.get("rel") == "stylesheet"
    )
    assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{12}", stylesheet)

    fingerprinted = client.get(stylesheet)
    plain = client.get("/static/css/site.css")
    stale = client.get("/static/css/site.css?v=000000000000")

    assert fingerprinted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    assert stale.headers["Cache-Control"] == "public, max-age=300"


def production_settings(**values: str) -> dict[str, str]:
    """The environment production needs, with `values` changed ("" for left out)."""
    return {
        "UITWEG_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "UITWEG_DATA_KEY": Fernet.generate_key().decode(),
        "MAIL_URL": "smtp://127.0.0.1:2525",
        "UITWEG_SITE_URL": "https://example.org",
        **values,
    }


def production_environment(monkeypatch, **values: str) -> None:
    for name, value in production_settings(**values).items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY is not set"),
        ("UITWEG_DATA_KEY", "UITWEG_DATA_KEY is not set"),
        ("MAIL_URL", "MAIL_URL is not set"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(
    monkeypatch, tmp_path, missing, message
) -> None:
    production_environment(monkeypatch, **{missing: ""})
    with pytest.raises(ConfigError, match=message):
        create_app({"INSTANCE_DIR": tmp_path})


def test_production_refuses_a_data_key_that_is_not_a_key(monkeypatch, tmp_path) -> None:
    production_environment(monkeypatch, UITWEG_DATA_KEY="secret")
    with pytest.raises(ValueError, match="UITWEG_DATA_KEY must hold one or more keys"):
        create_app({"INSTANCE_DIR": tmp_path})


def test_production_refuses_to_start_on_invalid_content_and_says_why(
    monkeypatch, tmp_path, content_dir
) -> None:
    (content_dir / "stories" / "cas.nl.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    production_environment(monkeypatch, UITWEG_CONTENT_DIR=str(content_dir))
    with pytest.raises(ContentInvalid, match=r"cas\.nl\.md:2: the YAML cannot be read"):
        create_app({"INSTANCE_DIR": tmp_path})


def test_production_starts_with_a_secret_and_valid_content(monkeypatch, tmp_path) -> None:
    production_environment(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    app = create_app({"INSTANCE_DIR": tmp_path})
    response = app.test_client().get("/nl/", base_url="https://example.org")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_an_unknown_environment_name_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("UITWEG_ENV", "staging")
    with pytest.raises(ConfigError, match="UITWEG_ENV='staging' is unknown"):
        create_app({"INSTANCE_DIR": tmp_path})


def test_partner_settings_come_from_the_environment_and_nonsense_is_refused(
    monkeypatch, tmp_path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    production_environment(monkeypatch, DATABASE_URL=db_url, UITWEG_PARTNER_IDLE_MINUTES="15")
    monkeypatch.setenv("UITWEG_LOGIN_RATE_LIMIT", "10 per 10 minutes")
    app = create_app({"INSTANCE_DIR": tmp_path})
    assert app.config["PARTNER_IDLE_MINUTES"] == 15
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per 10 minutes"
    monkeypatch.setenv("UITWEG_ARGON2_MEMORY_KIB", "64M")
    with pytest.raises(ConfigError, match="UITWEG_ARGON2_MEMORY_KIB must be a whole number"):
        create_app({"INSTANCE_DIR": tmp_path})
