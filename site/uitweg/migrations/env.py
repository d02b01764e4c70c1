"""Alembic environment: runs against the app's engine, with the models' metadata."""

from alembic import context
from flask import current_app

from uitweg.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = current_app.extensions["db_engine"]
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
