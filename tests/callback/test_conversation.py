"""A written conversation through HTTP: asked without a phone number, answered by the partner
in its inbox, read and answered with the code, ended by either side; the code is the only key
and goes nowhere but the visitor's screen."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

from callback.forms import hidden_fields
from callback.written import WRITTEN, ask, ask_for_code, code_on, messages, open_conversation
from conftest import make_app
from pagecheck import check_html
from partners.staff import START, request_ids, staff_member, tick
from uitweg import db, mail
from uitweg.intake import codes, retention
from uitweg.models import AuditEvent, CallbackRequest, ConversationMessage, OutboxMessage
from uitweg.outreach.report import report

PARTNER = "geldpunt-heideveen"  # where the sample routing sends a debt question from Heideveen


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=START)


def _rows(app, model=CallbackRequest) -> list:
    with app.app_context(), db.session() as session:
        return list(session.scalars(select(model)))


def _outbox_kinds(app) -> list[str]:
    return [m.kind for m in _rows(app, OutboxMessage)]


def _text(response) -> str:
    return " ".join(check_html(response.get_data(as_text=True)).itertext())


def test_a_whole_conversation_from_question_to_deletion_is_counted(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor, message="Kan ik <b>anoniem</b> hulp krijgen?")
    [row] = _rows(app)
    assert (row.kind, row.partner, row.status, row.waiting_for) == (
        "written",
        PARTNER,
        "received",
        "partner",
    )
    assert _outbox_kinds(app) == [mail.NEW_QUESTION]
    with app.app_context():
        sent = mail.build(_rows(app, OutboxMessage)[0])
    assert "schriftelijke vraag" in sent["Subject"] and "anoniem" not in sent.get_content()

    worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
    page = f"/partner/requests/{row.id}"
    inbox = worker.client.get("/partner/")
    assert request_ids(inbox.get_data(as_text=True)) == [row.id]
    assert "Schriftelijk" in _text(inbox) and "(nieuw bericht)" in _text(inbox)
    assert worker.post(f"{page}/claim", page=page).status_code == 303
    shown = worker.post(f"{page}/conversation", page=page)
    assert messages(shown) == ["Kan ik &lt;b&gt;anoniem&lt;/b&gt; hulp krijgen?"]
    at = tick(app, 600)
    answered = worker.post(f"{page}/reply", page=page, message="Ja, dat kan. <i>Welkom</i>.")
    assert answered.status_code == 200
    assert messages(answered)[-1] == "Ja, dat kan. &lt;i&gt;Welkom&lt;/i&gt;."

    read = open_conversation(visitor, code.lower().replace("-", " "))
    assert read.status_code == 200
    assert "Er is een antwoord voor je" in _text(read)
    assert messages(read) == [
        "Kan ik &lt;b&gt;anoniem&lt;/b&gt; hulp krijgen?",
        "Ja, dat kan. &lt;i&gt;Welkom&lt;/i&gt;.",
    ]
    form = hidden_fields(read.get_data(as_text=True))
    assert codes.normalise(form["code"]) == codes.normalise(code)
    tick(app)
    again = visitor.post("/nl/callback/conversation/reply", data={**form, "message": "Dank je."})
    assert again.status_code == 200 and messages(again)[-1] == "Dank je."
    assert _outbox_kinds(app) == [mail.NEW_QUESTION, mail.NEW_MESSAGE]
    assert _rows(app)[0].waiting_for == "partner"

    closed = worker.post(f"{page}/close", page=page, outcome="helped")
    assert closed.status_code == 303
    ended = open_conversation(visitor, code)
    assert "Dit gesprek is afgelopen" in _text(ended) and len(messages(ended)) == 3
    assert 'action="/nl/callback/conversation/reply"' not in ended.get_data(as_text=True)
    actions = [e.action for e in _rows(app, AuditEvent) if e.request_id == row.id]
    assert actions.count("replied") == 1 and "conversation-shown" in actions

    # Retention: the conversation goes with the contact block; the counts stay.
    app.config["NOW"] = at + dt.timedelta(days=31)
    with app.app_context():
        wiped = retention.purge(app.config["NOW"])
    assert [item.request_id for item in wiped] == [row.id]
    [row] = _rows(app)
    assert row.contact is None and row.visitor_box is None and row.code_digest is None
    assert _rows(app, ConversationMessage) == []
    assert open_conversation(visitor, code).status_code == 404
    with app.app_context(), db.session() as session:
        numbers = report(session, {}, dt.UTC)
    written = numbers.kinds["written"]
    assert (written.requests, written.reached) == (1, 1)
    assert written.waits == [row.answered_at - row.created_at]
    assert row.answered_at - row.created_at > dt.timedelta(minutes=10)


def test_the_visitor_ends_the_conversation_and_it_is_gone_at_once(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor)
    page = open_conversation(visitor, code)
    form = hidden_fields(page.get_data(as_text=True))
    refused = visitor.post("/nl/callback/conversation/end", data=form)  # the box not ticked
    assert refused.status_code == 400 and len(_rows(app, ConversationMessage)) == 1
    done = visitor.post("/nl/callback/conversation/end", data={**form, "confirm": "y"})
    assert done.status_code == 200 and "Je gesprek is gewist" in _text(done)
    [row] = _rows(app)
    assert (row.status, row.contact, row.code_digest, row.visitor_key) == (
        "cancelled",
        None,
        None,
        None,
    )
    assert _rows(app, ConversationMessage) == []
    assert open_conversation(visitor, code).status_code == 404


def test_the_code_has_80_bits_and_is_read_back_however_it_is_typed() -> None:
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(code) == 16 and set(code) <= set(codes.ALPHABET) for code in made)
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**80
    code = "7KQM3XDW9HPTR2NA"
    for typed in ("7kqm-3xdw-9hpt-r2na", " 7KQM 3XDW 9HPT R2NA ", "7KQM—3XDW.9HPT-R2NA"):
        assert codes.normalise(typed) == code
    assert codes.normalise("7KQM-3XDW-9HPT-R2N0") != codes.normalise("7KQM-3XDW-9HPT-R2NO") or (
        codes.normalise("O1IL" * 4) == "0111" * 4
    )
    assert codes.normalise("7KQM-3XDW-9HPT-R2N") is None
    assert codes.normalise("7KQM-3XDW-9HPT-R2NU") is None  # U is not in the alphabet
    assert codes.display(code) == "7KQM-3XDW-9HPT-R2NA"


def test_the_same_form_sent_twice_makes_one_conversation_and_shows_the_same_code(app) -> None:
    client = app.test_client()
    hidden = hidden_fields(client.get("/nl/callback/write").get_data(as_text=True))
    first = code_on(ask(client, hidden=hidden))
    second = code_on(ask(client, hidden=hidden))
    assert first == second and len(_rows(app)) == 1
    assert len(_rows(app, ConversationMessage)) == 1
    other = ask_for_code(client)
    assert other != first and len(_rows(app)) == 2


def test_one_code_opens_only_its_own_conversation(app) -> None:
    client = app.test_client()
    mine = ask_for_code(client, message="Vraag van mij")
    theirs = ask_for_code(client, message="Vraag van iemand anders")
    assert messages(open_conversation(client, mine)) == ["Vraag van mij"]
    assert messages(open_conversation(client, theirs)) == ["Vraag van iemand anders"]
    # An answer goes to the conversation of the code it carries, and nowhere else.
    sent = client.post(
        "/nl/callback/conversation/reply", data={"code": mine, "message": "Nog een vraag"}
    )
    assert messages(sent) == ["Vraag van mij", "Nog een vraag"]
    assert messages(open_conversation(client, theirs)) == ["Vraag van iemand anders"]
    # A callback's reference code is not a conversation code, nor the other way round.
    assert open_conversation(client, "ACDEF-34679").status_code == 404


@pytest.mark.parametrize("action", ["", "/reply", "/end"])
def test_wrong_codes_get_one_answer_and_are_limited_per_client(tmp_path, action) -> None:
    app = make_app(tmp_path, NOW=START, CODE_FAILURE_LIMIT="3 per hour")
    client = app.test_client()
    code = ask_for_code(client)
    path = f"/nl/callback/conversation{action}"
    data = {"message": "hallo", "confirm": "y"}
    answers = [
        client.post(path, data={**data, "code": wrong})
        for wrong in ("0000-0000-0000-0000", "kort", "7KQM-3XDW-9HPT-R2NA")
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert len({_text(a) for a in answers}) == 1  # malformed and unknown look the same
    # The right code too is refused now, from this client; another client still gets in.
    assert client.post(path, data={**data, "code": code}).status_code == 429
    other = app.test_client()
    environ = {"REMOTE_ADDR": "198.51.100.9"}
    assert (
        other.post(
            "/nl/callback/conversation", data={"code": code}, environ_base=environ
        ).status_code
        == 200
    )


def test_guessing_spread_over_many_clients_meets_a_ceiling_for_everyone(tmp_path) -> None:
    app = make_app(
        tmp_path,
        NOW=START,
        CODE_FAILURE_LIMIT="100 per hour",
        CODE_FAILURE_GLOBAL_LIMIT="4 per hour",
    )
    client = app.test_client()
    code = ask_for_code(client)
    for index in range(4):
        environ = {"REMOTE_ADDR": f"198.51.100.{index}"}
        wrong = client.post(
            "/nl/callback/conversation", data={"code": "0" * 16}, environ_base=environ
        )
        assert wrong.status_code == 404
    fresh = {"REMOTE_ADDR": "203.0.113.50"}
    blocked = client.post("/nl/callback/conversation", data={"code": code}, environ_base=fresh)
    assert blocked.status_code == 429 and "Te vaak geprobeerd" in _text(blocked)


def test_the_code_is_never_in_a_url_a_cookie_a_log_line_or_the_database(app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    response = ask(client)
    code = code_on(response)
    plain = codes.normalise(code)
    worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
    [row] = _rows(app)
    page = f"/partner/requests/{row.id}"
    worker.post(f"{page}/conversation", page=page)
    worker.post(f"{page}/reply", page=page, message="Hallo")
    answers = [
        response,
        open_conversation(client, code),
        client.post("/nl/callback/conversation/reply", data={"code": code, "message": "Hoi"}),
        client.post("/nl/callback/conversation/end", data={"code": code, "confirm": "y"}),
    ]
    spellings = {code, plain, code.lower(), plain.lower()}
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-store"
        headers = " ".join(f"{k}: {v}" for k, v in answer.headers.items())
        assert not any(s in headers for s in spellings), headers  # no cookie, no Location
        root = check_html(answer.get_data(as_text=True))
        for link in [*root.iter("a"), *root.iter("form")]:
            target = link.get("href") or link.get("action") or ""
            assert not any(s in target for s in spellings), target
    assert not any(s in caplog.text for s in spellings)
    assert client.get_cookie("session") is None
    with app.app_context(), db.engine().connect() as connection:
        from uitweg.models import Base

        stored = " ".join(
            str(value)
            for table in Base.metadata.sorted_tables
            for row in connection.execute(table.select())
            for value in row
        )
    assert not any(s in stored for s in spellings)


def test_bad_answers_keep_what_was_typed_and_store_nothing(app) -> None:
    client = app.test_client()
    message = "Mijn vraag, met een <script>alert(1)</script> erin"
    response = ask(client, consent=None, message=message, alias="\u202eNoor")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vink dit vakje aan om je vraag te versturen." in html
    assert "Mijn vraag, met een &lt;script&gt;alert(1)&lt;/script&gt; erin" in html
    assert "<script>alert(1)" not in html
    assert _rows(app) == []
    empty = ask(client, message="")
    assert empty.status_code == 400 and "Schrijf je vraag of bericht." in _text(empty)
    long = ask(client, message="x" * 2001)
    assert long.status_code == 400 and "Gebruik hooguit 2000 tekens (nu 2001)" in _text(long)
    assert _rows(app) == []


def test_an_empty_or_overlong_answer_is_refused_and_the_conversation_stays(app) -> None:
    client = app.test_client()
    code = ask_for_code(client)
    for message, status in (("", 400), ("y" * 2001, 400)):
        answer = client.post(
            "/nl/callback/conversation/reply", data={"code": code, "message": message}
        )
        assert answer.status_code == status
        assert len(messages(answer)) == 1  # the conversation is still shown
    with app.app_context(), db.session() as session:
        assert session.scalar(select(func.count()).select_from(ConversationMessage)) == 1


def test_the_written_form_works_in_english_with_the_same_routing(app) -> None:
    client = app.test_client()
    page = client.get("/en/callback/write")
    assert page.status_code == 200 and "Ask in writing" in _text(page)
    assert page.headers["Cache-Control"] == "no-store"
    code = ask_for_code(client, lang="en", message="Can I ask in English?", language="en")
    read = client.post("/en/callback/conversation", data={"code": code})
    assert "Waiting for an answer" in _text(read)
    assert messages(read) == ["Can I ask in English?"]
    assert WRITTEN["municipality"] == _rows(app)[0].municipality


def test_the_visitor_asks_to_be_called_after_all_and_only_the_partner_sees_the_number(
    app,
) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor)
    page = open_conversation(visitor, code)
    assert "We antwoorden alleen hier, schriftelijk." in _text(page)
    wrong = visitor.post(
        "/nl/callback/conversation/preferences",
        data={"code": code, "route": "call", "phone": "06 1234", "days": ["mo"]},
    )
    assert wrong.status_code == 400
    assert "Dit is geen nummer dat we kunnen bellen" in _text(wrong)
    assert 'value="06 1234"' in wrong.get_data(as_text=True)  # what was typed stays
    saved = visitor.post(
        "/nl/callback/conversation/preferences",
        data={"code": code, "route": "call", "phone": "06 1234 5678", "days": ["mo"]},
    )
    assert saved.status_code == 200 and "Je koos: Bel mij." in _text(saved)
    [row] = _rows(app)
    assert row.contact is not None and b"612345678" not in row.contact

    worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
    path = f"/partner/requests/{row.id}"
    worker.post(f"{path}/claim", page=path)
    shown = worker.post(f"{path}/conversation", page=path).get_data(as_text=True)
    assert 'href="tel:+31612345678"' in shown and "maandag" in shown
    back = visitor.post(
        "/nl/callback/conversation/preferences", data={"code": code, "route": "written"}
    )
    assert "We antwoorden alleen hier, schriftelijk." in _text(back)
    shown = worker.post(f"{path}/conversation", page=path).get_data(as_text=True)
    assert "tel:" not in shown


def test_a_visitor_who_asks_for_it_gets_a_bare_notice_and_can_stop_it(tmp_path) -> None:
    from callback.smtp import smtp_server

    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, NOW=START, MAIL_URL=mail_url)
        visitor = app.test_client()
        code = ask_for_code(visitor, message="Mijn vraag over Heideveen")
        address = "mij@voorbeeld.nl"
        saved = visitor.post(
            "/nl/callback/conversation/preferences",
            data={"code": code, "route": "written", "notify": "mij@Voorbeeld.NL"},
        )
        assert saved.status_code == 200 and address in _text(saved)
        worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
        [row] = _rows(app)
        path = f"/partner/requests/{row.id}"
        worker.post(f"{path}/claim", page=path)
        worker.post(f"{path}/reply", page=path, message="Hallo, Geldpunt hier.")
        [notice] = [m for m in _rows(app, OutboxMessage) if m.kind == mail.VISITOR_NOTICE]
        assert notice.recipient is not None and address.encode() not in notice.recipient
        with app.app_context():
            assert mail.deliver_due().sent == 2  # the partner's new question, and the notice
        sent = next(m for m in inbox.wait_for(2) if m["To"] == address)
        body = sent.get_payload(decode=True).decode()
        assert "/nl/callback/conversation" in body
        for private in ("Geldpunt", "Heideveen", "Hallo", code, "Uitweg", "schuld"):
            assert private not in body and private not in str(sent["Subject"])
        assert [m.recipient for m in _rows(app, OutboxMessage)] == [None, None]

        # Emptied: no notice for the next answer.
        visitor.post(
            "/nl/callback/conversation/preferences",
            data={"code": code, "route": "written", "notify": ""},
        )
        tick(app)
        worker.post(f"{path}/reply", page=path, message="Nog een antwoord.")
        notices = [m for m in _rows(app, OutboxMessage) if m.kind == mail.VISITOR_NOTICE]
        assert len(notices) == 1


def test_a_waiting_notice_loses_its_address_when_the_conversation_ends(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor)
    visitor.post(
        "/nl/callback/conversation/preferences",
        data={"code": code, "route": "written", "notify": "mij@voorbeeld.nl"},
    )
    worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
    [row] = _rows(app)
    path = f"/partner/requests/{row.id}"
    worker.post(f"{path}/claim", page=path)
    worker.post(f"{path}/reply", page=path, message="Hallo")
    assert any(m.recipient for m in _rows(app, OutboxMessage))
    visitor.post("/nl/callback/conversation/end", data={"code": code, "confirm": "y"})
    assert not any(m.recipient for m in _rows(app, OutboxMessage))
    with app.app_context():
        report = mail.deliver_due()
    assert report.failed == 0
    assert all(m.sent_at is not None for m in _rows(app, OutboxMessage))


def test_a_notice_that_cannot_be_delivered_for_a_day_is_dropped_with_its_address(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor)
    visitor.post(
        "/nl/callback/conversation/preferences",
        data={"code": code, "route": "written", "notify": "mij@voorbeeld.nl"},
    )
    worker = staff_member(app, PARTNER, "hulp@geldpunt.example")
    [row] = _rows(app)
    path = f"/partner/requests/{row.id}"
    worker.post(f"{path}/claim", page=path)
    worker.post(f"{path}/reply", page=path, message="Hallo")
    app.config["NOW"] = app.config["NOW"] + mail.NOTICE_TTL + dt.timedelta(minutes=1)
    with app.app_context():
        mail.deliver_due()
    [notice] = [m for m in _rows(app, OutboxMessage) if m.kind == mail.VISITOR_NOTICE]
    assert notice.recipient is None and notice.sent_at is not None


def test_a_forwarded_conversation_is_read_and_answered_at_the_new_partner(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor, message="Eigenlijk gaat het over drugs")
    [row] = _rows(app)
    first = staff_member(app, PARTNER, "hulp@geldpunt.example")
    path = f"/partner/requests/{row.id}"
    first.post(f"{path}/claim", page=path)
    moved = first.post(f"{path}/forward", page=path, partner="kompas", reason="other-topic")
    assert moved.status_code == 303
    assert _outbox_kinds(app) == [mail.NEW_QUESTION, mail.NEW_QUESTION]
    assert first.client.get(path).status_code == 404  # no longer theirs
    second = staff_member(app, "kompas", "hulp@kompas.example")
    shown = second.post(f"{path}/conversation", page=path)
    assert messages(shown) == ["Eigenlijk gaat het over drugs"]
    second.post(f"{path}/reply", page=path, message="Kompas hier, welkom.")
    assert messages(open_conversation(visitor, code))[-1] == "Kompas hier, welkom."


def test_a_written_question_nobody_takes_escalates_and_the_fallback_reads_it(app) -> None:
    visitor = app.test_client()
    code = ask_for_code(visitor, message="Is er iemand?")
    [row] = _rows(app)
    app.config["NOW"] = row.escalate_at + dt.timedelta(minutes=1)
    result = app.test_cli_runner().invoke(args=["maintenance"])
    assert "escalated 1" in result.output, result.output
    [moved] = _rows(app)
    assert moved.partner != row.partner and moved.status == "received"
    assert _outbox_kinds(app)[-1] == mail.NEW_QUESTION
    fallback = staff_member(app, moved.partner, "achtervang@example.org")
    path = f"/partner/requests/{row.id}"
    shown = fallback.post(f"{path}/conversation", page=path)
    assert messages(shown) == ["Is er iemand?"]
    fallback.post(f"{path}/reply", page=path, message="Ja, wij nemen het over.")
    assert messages(open_conversation(visitor, code))[-1] == "Ja, wij nemen het over."
