"""The partner inbox in a real browser. Staff enrol, log in and handle a request with the keyboard
alone, and every partner page, in each state it can be in, passes the gates the public pages pass:
no WCAG violation, a visible focus on every stop with the skip link first, no sideways scroll at
320 px, nothing cut off at 200% zoom, nothing loaded from another host and no console error.

Each test makes its own accounts and requests: on the PostgreSQL leg the tables are emptied after
every test, also under the served site."""

from __future__ import annotations

import datetime as dt

import pyotp

from browser.conftest import FIRST_MEMBER_PARTNER, visit
from browser.gates import (
    axe_violations,
    cut_off,
    focus_problems,
    foreign_requests,
    sideways_scroll,
    skip_link_first,
)
from browser.keyboard import complete_form
from browser.test_every_page import report
from callback.forms import PHONE_E164, submit
from partners.staff import PASSWORD, invite

PHONE = {"width": 390, "height": 844}
PARTNER = FIRST_MEMBER_PARTNER


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now, or `steps_ahead` time steps from now. The site
    accepts one step either side of its clock, and each step once: enrolment uses this step and
    the login after it the next, so no test waits for the clock."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * steps_ahead)
    return pyotp.TOTP(secret).at(at)


def every_gate(page, base_url: str, status: int = 200) -> list[str]:
    """All gates on the page as it is now; the page is left at phone size. The browser logs an
    error status (`status`, when the page is one) as a console error, which is expected."""
    problems = axe_violations(page)
    problems += [f"request to {url}" for url in foreign_requests(page.requested, base_url)]
    expected = f"status of {status} "
    problems += [f"console: {e}" for e in page.console_errors if status == 200 or expected not in e]
    found, stops = focus_problems(page)
    problems += found + skip_link_first(stops)
    page.set_viewport_size({"width": 320, "height": 640})
    problems += [f"at 320 px: {p}" for p in sideways_scroll(page)]
    # A 1280 px wide window at 200% zoom lays out like a 640 px wide one.
    page.set_viewport_size({"width": 640, "height": 400})
    problems += [f"at 200% zoom: {p}" for p in sideways_scroll(page) + cut_off(page)]
    page.set_viewport_size(PHONE)
    page.requested.clear()
    page.console_errors.clear()
    return problems


def enrol_with_keyboard(page, site, path: str, password: str = PASSWORD) -> str:
    """Fill in the enrolment page at `path` with the keyboard; returns the TOTP key it showed."""
    secret = page.inner_text("code.totp-key").replace(" ", "")
    values = {"password": password, "repeat": password, "code": code(secret), "language": "nl"}
    complete_form(page, values, action=path)
    return secret


def log_in_with_keyboard(page, email: str, secret: str, steps_ahead: int = 1) -> None:
    values = {"email": email, "password": PASSWORD, "code": code(secret, steps_ahead)}
    complete_form(page, values, action="/partner/login")


def test_staff_enrol_log_in_and_handle_a_request_by_keyboard_and_every_page_passes(
    site, open_page
) -> None:
    email = "admin@geldpunt.example"
    path = invite(site.app, PARTNER, email, role="admin")
    page = open_page("about:blank", bypass_csp=True, wait=False)
    states: dict[str, list[str]] = {}

    visit(page, site.url(path))
    states["enrolment"] = every_gate(page, site.base_url)
    secret = enrol_with_keyboard(page, site, path)
    assert page.url == site.url("/partner/login")
    # Requests reach the partner once someone there holds its key (before, they went on to
    # the default partner).
    for message in ("Bel na zessen <b>graag</b>", "Liever sms"):
        sent = submit(site.app.test_client(), topics=["debt"], municipality="Heideveen")
        assert sent.status_code == 200, message
    assert "Je account is klaar" in page.inner_text("main")
    states["login, account ready"] = every_gate(page, site.base_url)

    log_in_with_keyboard(page, email, secret)
    assert page.url == site.url("/partner/")
    assert page.locator("table.inbox tbody tr").count() == 2
    states["inbox"] = every_gate(page, site.base_url)

    request_path = page.get_attribute("table.inbox tbody tr a", "href")
    visit(page, site.url(request_path))
    states["request"] = every_gate(page, site.base_url)
    complete_form(page, {}, action=f"{request_path}/claim")
    assert page.inner_text("main").count("Jij") == 1
    states["request, claimed"] = every_gate(page, site.base_url)
    complete_form(page, {}, action=f"{request_path}/contact")
    # Written as it is dialled here, and one tap away.
    assert "06 12345678" in page.inner_text("#contact")
    assert page.get_attribute("#contact a.tel", "href") == f"tel:{PHONE_E164}"
    states["request, contact shown"] = every_gate(page, site.base_url)
    complete_form(page, {}, action=f"{request_path}/attempt")
    assert "aria-invalid" in page.inner_html(f"form[action='{request_path}/attempt']")
    states["request, attempt not chosen"] = every_gate(page, site.base_url, 400)
    complete_form(page, {"result": "no-answer"}, action=f"{request_path}/attempt")
    assert page.url == site.url(request_path)
    states["request, attempt saved"] = every_gate(page, site.base_url)

    assert site.app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0  # for charts
    others = ("/partner/team", "/partner/audit", "/partner/admin", "/partner/stats")
    for other in (*others, "/partner/account"):
        visit(page, site.url(other))
        if other == "/partner/audit":
            assert "opende de contactgegevens" in page.inner_text("main")
        states[other] = every_gate(page, site.base_url)

    visit(page, site.url(request_path))
    complete_form(page, {"outcome": "not-reachable"}, action=f"{request_path}/close")
    assert page.url == site.url("/partner/")
    assert page.locator("table.inbox tbody tr").count() == 1

    visit(page, site.url("/partner/account"))
    complete_form(page, {"language": "en"}, action="/partner/account")
    for other in ("/partner/", request_path, *others):
        visit(page, site.url(other))
        assert page.get_attribute("html", "lang") == "en"
        states[f"{other} in English"] = every_gate(page, site.base_url)

    assert not any(states.values()), report(states)


def test_login_and_enrolment_errors_a_used_link_and_waiting_pass_the_gates(site, open_page) -> None:
    # At the default partner, whose key someone else holds: this member waits for access.
    email = "staff@kompas.example"
    path = invite(site.app, "kompas", email)
    page = open_page("about:blank", bypass_csp=True, wait=False)
    states: dict[str, list[str]] = {}

    visit(page, site.url(path))
    complete_form(page, {"password": "wachtwoord", "repeat": "iets anders"}, action=path)
    assert page.is_visible("#error-summary")
    assert page.get_attribute("#password", "aria-invalid") == "true"
    states["enrolment, weak password"] = every_gate(page, site.base_url, 400)
    secret = enrol_with_keyboard(page, site, path)
    assert page.url == site.url("/partner/login")

    visit(page, site.url(path))
    assert page.title().startswith("Deze link werkt niet meer")
    states["enrolment link used"] = every_gate(page, site.base_url, 410)

    visit(page, site.url("/partner/login"))
    wrong = str((int(code(secret, 1)) + 1) % 1_000_000).zfill(6)
    complete_form(page, {"email": email, "password": PASSWORD, "code": wrong}, "/partner/login")
    assert page.is_visible("#error-summary")
    states["login, wrong code"] = every_gate(page, site.base_url, 401)
    log_in_with_keyboard(page, email, secret)
    assert "Wachten op toegang" in page.inner_text("main")
    states["waiting for access"] = every_gate(page, site.base_url, 403)

    english = open_page(site.url("/partner/login"), bypass_csp=True, locale="en-GB")
    assert english.get_attribute("html", "lang") == "en"
    states["login in English"] = every_gate(english, site.base_url)

    assert not any(states.values()), report(states)
