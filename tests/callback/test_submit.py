"""A request sent through the form is stored once, encrypted, routed, and announced by mail."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, select

import databases
from callback.blocks import open_stored
from callback.forms import PHONE_E164, VALID, field_values, open_form, reference_on, submit
from callback.smtp import smtp_server
from conftest import make_app
from pagecheck import check_html
from uitweg import db, mail
from uitweg.models import CallbackRequest, OutboxMessage

# Monday 23 November 2026, 10:00 in the Netherlands: Geldpunt Heideveen takes calls on Mondays.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def rows(app, model=CallbackRequest) -> list:
    with app.app_context(), db.session() as session:
        return list(session.scalars(select(model)))


def test_the_form_explains_the_promise_and_the_crisis_numbers_first(client) -> None:
    response = client.get("/nl/callback")
    root = check_html(response.get_data(as_text=True))
    text = " ".join(root.itertext())
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "Er gaat niets naar de politie" in text
    assert "30 dagen" in text  # when the details are deleted, from site.yaml
    assert 'href="tel:112"' in response.get_data(as_text=True)
    form = root.find(".//form[@method='post']")
    assert form.get("novalidate") is not None
    # Every visible input has a label.
    labels = {label.get("for") for label in root.iter("label")}
    for tag in ("input", "select", "textarea"):
        for field in form.iter(tag):
            if field.get("type") != "hidden":
                assert field.get("id") in labels, field.get("name")


def test_a_request_is_stored_once_encrypted_routed_and_its_mail_arrives(tmp_path) -> None:
    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, MAIL_URL=mail_url, NOW=MONDAY_MORNING)
        client = app.test_client()
        response = submit(client)
        # The confirmation is the answer itself: no redirect, no cookie to carry the code.
        assert response.status_code == 200 and "Location" not in response.headers
        assert "Set-Cookie" not in response.headers

        [request] = rows(app)
        assert (request.partner, request.rule) == ("geldpunt-heideveen", "schulden-heideveen")
        assert (request.topics, request.municipality, request.asking) == (
            "debt",
            "Heideveen",
            "myself",
        )
        assert request.status == "received" and request.campaign is None
        block = open_stored(app, request.id)
        assert block == {
            "route": "call",
            "address": PHONE_E164,
            "alias": "Sam",
            "days": ["tu", "th"],
            "times": ["evening"],
            "voicemail": False,
            "say_who": False,
            "message": "Bel liever na zessen.",
        }
        assert PHONE_E164.encode() not in request.contact and b"Sam" not in request.contact

        [queued] = rows(app, OutboxMessage)
        assert (queued.partner, queued.request_id, queued.sent_at) == (
            "geldpunt-heideveen",
            request.id,
            None,
        )
        with app.app_context():
            assert mail.deliver_due().sent == 1
        [message] = inbox.wait_for(1)
        assert message["To"] == "geldpunt@heideveen.example"
        body = message.get_payload(decode=True).decode()
        assert "/partner/" in body
        for private in ("612345678", "Sam", "zessen", request.id):
            assert private not in body and private not in str(message["Subject"])
        assert rows(app, OutboxMessage)[0].sent_at is not None


def test_the_confirmation_gives_a_code_the_partner_and_when_to_expect_contact(tmp_path) -> None:
    app = make_app(tmp_path, NOW=MONDAY_MORNING)
    client = app.test_client()
    page = submit(client)
    html = page.get_data(as_text=True)
    text = " ".join(check_html(html).itertext())
    reference = reference_on(page)
    code = "-".join(reference[i : i + 4] for i in range(0, 16, 4))
    assert code in "".join(check_html(html).itertext())
    assert "Geldpunt Heideveen neemt contact met je op" in text
    assert "voor woensdag 25 november, 10:00" in text  # open now: within its 48 hours
    assert "Er gaat niets naar de politie" in text
    assert 'href="tel:113"' in html
    assert page.headers["Cache-Control"] == "no-store"


def test_outside_callback_hours_the_visitor_is_told_when_contact_starts(tmp_path) -> None:
    saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    app = make_app(tmp_path, NOW=saturday)
    client = app.test_client()
    sent = submit(client, lang="en")
    text = " ".join(check_html(sent.get_data(as_text=True)).itertext())
    assert "They are not working right now" in text
    assert "between Monday 30 November, 09:00 and Wednesday 2 December, 09:00" in text


def test_the_same_form_sent_twice_makes_one_request_and_shows_the_same_code(app) -> None:
    client = app.test_client()
    hidden = open_form(client)
    first = submit(client, hidden=hidden)
    second = submit(client, hidden=hidden)  # a reload, the back button, a retry after a timeout
    assert first.status_code == second.status_code == 200
    assert first.get_data(as_text=True) == second.get_data(as_text=True)  # the same code
    assert len(rows(app)) == 1
    assert len(rows(app, OutboxMessage)) == 1


def test_concurrent_double_submits_of_one_form_make_one_request(tmp_path) -> None:
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / 'double.sqlite3'}"
    app = make_app(tmp_path, **({"DATABASE_URL": url} if url else {}))
    opener = app.test_client()
    hidden = open_form(opener)
    assert opener.get_cookie("uitweg_session") is None  # the form needs no cookie
    start = threading.Barrier(8)
    statuses: list[int] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(submit(client, hidden=hidden).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    with app.app_context(), db.session() as session:
        assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_two_forms_make_two_requests_with_different_codes(app) -> None:
    client = app.test_client()
    codes = {reference_on(submit(client))}
    codes.add(reference_on(submit(client, topics=["getting-out"], municipality="Vaartstad")))
    first, second = sorted(rows(app), key=lambda r: r.created_at)
    assert len(codes) == 2 and first.code_digest != second.code_digest
    assert first.id != second.id and not first.id.isdigit()
    assert {r.partner for r in (first, second)} == {"geldpunt-heideveen", "jong-vaartstad"}


def test_reference_codes_are_80_bits_and_repeat_nothing(app) -> None:
    from uitweg.intake import codes as conversation_codes
    from uitweg.intake.conversation import reference_for
    from uitweg.intake.reference import display, normalise

    with app.app_context():
        made = {reference_for(f"nonce-{index}") for index in range(2000)}
    assert len(made) == 2000
    assert {len(code) for code in made} == {16}
    assert set("".join(made)) <= set(conversation_codes.ALPHABET)
    code = next(iter(made))
    shown = display(code)
    assert len(shown.split("-")) == 4
    assert normalise(f" {shown.lower()} ") == code
    assert normalise(code + "A") is None and normalise("U" * 16) is None
    # An older request's ten characters are still read, and shown as they were.
    assert normalise("acdef 34797") == "ACDEF34797" and display("ACDEF34797") == "ACDEF-34797"


@pytest.mark.parametrize(
    ("typed", "route", "stored"),
    [
        ("06 12345678", "call", "+31612345678"),
        ("06-1234-5678", "sms", "+31612345678"),
        ("+31 6 12345678", "whatsapp", "+31612345678"),
        ("0031612345678", "call", "+31612345678"),
        ("038 200 1234", "call", "+31382001234"),
        ("+32 470 12 34 56", "sms", "+32470123456"),
        ("0032 2 234 56 78", "call", "+3222345678"),
        ("(020) 123 4567", "call", "+31201234567"),
    ],
)
def test_dutch_and_belgian_numbers_are_stored_in_e164(app, typed, route, stored) -> None:
    assert submit(app.test_client(), phone=typed, route=route).status_code == 200
    [request] = rows(app)
    assert open_stored(app, request.id)["address"] == stored


def test_e_mail_as_the_route_stores_the_address_and_not_the_phone_number(app) -> None:
    response = submit(app.test_client(), route="email", email="Iemand@Voorbeeld.NL")
    assert response.status_code == 200
    [request] = rows(app)
    block = open_stored(app, request.id)
    assert block["route"] == "email" and block["address"] == "Iemand@voorbeeld.nl"
    assert PHONE_E164 not in str(block)


def test_the_database_file_holds_neither_the_number_nor_the_alias_in_clear(tmp_path) -> None:
    path = tmp_path / "dump.sqlite3"
    app = make_app(tmp_path, DATABASE_URL=f"sqlite:///{path}")
    alias = "Zwaluwstaart"
    submit(app.test_client(), alias=alias, message="Mijn broer Kees weet van niets")
    with app.app_context():
        db.engine().dispose()  # write the WAL back into the file
    dump = b"".join(p.read_bytes() for p in tmp_path.glob("dump.sqlite3*"))
    assert len(rows(app)) == 1
    for secret in (PHONE_E164, "612345678", "06 1234 5678", alias, "Kees"):
        assert secret.encode() not in dump
        assert secret.encode("utf-16-le") not in dump


def test_rows_keep_no_ip_address_or_user_agent(app, caplog) -> None:
    agent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Fingerprint/1.0"
    address = "203.0.113.77"
    client = app.test_client()
    environ = {"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent}
    hidden = open_form(client)
    response = client.post("/nl/callback", data={**VALID, **hidden}, environ_base=environ)
    assert response.status_code == 200
    with app.app_context(), db.engine().connect() as connection:
        stored = " ".join(
            str(row)
            for table in ("callback_request", "outbox")
            for row in connection.exec_driver_sql(f"SELECT * FROM {table}")
        )
    for trace in (address, agent, "Pixel", "203.0.113"):
        assert trace not in stored
        assert trace not in caplog.text


def test_the_form_page_carries_no_code_from_its_address(client) -> None:
    """Only a campaign's shared code may travel from the SMS to the form; nothing else does."""
    html = client.get("/nl/callback?c=ABC123&id=4711&utm_source=sms").get_data(as_text=True)
    assert "4711" not in html and "ABC123" not in html and "utm_source" not in html
    hidden = re.findall(r'name="([^"]+)" type="hidden"', html)
    assert hidden == ["token"]  # the one-time token, random: nothing from the address


def test_what_was_typed_comes_back_when_the_form_has_an_error(client) -> None:
    response = submit(client, consent=None, alias="Sam <b>", message="Hallo\ndaar")
    assert response.status_code == 400
    values = field_values(response.get_data(as_text=True))
    assert values["alias"] == ["Sam &lt;b&gt;"]
    assert values["message"] == ["Hallo\ndaar"]
    assert values["topics"] == ["debt"] and values["days"] == ["tu", "th"]
    assert values["municipality"] == ["Heideveen"] and values["phone"] == ["06 1234 5678"]


def _preferences_open(html: str) -> bool:
    details = re.search(r'<details class="optional-part"[^>]*>', html)
    assert details, "the optional preferences are not in a fold"
    return " open" in details.group(0)


def test_the_optional_preferences_are_folded_until_something_in_them_was_chosen(client) -> None:
    html = client.get("/nl/callback").get_data(as_text=True)
    assert not _preferences_open(html)
    # Folded, the summary still says what happens when the visitor leaves them alone.
    assert "geen voicemail" in html
    plain = {"days": None, "times": None, "message": "", "voicemail": "no", "say_who": "no"}
    # Sent back for another field's error: folded when nothing in it was chosen...
    assert not _preferences_open(submit(client, consent=None, **plain).get_data(as_text=True))
    # ...open when anything in it was chosen or typed, so the visitor sees it kept.
    for change in (
        {"days": ["mo"]},
        {"times": ["evening"]},
        {"message": "Na vijf uur"},
        {"voicemail": "yes"},
        {"say_who": "yes"},
    ):
        response = submit(client, consent=None, **{**plain, **change})
        assert _preferences_open(response.get_data(as_text=True)), change
    # ...and open when one of its own answers needs fixing.
    response = submit(client, **{**plain, "voicemail": "maybe"})
    assert response.status_code == 400 and _preferences_open(response.get_data(as_text=True))
