"""Migration 0004: requests the server could read (an escrowed data key, or a block under the
server key from before partner keys) are sealed to partners that hold a key, moved when their
own partner holds none, and the server's copy is gone; nobody's request is silently lost."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

import databases
from conftest import migrate, unmigrated_app
from keyholders import give_keys, partner_private_key
from uitweg import db
from uitweg.config import TEST_DATA_KEY
from uitweg.intake import contact, sealing
from uitweg.models import CallbackRequest
from uitweg.privacy import Vault

AT = dt.datetime(2026, 11, 24, 10, 0)
VAULT = Vault([TEST_DATA_KEY.encode()])


def _insert(connection, request_id: str, partner: str, contact_: bytes, scheme: int, escrow):
    connection.execute(
        text(
            "INSERT INTO callback_request (id, reference, submission, created_at, status, "
            "partner, rule, topics, asking, municipality, language, expected_from, expected_by, "
            "contact, contact_scheme, contact_escrow, attempts, forwards) VALUES (:id, :ref, :id, "
            ":at, 'received', :partner, 'default', 'debt', 'myself', 'Heideveen', 'nl', :at, "
            ":at, :contact, :scheme, :escrow, 0, 0)"
        ),
        {
            "id": request_id,
            "ref": request_id[:16],
            "at": AT,
            "partner": partner,
            "contact": contact_,
            "scheme": scheme,
            "escrow": escrow,
        },
    )


def _app_at_0003(tmp_path, url):
    app = unmigrated_app(tmp_path, DATABASE_URL=url)
    migrate(app, "0003")
    # Kompas holds a key; Geldpunt (whose fallback is kompas) has nobody.
    give_keys(app, ["kompas"])
    escrow_key = sealing.new_data_key()
    with app.app_context(), db.engine().begin() as connection:
        _insert(
            connection,
            "a" * 32,
            "geldpunt-heideveen",
            sealing.encrypt_block(escrow_key, {"alias": "Escrow"}),
            2,
            VAULT.lock(escrow_key),
        )
        _insert(connection, "b" * 32, "kompas", VAULT.seal({"alias": "Oud"}), 1, None)
    return app


def test_escrowed_and_old_blocks_are_sealed_moved_and_the_server_copy_dropped(tmp_path) -> None:
    with databases.fresh_database(tmp_path) as url:
        app = _app_at_0003(tmp_path, url)
        migrate(app, "head")
        with app.app_context(), db.session() as session:
            columns = {
                c["name"] for c in inspect(session.connection()).get_columns("callback_request")
            }
            assert "contact_escrow" not in columns
            escrowed = session.get(CallbackRequest, "a" * 32)
            old = session.get(CallbackRequest, "b" * 32)
            assert (escrowed.partner, escrowed.instead_of) == ("kompas", "geldpunt-heideveen")
            assert old.contact_scheme == 2
            key = partner_private_key(app, "kompas")
            assert contact.open_block(session, escrowed, "kompas", key) == {"alias": "Escrow"}
            assert contact.open_block(session, old, "kompas", key) == {"alias": "Oud"}
            rerouted = session.execute(
                text("SELECT partner, detail FROM audit_event WHERE action = 'rerouted'")
            ).all()
        assert [tuple(r) for r in rerouted] == [("geldpunt-heideveen", "kompas")]
        app.extensions["db_engine"].dispose()


def test_the_upgrade_stops_when_nobody_could_open_a_waiting_request(tmp_path, monkeypatch) -> None:
    with databases.fresh_database(tmp_path) as url:
        app = unmigrated_app(tmp_path, DATABASE_URL=url)
        migrate(app, "0003")
        key = sealing.new_data_key()
        with app.app_context(), db.engine().begin() as connection:
            block = sealing.encrypt_block(key, {"alias": "Niemand"})
            _insert(connection, "c" * 32, "geldpunt-heideveen", block, 2, VAULT.lock(key))
        with pytest.raises(RuntimeError, match="Enrol a person"):
            migrate(app, "head")
        monkeypatch.setenv("UITWEG_MIGRATE_CLOSE_UNREADABLE", "1")
        migrate(app, "head")
        with app.app_context(), db.session() as session:
            row = session.get(CallbackRequest, "c" * 32)
            assert row.contact is None and row.status == "closed" and row.outcome == "expired"
        app.extensions["db_engine"].dispose()
