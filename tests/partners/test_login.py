"""Login abuse: one answer for every failure, back-off then lockout, replayed codes, session
ids that change at login and end at logout or idle time, and enrolment links that work once."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from partners.staff import PASSWORD, START, csrf, enrol, invite, login, staff_member, tick

WRONG = "The e-mail address, password or code is not right."
LOCKED = "Too many attempts."


def _try(app, client, email: str, password: str, code: str):
    html = client.get("/partner/login").get_data(as_text=True)
    return client.post(
        "/partner/login",
        data={"csrf_token": csrf(html), "email": email, "password": password, "code": code},
    )


@pytest.fixture
def staff(app):
    app.config["NOW"] = START
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return staff_member(app, "kompas", "bram@kompas.example")


def _english(client) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_every_failure_gives_the_same_answer_and_then_locks_whether_or_not_the_account_exists(
    app, staff
) -> None:
    client = app.test_client()
    _english(client)
    code = pyotp.TOTP(staff.secret).at(tick(app))
    answers = {}
    for label, email, password, typed in [
        ("wrong password", staff.email, "niet het wachtwoord", code),
        ("wrong code", staff.email, PASSWORD, "000000"),
        ("no such account", "niemand@kompas.example", PASSWORD, code),
    ]:
        response = _try(app, client, email, password, typed)
        answers[label] = (response.status_code, WRONG in response.get_data(as_text=True))
    assert set(answers.values()) == {(401, True)}, answers

    for email in (staff.email, "niemand@kompas.example"):
        for _ in range(3):
            _try(app, client, email, "fout", "123456")
        response = _try(app, client, email, PASSWORD, pyotp.TOTP(staff.secret).at(tick(app, 1)))
        assert response.status_code == 429 and LOCKED in response.get_data(as_text=True)
    # The wait doubles; after it, the right password and code work again.
    tick(app, 3600)
    ok = _try(app, client, staff.email, PASSWORD, pyotp.TOTP(staff.secret).at(app.config["NOW"]))
    assert ok.status_code == 303


def test_a_code_is_accepted_once(app, staff) -> None:
    assert staff.post("/partner/logout", page="/partner/account").status_code == 303
    at = tick(app)
    code = pyotp.TOTP(staff.secret).at(at)
    assert _try(app, staff.client, staff.email, PASSWORD, code).status_code == 303
    other = app.test_client()
    assert _try(app, other, staff.email, PASSWORD, code).status_code == 401


def test_the_session_changes_at_login_and_ends_at_logout_and_when_idle(app, staff) -> None:
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    first = staff.client.get_cookie(cookie_name).value
    assert staff.post("/partner/logout", page="/partner/account").status_code == 303
    assert staff.client.get("/partner/").status_code == 302
    # The old cookie, replayed, opens nothing: its login row is gone.
    thief = app.test_client()
    thief.set_cookie(cookie_name, first)
    assert thief.get("/partner/").status_code == 302

    client = app.test_client()
    client.get("/partner/login")
    before = client.get_cookie(cookie_name).value
    assert login(app, client, staff.email, staff.secret).status_code == 303
    assert client.get_cookie(cookie_name).value not in (before, first)
    assert client.get("/partner/").status_code == 200
    tick(app, 29 * 60)
    assert client.get("/partner/").status_code == 200
    tick(app, 31 * 60)
    response = client.get("/partner/")
    assert response.status_code == 302 and "/partner/login" in response.headers["Location"]


def test_log_out_everywhere_ends_every_session(app, staff) -> None:
    second = app.test_client()
    assert login(app, second, staff.email, staff.secret).status_code == 303
    response = staff.post("/partner/logout-everywhere", page="/partner/account")
    assert response.status_code == 303 and "Clear-Site-Data" in response.headers
    assert staff.client.get("/partner/").status_code == 302
    assert second.get("/partner/").status_code == 302


def test_enrolment_links_work_once_and_for_72_hours(app) -> None:
    app.config["NOW"] = START
    path = invite(app, "kompas", "nieuw@kompas.example")
    assert enrol(app, app.test_client(), path)
    used = app.test_client().get(path)
    assert used.status_code == 410 and "Deze link werkt niet meer" in used.get_data(as_text=True)

    late = invite(app, "kompas", "laat@kompas.example")
    tick(app, 72 * 3600 + 1)
    assert app.test_client().get(late).status_code == 410
    assert app.test_client().get("/partner/enrol/verzonnen-link").status_code == 404


def test_partner_pages_are_private(app, staff) -> None:
    for path in ("/partner/login", "/partner/", "/partner/account", "/partner/nope"):
        response = staff.client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert "noindex" in response.headers["X-Robots-Tag"], path


def test_production_uses_a_host_prefixed_session_cookie() -> None:
    from uitweg.config import Production

    assert Production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert Production.SESSION_COOKIE_SECURE is True


def test_partner_pages_speak_dutch_and_english(app, staff) -> None:
    nl = staff.client.get("/partner/").get_data(as_text=True)
    assert "Open vragen voor" in nl and "Open requests" not in nl
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Log in to the partner inbox" in english.get("/partner/login").get_data(as_text=True)
    dutch = app.test_client()
    dutch.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    assert "Log in to the partner inbox" not in dutch.get("/partner/login").get_data(as_text=True)


def test_login_is_not_counted_as_a_success_with_an_old_code(app, staff) -> None:
    old = pyotp.TOTP(staff.secret).at(app.config["NOW"] - dt.timedelta(minutes=5))
    assert staff.post("/partner/logout", page="/partner/account").status_code == 303
    assert _try(app, staff.client, staff.email, PASSWORD, old).status_code == 401


def test_the_staff_session_cookie_holds_nothing_derived_from_address_or_browser(app) -> None:
    app.config["NOW"] = START
    staff = staff_member(app, "kompas", "anna@kompas.example")
    response = staff.client.get("/partner/", headers={"User-Agent": "Merkteken/1.0"})
    assert response.status_code == 200
    cookie = staff.client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert "_user_id" in session  # the login is there
    # Flask-Login's "_id" is a SHA-512 of the address and user agent; nothing like it is kept.
    assert not session.get("_id")
    assert not any(isinstance(v, str) and len(v) == 128 for v in session.values())


def test_a_stranger_cannot_lock_a_member_out_of_the_browser_they_use(app, staff) -> None:
    assert staff.post("/partner/logout", page="/partner/account").status_code == 303
    assert staff.client.get_cookie(app.config["DEVICE_COOKIE_NAME"]) is not None
    next_code = pyotp.TOTP(staff.secret).at(app.config["NOW"] + dt.timedelta(seconds=30))
    # A stranger (no device cookie for this account) guesses until the name is locked for
    # strangers: even the right password and code are refused from there now.
    stranger = app.test_client()
    for _ in range(3):
        _try(app, stranger, staff.email, "fout", "123456")
    assert _try(app, stranger, staff.email, PASSWORD, next_code).status_code == 429
    # A forged device cookie, or none, counts as a stranger.
    forged = app.test_client()
    forged.set_cookie(app.config["DEVICE_COOKIE_NAME"], "nep.cookie")
    assert _try(app, forged, staff.email, PASSWORD, next_code).status_code == 429
    # The member's own browser (which logged in before) still gets in, at once.
    assert _try(app, staff.client, staff.email, PASSWORD, next_code).status_code == 303


def test_login_verifies_one_hash_per_cost_whatever_the_account(app, staff, monkeypatch) -> None:
    """A wrong address costs the same Argon2 work as a wrong password, also after the cost was
    raised and old hashes remain (counted, not timed: timing would be flaky)."""
    from argon2 import PasswordHasher

    from uitweg.staff import accounts

    app.config["ARGON2_TIME_COST"] = 2  # raised: the staff member's hash has the old cost
    verified: list[str] = []
    original = PasswordHasher.verify

    def counting(self, hash_, password):
        verified.append(hash_.split("$")[3])
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    work = {}
    for label, email in (("member", staff.email), ("nobody", "niemand@kompas.example")):
        verified.clear()
        _try(app, app.test_client(), email, "fout wachtwoord", "123456")
        work[label] = sorted(verified)
    assert work["member"] == work["nobody"]
    assert len(set(work["member"])) == 2  # the old cost and the new one
    with app.app_context():
        today = accounts.kdf_cost()
    assert f"m={today.memory_kib},t={today.time_cost},p={today.parallelism}" in work["member"]
