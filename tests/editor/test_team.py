"""A publisher invites and switches off editors in the browser; publishers themselves are made
and switched off by the server's operator, so nobody can make a second account to approve
their own changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from callback.smtp import smtp_server
from conftest import make_app
from partners.staff import START, enrol, login, staff_member
from uitweg import db
from uitweg.models import AuditEvent, StaffMember


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=START)


@pytest.fixture
def publisher(app):
    return staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)


def test_a_publisher_invites_an_editor_who_joins_as_an_editor(app, publisher) -> None:
    page = publisher.client.get("/beheer/team")
    assert page.status_code == 200 and "piet@example.org" in page.get_data(as_text=True)
    with smtp_server() as (inbox, url):
        app.config["MAIL_URL"] = url
        # A role in the form changes nothing: the web makes editors only.
        made = publisher.post(
            "/beheer/team/invite", page="/beheer/team", email="eva@example.org", role="publisher"
        )
        [mail] = inbox.wait_for(1)
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "gemaild naar eva@example.org" in html
    assert "/partner/enrol/" not in html  # the publisher never sees the link
    link = re.search(
        r"http://localhost:5000(/partner/enrol/\S+)", mail.get_payload(decode=True).decode()
    )[1]
    client = app.test_client()
    secret = enrol(app, client, link)
    assert login(app, client, "eva@example.org", secret).status_code == 303
    with app.app_context(), db.session() as session:
        eva = session.scalars(
            select(StaffMember).where(StaffMember.email == "eva@example.org")
        ).one()
        assert (eva.partner, eva.role) == ("owner", "editor")
        invited = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "invited",
                AuditEvent.partner == "owner",
                AuditEvent.actor.is_not(None),
            )
        ).all()
    assert invited == ["editor"]


def test_a_publisher_switches_an_editor_off_and_not_a_publisher(app, publisher) -> None:
    editor = staff_member(app, "owner", "eva@example.org", "editor", admitted=False)
    other = staff_member(app, "owner", "ria@example.org", "publisher", admitted=False)
    assert editor.client.get("/beheer/team").status_code == 403  # editors do not manage
    with app.app_context(), db.session() as session:
        ids = dict(session.execute(select(StaffMember.email, StaffMember.id)).all())
    page = publisher.client.get("/beheer/team").get_data(as_text=True)
    assert f"/beheer/team/{ids['eva@example.org']}/disable" in page
    assert f"/beheer/team/{ids['ria@example.org']}/disable" not in page
    refused = publisher.post(f"/beheer/team/{ids['ria@example.org']}/disable", page="/beheer/team")
    assert refused.status_code == 404
    assert other.client.get("/beheer/").status_code == 200
    done = publisher.post(f"/beheer/team/{ids['eva@example.org']}/disable", page="/beheer/team")
    assert done.status_code == 303
    out = editor.client.get("/beheer/")
    assert out.status_code == 302 and "/partner/login" in out.headers["Location"]
    assert "Het account staat uit" in publisher.client.get("/beheer/team").get_data(as_text=True)
    # A care partner's member is nobody's business here.
    staff = staff_member(app, "kompas", "bram@kompas.example")
    with app.app_context(), db.session() as session:
        bram = session.scalars(select(StaffMember.id).where(StaffMember.email == staff.email)).one()
    assert publisher.post(f"/beheer/team/{bram}/disable", page="/beheer/team").status_code == 404
    assert staff.client.get("/partner/").status_code == 200


def test_an_address_of_a_care_partner_is_not_invited_here(app, publisher) -> None:
    staff = staff_member(app, "kompas", "bram@kompas.example")
    moved = publisher.post("/beheer/team/invite", page="/beheer/team", email=staff.email)
    assert moved.status_code == 409 and "zorgpartner" in moved.get_data(as_text=True)
