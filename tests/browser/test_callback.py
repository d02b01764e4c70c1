"""The callback form in a real browser: sent with the keyboard alone, with JavaScript on and off,
and the cancel form on the status page passes the gates too."""

from __future__ import annotations

import re

import pytest

from browser.gates import axe_violations
from browser.keyboard import complete_form

ANSWERS = {
    "asking": "someone-close",
    "topics": True,
    "municipality": "Vaartstad",
    "route": "sms",
    "phone": "+31 6 12345678",
    "alias": "Robin",
    "consent": True,
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_form_is_sent_with_the_keyboard_alone(site, open_page, javascript) -> None:
    page = open_page(site.url("/nl/callback"), javascript=javascript)
    complete_form(page, ANSWERS, action="/nl/callback")
    assert page.url.endswith("/nl/callback")  # the answer to the POST: nothing to go back to
    text = page.inner_text("main")
    assert re.search(r"Je code:\s*[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}", text)
    assert "Kompas Naastenlijn neemt contact met je op" in text


def test_on_a_small_phone_the_first_question_is_on_the_first_screen(site, open_page) -> None:
    page = open_page(site.url("/nl/callback"), javascript=False, width=375, height=667)
    top = page.locator("form.callback-form legend").first.bounding_box()["y"]
    assert top < 667 - 40, f"the first question starts {top:.0f} px down"


def test_the_folded_preferences_open_and_are_filled_with_the_keyboard(site, open_page) -> None:
    page = open_page(site.url("/nl/callback"), javascript=False)
    assert not page.is_visible("#message")
    page.focus(".optional-part > summary")
    page.keyboard.press("Enter")
    complete_form(
        page, {**ANSWERS, "voicemail": "yes", "message": "Na vijf uur"}, action="/nl/callback"
    )
    assert re.search(r"Je code:\s*[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}", page.inner_text("main"))


def test_an_error_moves_nothing_and_keeps_the_answers(site, open_page) -> None:
    page = open_page(site.url("/en/callback"), javascript=False)
    complete_form(page, {**ANSWERS, "phone": "06 1234", "consent": False}, action="/en/callback")
    assert page.title().startswith("Error:")
    assert page.input_value("#phone") == "06 1234"
    assert page.input_value("#alias") == "Robin"
    assert page.is_checked("#asking-someone-close")
    summary = page.inner_text("#error-summary")
    assert "This is not a phone number we can call" in summary
    assert "Tick this box to send your request." in summary


def test_the_status_and_cancel_pages_pass_the_gates(site, open_page) -> None:
    page = open_page(site.url("/nl/callback"), bypass_csp=True)
    complete_form(page, ANSWERS, action="/nl/callback")
    code = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}", page.inner_text(".reference-box")).group(0)
    page.goto(site.url("/nl/callback/status"))
    complete_form(page, {"code": code}, action="/nl/callback/status")
    assert axe_violations(page) == []
    assert page.is_visible("form[action='/nl/callback/cancel']")
    complete_form(page, {"confirm": True}, action="/nl/callback/cancel")
    assert "Je contactgegevens zijn gewist" in page.inner_text("main")
    assert axe_violations(page) == []


def _refuse_cookies(context) -> None:
    """A browser that refuses every cookie: Set-Cookie never reaches it."""

    def strip(route) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        route.fulfill(response=response, headers=headers)

    context.route("**/*", strip)


def test_the_form_is_completed_and_confirmed_with_cookies_refused(site, open_page) -> None:
    page = open_page("about:blank", javascript=False, wait=False)
    _refuse_cookies(page.context)
    try:
        page.goto(site.url("/nl/callback"))
        complete_form(page, ANSWERS, action="/nl/callback")
        text = page.inner_text("main")
        code = re.search(r"Je code:\s*([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})", text)
        assert code and "Kompas Naastenlijn neemt contact met je op" in text
        page.goto(site.url("/nl/callback/status"))
        complete_form(page, {"code": code[1]}, action="/nl/callback/status")
        complete_form(page, {"confirm": True}, action="/nl/callback/cancel")
        assert "Je contactgegevens zijn gewist" in page.inner_text("main")
        assert page.context.cookies() == []
        # On a shared phone, the old confirmation address shows nobody's code.
        page.goto(site.url("/nl/callback/sent"))
        assert code[1] not in page.inner_text("main")
    finally:
        # A request still in flight must not reach the handler after the test.
        page.context.unroute_all(behavior="ignoreErrors")
