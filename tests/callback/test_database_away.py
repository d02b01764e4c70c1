"""The database away: the forms still open, a submit says to try again and keeps what was
typed, and the same form goes through once the database is back. Never a 500."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from callback.forms import field_values, hidden_fields, submit
from callback.written import ask

FORMS = {"callback": "/nl/callback", "written": "/nl/callback/write"}


@contextmanager
def database_away(app: Flask):
    """Every query fails as with a database server that is down, until the block ends."""
    working = app.extensions["db_engine"], app.extensions["db_sessionmaker"]
    away = create_engine("sqlite:////nonexistent/dir/db.sqlite3")
    app.extensions["db_engine"], app.extensions["db_sessionmaker"] = away, sessionmaker(away)
    try:
        yield
    finally:
        app.extensions["db_engine"], app.extensions["db_sessionmaker"] = working


@pytest.mark.parametrize("kind", FORMS)
def test_a_form_opens_and_keeps_what_was_typed_while_the_database_is_away(app, kind) -> None:
    app.testing = False  # an exception would be a 500 page, as in production, not raised here
    client = app.test_client()
    send = submit if kind == "callback" else ask

    with database_away(app):
        page = client.get(FORMS[kind])
        refused = send(client, hidden=hidden_fields(page.get_data(as_text=True)), alias="Robin")

    assert page.status_code == 200 and 'name="token"' in page.get_data(as_text=True)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503
    assert "Probeer het over een minuut opnieuw" in html
    assert field_values(html)["alias"] == ["Robin"]
    again = send(client, hidden=hidden_fields(html), alias="Robin")
    assert again.status_code == 200
