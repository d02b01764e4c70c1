"""Escalation on a fixed clock: late requests remind the coordinators once; at twice the
promised time they move to the fallback partner once, even with maintenance running twice at
the same moment. Forwarding by staff re-routes, audits and notifies."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import select

import databases
from callback.forms import PHONE_E164, submit
from conftest import make_app
from partners.staff import START, login, request_ids, staff_member
from uitweg import db, maintenance
from uitweg.models import AuditEvent, CallbackRequest, OutboxMessage


def _app(tmp_path):
    # Two runs at once need two connections: a file, not SQLite's shared in-memory database.
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / 'escalation.sqlite3'}"
    return make_app(tmp_path, NOW=START, **({"DATABASE_URL": url} if url else {}))


def _twice_at_once(app, at: dt.datetime) -> list[maintenance.Report]:
    start = threading.Barrier(2)
    reports: list[maintenance.Report] = []

    def run() -> None:
        start.wait()
        with app.app_context():
            reports.append(maintenance.run(at))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == 2
    return reports


def _row(app) -> CallbackRequest:
    with app.app_context(), db.session() as session:
        return session.scalars(select(CallbackRequest)).one()


def _mails(app) -> list[tuple[str, str]]:
    with app.app_context(), db.session() as session:
        return [
            (m.kind, m.partner)
            for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_late_requests_remind_once_then_escalate_once_to_the_fallback(tmp_path) -> None:
    app = _app(tmp_path)
    staff_member(app, "geldpunt-heideveen", "cor@geldpunt.example", "coordinator")
    kompas = staff_member(app, "kompas", "bram@kompas.example")
    assert submit(app.test_client(), topics=["debt"], municipality="Heideveen").status_code == 303
    row = _row(app)
    assert row.partner == "geldpunt-heideveen"
    promised, escalate_at = row.expected_by, row.escalate_at
    assert escalate_at - promised == promised - row.expected_from == dt.timedelta(hours=48)

    before = _twice_at_once(app, promised - dt.timedelta(minutes=1))
    assert sum(r.reminded + r.escalated for r in before) == 0

    reminded = _twice_at_once(app, promised + dt.timedelta(seconds=1))
    assert sum(r.reminded for r in reminded) == 1 and sum(r.escalated for r in reminded) == 0
    assert _mails(app) == [("new-request", "geldpunt-heideveen"), ("overdue", "geldpunt-heideveen")]

    escalated = _twice_at_once(app, escalate_at + dt.timedelta(seconds=1))
    assert sum(r.escalated for r in escalated) == 1
    row = _row(app)
    assert (row.partner, row.forwards, row.status, row.claimed_by) == (
        "kompas",
        1,
        "received",
        None,
    )
    assert row.expected_by > escalate_at  # kompas's own promise, from now
    assert _mails(app)[-1] == ("new-request", "kompas")
    with app.app_context(), db.session() as session:
        events = session.execute(
            select(AuditEvent.partner, AuditEvent.action, AuditEvent.detail, AuditEvent.actor)
            .where(AuditEvent.request_id == row.id)
            .order_by(AuditEvent.at, AuditEvent.action)
        ).all()
    assert [tuple(e) for e in events] == [
        ("geldpunt-heideveen", "reminded", None, None),
        ("geldpunt-heideveen", "escalated", "kompas", None),
        ("kompas", "escalation-received", "geldpunt-heideveen", None),
    ]
    # Maintenance four days on also ended every idle login.
    assert kompas.client.get("/partner/").status_code == 302
    assert login(app, kompas.client, kompas.email, kompas.secret).status_code == 303
    # The fallback opens the contact details without anyone having to unlock anything.
    [request_id] = request_ids(kompas.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    assert PHONE_E164 in kompas.post(f"{path}/contact", page=path).get_data(as_text=True)
    # kompas has no fallback: later runs change nothing.
    later = _twice_at_once(app, row.escalate_at + dt.timedelta(days=1))
    assert sum(r.escalated for r in later) == 0 and _row(app).partner == "kompas"


def test_a_claimed_request_is_not_escalated(tmp_path) -> None:
    app = _app(tmp_path)
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert submit(app.test_client()).status_code == 303
    [request_id] = request_ids(staff.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    assert staff.post(f"{path}/claim", page=path).status_code == 303
    reports = _twice_at_once(app, _row(app).escalate_at + dt.timedelta(hours=1))
    assert sum(r.reminded + r.escalated for r in reports) == 0
    assert _row(app).partner == "geldpunt-heideveen"


def test_staff_forward_a_request_with_a_reason(tmp_path) -> None:
    app = _app(tmp_path)
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    other = staff_member(app, "jong-heideveen", "joep@jongheideveen.example")
    assert submit(app.test_client()).status_code == 303
    [request_id] = request_ids(staff.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    response = staff.post(
        f"{path}/forward", page=path, partner="jong-heideveen", reason="other-topic"
    )
    assert response.status_code == 303
    assert request_ids(staff.client.get("/partner/").get_data(as_text=True)) == []
    assert staff.client.get(path).status_code == 404
    # jong-heideveen is not in geldpunt's chain: the forward sealed the key to it.
    assert request_ids(other.client.get("/partner/").get_data(as_text=True)) == [request_id]
    assert PHONE_E164 in other.post(f"{path}/contact", page=path).get_data(as_text=True)
    assert _mails(app)[-1] == ("new-request", "jong-heideveen")
    with app.app_context(), db.session() as session:
        details = session.execute(
            select(AuditEvent.partner, AuditEvent.action, AuditEvent.detail).where(
                AuditEvent.action.in_(["forwarded", "forward-received"])
            )
        ).all()
    assert sorted(tuple(d) for d in details) == [
        ("geldpunt-heideveen", "forwarded", "jong-heideveen other-topic"),
        ("jong-heideveen", "forward-received", "geldpunt-heideveen other-topic"),
    ]


def test_escalation_to_a_fallback_nobody_has_enrolled_at_keeps_the_escrow_until_they_do(
    tmp_path,
) -> None:
    app = _app(tmp_path)
    staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert submit(app.test_client()).status_code == 303
    row = _row(app)
    assert row.contact_escrow is not None  # kompas, the fallback, has no key pair yet

    reports = _twice_at_once(app, row.escalate_at + dt.timedelta(seconds=1))
    assert sum(r.escalated for r in reports) == 1
    row = _row(app)
    assert row.partner == "kompas" and row.contact_escrow is not None

    bram = staff_member(app, "kompas", "bram@kompas.example")
    assert _row(app).contact_escrow is None  # enrolment sealed the key to kompas
    [request_id] = request_ids(bram.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    assert PHONE_E164 in bram.post(f"{path}/contact", page=path).get_data(as_text=True)
