"""Bad input, field by field: the form comes back with a translated error beside the field, a
summary at the top and everything else still filled in. Never a 500, and nothing is stored."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from callback.blocks import open_stored
from callback.forms import VALID, field_values, hidden_fields, open_form, reference_on, submit
from callback.smtp import smtp_server
from conftest import make_app
from keyholders import ensure_keys
from pagecheck import check_html
from uitweg import db, mail
from uitweg.models import CallbackRequest, OutboxMessage

LONG = "x" * 10_000
NUL = "ab\x00cd"
CONTROL = "ab\x07\x1bcd"
CRLF = "Sam\r\nBcc: someone@example.org"
RTL = "Sam\u202egnp.exe"
HTML = '<script>alert("x")</script><b>Sam</b>'
SQL = "Sam'); DROP TABLE callback_request; --"
EMOJI = "😀🙈"
OUTSIDE = "not-a-choice"
EVERY_BAD = [LONG, NUL, CONTROL, CRLF, RTL, HTML, SQL, EMOJI, OUTSIDE]

# field -> (values that must be refused, extra answers the field needs to be tested alone)
REFUSED = {
    "asking": (["", *EVERY_BAD], {}),
    "topics": (["", *EVERY_BAD], {}),
    "municipality": (["", *EVERY_BAD], {}),
    "language": (["", *EVERY_BAD], {}),
    "route": (["", *EVERY_BAD], {}),
    "phone": (
        ["", *EVERY_BAD, "+44 20 7946 0958", "+1 212 555 0100", "06 1234", "0000000000", "112"],
        {},
    ),
    "email": (
        ["", *EVERY_BAD, "naam@", "@voorbeeld.nl", "naam@voorbeeld", "a b@voorbeeld.nl"],
        {"route": "email"},
    ),
    "alias": ([LONG, NUL, CONTROL, CRLF, RTL], {}),
    "days": ([*EVERY_BAD], {}),
    "times": ([*EVERY_BAD], {}),
    "voicemail": (["", *EVERY_BAD], {}),
    "say_who": (["", *EVERY_BAD], {}),
    "message": ([LONG, NUL, CONTROL, RTL], {}),
    "consent": (["", LONG, NUL, OUTSIDE, "false"], {}),
    "website": ([OUTSIDE, "https://spam.example", EMOJI], {}),
}
# Free text: HTML, SQL and emoji are text like any other, kept as typed (and shown escaped).
ACCEPTED_TEXT = {"alias": [HTML, SQL, EMOJI], "message": [HTML, SQL, EMOJI, CRLF]}
# Optional fields may be left empty.
OPTIONAL = ["alias", "days", "times", "message", "website", "email"]


def stored(app) -> int:
    with app.app_context(), db.session() as session:
        requests = session.scalar(select(func.count()).select_from(CallbackRequest))
        mails = session.scalar(select(func.count()).select_from(OutboxMessage))
    return requests + mails


def assert_form_again(response, field: str | None, status: int = 400) -> dict:
    assert response.status_code == status
    html = response.get_data(as_text=True)
    root = check_html(html)
    assert root.find(".//title").text.startswith("Fout:")
    assert 'id="error-summary"' in html
    if field is not None:
        assert f'id="{field}-error"' in html, f"no error beside {field}"
        assert f'href="#{field}"' in html
    assert "<script>alert" not in html and "<b>Sam</b>" not in html
    return field_values(html)


def cases():
    for field, (values, extra) in REFUSED.items():
        for value in values:
            yield pytest.param(field, value, extra, id=f"{field}-{ascii(value)[:24]}")


@pytest.fixture(scope="module")
def refusing_app(tmp_path_factory):
    """One app for the many refusals below: a refusal stores nothing, so they cannot interfere."""
    folder = tmp_path_factory.mktemp("refusals")
    return make_app(folder, CALLBACK_POST_LIMIT="100000 per hour")


@pytest.fixture(autouse=True)
def _partners_can_receive(refusing_app) -> None:
    # The PostgreSQL leg empties the tables after each test, the partners' keys included.
    ensure_keys(refusing_app)


@pytest.mark.parametrize(("field", "value", "extra"), list(cases()))
def test_a_bad_value_is_refused_beside_its_field(refusing_app, field, value, extra) -> None:
    app = refusing_app
    client = app.test_client()
    response = submit(client, **{**extra, field: value})
    values = assert_form_again(response, field)
    # The other answers are all still there.
    for other in ("asking", "municipality", "route", "phone", "alias", "message"):
        if other != field and other not in extra:
            expected = VALID[other]
            assert values.get(other) == [expected], other
    if field != "topics":
        assert values["topics"] == VALID["topics"]
    assert stored(app) == 0


@pytest.mark.parametrize("field", OPTIONAL)
def test_an_optional_field_may_be_left_empty(app, field) -> None:
    response = submit(app.test_client(), **{field: ""})
    assert response.status_code == 200
    assert stored(app) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in ACCEPTED_TEXT.items() for value in values],
)
def test_free_text_keeps_html_sql_and_emoji_as_text(app, field, value) -> None:
    assert submit(app.test_client(), **{field: value}).status_code == 200
    block = open_stored(app)
    assert block[field] == value.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://elders.example"},
        {"Origin": "null"},
        {"Referer": "https://elders.example/nep-formulier"},
    ],
    ids=["other-origin", "null-origin", "other-referer"],
)
def test_a_form_sent_from_another_site_is_refused_with_the_answers_kept(app, headers) -> None:
    client = app.test_client()
    data = {**VALID, **open_form(client)}
    response = client.post("/nl/callback", data=data, headers=headers)
    values = assert_form_again(response, None)
    assert "Voor je veiligheid werkt dit formulier maar een tijdje" in response.get_data(
        as_text=True
    )
    assert values["alias"] == ["Sam"] and values["phone"] == ["06 1234 5678"]
    assert stored(app) == 0
    # The form that came back works, sent from the site itself.
    retry = client.post(
        "/nl/callback", data={**VALID, **_hidden(response)}, headers={"Origin": "http://localhost"}
    )
    assert retry.status_code == 200 and stored(app) == 2  # the request and its mail


def test_the_form_status_and_cancel_work_with_cookies_refused(app) -> None:
    client = app.test_client(use_cookies=False)
    page = client.get("/nl/callback")
    assert "Set-Cookie" not in page.headers
    assert page.headers["Referrer-Policy"] == "same-origin"
    sent = client.post(
        "/nl/callback",
        data={**VALID, **hidden_fields(page.get_data(as_text=True))},
        headers={"Origin": "http://localhost"},
    )
    assert sent.status_code == 200 and "Set-Cookie" not in sent.headers
    code = reference_on(sent)
    status = client.post("/nl/callback/status", data={"code": code})
    assert status.status_code == 200 and "Set-Cookie" not in status.headers
    cancel = hidden_fields(status.get_data(as_text=True))
    done = client.post("/nl/callback/cancel", data={**cancel, "confirm": "y"})
    assert done.status_code == 200 and "Set-Cookie" not in done.headers
    with app.app_context(), db.session() as session:
        assert session.scalars(select(CallbackRequest.contact)).one() is None


@pytest.mark.parametrize("token", ["", "forged", "eyJub25jZSI6MX0.forged.signature"])
def test_a_missing_or_forged_one_time_token_is_refused(app, token) -> None:
    client = app.test_client()
    hidden = open_form(client)
    response = submit(client, hidden={**hidden, "token": token})
    assert_form_again(response, None)
    assert stored(app) == 0


def test_an_old_form_is_refused_with_the_answers_kept(tmp_path) -> None:
    app = make_app(tmp_path, CALLBACK_MAX_FORM_AGE=-1)
    response = submit(app.test_client())
    assert_form_again(response, None)
    assert stored(app) == 0


def test_a_form_sent_faster_than_a_person_can_is_refused(tmp_path) -> None:
    app = make_app(tmp_path, CALLBACK_MIN_FILL_SECONDS=3600)
    response = submit(app.test_client())
    assert "Dat ging heel snel" in response.get_data(as_text=True)
    assert_form_again(response, None)
    assert stored(app) == 0


def test_a_body_larger_than_the_limit_gets_the_form_not_an_error_page(app) -> None:
    client = app.test_client()
    hidden = open_form(client)
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/nl/callback", data={**VALID, **hidden, "message": huge})
    assert response.status_code == 413
    assert "Wat je stuurde was te lang" in response.get_data(as_text=True)
    assert stored(app) == 0


def test_errors_are_translated_into_english_too(app) -> None:
    response = submit(app.test_client(), lang="en", phone="06 1234", consent="")
    html = response.get_data(as_text=True)
    assert "This is not a phone number we can call" in html
    assert "Tick this box to send your request." in html
    assert check_html(html).find(".//title").text.startswith("Error:")


def test_cr_lf_in_a_message_never_reaches_a_mail_header(tmp_path) -> None:
    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, MAIL_URL=mail_url)
        submit(app.test_client(), message="Hoi\r\nBcc: someone@example.org\r\nSubject: x")
        with app.app_context():
            assert mail.deliver_due().sent == 1
        [raw] = inbox.wait_for(1) and inbox.raw
    assert b"someone@example.org" not in raw
    assert raw.count(b"Subject:") == 1


def test_an_exception_during_a_submit_logs_no_field_value(app, monkeypatch, caplog) -> None:
    from uitweg.intake import lifecycle as submit_module

    def broken(*args, **kwargs):
        raise ValueError(f"could not store {args!r} {kwargs!r}")

    monkeypatch.setattr(submit_module.sealed_contact, "seal_new", broken)
    caplog.set_level(logging.DEBUG)
    response = submit(app.test_client(), alias="Zwaluwstaart", message="Geheim bericht")
    assert response.status_code == 500
    assert "callback submit failed: ValueError" in caplog.text
    for value in ("Zwaluwstaart", "Geheim", "612345678", "1234 5678"):
        assert value not in caplog.text
    assert stored(app) == 0


def _hidden(response) -> dict[str, str]:
    from callback.forms import hidden_fields

    return hidden_fields(response.get_data(as_text=True))
