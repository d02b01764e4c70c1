"""A self-test in a real browser: completed with the keyboard alone, with JavaScript on and off,
its next step taken with the keyboard too; going back shows the questions empty, not the
answers. (The gates check every test empty, with errors and with a result, in both languages:
test_every_page.py with form_samples.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from browser.form_samples import SAMPLES
from browser.keyboard import complete_form

SLUG = "drugs"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_test_is_completed_and_left_with_the_keyboard_alone(site, open_page, javascript) -> None:
    page = open_page(site.url(f"/nl/selftests/{SLUG}"), javascript=javascript)
    complete_form(page, SAMPLES[f"/selftests/{SLUG}"], action=f"/nl/selftests/{SLUG}")
    assert page.url.endswith(f"/nl/selftests/{SLUG}")  # the answer to the POST, in no address
    assert page.inner_text("h1") == "Je gebruik geeft je veel problemen"
    assert "Je score: 10 van 23" in page.inner_text("main")
    assert page.locator("input:checked").count() == 0  # the result holds no answers
    # The next step: Tab to its button and press Enter, as for the form.
    button = page.locator("button.door-button").nth(1)
    for _ in range(200):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the next step's button cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/nl/help/?" in page.url and "topic=drugs" in page.url
    assert "zorgen" not in page.url
    # Back: the result was the answer to a POST and no-store, so the browser does not show it
    # again (it would have to send the answers anew, and asks first)...
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_from_the_result_shows_the_questions_empty(site, open_page, javascript) -> None:
    page = open_page(site.url(f"/en/selftests/{SLUG}"), javascript=javascript)
    complete_form(page, SAMPLES[f"/selftests/{SLUG}"], action=f"/en/selftests/{SLUG}")
    assert page.inner_text("h1") == "Your use is causing you a lot of problems"
    page.go_back()
    page.wait_for_selector("input[type=radio]")
    assert page.locator("input:checked").count() == 0
