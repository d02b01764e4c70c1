"""Every public page, found from the sitemap and the URL map, in both languages, passes the gates
in a real browser: no accessibility violation, no sideways scroll, nothing from another host."""

from __future__ import annotations

import pytest

from browser.conftest import visit
from browser.form_samples import SAMPLES
from browser.forms import form_state_problems
from browser.gates import (
    axe_violations,
    cut_off,
    exit_in_view,
    focus_problems,
    foreign_requests,
    heading_in_first_screen,
    sideways_scroll,
    skip_link_first,
)


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}:\n  " + "\n  ".join(found) for url, found in problems.items() if found)


def test_the_gates_cover_the_public_pages_in_both_languages(site) -> None:
    pages = site.pages()
    assert {
        "/nl/",
        "/en/",
        "/nl/stories/lisa-en-ghb",
        "/en/privacy",
        "/nl/callback",
        "/en/help/",
        "/s/vs2610",
    } <= set(pages)
    assert len(pages) > 40


def test_no_page_has_a_wcag_violation(site, open_page) -> None:
    page = open_page("about:blank", bypass_csp=True, wait=False)
    problems = {}
    for path in site.pages():
        problems[path] = axe_violations(visit(page, site.url(path)))
    assert not any(problems.values()), report(problems)


def test_no_page_loads_anything_from_another_host_or_logs_an_error(site, open_page) -> None:
    page = open_page("about:blank", wait=False)
    problems = {}
    for path in site.pages():
        visit(page, site.url(path))
        found = [f"request to {url}" for url in foreign_requests(page.requested, site.base_url)]
        # Error pages log their own status; anything else (a CSP violation, a script error) counts.
        expected = path in {"/nl/bestaat-niet", "/en/does-not-exist"}
        found += [f"console: {e}" for e in page.console_errors if not (expected and "404" in e)]
        problems[path] = found
    assert not any(problems.values()), report(problems)


@pytest.mark.parametrize("width", [320, 375])
def test_no_element_is_wider_than_a_phone(site, open_page, width) -> None:
    page = open_page("about:blank", width=width, height=640, wait=False)
    problems = {}
    for path in site.pages():
        problems[path] = sideways_scroll(visit(page, site.url(path)))
    assert not any(problems.values()), report(problems)


def test_on_a_small_phone_the_title_is_on_the_first_screen_and_the_exit_always_in_view(
    site, open_page
) -> None:
    page = open_page("about:blank", width=375, height=667, wait=False)
    problems = {}
    for path in site.pages():
        visit(page, site.url(path))
        problems[path] = heading_in_first_screen(page) + exit_in_view(page)
    assert not any(problems.values()), report(problems)


def test_nothing_is_cut_off_at_200_percent_zoom(site, open_page) -> None:
    # A 1280 px wide window at 200% zoom lays out like a 640 px wide one.
    page = open_page("about:blank", width=640, height=400, wait=False)
    problems = {}
    for path in site.pages():
        visit(page, site.url(path))
        problems[path] = sideways_scroll(page) + cut_off(page)
    assert not any(problems.values()), report(problems)


def test_every_focus_stop_is_visible_and_the_skip_link_comes_first(site, open_page) -> None:
    page = open_page("about:blank", wait=False)
    problems = {}
    for path in site.pages():
        found, stops = focus_problems(visit(page, site.url(path)))
        found += skip_link_first(stops)
        if not any("quick-exit" in stop for stop in stops[:4]):
            found.append("the quick exit is not among the first Tab stops")
        problems[path] = found
    assert not any(problems.values()), report(problems)


def test_every_form_in_every_state_has_no_wcag_violation(site, open_page) -> None:
    problems, _checked = form_state_problems(site, open_page, SAMPLES)
    assert not any(problems.values()), report(problems)
