"""Accounts and teams: enrolment refuses bad passwords and codes and keeps the link usable,
coordinators give requests to colleagues, admins invite and disable accounts, and each of these
is refused to a role without the right."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from callback.forms import PHONE_E164, submit
from partners.staff import (
    PASSWORD,
    START,
    enrol,
    invite,
    login,
    request_ids,
    send_enrolment,
    staff_member,
)
from uitweg import db
from uitweg.models import AuditEvent, CallbackRequest, PartnerKey, StaffMember


@pytest.fixture
def clocked(app):
    app.config["NOW"] = START
    return app


def _enrol_with(app, client, path: str, **changes) -> tuple[int, str]:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    _secret, response = send_enrolment(app, client, path, language="en", **changes)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "000000"}, "This code is not right"),
        ({"password": "kort", "repeat": "kort"}, "Use at least 12 characters"),
        ({"password": "password1234", "repeat": "password1234"}, "This password is too common"),
        (
            {"password": "nieuw.collega 2026", "repeat": "nieuw.collega 2026"},
            "Do not use your e-mail address",
        ),
        ({"repeat": PASSWORD + "!"}, "The two passwords are not the same"),
    ],
    ids=["wrong-code", "short", "common", "like-email", "not-the-same"],
)
def test_enrolment_refuses_a_bad_password_or_code_and_the_link_still_works(
    clocked, changes, message
) -> None:
    path = invite(clocked, "kompas", "nieuw.collega@kompas.example")
    client = clocked.test_client()
    status, html = _enrol_with(clocked, client, path, **changes)
    assert status == 400 and message in html
    assert 'id="error-summary"' in html
    with clocked.app_context(), db.session() as session:
        assert (
            session.scalars(
                select(StaffMember).where(StaffMember.email == "nieuw.collega@kompas.example")
            ).all()
            == []
        )
    assert _enrol_with(clocked, client, path)[0] == 303


def test_a_coordinator_gives_a_request_to_a_colleague(app) -> None:
    coordinator = staff_member(app, "geldpunt-heideveen", "cor@geldpunt.example", "coordinator")
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    bram = staff_member(app, "kompas", "bram@kompas.example")
    assert submit(app.test_client()).status_code == 303
    [request_id] = request_ids(coordinator.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    with app.app_context(), db.session() as session:
        ids = dict(session.execute(select(StaffMember.email, StaffMember.id)).all())

    # Only colleagues of the same partner can be chosen, and only coordinators may give.
    assert ids["bram@kompas.example"] not in coordinator.client.get(path).get_data(as_text=True)
    refused = coordinator.post(f"{path}/assign", page=path, member=ids["bram@kompas.example"])
    assert refused.status_code == 400
    assert anna.post(f"{path}/assign", page=path, member=ids[anna.email]).status_code == 403

    given = coordinator.post(f"{path}/assign", page=path, member=ids[anna.email])
    assert given.status_code == 303
    with app.app_context(), db.session() as session:
        row = session.get(CallbackRequest, request_id)
        assert (row.claimed_by, row.status) == (ids[anna.email], "in-progress")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "reassigned")).one()
        assert (event.actor, event.detail) == (ids[coordinator.email], ids[anna.email])
    assert "<dt>Opgepakt door</dt><dd>Jij</dd>" in anna.client.get(path).get_data(as_text=True)
    assert bram.client.get(path).status_code == 404


def test_an_admin_invites_from_the_admin_page_and_nobody_else_may(app) -> None:
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert staff.client.get("/partner/admin").status_code == 403
    refused = staff.post(
        "/partner/admin/invite",
        page="/partner/account",
        partner="kompas",
        email="x@kompas.example",
        role="admin",
    )
    assert refused.status_code == 403

    invite_at = {"path": "/partner/admin/invite", "page": "/partner/admin"}
    bad = admin.post(**invite_at, partner="kompas", email="geen adres", role="staff")
    assert bad.status_code == 400 and "Dit is geen e-mailadres." in bad.get_data(as_text=True)
    assert (
        admin.post(**invite_at, partner="nergens", email="a@b.example", role="staff").status_code
        == 400
    )
    made = admin.post(
        **invite_at,
        partner="jong-heideveen",
        email="joep@jongheideveen.example",
        role="coordinator",
    )
    html = made.get_data(as_text=True)
    assert made.status_code == 200
    link = re.search(r'<code class="invite-link">[^<]*?(/partner/enrol/[^<]+)</code>', html)[1]
    assert enrol(app, app.test_client(), link)

    with app.app_context(), db.session() as session:
        joep = session.scalars(select(StaffMember).where(StaffMember.partner == "jong-heideveen"))
        assert joep.one().role == "coordinator"
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "invited")).all()
        assert [(e.partner, e.detail) for e in event if e.actor] == [
            ("jong-heideveen", "coordinator")
        ]


def _ids(app) -> dict[str, str]:
    with app.app_context(), db.session() as session:
        return dict(session.execute(select(StaffMember.email, StaffMember.id)).all())


def test_an_admin_disables_an_account_and_is_warned_before_the_last_key_holder(app) -> None:
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    ids = _ids(app)

    def disable(by, email: str, **confirm):
        path = f"/partner/admin/members/{ids[email]}/disable"
        return by.post(path, page="/partner/account", **confirm)

    assert disable(anna, admin.email).status_code == 403
    # An admin cannot lock themselves out.
    assert disable(admin, admin.email).status_code == 303
    assert admin.client.get("/partner/admin").status_code == 200

    warned = disable(admin, anna.email)
    assert warned.status_code == 409 and "Disable anyway" not in warned.get_data(as_text=True)
    assert "de laatste bij Geldpunt Heideveen" in warned.get_data(as_text=True)
    assert anna.client.get("/partner/").status_code == 200

    assert disable(admin, anna.email, confirm="yes").status_code == 303
    assert anna.client.get("/partner/").status_code == 302  # the session ended with the account
    assert login(app, anna.client, anna.email, anna.secret).status_code == 401
    with app.app_context(), db.session() as session:
        assert session.get(PartnerKey, "geldpunt-heideveen") is None
        by_admin = session.execute(
            select(AuditEvent.partner, AuditEvent.action, AuditEvent.detail).where(
                AuditEvent.actor == ids[admin.email], AuditEvent.action != "login"
            )
        ).all()
    assert [tuple(e) for e in by_admin] == [
        ("geldpunt-heideveen", "account-disabled", ids[anna.email])
    ]

    # The partner key went with its last holder: a new request waits in escrow, not sealed to a
    # key nobody has, and the next person to enrol there makes a new key and can open it.
    assert submit(app.test_client()).status_code == 303
    with app.app_context(), db.session() as session:
        assert session.scalars(select(CallbackRequest.contact_escrow)).one() is not None
    piet = staff_member(app, "geldpunt-heideveen", "piet@geldpunt.example")
    [request_id] = request_ids(piet.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    assert PHONE_E164 in piet.post(f"{path}/contact", page=path).get_data(as_text=True)
