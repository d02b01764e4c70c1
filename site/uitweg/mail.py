"""The outbox: mails written to the database with what they announce, then sent over SMTP.

A request and its notification are stored in one transaction, so a notification cannot be lost
when SMTP is down. Senders (a thread in every worker, and `flask outbox send` from cron) claim a
message for a short lease with one conditional UPDATE, which works the same on SQLite and
PostgreSQL: when several senders run at once, each message goes to one of them. A failed send is
retried later, waiting longer each time. Mails never hold a visitor's details.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from . import db
from .background import Worker
from .context import content, now
from .models import CallbackRequest, OutboxMessage
from .privacy import vault

log = logging.getLogger(__name__)

NEW_REQUEST = "new-request"
NEW_QUESTION = "new-question"  # a written conversation started
NEW_MESSAGE = "new-message"  # the visitor wrote again in one
# To a visitor who asked for it: "there is an answer", nothing else (see enqueue_notice).
VISITOR_NOTICE = "visitor-notice"
# A notice not delivered by then is dropped with its address: it would only arrive stale.
NOTICE_TTL = dt.timedelta(days=1)
OVERDUE = "overdue"
LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
BATCH = 50


def enqueue(
    session: Session, kind: str, partner: str, request_id: str | None, at: dt.datetime
) -> OutboxMessage:
    message = OutboxMessage(
        kind=kind, partner=partner, request_id=request_id, created_at=at, next_attempt_at=at
    )
    session.add(message)
    return message


def enqueue_notice(
    session: Session, partner: str, request_id: str, address: str, at: dt.datetime
) -> OutboxMessage:
    """A "there is an answer" notice to a visitor's own address. The address lives in the
    conversation's sealed contact block; here it is under the server key for as long as the
    notice waits (it is erased when sent, given up, or the conversation ends): the one moment
    the site itself can read a visitor's address, and only because they asked for it."""
    message = enqueue(session, VISITOR_NOTICE, partner, request_id, at)
    message.recipient = vault().lock(address.encode())
    return message


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s after the first failure, doubling up to an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


# -- transport ---------------------------------------------------------------------------------


class Connection:
    """Where mails go one after another: one SMTP connection for a batch of outbox mails."""

    def send(self, message: EmailMessage) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class Transport:
    def connect(self) -> Connection:
        raise NotImplementedError

    def send(self, message: EmailMessage) -> None:
        """One mail on a connection of its own."""
        connection = self.connect()
        try:
            connection.send(message)
        finally:
            connection.close()


class _LogConnection(Connection):
    def send(self, message: EmailMessage) -> None:
        log.info("mail (not sent, no MAIL_URL): %s\n%s", message["Subject"], message.get_content())


class LogTransport(Transport):
    """Development: the mail is written to the log instead of sent."""

    def connect(self) -> Connection:
        return _LogConnection()


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process, made on first use: building one loads the system's
    certificate store (tens of milliseconds), and plain SMTP never needs it."""
    return ssl.create_default_context()


class _SMTPConnection(Connection):
    """Connects on the first mail; after a failure it starts over on the next one, so that one
    refused mail does not hold up the rest of a batch."""

    def __init__(self, transport: SMTPTransport) -> None:
        self.transport = transport
        self.client: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        t = self.transport
        if t.mode == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                t.host, t.port, timeout=t.timeout, context=tls_context()
            )
        else:
            client = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
        try:
            client.ehlo()
            if t.mode == "starttls" or (t.mode == "plain" and client.has_extn("starttls")):
                client.starttls(context=tls_context())
                client.ehlo()
            if t.username:
                client.login(t.username, t.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: EmailMessage) -> None:
        if self.client is None:
            self.client = self._open()
        try:
            self.client.send_message(message)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


@dataclass(frozen=True)
class SMTPTransport(Transport):
    host: str
    port: int
    username: str | None
    password: str | None
    mode: str  # "plain" (STARTTLS when offered), "starttls" (required) or "tls"
    timeout: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> SMTPTransport:
        parts = urlsplit(url)
        modes = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
        if parts.scheme not in modes or not parts.hostname:
            raise ValueError("MAIL_URL must look like smtp://user:password@host:port")
        default_port = {"plain": 25, "starttls": 587, "tls": 465}[modes[parts.scheme]]
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            mode=modes[parts.scheme],
        )

    def connect(self) -> Connection:
        return _SMTPConnection(self)


def transport() -> Transport:
    url = current_app.config.get("MAIL_URL")
    return SMTPTransport.from_url(url) if url else LogTransport()


# -- messages ----------------------------------------------------------------------------------

NEW_REQUEST_BODY = """\
Er wacht een nieuwe terugbelvraag voor {name} in de inbox van {site}:
{inbox}

Deze mail bevat bewust geen gegevens van de persoon die om contact vraagt.

--
A new callback request for {name} is waiting in the {site} inbox:
{inbox}

This mail deliberately holds no details about the person asking.
"""

NEW_QUESTION_BODY = """\
Er wacht een nieuwe schriftelijke vraag voor {name} in de inbox van {site}:
{inbox}

Deze mail bevat bewust geen gegevens en geen tekst van de persoon die de vraag stelt.

--
A new written question for {name} is waiting in the {site} inbox:
{inbox}

This mail deliberately holds no details and no words of the person asking.
"""

NEW_MESSAGE_BODY = """\
Er is een nieuw bericht in een schriftelijk gesprek met {name} in de inbox van {site}:
{inbox}

Deze mail bevat bewust geen gegevens en geen tekst van de persoon die schrijft.

--
There is a new message in a written conversation with {name} in the {site} inbox:
{inbox}

This mail deliberately holds no details and no words of the person writing.
"""

NOTICE_BODY = """\
Er staat een antwoord voor je klaar. Open deze pagina en typ je code:
{link}

--
There is an answer for you. Open this page and type your code:
{link}
"""

SUBJECTS = {
    VISITOR_NOTICE: "Er is een antwoord voor je / There is an answer for you",
    NEW_REQUEST: "Nieuwe terugbelvraag / New callback request",
    NEW_QUESTION: "Nieuwe schriftelijke vraag / New written question",
    NEW_MESSAGE: "Nieuw bericht / New message",
    OVERDUE: "Terugbelvraag te laat / Callback request overdue",
}

OVERDUE_BODY = """\
Een terugbelvraag voor {name} wacht langer dan beloofd en niemand heeft hem nog opgepakt:
{inbox}

Wordt hij niet snel opgepakt, dan gaat hij naar de achtervang-partner.

--
A callback request for {name} has waited longer than promised and nobody has taken it yet:
{inbox}

If nobody takes it soon, it goes to the fallback partner.
"""


INVITATION_BODY = """\
Je bent uitgenodigd voor de partner-inbox van {site}, bij {partner}.
Open deze link om je account te maken (hij werkt één keer, {hours} uur lang):
{link}

Verwachtte je deze mail niet? Doe dan niets: zonder de link gebeurt er niets.

--
You have been invited to the {site} partner inbox, at {partner}.
Open this link to set up your account (it works once, for {hours} hours):
{link}

Not expecting this mail? Do nothing: without the link nothing happens.
"""


LISTING_CHECK_BODY = """\
{name} staat in de wegwijzer van {site}. Mensen die hulp zoeken gebruiken die vermelding.
Klopt ze nog? Open deze link en zeg het ons, of geef door wat er anders is
(hij werkt één keer, {days} dagen lang, alleen voor deze vermelding):
{link}

Je kunt dit ook negeren: dan blijft de vermelding zoals ze is.

--
{name} is listed in the {site} directory. People looking for help use that listing.
Is it still right? Open this link and tell us, or say what is different
(it works once, for {days} days, for this listing only):
{link}

You can also ignore this: the listing then stays as it is.
"""


def send_listing_check(email: str, link: str, name: str, days: int) -> None:
    """Mail a listing's owner the link to check it, now: the link is a secret, so, like an
    invitation, it is never kept in the outbox. Raises OSError or SMTPException when the mail
    could not be handed over."""
    site = content().site.short_name
    message = _message(email, f"Klopt uw vermelding nog? / Is your listing still right? ({site})")
    message["Message-ID"] = make_msgid(domain=_mail_domain())
    message.set_content(LISTING_CHECK_BODY.format(site=site, name=name, days=days, link=link))
    transport().send(message)


def send_invitation(email: str, link: str, partner_name: str, hours: int) -> None:
    """Mail an enrolment link to the person it is for, now: the link is a secret, so it is not
    kept in the outbox, and the person who made the invitation never sees it. Raises OSError
    or SMTPException when the mail could not be handed over."""
    site = content().site.short_name
    message = _message(email, f"Uitnodiging / Invitation ({site})")
    message["Message-ID"] = make_msgid(domain=_mail_domain())
    message.set_content(
        INVITATION_BODY.format(site=site, partner=partner_name, hours=hours, link=link)
    )
    transport().send(message)


def _message(to: str, subject: str) -> EmailMessage:
    """A mail with the headers every mail of the site has."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now())
    return message


def _mail_domain() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname or "uitweg.invalid"


def _coordinators(partner: str) -> list[str]:
    from .models import StaffMember
    from .vocabulary import Role

    with db.session() as session:
        return list(
            session.scalars(
                select(StaffMember.email).where(
                    StaffMember.partner == partner,
                    StaffMember.role.in_(Role.COORDINATES),
                    StaffMember.disabled_at.is_(None),
                )
            )
        )


def build(message: OutboxMessage) -> EmailMessage | None:
    """The mail for an outbox row, or None when its partner is gone from partners.yaml."""
    routing = content().routing
    partner = routing.partners.get(message.partner) if routing else None
    if partner is None:
        return None
    if message.kind == VISITOR_NOTICE:
        return _notice(message)
    site = content().site.short_name
    overdue = message.kind == OVERDUE
    mail = _message(
        # Late requests go to the coordinators, or to the partner's address when it has none.
        ", ".join((overdue and _coordinators(partner.slug)) or partner.notify),
        f"{SUBJECTS.get(message.kind, SUBJECTS[NEW_REQUEST])} ({site})",
    )
    # The same id on every attempt (make_msgid adds the time and a random number, so it is not
    # used here): a receiving server can drop a copy it already has.
    stamp = int(message.created_at.timestamp())
    mail["Message-ID"] = f"<outbox-{message.id}.{stamp}@{_mail_domain()}>"
    inbox = current_app.config["SITE_URL"].rstrip("/") + "/partner/"
    body = {
        OVERDUE: OVERDUE_BODY,
        NEW_QUESTION: NEW_QUESTION_BODY,
        NEW_MESSAGE: NEW_MESSAGE_BODY,
    }.get(message.kind, NEW_REQUEST_BODY)
    mail.set_content(body.format(name=partner.name["nl"], site=site, inbox=inbox))
    return mail


def _notice(message: OutboxMessage) -> EmailMessage | None:
    """The visitor's notice: no name of the site, the partner or anyone; only the page to go."""
    if message.recipient is None:
        return None  # given up, or the conversation ended
    mail = _message(vault().unlock(message.recipient).decode(), SUBJECTS[VISITOR_NOTICE])
    mail["Message-ID"] = (
        f"<outbox-{message.id}.{int(message.created_at.timestamp())}@{_mail_domain()}>"
    )
    with db.session() as session:
        row = session.get(CallbackRequest, message.request_id or "")
    # The page in the language the visitor writes in, where the site has it.
    lang = "en" if row is not None and row.language == "en" else "nl"
    link = current_app.config["SITE_URL"].rstrip("/") + f"/{lang}/callback/conversation"
    mail.set_content(NOTICE_BODY.format(link=link))
    return mail


# -- delivery ----------------------------------------------------------------------------------


@dataclass
class Report:
    sent: int = 0
    failed: int = 0


def _claim(session: Session, message_id: int, at: dt.datetime) -> bool:
    result = db.changed(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < at),
        )
        .values(claimed_until=at + LEASE, attempts=OutboxMessage.attempts + 1),
    )
    return result == 1


def deliver_due(limit: int = BATCH) -> Report:
    """Send what is due now. Safe to run in several processes at once."""
    report = Report()
    at = now()
    with db.session() as session:
        due = session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at <= at,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < at),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()
    connection = transport().connect()
    try:
        _deliver(due, connection, at, report)
    finally:
        connection.close()
    return report


def _deliver(due: Sequence[int], sender: Connection, at: dt.datetime, report: Report) -> None:
    """Send each due mail over one connection (opened on the first mail that is built)."""
    for message_id in due:
        with db.session() as session:
            if not _claim(session, message_id, at):
                continue  # another sender has it
        with db.session() as session:
            message = session.get_one(OutboxMessage, message_id)
            if message.recipient is not None and message.created_at < at - NOTICE_TTL:
                message.recipient = None  # too late to be of use: the address goes
            try:
                mail = build(message)
                if mail is not None:
                    sender.send(mail)
            except (OSError, smtplib.SMTPException) as exc:
                message.claimed_until = None
                message.next_attempt_at = now() + retry_delay(message.attempts)
                message.last_error = _describe(exc)
                report.failed += 1
                log.warning(
                    "outbox %s not sent (attempt %d): %s",
                    message_id,
                    message.attempts,
                    message.last_error,
                )
            else:
                message.sent_at = now()
                message.claimed_until = None
                message.recipient = None
                message.last_error = None if mail else "nothing to send any more"
                report.sent += 1


def _describe(exc: Exception) -> str:
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def _drain() -> None:
    # Until nothing is due; after a failure, wait for the next round.
    while (report := deliver_due()).sent and not report.failed:
        pass


def init_app(app: Flask) -> None:
    dispatcher = app.extensions["outbox"] = Worker(
        app, "outbox", float(app.config["OUTBOX_POLL_SECONDS"]), _drain
    )
    if app.config["OUTBOX_WORKER"]:
        # Any request starts the sender, so mail held back while SMTP was down goes out after a
        # restart even before the next callback request arrives.
        app.before_request(dispatcher.ensure_running)


def notify_soon() -> None:
    """Ask this process's sender to deliver now (when the worker thread is on)."""
    if current_app.config["OUTBOX_WORKER"]:
        current_app.extensions["outbox"].kick()
