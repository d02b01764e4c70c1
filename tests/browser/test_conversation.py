"""A written conversation in real browsers, with the keyboard alone and without JavaScript: the
visitor asks and writes the code down, the partner is told and answers in the inbox, the visitor
reads the answer with the code and writes back, staff close it; retention then leaves nothing
readable and the statistics count it. Every state of both sides passes the gates."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from browser.conftest import visit
from browser.keyboard import complete_form
from browser.test_every_page import report
from browser.test_partner_pages import enrol_with_keyboard, every_gate, log_in_with_keyboard
from partners.staff import admit, invite
from uitweg import db, mail
from uitweg.intake import retention
from uitweg.models import CallbackRequest, ConversationMessage, OutboxMessage
from uitweg.outreach.report import report as statistics

QUESTION = {
    "asking": "myself",
    "topics": True,
    "municipality": "Vaartstad",
    "message": "Ik wil stoppen maar durf niet te bellen. <b>Kan dat</b> ook zo?",
    "alias": "Jay",
    "consent": True,
}
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _row(app) -> CallbackRequest:
    with app.app_context(), db.session() as session:
        return session.scalars(
            select(CallbackRequest)
            .where(CallbackRequest.kind == "written")
            .order_by(CallbackRequest.created_at.desc())
        ).first()


def test_a_whole_written_conversation_by_keyboard_on_both_sides(site, open_page) -> None:
    states: dict[str, list[str]] = {}
    visitor = open_page("about:blank", bypass_csp=True, wait=False)
    visit(visitor, site.url("/nl/callback/write"))
    states["visitor: form"] = every_gate(visitor, site.base_url)
    complete_form(visitor, QUESTION, action="/nl/callback/write")
    shown = visitor.inner_text(".reference-box")
    code = CODE.search(shown.replace("\n", "")).group(0)
    assert "Schrijf deze code nu op" in shown
    assert code not in visitor.url and visitor.context.cookies() == []
    states["visitor: code shown"] = every_gate(visitor, site.base_url)

    row = _row(site.app)
    partner = row.partner
    with site.app.app_context(), db.session() as session:
        told = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.request_id == row.id)
        ).all()
    assert told == [mail.NEW_QUESTION]

    email = f"schrijver@{partner}.example"
    staff = open_page("about:blank", bypass_csp=True, wait=False)
    path = invite(site.app, partner, email)
    visit(staff, site.url(path))
    secret = enrol_with_keyboard(staff, site, path)
    admit(site.app, email)
    log_in_with_keyboard(staff, email, secret)
    page = f"/partner/requests/{row.id}"
    assert page in staff.content()
    assert "Schriftelijk (nieuw bericht)" in staff.inner_text("table.inbox")
    visit(staff, site.url(page))
    complete_form(staff, {}, action=f"{page}/claim")
    states["staff: claimed"] = every_gate(staff, site.base_url)
    complete_form(staff, {}, action=f"{page}/conversation")
    assert "Kan dat</b> ook zo?" in staff.inner_text("#conversation")  # shown as text
    states["staff: conversation shown"] = every_gate(staff, site.base_url)
    complete_form(staff, {}, action=f"{page}/reply")
    states["staff: empty answer"] = every_gate(staff, site.base_url, 400)
    answer = "Ja, dat kan. Wat zou je willen dat er verandert?"
    complete_form(staff, {"message": answer}, action=f"{page}/reply")
    assert answer in staff.inner_text("#conversation")
    states["staff: answered"] = every_gate(staff, site.base_url)

    visit(visitor, site.url("/nl/callback/conversation"))
    complete_form(visitor, {"code": code.lower()}, action="/nl/callback/conversation")
    assert "Er is een antwoord voor je" in visitor.inner_text("main")
    assert answer in visitor.inner_text("ol.conversation")
    assert code not in visitor.url
    states["visitor: answer read"] = every_gate(visitor, site.base_url)
    complete_form(
        visitor,
        {"message": "Minder blowen, en weer slapen."},
        action="/nl/callback/conversation/reply",
    )
    assert "Je antwoord is verstuurd" in visitor.inner_text("main")
    states["visitor: answered"] = every_gate(visitor, site.base_url)
    assert visitor.context.cookies() == []

    visit(staff, site.url("/partner/"))
    assert "(nieuw bericht)" in staff.inner_text("table.inbox")
    visit(staff, site.url(page))
    complete_form(staff, {"outcome": "helped"}, action=f"{page}/close")
    assert staff.url == site.url("/partner/")

    # Retention, a month after the close: nothing of the conversation is left to read.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        days=site.app.extensions["content"].content.site.retention_days + 1
    )
    with site.app.app_context():
        wiped = retention.purge(later)
    assert row.id in [item.request_id for item in wiped]
    gone = _row(site.app)
    assert (gone.contact, gone.code_digest, gone.visitor_box) == (None, None, None)
    with site.app.app_context(), db.session() as session:
        left = session.scalars(
            select(ConversationMessage).where(ConversationMessage.request_id == row.id)
        ).all()
        numbers = statistics(session, {}, dt.UTC)
    assert left == []
    assert numbers.kinds["written"].requests >= 1 and numbers.kinds["written"].reached >= 1
    visit(visitor, site.url("/nl/callback/conversation"))
    complete_form(visitor, {"code": code}, action="/nl/callback/conversation")
    assert "Met deze code konden we geen gesprek openen" in visitor.inner_text("main")

    assert not any(states.values()), report(states)


def test_without_javascript_a_question_is_asked_read_and_answered(site, open_page) -> None:
    visitor = open_page(site.url("/en/callback/write"), javascript=False)
    complete_form(visitor, {**QUESTION, "message": "Only text here."}, action="/en/callback/write")
    code = CODE.search(visitor.inner_text(".reference-box").replace("\n", "")).group(0)
    complete_form(visitor, {"code": code}, action="/en/callback/conversation")
    assert "Waiting for an answer" in visitor.inner_text("main")
    complete_form(
        visitor, {"message": "And one more thing."}, action="/en/callback/conversation/reply"
    )
    assert visitor.inner_text("ol.conversation").count("You wrote") == 2
    complete_form(visitor, {"confirm": True}, action="/en/callback/conversation/end")
    assert "Your conversation has been deleted" in visitor.inner_text("main")
    assert visitor.context.cookies() == []
