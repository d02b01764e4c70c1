"""`flask partners disable`: the site owner's editors, publishers and analysts have no admin of
their own, so the server's operator closes their accounts; the sessions end at once."""

from __future__ import annotations

from sqlalchemy import select

from conftest import make_app
from partners.staff import START, staff_member
from uitweg import db
from uitweg.models import AuditEvent


def test_a_disabled_editor_is_out_at_once_and_the_audit_log_says_so(tmp_path) -> None:
    app = make_app(tmp_path, NOW=START)
    editor = staff_member(app, "owner", "eva@example.org", "editor", admitted=False)
    assert editor.client.get("/beheer/").status_code == 200
    result = app.test_cli_runner().invoke(args=["partners", "disable", "Eva@Example.org"])
    assert result.exit_code == 0, result.output
    assert "disabled eva@example.org at owner" in result.output
    response = editor.client.get("/beheer/")
    assert response.status_code == 302 and "/partner/login" in response.headers["Location"]
    with app.app_context(), db.session() as session:
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.partner == "owner"))
        )
    assert "account-disabled" in actions
    again = app.test_cli_runner().invoke(args=["partners", "disable", "eva@example.org"])
    assert again.exit_code != 0 and "no active account" in again.output


def test_the_last_key_holder_of_a_partner_is_not_disabled(tmp_path) -> None:
    app = make_app(tmp_path, False, NOW=START)
    only = staff_member(app, "kompas", "bram@kompas.example", "admin")
    result = app.test_cli_runner().invoke(args=["partners", "disable", only.email])
    assert result.exit_code != 0 and "last copy" in result.output
    assert only.client.get("/partner/").status_code == 200
