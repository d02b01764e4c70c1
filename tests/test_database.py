"""The same behaviour on SQLite and PostgreSQL; the schema always comes from the migrations."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import databases
from conftest import make_app, migrate, unmigrated_app
from uitweg.models import Base


def test_the_suite_runs_on_the_database_this_leg_names(app) -> None:
    dialect = app.extensions["db_engine"].dialect.name
    assert dialect == ("postgresql" if databases.on_postgres() else "sqlite")


def test_the_database_connection_is_set_up_for_its_kind(tmp_path) -> None:
    if databases.on_postgres():
        app = make_app(tmp_path)
        with app.extensions["db_engine"].connect() as connection:
            assert connection.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
        return
    app = make_app(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with app.extensions["db_engine"].connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def revisions(app) -> list[str]:
    from uitweg.cli import alembic_config

    with app.app_context():
        script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def schema_differences(app) -> list:
    with app.extensions["db_engine"].connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_upgrading_from_empty_and_from_every_revision_gives_the_models_schema(tmp_path) -> None:
    probe = make_app(tmp_path / "probe", DATABASE_URL="sqlite://")
    starts = [None, *revisions(probe)]
    for start in starts:
        with databases.fresh_database(tmp_path) as url:
            app = unmigrated_app(tmp_path / f"from-{start}", DATABASE_URL=url)
            if start is not None:
                migrate(app, start)
            migrate(app, "head")
            assert schema_differences(app) == [], f"upgrading from {start or 'empty'}"
            tables = set(inspect(app.extensions["db_engine"]).get_table_names())
            assert tables == {"alembic_version", *Base.metadata.tables}
            app.extensions["db_engine"].dispose()


def test_flask_db_upgrade_creates_the_schema_from_an_empty_database(tmp_path) -> None:
    with databases.fresh_database(tmp_path) as url:
        app = unmigrated_app(tmp_path, DATABASE_URL=url)
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "alembic_version" in inspect(app.extensions["db_engine"]).get_table_names()
        app.extensions["db_engine"].dispose()


def test_healthz_answers_on_this_database(client) -> None:
    assert client.get("/healthz").status_code == 200
    assert os.environ.get("DATABASE_URL", "sqlite").split(":")[0] in {"sqlite", "postgresql"}


def test_a_development_checkout_brings_its_database_up_to_date_at_start(
    monkeypatch, tmp_path
) -> None:
    from uitweg import create_app

    monkeypatch.setenv("UITWEG_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    app = create_app({"INSTANCE_DIR": tmp_path / "instance"})
    with app.app_context():
        tables = set(inspect(app.extensions["db_engine"]).get_table_names())
    assert {"callback_request", "staff_member", "alembic_version"} <= tables
