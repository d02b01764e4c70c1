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
from keyholders import give_keys, holder_email
from partners.staff import START, login, request_ids, staff_member
from uitweg import db, maintenance
from uitweg.models import (
    AuditEvent,
    CallbackRequest,
    OutboxMessage,
    SealedDataKey,
    StaffMember,
)
from uitweg.staff import accounts


def _app(tmp_path, key_holders: bool = True):
    # Two runs at once need two connections: a file, not SQLite's shared in-memory database.
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / 'escalation.sqlite3'}"
    return make_app(tmp_path, key_holders, NOW=START, **({"DATABASE_URL": url} if url else {}))


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
    assert submit(app.test_client(), topics=["debt"], municipality="Heideveen").status_code == 200
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
    assert submit(app.test_client()).status_code == 200
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
    assert submit(app.test_client()).status_code == 200
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


def test_a_late_request_never_escalates_to_a_partner_that_cannot_open_it(tmp_path) -> None:
    app = _app(tmp_path, key_holders=False)
    give_keys(app, ["kompas"])
    staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert submit(app.test_client()).status_code == 200
    row = _row(app)
    assert row.partner == "geldpunt-heideveen" and row.instead_of is None
    # Kompas, the fallback, loses its key (its only key holder leaves): its copy goes with it.
    with app.app_context(), db.session() as session:
        holder = session.scalars(
            select(StaffMember).where(StaffMember.email == holder_email("kompas"))
        ).one()
        accounts.remove_access(session, holder)

    reports = _twice_at_once(app, row.escalate_at + dt.timedelta(seconds=1))
    assert sum(r.escalated for r in reports) == 0
    assert sum(r.reminded for r in reports) == 1  # the coordinators are still told
    assert _row(app).partner == "geldpunt-heideveen"

    # Someone enrols at kompas later: it still holds no copy of this request, so the request
    # stays where it can be opened instead of moving where nobody could ever read it.
    bram = staff_member(app, "kompas", "bram@kompas.example")
    reports = _twice_at_once(app, row.escalate_at + dt.timedelta(hours=1))
    assert sum(r.escalated for r in reports) == 0
    assert _row(app).partner == "geldpunt-heideveen"
    # (maintenance on a later clock ended the login: log in again)
    assert login(app, bram.client, bram.email, bram.secret).status_code == 303
    inbox = bram.client.get("/partner/")
    assert inbox.status_code == 200 and request_ids(inbox.get_data(as_text=True)) == []

    # A request made now is sealed to the new key at kompas too, and escalates there.
    assert submit(app.test_client(), phone="06 8765 4321").status_code == 200
    with app.app_context(), db.session() as session:
        latest = max(session.scalars(select(CallbackRequest.escalate_at)))
    _twice_at_once(app, latest + dt.timedelta(seconds=1))
    assert login(app, bram.client, bram.email, bram.secret).status_code == 303
    [request_id] = request_ids(bram.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    assert "+31687654321" in bram.post(f"{path}/contact", page=path).get_data(as_text=True)


def test_a_partner_without_a_key_holder_is_skipped_and_the_request_says_why(tmp_path) -> None:
    # The rule sends Heideveen debt questions to Geldpunt, where nobody has enrolled: the
    # request goes along the chain to kompas, which can open it, and stores why.
    app = _app(tmp_path, key_holders=False)
    bram = staff_member(app, "kompas", "bram@kompas.example")
    assert submit(app.test_client()).status_code == 200
    row = _row(app)
    assert (row.partner, row.instead_of) == ("kompas", "geldpunt-heideveen")
    with app.app_context(), db.session() as session:
        sealed_to = set(session.scalars(select(SealedDataKey.partner)))
    assert sealed_to == {"kompas"}
    [request_id] = request_ids(bram.client.get("/partner/").get_data(as_text=True))
    path = f"/partner/requests/{request_id}"
    page = bram.client.get(path).get_data(as_text=True)
    assert "<dt>Bedoeld voor</dt><dd>Geldpunt Heideveen, maar daar kon nog niemand" in page
    assert PHONE_E164 in bram.post(f"{path}/contact", page=path).get_data(as_text=True)
