"""The inbox and one request: claim, show contact details, record attempts, forward, close.

A request of another partner is "not found" at every URL here, exactly like an id that does not
exist: staff of one partner learn nothing about another's requests.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db, mail
from ..context import content, now
from ..forms import ButtonForm
from ..i18n import current_language
from ..intake import audit, conversation
from ..intake import contact as sealed_contact
from ..intake.lifecycle import (
    OPEN,
    CannotShare,
    NoKeyHolder,
    assign,
    claim,
    close,
    forward,
    is_open,
    record_attempt,
    reply,
)
from ..models import AuditEvent, CallbackRequest, StaffMember
from ..staff.access import staff_page
from ..vocabulary import (
    ATTEMPT_LABELS,
    FORWARD_REASON_LABELS,
    OUTCOME_LABELS,
    Author,
    RequestKind,
    Role,
)
from . import bp
from .forms import AssignForm, AttemptForm, CloseForm, ForwardForm, ReplyForm

HANDLERS = Role.HANDLES_REQUESTS


def _own(db_session: Session, request_id: str, lock: bool = False) -> CallbackRequest:
    row = db_session.get(CallbackRequest, request_id[:32], with_for_update=lock)
    if row is None or row.partner != current_user.partner:
        abort(404)
    return row


def _partner_choices() -> list[tuple[str, str]]:
    routing = content().routing
    lang = current_language()
    if routing is None:
        return []
    return [
        (slug, partner.name.get(lang) or partner.name["nl"])
        for slug, partner in routing.partners.items()
        if slug != current_user.partner
    ]


def _colleagues(db_session: Session) -> list[StaffMember]:
    return list(
        db_session.scalars(
            select(StaffMember)
            .where(
                StaffMember.partner == current_user.partner,
                StaffMember.disabled_at.is_(None),
                StaffMember.role.in_(HANDLERS),
            )
            .order_by(StaffMember.email)
        )
    )


@bp.get("/")
@staff_page(HANDLERS, admitted=True)
def inbox() -> ResponseReturnValue:
    with db.session() as db_session:
        rows = db_session.scalars(
            select(CallbackRequest)
            .where(
                CallbackRequest.partner == current_user.partner,
                CallbackRequest.status.in_(OPEN),
            )
            .order_by(CallbackRequest.created_at)
        ).all()
        names = {m.id: m.email for m in _colleagues(db_session)}
    return render_template("partners/inbox.html", rows=rows, names=names, at=now())


def _page(
    request_id: str,
    shown: dict | None = None,
    status: int = 200,
    thread: list[conversation.Message] | None = None,
    **forms,
):
    with db.session() as db_session:
        row = _own(db_session, request_id)
        events = db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.request_id == row.id, AuditEvent.partner == current_user.partner)
            .order_by(AuditEvent.at)
        ).all()
        colleagues = _colleagues(db_session)
    names = {m.id: m.email for m in colleagues}
    return render_template(
        "partners/request.html",
        row=row,
        events=events,
        names=names,
        shown=shown,
        thread=thread,
        visitor=Author.VISITOR,
        reply_form=forms.get("reply_form") or ReplyForm(formdata=None),
        at=now(),
        action=ButtonForm(),
        attempt=forms.get("attempt") or AttemptForm(formdata=None),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
        forward_form=forms.get("forward_form")
        or ForwardForm(formdata=None, partners=_partner_choices()),
        assign_form=AssignForm(formdata=None, members=[(m.id, m.email) for m in colleagues]),
        problem=forms.get("problem"),
        labels={
            "attempt": ATTEMPT_LABELS,
            "outcome": OUTCOME_LABELS,
            "reason": FORWARD_REASON_LABELS,
        },
    ), status


@bp.get("/requests/<request_id>")
@staff_page(HANDLERS, admitted=True)
def request_page(request_id: str) -> ResponseReturnValue:
    return _page(request_id)


def _back(request_id: str) -> ResponseReturnValue:
    return redirect(url_for("partners.request_page", request_id=request_id), 303)


@bp.post("/requests/<request_id>/claim")
@staff_page(HANDLERS, admitted=True)
def claim_request(request_id: str) -> ResponseReturnValue:
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        if ButtonForm().validate() and is_open(row) and row.claimed_by is None:
            claim(db_session, row, current_user.member.id, now())
            flash("claimed-written" if row.kind == RequestKind.WRITTEN else "claimed")
    return _back(request_id)


@bp.post("/requests/<request_id>/contact")
@staff_page(HANDLERS, admitted=True)
def show_contact(request_id: str) -> ResponseReturnValue:
    if not ButtonForm().validate():
        return _back(request_id)
    with db.session() as db_session:
        row = _own(db_session, request_id)
        try:
            shown = sealed_contact.open_block(
                db_session, row, row.partner, current_user.partner_private_key()
            )
        except sealed_contact.NoAccess:
            shown = None
        else:
            audit.record(
                db_session, row.partner, current_user.member.id, audit.CONTACT_SHOWN, row.id
            )
            # A callback can go on in writing: its messages are opened with the same key.
            thread = _thread(db_session, row) if row.visitor_box is not None else None
    if shown is None:
        return _no_access(request_id)
    return _page(request_id, shown=shown, thread=thread)


def _thread(db_session: Session, row: CallbackRequest) -> list[conversation.Message] | None:
    """A written conversation's messages, opened with this member's partner key; None when
    it cannot open them."""
    try:
        key = sealed_contact.data_key(
            db_session, row, row.partner, current_user.partner_private_key()
        )
    except sealed_contact.NoAccess:
        return None
    return conversation.messages(db_session, row, key)


def _no_access(request_id: str) -> ResponseReturnValue:
    # Without a key of their own the member needs a grant; with one, the partner's key that
    # locked this request is gone (its last holder left) and nobody can open it.
    key = current_user.partner_private_key()
    return _page(request_id, problem="no-access" if key is None else "key-lost", status=403)


@bp.post("/requests/<request_id>/conversation")
@staff_page(HANDLERS, admitted=True)
def show_conversation(request_id: str) -> ResponseReturnValue:
    if not ButtonForm().validate():
        return _back(request_id)
    with db.session() as db_session:
        row = _own(db_session, request_id)
        thread = _thread(db_session, row)
        if thread is not None:
            audit.record(
                db_session, row.partner, current_user.member.id, audit.CONVERSATION_SHOWN, row.id
            )
            # How the person wants to be reached, which they may change on their page.
            shown = sealed_contact.open_block(
                db_session, row, row.partner, current_user.partner_private_key()
            )
    if thread is None:
        return _no_access(request_id)
    return _page(request_id, thread=thread, shown=shown)


@bp.post("/requests/<request_id>/reply")
@staff_page(HANDLERS, admitted=True)
def reply_request(request_id: str) -> ResponseReturnValue:
    """Answer a written conversation, or write to the person behind a callback request (who
    reads it with their reference code)."""
    form = ReplyForm()
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        if not is_open(row) or row.visitor_box is None:
            return _back(request_id)
        if form.validate():
            try:
                reply(
                    db_session,
                    row,
                    current_user.member.id,
                    current_user.partner_private_key(),
                    form.message.data,
                    now(),
                )
            except sealed_contact.NoAccess:
                db_session.rollback()
                return _no_access(request_id)
            form = ReplyForm(formdata=None)
            flash("replied")
        thread = _thread(db_session, row)
        if thread is None:
            return _no_access(request_id)
        # The page shows what it showed to write the answer: the contact details (a
        # callback's, or how a conversation's person wants to be reached) beside the messages.
        shown = sealed_contact.open_block(
            db_session, row, row.partner, current_user.partner_private_key()
        )
        action = (
            audit.CONTACT_SHOWN if row.kind == RequestKind.CALLBACK else audit.CONVERSATION_SHOWN
        )
        audit.record(db_session, row.partner, current_user.member.id, action, row.id)
    return _page(
        request_id,
        shown=shown,
        thread=thread,
        reply_form=form,
        status=400 if form.errors else 200,
    )


@bp.post("/requests/<request_id>/attempt")
@staff_page(HANDLERS, admitted=True)
def attempt(request_id: str) -> ResponseReturnValue:
    form = AttemptForm()
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        if not is_open(row):
            return _back(request_id)
        if form.validate():
            record_attempt(db_session, row, current_user.member.id, form.result.data, now())
            flash("attempt")
            return _back(request_id)
    return _page(request_id, attempt=form, status=400)


@bp.post("/requests/<request_id>/close")
@staff_page(HANDLERS, admitted=True)
def close_request(request_id: str) -> ResponseReturnValue:
    form = CloseForm()
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        if not is_open(row):
            return _back(request_id)
        if form.validate():
            close(db_session, row, current_user.member.id, form.outcome.data, now())
            flash("closed")
            return redirect(url_for("partners.inbox"), 303)
    return _page(request_id, close_form=form, status=400)


@bp.post("/requests/<request_id>/forward")
@staff_page(HANDLERS, admitted=True)
def forward_request(request_id: str) -> ResponseReturnValue:
    form = ForwardForm(partners=_partner_choices())
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        if not is_open(row):
            return _back(request_id)
        if form.validate():
            try:
                forward(
                    db_session,
                    row,
                    current_user.member.id,
                    form.partner.data,
                    form.reason.data,
                    current_user.partner_private_key(),
                    now(),
                )
            except CannotShare:
                problem = "forward-needs-access"
            except NoKeyHolder:
                problem = "forward-no-key-holder"
            else:
                mail.notify_soon()
                flash("forwarded")
                return redirect(url_for("partners.inbox"), 303)
        else:
            problem = None
    return _page(request_id, forward_form=form, problem=problem, status=400)


@bp.post("/requests/<request_id>/assign")
@staff_page(Role.COORDINATES, admitted=True)
def assign_request(request_id: str) -> ResponseReturnValue:
    with db.session() as db_session:
        row = _own(db_session, request_id, lock=True)
        form = AssignForm(members=[(m.id, m.email) for m in _colleagues(db_session)])
        if form.validate() and is_open(row):
            assign(db_session, row, current_user.member.id, form.member.data, now())
            flash("assigned")
            return _back(request_id)
    return _page(request_id, status=400)
