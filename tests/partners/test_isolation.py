"""A staff member of one partner can never see or change another partner's requests or people,
by any URL under /partner/ or any form field."""

from __future__ import annotations

import re

from sqlalchemy import select

from callback.forms import submit
from partners.staff import START, csrf, request_ids, staff_member
from uitweg import db
from uitweg.models import AuditEvent, CallbackRequest, StaffMember


def _ids(app) -> tuple[str, str]:
    with app.app_context(), db.session() as session:
        request_id = session.scalars(select(CallbackRequest.id)).one()
        member_id = session.scalars(
            select(StaffMember.id).where(StaffMember.partner == "geldpunt-heideveen")
        ).first()
    return request_id, member_id


def test_every_partner_route_refuses_another_partners_ids(app) -> None:
    app.config["NOW"] = START
    owner = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example", "coordinator")
    intruder = staff_member(app, "kompas", "eve@kompas.example", "coordinator")
    assert submit(app.test_client(), topics=["debt"], municipality="Heideveen").status_code == 200
    request_id, member_id = _ids(app)
    token = csrf(intruder.client.get("/partner/account").get_data(as_text=True))
    with app.app_context(), db.session() as session:
        before = session.get(CallbackRequest, request_id)
        events_before = session.scalars(select(AuditEvent.id)).all()

    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/partner/")]
    checked = set()
    form = {
        "csrf_token": token,
        "result": "reached",
        "outcome": "helped",
        "partner": "kompas",
        "reason": "capacity",
        "member": member_id,
        "language": "en",
    }
    for rule in rules:
        if "request_id" not in rule.arguments and "member_id" not in rule.arguments:
            continue
        path = rule.rule.replace("<request_id>", request_id).replace("<member_id>", member_id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = form if method == "POST" else None
            response = intruder.client.open(path, method=method, data=data)
            expected = 403 if rule.rule.startswith("/partner/admin/") else 404
            assert response.status_code == expected, (method, rule.rule, response.status_code)
            assert request_id not in response.get_data(as_text=True)
        checked.add(rule.rule)
    # Pages without ids show only the intruder's own partner; the statistics show every
    # partner's counts, never a request or a person.
    for path in (
        "/partner/",
        "/partner/team",
        "/partner/audit",
        "/partner/account",
        "/partner/stats",
        "/partner/stats.csv",
    ):
        html = intruder.client.get(path).get_data(as_text=True)
        assert request_id not in html and "anna@geldpunt.example" not in html, path
        checked.add(path)
    assert intruder.client.get("/partner/admin").status_code == 403
    checked |= {
        "/partner/admin",
        "/partner/admin/invite",
        "/partner/login",
        "/partner/logout",
        "/partner/logout-everywhere",
        "/partner/enrol/<token>",
    }
    assert intruder.client.post("/partner/admin/invite", data=form).status_code == 403
    assert {r.rule for r in rules} <= checked, {r.rule for r in rules} - checked

    with app.app_context(), db.session() as session:
        after = session.get(CallbackRequest, request_id)
        assert (after.partner, after.status, after.claimed_by, after.attempts) == (
            before.partner,
            before.status,
            before.claimed_by,
            before.attempts,
        )
        new_events = set(session.scalars(select(AuditEvent.id))) - set(events_before)
    assert new_events == set()
    # The owner still has it.
    assert request_ids(owner.client.get("/partner/").get_data(as_text=True)) == [request_id]


def test_ids_are_random_not_counters(app) -> None:
    app.config["NOW"] = START
    for _ in range(3):
        assert submit(app.test_client()).status_code == 200
    with app.app_context(), db.session() as session:
        ids = session.scalars(select(CallbackRequest.id)).all()
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len({int(i, 16) % 1000 for i in ids}) == 3


def test_a_visitors_html_is_shown_to_staff_as_text(app) -> None:
    app.config["NOW"] = START
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    message = '<script>alert("x")</script><b>vet</b>'
    assert submit(app.test_client(), message=message, alias="<i>Sam</i>").status_code == 200
    [request_id] = request_ids(staff.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    html = staff.post(f"{path}/contact", page=path).get_data(as_text=True)
    assert "<script>alert" not in html and "<b>vet</b>" not in html and "<i>Sam</i>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
