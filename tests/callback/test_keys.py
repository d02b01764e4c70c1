"""UITWEG_DATA_KEY: several keys while rotating; `flask keys rotate` re-encrypts with the first."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from callback.blocks import open_stored
from callback.forms import PHONE_E164, submit
from conftest import make_app
from uitweg import db, sealing
from uitweg.models import CallbackRequest
from uitweg.privacy import Vault


def stored_escrow(app) -> tuple[bytes, bytes]:
    """The escrowed data key (no partner has a key pair in these tests) and the block."""
    with app.app_context(), db.session() as session:
        row = session.scalars(select(CallbackRequest)).one()
        return row.contact_escrow, row.contact


def test_a_new_key_first_still_reads_old_blocks_and_rotate_moves_them(tmp_path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    app = make_app(tmp_path, DATA_KEY=old, DATABASE_URL=url)
    submit(app.test_client())
    before, block = stored_escrow(app)

    rotated_app = make_app(tmp_path, DATA_KEY=f"{new}, {old}", DATABASE_URL=url)
    assert open_stored(rotated_app)["address"] == PHONE_E164
    result = rotated_app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "re-encrypted 1 value(s)" in result.output
    after, same_block = stored_escrow(rotated_app)
    assert after != before and same_block == block
    data_key = Vault([new.encode()]).unlock(after)
    assert sealing.decrypt_block(data_key, block)["address"] == PHONE_E164
    with pytest.raises(InvalidToken):
        Vault([old.encode()]).unlock(after)


def test_flask_keys_new_prints_a_usable_key(runner) -> None:
    key = runner.invoke(args=["keys", "new"]).output.strip()
    assert Vault([key.encode()]).open(Vault([key.encode()]).seal({"a": 1})) == {"a": 1}
