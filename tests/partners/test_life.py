"""The whole life of a request: submitted, notified, logged in, claimed, shown, called, closed,
and after the retention period wiped, with the counts kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from callback.forms import PHONE_E164, submit
from callback.smtp import smtp_server
from conftest import make_app
from partners.staff import START, request_ids, staff_member, tick
from uitweg import db, mail
from uitweg.models import AuditEvent, CallbackRequest, SealedDataKey


def test_a_request_from_the_form_to_the_purge(tmp_path) -> None:
    with smtp_server() as (inbox, url):
        app = make_app(tmp_path, MAIL_URL=url, NOW=START)
        staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")

        assert (
            submit(app.test_client(), topics=["debt"], municipality="Heideveen").status_code == 200
        )
        with app.app_context():
            assert mail.deliver_due().sent == 1
        [raw] = inbox.wait_for(1) and inbox.raw
        assert b"geldpunt@heideveen.example" in raw and PHONE_E164.encode() not in raw

        page = staff.client.get("/partner/")
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        [request_id] = request_ids(page.get_data(as_text=True))
        path = f"/partner/requests/{request_id}"
        assert PHONE_E164 not in staff.client.get(path).get_data(as_text=True)

        assert staff.post(f"{path}/claim", page=path).status_code == 303
        shown = staff.post(f"{path}/contact", page=path)
        assert shown.status_code == 200 and PHONE_E164 in shown.get_data(as_text=True)
        assert "Sam" in shown.get_data(as_text=True)
        tick(app, 600)
        assert staff.post(f"{path}/attempt", page=path, result="reached").status_code == 303
        assert staff.post(f"{path}/close", page=path, outcome="helped").status_code == 303
        assert request_ids(staff.client.get("/partner/").get_data(as_text=True)) == []

        with app.app_context(), db.session() as session:
            actions = session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.request_id == request_id)
                .order_by(AuditEvent.at)
            ).all()
            details = session.scalars(select(AuditEvent.detail)).all()
        assert actions == ["claimed", "contact-shown", "attempt", "closed"]
        assert not any(PHONE_E164 in (d or "") or "Sam" in (d or "") for d in details)

        runner = app.test_cli_runner()
        tick(app, 29 * 24 * 3600)
        assert "of 0 request(s)" in runner.invoke(args=["purge", "--dry-run"]).output
        tick(app, 2 * 24 * 3600)
        listed = runner.invoke(args=["purge", "--dry-run"]).output
        assert request_id in listed and "would delete the contact details of 1" in listed
        assert "deleted the contact details of 1" in runner.invoke(args=["purge"]).output

        with app.app_context(), db.session() as session:
            row = session.get(CallbackRequest, request_id)
            assert row.contact is None and row.wiped_at
            assert session.scalar(select(func.count()).select_from(SealedDataKey)) == 0
            # What the statistics count survives.
            assert (row.status, row.outcome, row.attempts) == ("closed", "helped", 1)
            assert row.reached_at - row.created_at == dt.timedelta(seconds=600)
            assert (row.topics, row.municipality, row.partner) == (
                "debt",
                "Heideveen",
                "geldpunt-heideveen",
            )
