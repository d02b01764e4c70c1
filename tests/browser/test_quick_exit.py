"""The quick exit leaves the site; with JavaScript the visit is gone from the history too."""

from __future__ import annotations

NEUTRAL = "https://www.google.nl/"


def neutral_site(page) -> None:
    # The machine has no internet: answer for the neutral site, as the real one would.
    page.context.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Neutral</title><p>Weather</p>"
        ),
    )


def test_quick_exit_replaces_the_page_so_back_does_not_return(site, open_page) -> None:
    page = open_page("about:blank", wait=False)
    neutral_site(page)
    page.goto(site.url("/nl/stories/lisa-en-ghb"))

    page.get_by_role("link", name="Verlaat deze site").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()

    assert not page.url.startswith(site.base_url), f"back returned to {page.url}"


def test_escape_three_times_also_leaves(site, open_page) -> None:
    page = open_page("about:blank", wait=False)
    neutral_site(page)
    page.goto(site.url("/en/"))

    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)

    assert page.url == NEUTRAL


def test_without_javascript_the_quick_exit_is_a_plain_link_that_leaves(site, open_page) -> None:
    page = open_page("about:blank", javascript=False, wait=False)
    neutral_site(page)
    page.goto(site.url("/nl/"))

    page.get_by_role("link", name="Verlaat deze site").click()
    page.wait_for_url(NEUTRAL)

    assert page.title() == "Neutral"
