"""Running a benchmark once per database: SQLite (a file) and PostgreSQL (a fresh database at
TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test), each migrated first."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

PG_ADMIN = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
CHOICES = ["sqlite", "postgres", "both"]


def production_env(
    database_url: str, mail_url: str = "smtp://127.0.0.1:9", **extra: str
) -> dict[str, str]:
    """What gunicorn needs to serve the site with production settings on loopback: fresh
    secrets, the given database and mail server, and `extra` settings."""
    from cryptography.fernet import Fernet

    return {
        "UITWEG_ENV": "production",
        # Several workers count rate limits together only in Redis (gunicorn refuses memory).
        "RATELIMIT_STORAGE_URI": os.environ.get(
            "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15"
        ),
        "SECRET_KEY": secrets.token_hex(32),
        "UITWEG_DATA_KEY": Fernet.generate_key().decode(),
        "MAIL_URL": mail_url,
        "DATABASE_URL": database_url,
        **extra,
    }


def migrate(url: str, folder: Path) -> None:
    """Bring the database to the newest migration and give every partner a key holder, so
    that the callback form takes requests."""
    from conftest import migrate as upgrade
    from conftest import unmigrated_app
    from keyholders import give_keys

    app = unmigrated_app(folder, DATABASE_URL=url)
    upgrade(app)
    give_keys(app)


def run_legs(choice: str, name: str, leg: Callable[[str, str, Path], bool]) -> int:
    """Call `leg(database, url, folder)` on each chosen database, its schema migrated; print
    OK or FAILED and return the exit code."""
    os.environ.setdefault("UITWEG_ENV", "test")
    ok = True
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"uitweg-{name}-")))
        if choice in {"sqlite", "both"}:
            url = f"sqlite:///{folder / f'{name}.sqlite3'}"
            migrate(url, folder / "sqlite")
            ok &= leg("sqlite", url, folder / "sqlite")
        if choice in {"postgres", "both"}:
            import databases

            databases.ADMIN_URL = PG_ADMIN
            url = stack.enter_context(databases.fresh_postgres_database(f"uitweg_{name}"))
            migrate(url, folder / "postgres")
            ok &= leg("postgres", url, folder / "postgres")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1
