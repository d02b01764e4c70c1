"""Proof that the gates are real: a page added with a fault is found and reported without any
test naming it, and the keyboard helper completes a form with and without JavaScript."""

from __future__ import annotations

import pytest

from browser.form_samples import SAMPLES
from browser.forms import form_state_problems
from browser.gates import (
    axe_violations,
    exit_in_view,
    foreign_requests,
    heading_in_first_screen,
    sideways_scroll,
)
from browser.keyboard import complete_form

BROKEN = "/nl/fixture-broken"


def test_the_faulty_page_is_discovered_like_any_other(fixture_site) -> None:
    assert BROKEN in fixture_site.pages()
    assert "/en/fixture-form" in fixture_site.pages()


def test_the_accessibility_gate_reports_the_image_without_alt(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url(BROKEN), bypass_csp=True)
    violations = axe_violations(page)
    assert any(v.startswith("image-alt") for v in violations), violations


def test_the_request_gate_reports_the_image_from_another_host(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url(BROKEN))
    found = foreign_requests(page.requested, fixture_site.base_url)
    assert found == ["https://third-party.invalid/pixel.png"]


def test_the_scroll_gate_reports_the_element_wider_than_a_phone(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url(BROKEN), width=320, height=640)
    problems = sideways_scroll(page)
    assert problems and problems[0].startswith("page is")
    assert any(p.startswith("td") for p in problems)


def test_the_first_screen_gate_reports_a_title_too_far_down(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url("/nl/fixture-low"), width=375, height=667)
    [problem] = heading_in_first_screen(page)
    assert problem.startswith("the h1 ends at") and "below the first 667px" in problem


def test_the_exit_gate_reports_an_exit_that_scrolls_away(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url("/nl/fixture-exit-scrolls"), width=375, height=667)
    assert exit_in_view(page) == [
        "the quick exit is out of view at the middle of the page",
        "the quick exit is out of view at the bottom of the page",
    ]


def test_a_sound_page_passes_the_same_gates(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url("/nl/"), width=320, height=640, bypass_csp=True)
    assert sideways_scroll(page) == []
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 667})
    assert exit_in_view(page) == [] and heading_in_first_screen(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_keyboard_helper_completes_a_form(fixture_site, open_page, javascript) -> None:
    page = open_page(fixture_site.url("/nl/fixture-form"), javascript=javascript)

    complete_form(
        page,
        {"alias": "Sam", "route": "sms", "day": "tue", "consent": True},
        action="/nl/fixture-form",
    )

    assert (
        page.locator("#confirmed").inner_text()
        == "Sent: alias=Sam, route=sms, day=tue, consent=yes"
    )


def test_the_keyboard_helper_fails_when_a_field_cannot_be_reached(fixture_site, open_page) -> None:
    page = open_page(fixture_site.url("/nl/fixture-form"))
    with pytest.raises(AssertionError, match="before"):
        complete_form(page, {"alias": "Sam", "missing": "x"}, action="/nl/fixture-form")


def test_the_form_gate_checks_each_state_and_wants_a_sample_for_each_form(
    fixture_site, open_page
) -> None:
    samples = {**SAMPLES, "/fixture-form": {"alias": "Sam"}, "/fixture-wide-error": {"name": "A"}}
    # The fixture's own pages: the site's real forms pass these gates in test_every_page.py.
    own = [path for path in fixture_site.pages() if "/fixture-" in path]
    with_sample, checked = form_state_problems(fixture_site, open_page, samples, own)
    without_sample, _ = form_state_problems(fixture_site, open_page, {}, ["/nl/fixture-form"])

    assert {
        "/nl/fixture-form (empty)",
        "/nl/fixture-form (errors)",
        "/nl/fixture-form (confirmed)",
        "/en/fixture-form (confirmed)",
    } <= set(checked)
    wide = "/nl/fixture-wide-error -> /nl/fixture-wide-error"
    # The error state that is wider than a phone is found; its other states are fine.
    assert any(p.startswith("at 320 px: td ends at") for p in with_sample[f"{wide} (errors)"])
    assert any(p.startswith("at 375 px: td ends at") for p in with_sample[f"{wide} (errors)"])
    assert with_sample[f"{wide} (empty)"] == [] and with_sample[f"{wide} (confirmed)"] == []
    sound = {k: v for k, v in with_sample.items() if "fixture-wide-error" not in k}
    assert not any(sound.values()), sound
    assert without_sample["/nl/fixture-form -> /nl/fixture-form"] == [
        "no sample in tests/browser/form_samples.py"
    ]
