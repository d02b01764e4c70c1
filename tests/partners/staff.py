"""Partner staff in tests: invited with the CLI, enrolled and logged in through HTTP, on a
fixed clock (TOTP codes are taken from it, so each login moves it on one time step)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from keyholders import partner_private_key

# A Tuesday, 11:00 in Amsterdam: every sample partner is within its callback hours or close.
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
PASSWORD = "paarse olifant fietst naar Zwolle"


def tick(app: Flask, seconds: float = 30) -> dt.datetime:
    app.config["NOW"] = app.config.get("NOW", START) + dt.timedelta(seconds=seconds)
    return app.config["NOW"]


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def invite(app: Flask, partner: str, email: str, role: str = "staff") -> str:
    result = app.test_cli_runner().invoke(
        args=["partners", "invite", partner, email, "--role", role]
    )
    assert result.exit_code == 0, result.output
    return urlsplit(result.output.strip().splitlines()[0]).path


def send_enrolment(app: Flask, client: FlaskClient, path: str, **changes) -> tuple[str, object]:
    """Fill in the enrolment page at `path` as a person would, with `changes` to any field;
    returns the TOTP secret it showed and the response."""
    page = client.get(path).get_data(as_text=True)
    # Shown in groups of four, as people type it; the secret itself has no spaces.
    secret = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page)[1].replace(" ", "")
    data = {
        "csrf_token": csrf(page),
        "totp": re.search(r'name="totp" value="([^"]+)"', page)[1],
        "password": PASSWORD,
        "repeat": PASSWORD,
        "code": pyotp.TOTP(secret).at(app.config["NOW"]),
        "language": "nl",
        **changes,
    }
    return secret, client.post(path, data=data)


def enrol(app: Flask, client: FlaskClient, path: str, password: str = PASSWORD) -> str:
    """Set up the account behind an invitation path; returns the TOTP secret."""
    secret, response = send_enrolment(app, client, path, password=password, repeat=password)
    assert response.status_code == 303, response.get_data(as_text=True)
    return secret


def login(app: Flask, client: FlaskClient, email: str, secret: str, password: str = PASSWORD):
    at = tick(app)  # a new time step: the last code was used
    page = client.get("/partner/login").get_data(as_text=True)
    return client.post(
        "/partner/login",
        data={
            "csrf_token": csrf(page),
            "email": email,
            "password": password,
            "code": pyotp.TOTP(secret).at(at),
        },
    )


@dataclass
class Staff:
    email: str
    secret: str
    client: FlaskClient

    def post(self, path: str, page: str | None = None, **data):
        """POST a form of `page` (default: the same path's page) with its CSRF token."""
        html = self.client.get(page or path).get_data(as_text=True)
        return self.client.post(path, data={"csrf_token": csrf(html), **data})

    def relogin(self, app: Flask, password: str = PASSWORD):
        """Log out and in again (a grant reaches a session at login)."""
        assert self.post("/partner/logout", page="/partner/account").status_code == 303
        return login(app, self.client, self.email, self.secret, password)


def admit(app: Flask, email: str, by: str | None = None) -> None:
    """Give a member access to the partner's key, as a coordinator would on the Team page:
    with the key of `by` (a member enrolled with PASSWORD), or of the stand-in key holder
    (keyholders.py)."""
    from sqlalchemy import select

    from uitweg import db
    from uitweg.models import PartnerKeyGrant, StaffMember
    from uitweg.staff import accounts

    with app.app_context(), db.session() as session:
        member = session.scalars(select(StaffMember).where(StaffMember.email == email)).one()
        if session.get(PartnerKeyGrant, member.id) is not None:
            return  # the partner's first member: the key was made for them
        private_key = partner_private_key(app, member.partner)
        if by is not None:
            from uitweg.intake import sealing

            granter = session.scalars(select(StaffMember).where(StaffMember.email == by)).one()
            own = sealing.unwrap_with_password(granter.private_key_wrapped, PASSWORD)
            sealed = session.get(PartnerKeyGrant, granter.id).sealed_private_key
            private_key = sealing.open_sealed(own, sealed)
        assert private_key is not None, f"nobody can admit {email} at {member.partner}"
        accounts.grant(session, member, private_key, None, START)


def staff_member(
    app: Flask, partner: str, email: str, role: str = "staff", admitted: bool = True
) -> Staff:
    """An enrolled, logged-in member; `admitted` (the default) also gives them the partner's
    key, as a coordinator would."""
    app.config.setdefault("NOW", START)
    client = app.test_client()
    secret = enrol(app, client, invite(app, partner, email, role))
    if admitted and role != "analyst":
        admit(app, email)
    response = login(app, client, email, secret)
    assert response.status_code == 303, response.get_data(as_text=True)
    return Staff(email, secret, client)


def request_ids(html: str) -> list[str]:
    return re.findall(r'href="/partner/requests/([0-9a-f]{32})"', html)
