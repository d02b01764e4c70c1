"""Migration 0005: analysts made at a care partner move to the site's owner; nobody else moves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

import databases
from conftest import migrate, unmigrated_app
from uitweg import db

AT = dt.datetime(2026, 11, 24, 10, 0)


def _member(connection, member_id: str, role: str) -> None:
    connection.execute(
        text(
            "INSERT INTO staff_member (id, partner, email, role, language, password_hash, "
            "totp_secret, totp_last_step, public_key, private_key_wrapped, created_at) VALUES "
            "(:id, 'kompas', :email, :role, 'nl', 'x', :blob, 0, :blob, :blob, :at)"
        ),
        {
            "id": member_id,
            "email": f"{member_id}@kompas.example",
            "role": role,
            "blob": b"x",
            "at": AT,
        },
    )


def test_analysts_move_to_the_owner_and_partner_staff_stay(tmp_path) -> None:
    with databases.fresh_database(tmp_path) as url:
        app = unmigrated_app(tmp_path, DATABASE_URL=url)
        migrate(app, "0004")
        with app.app_context(), db.engine().begin() as connection:
            _member(connection, "ana", "analyst")
            _member(connection, "cor", "coordinator")
        migrate(app, "0005")
        with app.app_context(), db.engine().begin() as connection:
            rows = dict(connection.execute(text("SELECT id, partner FROM staff_member")).all())
    assert rows == {"ana": "owner", "cor": "kompas"}
