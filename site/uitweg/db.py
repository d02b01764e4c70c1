"""Database engine and sessions (SQLAlchemy 2): SQLite by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, current_app
from sqlalchemy import CursorResult, Engine, Executable, create_engine, event, text
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
    # Deleted rows are overwritten with zeros, not only marked free: a wiped contact block or a
    # dropped key leaves no copy in the file's free space (see scrub() for the WAL).
    cursor.execute("PRAGMA secure_delete=ON")
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


# Tables whose deleted or overwritten values must not survive in the files: contact blocks,
# data keys sealed to partners, partner keys and grants, members' wrapped keys, login boxes,
# editors' versions and images once an item is erased (a story may name a person), and
# handled listing proposals (a visitor's report may name someone).
SCRUBBED_TABLES = (
    "callback_request",
    "sealed_data_key",
    "conversation_message",
    "outbox",
    "partner_key",
    "partner_key_grant",
    "staff_member",
    "staff_session",
    "content_version",
    "media_file",
    "listing_proposal",
)


# pg_try_advisory_lock key: one scrub at a time across all processes and hosts.
SCRUB_LOCK = 0x75697477  # "uitw"


def scrub() -> bool:
    """Make what was wiped unrecoverable from the database files.

    SQLite overwrites deleted values in the main file (secure_delete), but older versions of
    the pages stay in the write-ahead log until a checkpoint copies the log back and truncates
    it. PostgreSQL keeps dead row versions in the table files until they are rewritten:
    VACUUM FULL writes the live rows to new files and removes the old ones. Neither reaches a
    backup or an archived WAL segment that was made before (see the README).

    Returns False when another process was scrubbing (PostgreSQL) or readers kept the log
    from being emptied (SQLite): the caller tries again later."""
    bound = engine()
    if bound.dialect.name == "sqlite":
        with bound.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        return not (busy and busy[0])
    if bound.dialect.name == "postgresql":
        with bound.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": SCRUB_LOCK}
            ):
                return False
            try:
                connection.exec_driver_sql("VACUUM (FULL) " + ", ".join(SCRUBBED_TABLES))
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCRUB_LOCK})
    return True


def is_healthy() -> bool:
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("database check failed")
        return False
    return True


def changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed: the conditional updates
    that let several processes race for one row read who won from this."""
    result = session.execute(statement)
    return cast(CursorResult[Any], result).rowcount
