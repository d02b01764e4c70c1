"""The outbox: a notification survives SMTP being down and arrives exactly once."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import select

import databases
from browser.server import free_port
from callback.forms import submit
from callback.smtp import smtp_server
from conftest import make_app
from uitweg import db, mail
from uitweg.models import OutboxMessage

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def outbox(app) -> list[OutboxMessage]:
    with app.app_context(), db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def deliver(app, at: dt.datetime) -> mail.Report:
    app.config["NOW"] = at
    with app.app_context():
        return mail.deliver_due()


def test_smtp_down_then_up_delivers_exactly_once(tmp_path) -> None:
    port = free_port()
    app = make_app(tmp_path, MAIL_URL=f"smtp://127.0.0.1:{port}", NOW=START)
    response = submit(app.test_client())
    assert response.status_code == 200  # the visitor is told "received" while SMTP is down

    first = deliver(app, START)
    assert (first.sent, first.failed) == (0, 1)
    [message] = outbox(app)
    assert message.attempts == 1 and message.sent_at is None
    assert message.last_error == "ConnectionRefusedError"
    assert message.next_attempt_at == START + dt.timedelta(seconds=30)

    # Not due yet: nothing is tried.
    assert deliver(app, START + dt.timedelta(seconds=10)) == mail.Report(0, 0)
    second = deliver(app, START + dt.timedelta(seconds=31))
    assert (second.sent, second.failed) == (0, 1)
    assert outbox(app)[0].next_attempt_at == START + dt.timedelta(seconds=31 + 60)

    with smtp_server(port) as (inbox, _url):
        later = START + dt.timedelta(minutes=5)
        assert deliver(app, later).sent == 1
        assert deliver(app, later + dt.timedelta(hours=2)) == mail.Report(0, 0)
        assert len(inbox.wait_for(1)) == 1
    [message] = outbox(app)
    assert message.sent_at == later and message.attempts == 3 and message.last_error is None


def test_the_wait_between_tries_doubles_up_to_an_hour() -> None:
    waits = [mail.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_senders_running_at_once_send_each_mail_once(tmp_path) -> None:
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / 'senders.sqlite3'}"
    with smtp_server() as (inbox, mail_url):
        app = make_app(
            tmp_path,
            MAIL_URL=mail_url,
            NOW=START,
            CALLBACK_RATE_LIMIT="100/hour",
            **({"DATABASE_URL": url} if url else {}),
        )
        client = app.test_client()
        for _ in range(12):
            assert submit(client).status_code == 200
        start = threading.Barrier(4)
        reports: list[mail.Report] = []

        def sender() -> None:
            start.wait()
            with app.app_context():
                reports.append(mail.deliver_due())

        threads = [threading.Thread(target=sender) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(r.sent for r in reports) == 12
        assert len(inbox.wait_for(12)) == 12
        ids = [m["Message-ID"] for m in inbox.messages]
        assert len(set(ids)) == 12
    assert all(m.sent_at is not None for m in outbox(app))


def test_a_claimed_mail_is_left_alone_until_its_lease_ends(tmp_path) -> None:
    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, MAIL_URL=mail_url, NOW=START)
        submit(app.test_client())
        with app.app_context(), db.session() as session:
            # A sender that claimed the mail and then died (a worker killed mid-send).
            assert mail._claim(session, outbox(app)[0].id, START)
        assert deliver(app, START + dt.timedelta(minutes=1)) == mail.Report(0, 0)
        assert deliver(app, START + mail.LEASE + dt.timedelta(seconds=1)).sent == 1
        assert len(inbox.wait_for(1)) == 1


def test_the_worker_thread_sends_right_after_a_request(tmp_path) -> None:
    # A database file, not the in-memory one: that lives in one connection, which the worker
    # thread and the request would share (seen once under load: "cannot commit - no
    # transaction is active" in the worker's round).
    own = (
        {} if databases.on_postgres() else {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )
    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, MAIL_URL=mail_url, OUTBOX_WORKER=True, **own)
        assert submit(app.test_client()).status_code == 200
        [message] = inbox.wait_for(1)  # no cron, no explicit call: the worker did it
    assert message["To"] == "geldpunt@heideveen.example"


def test_flask_outbox_send_reports_and_fails_while_mail_is_down(tmp_path) -> None:
    port = free_port()
    app = make_app(tmp_path, MAIL_URL=f"smtp://127.0.0.1:{port}", NOW=START)
    submit(app.test_client())
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "sent 0, failed 1" in result.output
    app.config["NOW"] = START + dt.timedelta(minutes=1)
    with smtp_server(port) as (inbox, _url):
        result = app.test_cli_runner().invoke(args=["outbox", "send"])
        assert result.exit_code == 0 and "sent 1, failed 0" in result.output
        inbox.wait_for(1)


def test_mail_url_forms() -> None:
    plain = mail.SMTPTransport.from_url("smtp://user%40x:p%3Ass@mail.example.org")
    assert (plain.host, plain.port, plain.username, plain.password, plain.mode) == (
        "mail.example.org",
        25,
        "user@x",
        "p:ss",
        "plain",
    )
    assert mail.SMTPTransport.from_url("smtp+starttls://m.example.org").port == 587
    assert mail.SMTPTransport.from_url("smtps://m.example.org:2465").mode == "tls"


def test_a_mail_keeps_its_message_id_on_every_attempt(app) -> None:
    assert submit(app.test_client()).status_code == 200
    with app.app_context(), db.session() as session:
        message = session.scalars(select(OutboxMessage)).one()
        first, again = mail.build(message), mail.build(message)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].startswith(f"<outbox-{message.id}.")
    assert first["Message-ID"].endswith("@localhost>")  # the site's own host (UITWEG_SITE_URL)


def test_a_batch_of_mails_goes_over_one_connection_and_plain_smtp_needs_no_tls(
    tmp_path, monkeypatch
) -> None:
    def no_tls():
        raise AssertionError("a TLS context was built for plain SMTP")

    mail.tls_context.cache_clear()
    monkeypatch.setattr(mail.ssl, "create_default_context", no_tls)
    with smtp_server() as (inbox, mail_url):
        app = make_app(tmp_path, MAIL_URL=mail_url, NOW=START)
        client = app.test_client()
        for _ in range(3):
            assert submit(client).status_code == 200
        assert deliver(app, START).sent == 3
        inbox.wait_for(3)
        assert len(set(inbox.peers)) == 1, inbox.peers  # one connection for the batch
    mail.tls_context.cache_clear()


def test_one_refused_mail_does_not_hold_up_the_rest_of_its_batch(tmp_path) -> None:
    with smtp_server() as (inbox, mail_url):
        inbox.refused.add("geldpunt@heideveen.example")
        app = make_app(tmp_path, MAIL_URL=mail_url, NOW=START)
        client = app.test_client()
        assert submit(client).status_code == 200  # to Geldpunt Heideveen
        assert submit(client, topics=["getting-out"], municipality="Vaartstad").status_code == 200
        report = deliver(app, START)
        assert (report.sent, report.failed) == (1, 1)
        [arrived] = inbox.wait_for(1)
        assert "geldpunt" not in arrived["To"]
        refused, sent = outbox(app)
        assert refused.sent_at is None and refused.last_error.startswith("SMTPRecipientsRefused")
        assert sent.sent_at is not None


def test_the_tls_context_is_made_once_per_process() -> None:
    mail.tls_context.cache_clear()
    assert mail.tls_context() is mail.tls_context()
