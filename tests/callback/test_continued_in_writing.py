"""A callback request whose calls failed goes on in writing: the partner leaves a message, the
visitor reads it on the status page with the reference code and writes back; the server keeps
the code only as a digest, and cancelling deletes the messages with the contact details."""

from __future__ import annotations

import re

from sqlalchemy import select

from callback.forms import hidden_fields, reference_on, submit
from callback.written import messages
from conftest import make_app
from pagecheck import check_html
from partners.staff import START, staff_member, tick
from uitweg import db, mail
from uitweg.models import CallbackRequest, ConversationMessage, OutboxMessage


def _text(response) -> str:
    return " ".join(check_html(response.get_data(as_text=True)).itertext())


def test_the_partner_writes_after_failed_calls_and_the_reference_code_reads_it(tmp_path) -> None:
    path = tmp_path / "live.sqlite3"
    app = make_app(tmp_path, NOW=START, DATABASE_URL=f"sqlite:///{path}")
    visitor = app.test_client()
    reference = reference_on(submit(visitor, alias="Wielewaal"))
    with app.app_context(), db.session() as session:
        row = session.scalars(select(CallbackRequest)).one()
    assert row.reference != reference and row.code_digest and row.visitor_box

    worker = staff_member(app, row.partner, "bellen@geldpunt.example")
    page = f"/partner/requests/{row.id}"
    worker.post(f"{page}/claim", page=page)
    for _ in range(3):
        tick(app, 600)
        worker.post(f"{page}/attempt", page=page, result="no-answer")
    before = worker.client.get(page).get_data(as_text=True)
    assert "Toon de contactgegevens om een bericht achter te laten" in before
    shown = worker.post(f"{page}/contact", page=page)
    assert "Wielewaal" in shown.get_data(as_text=True)
    assert f'action="{page}/reply"' in shown.get_data(as_text=True)
    note = "We hebben je drie keer gebeld. Schrijf hier gerust wanneer het beter uitkomt."
    written = worker.post(f"{page}/reply", page=page, message=note)
    assert written.status_code == 200 and messages(written) == [note]
    assert "Wielewaal" in written.get_data(as_text=True)  # the contact details stay in view

    status = visitor.post("/nl/callback/status", data={"code": reference.lower()})
    assert status.status_code == 200
    assert "Berichten over je vraag" in _text(status) and messages(status) == [note]
    form = hidden_fields(status.get_data(as_text=True))
    assert form["code"] == reference
    tick(app)
    answer = visitor.post(
        "/nl/callback/conversation/reply", data={**form, "message": "Na acht uur 's avonds."}
    )
    assert answer.status_code == 200 and "Je antwoord is verstuurd" in _text(answer)
    assert messages(answer) == [note, "Na acht uur &#39;s avonds."]
    assert "Berichten over je vraag" in _text(answer)  # still the status page
    with app.app_context(), db.session() as session:
        kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == [mail.NEW_REQUEST, mail.NEW_MESSAGE]
    shown = worker.post(f"{page}/contact", page=page)
    assert messages(shown)[-1] == "Na acht uur &#39;s avonds."

    with app.app_context():
        db.engine().dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("live.sqlite3*"))
    for secret in (reference, "drie keer gebeld", "acht uur", "Wielewaal"):
        assert secret.encode() not in raw

    # Cancelling deletes the messages with the contact details; the code still shows that.
    cancel = visitor.post("/nl/callback/cancel", data={"code": reference, "confirm": "y"})
    assert cancel.status_code == 200
    with app.app_context(), db.session() as session:
        assert session.scalars(select(ConversationMessage)).all() == []
    again = visitor.post("/nl/callback/status", data={"code": reference})
    assert again.status_code == 200 and "Ingetrokken" in _text(again)
    assert messages(again) == []


def test_a_callback_without_messages_shows_no_message_form(app) -> None:
    client = app.test_client()
    reference = reference_on(submit(client))
    status = client.post("/nl/callback/status", data={"code": reference})
    html = status.get_data(as_text=True)
    assert status.status_code == 200
    assert "/nl/callback/conversation/reply" not in html
    assert re.search(r'action="/nl/callback/cancel"', html)
