"""Database engine and sessions (SQLAlchemy 2): SQLite by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url in {"sqlite://", "sqlite:///:memory:"}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            hide_parameters=True,
            # One shared connection, or every request would see its own empty in-memory database.
            poolclass=StaticPool if in_memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    # hide_parameters: an error message must never quote what a visitor typed.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


@contextmanager
def session() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with current_app.extensions["db_sessionmaker"].begin() as db_session:
        yield db_session


def is_healthy() -> bool:
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("database check failed")
        return False
    return True
