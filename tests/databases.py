"""Test databases: in-memory SQLite by default; a fresh PostgreSQL database per run when
TEST_DATABASE_URL names a server (the PostgreSQL leg of .ci/run). Schemas always come from the
Alembic migrations, never from create_all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("TEST_DATABASE_URL")
# The apps tests made, whose pooled connections conftest closes after each test.
MADE: list = []


def on_postgres() -> bool:
    return bool(ADMIN_URL)


def _admin_engine():
    url = make_url(ADMIN_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@contextmanager
def fresh_postgres_database(prefix: str = "uitweg_test") -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_database(tmp_path) -> Iterator[str]:
    """An empty database of the kind this run tests against."""
    if on_postgres():
        with fresh_postgres_database("uitweg_fresh") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / f'fresh-{secrets.token_hex(4)}.sqlite3'}"


def truncate_all(url: str) -> None:
    """Empty every table the migrations made (PostgreSQL: one database is shared by the run)."""
    from uitweg.models import Base

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    # Only what exists: a run may start with tests that use databases of their own.
    existing = set(inspect(engine).get_table_names())
    tables = [table.name for table in Base.metadata.sorted_tables if table.name in existing]
    if not tables:
        engine.dispose()
        return
    with engine.begin() as connection:
        quoted = ", ".join(f'"{name}"' for name in tables)
        connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()
