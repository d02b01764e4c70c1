"""The status page: a code shows progress and cancels, which wipes the contact details at once.
Limits per client, on codes and on requests, without keeping who the client is."""

from __future__ import annotations

import re

from sqlalchemy import select

from callback.forms import hidden_fields, reference_on, submit
from conftest import make_app
from pagecheck import check_html
from uitweg import db
from uitweg.models import CallbackRequest


def the_request(app) -> CallbackRequest:
    with app.app_context(), db.session() as session:
        return session.scalars(select(CallbackRequest)).one()


def look_up(client, code: str, lang: str = "nl"):
    form = hidden_fields(client.get(f"/{lang}/callback/status").get_data(as_text=True))
    return client.post(f"/{lang}/callback/status", data={**form, "code": code})


def text_of(response) -> str:
    return " ".join(check_html(response.get_data(as_text=True)).itertext())


def test_a_code_shows_the_status_in_any_spelling(app) -> None:
    client = app.test_client()
    reference = reference_on(submit(client))
    typed = f"  {reference[:8].lower()} {reference[8:]} "
    response = look_up(app.test_client(), typed)  # another browser: only the code counts
    assert response.status_code == 200
    assert "Ontvangen" in text_of(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_cancel_wipes_the_contact_block_and_the_status_says_cancelled(app) -> None:
    client = app.test_client()
    reference = reference_on(submit(client))
    page = look_up(client, reference)
    cancel = hidden_fields(page.get_data(as_text=True))
    assert cancel["code"] == reference

    refused = client.post("/nl/callback/cancel", data=cancel)  # without ticking the box
    assert refused.status_code == 400
    assert the_request(app).contact is not None

    done = client.post("/nl/callback/cancel", data={**cancel, "confirm": "y"})
    assert done.status_code == 200
    assert "Je contactgegevens zijn gewist" in text_of(done)
    request = the_request(app)
    assert request.contact is None and request.status == "cancelled"
    assert request.wiped_at is not None and request.closed_at is not None
    again = look_up(client, reference)
    assert "Ingetrokken" in text_of(again)
    assert 'action="/nl/callback/cancel"' not in again.get_data(as_text=True)


def test_unknown_and_malformed_codes_get_the_same_answer(app) -> None:
    client = app.test_client()
    submit(client)
    answers = set()
    for code in ("ACDEF-34679", "ACDEF-3467", "'; DROP TABLE x; --", "0" * 10, "😀" * 10):
        response = look_up(client, code)
        assert response.status_code == 404
        answers.add(re.sub(r'value="[^"]*"', "", response.get_data(as_text=True)))
    assert len(answers) == 1
    assert "We vinden deze code niet" in answers.pop()


def test_wrong_codes_are_rate_limited_per_client(tmp_path) -> None:
    app = make_app(tmp_path, STATUS_RATE_LIMIT="3 per 10 minutes")
    client = app.test_client()
    statuses = [look_up(client, "ACDEF-34679").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    elsewhere = app.test_client()
    response = elsewhere.post(
        "/nl/callback/status",
        data={
            **hidden_fields(elsewhere.get("/nl/callback/status").get_data(as_text=True)),
            "code": "ACDEF-34679",
        },
        environ_base={"REMOTE_ADDR": "192.0.2.9"},
    )
    assert response.status_code == 404  # another client has its own count


def test_accepted_requests_are_limited_per_client_and_the_form_is_kept(tmp_path) -> None:
    app = make_app(tmp_path, CALLBACK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    statuses = [submit(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = submit(client, alias="Robin")
    assert "We kregen veel vragen via deze verbinding" in refused.get_data(as_text=True)
    assert 'value="Robin"' in refused.get_data(as_text=True)


def test_the_old_confirmation_address_shows_no_code_only_the_status_page(app, client) -> None:
    assert submit(client).status_code == 200
    response = client.get("/nl/callback/sent")  # a shared phone's history
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/nl/callback/status")


def test_guessing_reference_codes_from_many_clients_meets_a_ceiling_for_everyone(tmp_path) -> None:
    app = make_app(tmp_path, CODE_FAILURE_GLOBAL_LIMIT="3 per hour")
    client = app.test_client()
    reference = reference_on(submit(client))
    for index in range(3):
        environ = {"REMOTE_ADDR": f"198.51.100.{index}"}
        wrong = client.post(
            "/nl/callback/status", data={"code": "ACDEF-34679"}, environ_base=environ
        )
        assert wrong.status_code == 404
    fresh = {"REMOTE_ADDR": "203.0.113.50"}
    blocked = client.post("/nl/callback/status", data={"code": reference}, environ_base=fresh)
    assert blocked.status_code == 429
    # Cancelling is a use of the code too.
    cancel = client.post(
        "/nl/callback/cancel", data={"code": reference, "confirm": "y"}, environ_base=fresh
    )
    assert cancel.status_code == 429
