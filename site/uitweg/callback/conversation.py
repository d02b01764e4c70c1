"""A question in writing, and the conversation page where the code reads and answers it.

The code is the only key: it travels only in the body of a POST (a form field, hidden once the
conversation is open) and in the page that answers it, never in a URL, a cookie or a log line.
Every page here is private (no-store, noindex). Wrong codes are limited per client and for all
clients together; a malformed code, an unknown one and an ended conversation get the same
answer, so the site says nothing about which codes exist.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import db, mail, maintenance, ratelimit
from ..content.routing import Facts
from ..context import content, now
from ..i18n import current_language
from ..intake import codes, conversation, lifecycle
from ..models import CallbackRequest
from ..outreach.codes import find as find_campaign
from ..security import private, same_origin
from ..vocabulary import WRITTEN_ROUTE_LABELS, Author, RequestKind, label
from . import bp
from .forms import CodeForm, EndForm, PreferencesForm, ReplyForm, WrittenForm
from .routes import (
    blank_form_page,
    code_failed,
    codes_limited,
    log_failure,
    prefill,
    render_status,
    routing_choices,
)
from .tokens import TokenProblem, new_token, read_token


def _form(**kwargs) -> WrittenForm:
    return WrittenForm(**routing_choices(), **kwargs)


def _render(form: WrittenForm, status: int = 200, notice: str | None = None):
    form.token.data = new_token()
    return render_template("callback/write.html", form=form, notice=notice), status


@bp.route("/write", methods=["GET", "POST"])
@private
def write() -> ResponseReturnValue:
    if content().routing is None:
        return render_template("callback/coming-soon.html")
    if not lifecycle.accepting():
        posted = request.method == "POST"
        return render_template("callback/coming-soon.html", closed=True, posted=posted), 503
    if request.method == "GET":
        form = _form(formdata=None)
        prefill(form)
        return blank_form_page("callback/write.html", form)
    try:
        form = _form()
    except RequestEntityTooLarge:
        return _render(_form(formdata=None), 413, notice="too-large")
    if not ratelimit.count("callback-post", current_app.config["CALLBACK_POST_LIMIT"]):
        return _render(form, 429, notice="rate-limited")
    if not same_origin():
        return _render(form, 400, notice="expired")
    if not form.validate():
        return _render(form, 400)
    at = now()
    try:
        nonce = read_token(form.token.data, at)
    except TokenProblem as problem:
        return _render(form, 400, notice=problem.reason)
    limit = current_app.config["WRITTEN_RATE_LIMIT"]
    if not ratelimit.within("written-accepted", limit):
        return _render(form, 429, notice="rate-limited")
    campaign = find_campaign(form.campaign.data, current_language())
    facts = Facts(
        topics=tuple(form.topics.data),
        municipality=form.municipality.data,
        asking=form.asking.data,
        language=form.language.data,
        campaign=campaign.code if campaign else None,
    )
    try:
        started = lifecycle.ask(facts, form.preferences(), form.message.data, nonce, at)
    except lifecycle.NobodyToReceive:
        return render_template("callback/coming-soon.html", closed=True, posted=True), 503
    except SQLAlchemyError as exc:
        log_failure(exc)
        return _render(form, 503, notice="unavailable")
    except Exception as exc:
        log_failure(exc)
        abort(500)
    if not started.duplicate:
        ratelimit.count("written-accepted", limit)
        mail.notify_soon()
    with db.session() as db_session:
        row = db_session.get_one(CallbackRequest, started.request_id)
    routing = content().routing
    return render_template(
        "callback/written-sent.html",
        request_=row,
        partner=routing.partners.get(row.partner) if routing else None,
        code=codes.display(started.reference),
        check=CodeForm(formdata=None),
        answers_now=row.expected_from <= at,
    )


def _ask_for_code(form: CodeForm | None = None, status: int = 200, **problem: bool):
    form = form or CodeForm(formdata=None)
    return render_template("callback/conversation.html", form=form, **problem), status


def _show(opened: conversation.Opened, code: str, status: int = 200, **extra):
    """The open conversation: its messages and what the visitor can do with it. A callback
    request continued in writing is shown as its status page shows it."""
    row = opened.row
    if row.kind == RequestKind.CALLBACK:
        return render_status(row, code, opened, status, reply=extra.pop("reply", None), **extra)
    with db.session() as db_session:
        thread = conversation.messages(db_session, row, opened.data_key)
    routing = content().routing
    reply = extra.pop("reply", None) or ReplyForm(formdata=None, code=code)
    end = extra.pop("end", None) or EndForm(formdata=None, code=code)
    block = conversation.preferences(row, opened.data_key)
    preferences = extra.pop("preferences", None)
    if preferences is None:
        preferences = PreferencesForm(formdata=None, code=code)
        preferences.show(block)
    return render_template(
        "callback/conversation.html",
        found=row,
        thread=thread,
        partner=routing.partners.get(row.partner) if routing else None,
        reply=reply,
        end=end,
        preferences=preferences,
        block=block,
        route_label=lambda code: label(WRITTEN_ROUTE_LABELS, code),
        open_=lifecycle.is_open(row),
        visitor=Author.VISITOR,
        **extra,
    ), status


def _open(typed: str | None) -> tuple[conversation.Opened, str] | None:
    """The conversation a typed code opens (counting a failure when none), or None."""
    code = conversation.normalise(typed or "")
    if code is not None:
        with db.session() as db_session:
            opened = conversation.open_with_code(db_session, code)
        if opened is not None:
            return opened, code
    code_failed()
    return None


def _guarded() -> ResponseReturnValue | None:
    """The checks before a code is tried: same origin, the client's budget of derivations,
    and the limits on wrong codes. An answer to give instead, or None to go on."""
    if not same_origin():
        return _ask_for_code(status=400, expired=True)
    if not ratelimit.count("conversation-post", current_app.config["CONVERSATION_POST_LIMIT"]):
        return _ask_for_code(status=429, limited=True)
    if codes_limited():
        return _ask_for_code(status=429, limited=True)
    return None


@bp.route("/conversation", methods=["GET", "POST"])
@private
def conversation_page() -> ResponseReturnValue:
    if request.method == "GET":
        return _ask_for_code()
    form = CodeForm()
    if not form.validate():
        return _ask_for_code(form, 400)
    refused = _guarded()
    if refused is not None:
        return refused
    found = _open(form.code.data)
    if found is None:
        return _ask_for_code(form, 404, not_found=True)
    return _show(*found)


def _locked(db_session, opened: conversation.Opened) -> conversation.Opened | None:
    """The opened conversation's row again, locked for a change; None when it was ended (and
    wiped) meanwhile, from another tab."""
    row = db_session.get(CallbackRequest, opened.row.id, with_for_update=True)
    if row is None or row.code_digest != opened.row.code_digest or row.contact is None:
        return None
    return conversation.Opened(row, opened.data_key)


@bp.post("/conversation/reply")
@private
def reply() -> ResponseReturnValue:
    form = ReplyForm()
    refused = _guarded()
    if refused is not None:
        return refused
    found = _open(form.code.data)
    if found is None:
        return _ask_for_code(status=404, not_found=True)
    opened, code = found
    form.code.data = code
    if not lifecycle.is_open(opened.row):
        return _show(opened, code, 409)
    if not form.validate():
        return _show(opened, code, 400, reply=form)
    with db.session() as db_session:
        locked = _locked(db_session, opened)
        if locked is None:
            return _ask_for_code(status=404, not_found=True)
        opened = locked
        lifecycle.visitor_writes(db_session, opened, form.message.data, now())
    mail.notify_soon()
    return _show(opened, code, sent=True)


@bp.post("/conversation/preferences")
@private
def preferences() -> ResponseReturnValue:
    """The visitor changes how they want to be reached: in writing, or contacted after all."""
    form = PreferencesForm()
    refused = _guarded()
    if refused is not None:
        return refused
    found = _open(form.code.data)
    if found is None or found[0].row.kind != RequestKind.WRITTEN:
        return _ask_for_code(status=404, not_found=True)
    opened, code = found
    form.code.data = code
    if not lifecycle.is_open(opened.row):
        return _show(opened, code, 409)
    if not form.validate():
        return _show(opened, code, 400, preferences=form)
    with db.session() as db_session:
        locked = _locked(db_session, opened)
        if locked is None:
            return _ask_for_code(status=404, not_found=True)
        row = locked.row
        block = conversation.preferences(row, opened.data_key)
        conversation.set_preferences(row, opened.data_key, form.apply(block))
        opened = locked
    return _show(opened, code, saved=True)


@bp.post("/conversation/end")
@private
def end() -> ResponseReturnValue:
    form = EndForm()
    refused = _guarded()
    if refused is not None:
        return refused
    found = _open(form.code.data)
    if found is None:
        return _ask_for_code(status=404, not_found=True)
    opened, code = found
    form.code.data = code
    if not form.validate():
        return _show(opened, code, 400, end=form)
    with db.session() as db_session:
        row = db_session.get_one(CallbackRequest, opened.row.id, with_for_update=True)
        lifecycle.cancel(db_session, row, now())
    maintenance.scrub_soon()
    return render_template("callback/conversation.html", form=CodeForm(formdata=None), ended=True)
