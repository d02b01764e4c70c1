"""Accounts and teams: enrolment refuses bad passwords and codes and keeps the link usable,
coordinators give requests to colleagues, admins invite and disable accounts, and each of these
is refused to a role without the right."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from callback.forms import submit
from callback.smtp import smtp_server
from conftest import make_app
from partners.staff import (
    PASSWORD,
    START,
    admit,
    enrol,
    invite,
    login,
    request_ids,
    send_enrolment,
    staff_member,
)
from uitweg import db
from uitweg.models import AuditEvent, CallbackRequest, Invitation, StaffMember
from uitweg.staff import accounts


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
    assert submit(app.test_client()).status_code == 200
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


def test_an_admin_invites_only_at_their_own_partner_and_only_the_invitee_gets_the_link(
    app,
) -> None:
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    invite_at = {"path": "/partner/admin/invite", "page": "/partner/admin"}
    assert staff.client.get("/partner/admin").status_code == 403
    refused = staff.post("/partner/admin/invite", page="/partner/account", email="x@k.example")
    assert refused.status_code == 403

    bad = admin.post(**invite_at, email="geen adres", role="staff")
    assert bad.status_code == 400 and "Dit is geen e-mailadres." in bad.get_data(as_text=True)
    # An account of another partner is never moved from the web.
    moved = admin.post(**invite_at, email=staff.email, role="staff")
    assert moved.status_code == 409 and "andere partner" in moved.get_data(as_text=True)

    with smtp_server() as (inbox, url):
        app.config["MAIL_URL"] = url
        # Naming another partner in the form changes nothing: the invitation is for kompas.
        made = admin.post(
            **invite_at, partner="jong-heideveen", email="joep@example.org", role="coordinator"
        )
        [mail] = inbox.wait_for(1)
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "gemaild naar joep@example.org" in html
    assert "/partner/enrol/" not in html  # the admin never sees the link
    assert mail["To"] == "joep@example.org"
    link = re.search(
        r"http://localhost:5000(/partner/enrol/\S+)", mail.get_payload(decode=True).decode()
    )[1]

    joep_client = app.test_client()
    secret = enrol(app, joep_client, link)
    assert login(app, joep_client, "joep@example.org", secret).status_code == 303
    # Joined at kompas, as a coordinator, but admitted by nobody yet: no requests, no team.
    assert joep_client.get("/partner/").status_code == 403
    assert joep_client.get("/partner/team").status_code == 403
    with app.app_context(), db.session() as session:
        joep = session.scalars(
            select(StaffMember).where(StaffMember.email == "joep@example.org")
        ).one()
        assert (joep.partner, joep.role) == ("kompas", "coordinator")
        events = session.execute(
            select(AuditEvent.partner, AuditEvent.action, AuditEvent.detail).where(
                AuditEvent.action.in_(["invited", "joined"]),
                AuditEvent.actor.in_([joep.id, _ids(app)[admin.email]]),
            )
        ).all()
    assert sorted(tuple(e) for e in events) == [
        ("kompas", "invited", "coordinator"),
        ("kompas", "joined", "admin"),  # the admin's own join
        ("kompas", "joined", "coordinator"),
    ]


def test_an_invitation_whose_mail_fails_is_not_made(app) -> None:
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    with smtp_server() as (_inbox, url):
        pass  # a port where nothing listens any more
    app.config["MAIL_URL"] = url
    failed = admin.post(
        "/partner/admin/invite", page="/partner/admin", email="x@example.org", role="staff"
    )
    assert failed.status_code == 503 and "niet gemaakt" in failed.get_data(as_text=True)
    with app.app_context(), db.session() as session:
        assert (
            session.scalars(select(Invitation).where(Invitation.email == "x@example.org")).all()
            == []
        )


def test_no_role_or_form_gives_anyone_a_link_or_an_account_at_another_partner(app) -> None:
    """Every partner page and form, tried by an admin of kompas against jong-heideveen: no
    enrolment link on any page, no invitation or account there, no request of theirs shown."""
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    coordinator = staff_member(app, "kompas", "coor@kompas.example", "coordinator")
    other = staff_member(app, "jong-heideveen", "lid@jongheideveen.example", "coordinator")
    assert submit(app.test_client(), topics=["drugs"], asking="myself").status_code == 200
    with app.app_context(), db.session() as session:
        theirs = session.scalars(
            select(CallbackRequest.id).where(CallbackRequest.partner != "kompas")
        ).all()
    pages = ["/partner/", "/partner/team", "/partner/audit", "/partner/admin", "/partner/account"]
    for who in (admin, coordinator):
        for page in pages:
            html = who.client.get(page).get_data(as_text=True)
            assert "/partner/enrol/" not in html, page
            assert not any(request_id in html for request_id in theirs), page
        for request_id in theirs:
            for action in ("", "/claim", "/contact", "/attempt", "/forward", "/close", "/assign"):
                path = f"/partner/requests/{request_id}{action}"
                got = who.post(path, page="/partner/account") if action else who.client.get(path)
                assert got.status_code == 404, path
        for fields in (
            {"partner": "jong-heideveen", "email": "mijn@adres.example", "role": "admin"},
            {"email": other.email, "role": "admin"},
        ):
            who.post("/partner/admin/invite", page="/partner/account", **fields)
    with app.app_context(), db.session() as session:
        invited = session.execute(select(Invitation.email, Invitation.partner)).all()
        members = session.execute(select(StaffMember.email, StaffMember.partner)).all()
    # The admin's own partner got the one invitation the admin may make; nobody else any.
    assert [tuple(i) for i in invited if i[0] == "mijn@adres.example"] == [
        ("mijn@adres.example", "kompas")
    ]
    assert [tuple(i) for i in invited if i[0] == other.email] == [(other.email, "jong-heideveen")]
    assert ("lid@jongheideveen.example", "jong-heideveen") in [tuple(m) for m in members]
    assert sorted(m[0] for m in members if m[1] == "jong-heideveen") == [
        "lid@jongheideveen.example",
        "sleutel@jong-heideveen.test",
    ]


def _ids(app) -> dict[str, str]:
    with app.app_context(), db.session() as session:
        return dict(session.execute(select(StaffMember.email, StaffMember.id)).all())


def test_an_admin_disables_accounts_but_takes_no_other_partners_last_key(tmp_path) -> None:
    app = make_app(tmp_path, key_holders=False, NOW=START)
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    own_admin = staff_member(app, "geldpunt-heideveen", "baas@geldpunt.example", "admin", False)
    ids = _ids(app)
    # The partner's own admin holds no key yet: a coordinator must admit them first.
    assert own_admin.client.get("/partner/admin").status_code == 403

    def disable(by, email: str, **confirm):
        path = f"/partner/admin/members/{ids[email]}/disable"
        return by.post(path, page="/partner/account", **confirm)

    assert disable(anna, admin.email).status_code == 403
    # An admin cannot lock themselves out.
    assert disable(admin, admin.email).status_code == 303
    assert admin.client.get("/partner/admin").status_code == 200

    # Anna holds Geldpunt's only key: an admin elsewhere may not take it away, confirmed or not.
    for confirm in ({}, {"confirm": "yes"}):
        warned = disable(admin, anna.email, **confirm)
        html = warned.get_data(as_text=True)
        assert warned.status_code == 409 and "de laatste bij Geldpunt Heideveen" in html
        assert "Vraag die persoon eerst een collega toegang te geven" in html
    assert anna.client.get("/partner/").status_code == 200
    assert disable(admin, own_admin.email).status_code == 303  # not a key holder: may
    assert own_admin.client.get("/partner/account").status_code == 302
    # Once admitted, Geldpunt's own admin is a key holder too, so Anna is no longer the last.
    admit(app, anna.email)  # (no-op: she holds the key)
    with app.app_context(), db.session() as session:
        assert accounts.key_holders(session, "geldpunt-heideveen") == [ids[anna.email]]
