"""UITWEG_DATA_KEY: several keys while rotating; `flask keys rotate` re-encrypts with the first.
The server key holds only staff TOTP secrets (a second factor): never a contact detail."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from conftest import make_app
from partners.staff import login, staff_member
from uitweg import db
from uitweg.models import StaffMember
from uitweg.privacy import Vault

EMAIL = "anna@kompas.example"


def stored_totp(app) -> bytes:
    with app.app_context(), db.session() as session:
        return session.scalars(
            select(StaffMember.totp_secret).where(StaffMember.email == EMAIL)
        ).one()


def test_a_new_key_first_still_reads_old_secrets_and_rotate_moves_them(tmp_path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    app = make_app(tmp_path, key_holders=False, DATA_KEY=old, DATABASE_URL=url)
    staff = staff_member(app, "kompas", EMAIL)
    before = stored_totp(app)

    rotated_app = make_app(tmp_path, key_holders=False, DATA_KEY=f"{new}, {old}", DATABASE_URL=url)
    rotated_app.config["NOW"] = app.config["NOW"]
    result = rotated_app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "re-encrypted 1 value(s)" in result.output
    after = stored_totp(rotated_app)
    assert after != before
    assert Vault([new.encode()]).unlock(after) == Vault([old.encode()]).unlock(before)
    with pytest.raises(InvalidToken):
        Vault([old.encode()]).unlock(after)
    # The second factor still works after the rotation.
    response = login(rotated_app, rotated_app.test_client(), EMAIL, staff.secret)
    assert response.status_code == 303


def test_flask_keys_new_prints_a_usable_key(runner) -> None:
    key = runner.invoke(args=["keys", "new"]).output.strip()
    assert Vault([key.encode()]).open(Vault([key.encode()]).seal({"a": 1})) == {"a": 1}
