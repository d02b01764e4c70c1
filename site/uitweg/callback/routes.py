"""The callback form, its confirmation, and the status page where a code shows or cancels a
request. Every page here is private (no-store, noindex) and none is cached."""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Hashable
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import db, mail, maintenance, ratelimit
from ..content.routing import Facts
from ..context import content, now, preview
from ..i18n import current_language
from ..intake import conversation, lifecycle
from ..intake.reference import display, normalise
from ..models import CallbackRequest
from ..outreach.codes import find as find_campaign
from ..security import private, same_origin
from ..vocabulary import ASKING, TOPICS, Author, RequestKind
from . import bp
from .forms import CallbackForm, CancelForm, ReplyForm, StatusForm, WrittenForm
from .tokens import TokenProblem, new_token, read_token

log = logging.getLogger(__name__)


def routing_choices() -> dict[str, Any]:
    """What both request forms need to offer their routing questions."""
    rules = content().routing
    return {
        "municipalities": content().site.municipalities,
        "languages": rules.languages if rules else {},
        "lang": current_language(),
    }


def _form(**kwargs) -> CallbackForm:
    return CallbackForm(**routing_choices(), **kwargs)


def prefill(form: CallbackForm | WrittenForm) -> None:
    """A new form, from a link: the campaign it came through, and what a self-test's next step
    says it was about and who asked (only known codes)."""
    campaign = find_campaign(request.args.get("campaign"), current_language())
    form.campaign.data = campaign.code if campaign else None
    if request.args.get("topic") in TOPICS:
        form.topics.data = [request.args["topic"]]
    if request.args.get("asking") in ASKING:
        form.asking.data = request.args["asking"]


def _render(form: CallbackForm, status: int = 200, notice: str | None = None):
    form.token.data = new_token()  # a fresh token each time: the old one may be spent or stale
    return render_template("callback/form.html", form=form, notice=notice), status


# A blank form differs from visitor to visitor only in its one-time token, so it is rendered
# once per app, template, content version, language and prefill (the forms' answer was a
# quarter of a submit's CPU), and each visit gets the page with a fresh token put in.
_TOKEN_SLOT = "token-slot-" + secrets.token_hex(8)
BLANK_PAGES_KEPT = 64


def blank_form_page(template: str, form: CallbackForm | WrittenForm) -> str:
    """`template` with a new `form`, as `_render` would give it."""

    def rendered(token: str) -> str:
        form.token.data = token
        return render_template(template, form=form, notice=None)

    if preview():  # an editor's preview shows drafts: never kept
        return rendered(new_token())
    kept: dict[Hashable, str] = current_app.extensions.setdefault("blank_form_pages", {})
    key = (
        template,
        current_app.extensions["content"].version,
        current_language(),
        request.host_url,
        form.campaign.data,
        tuple(form.topics.data or ()),
        form.asking.data,
    )
    page = kept.get(key)
    if page is None:
        page = rendered(_TOKEN_SLOT)
        if page.count(_TOKEN_SLOT) != 1:  # the token must be the only thing that differs
            return rendered(new_token())
        if len(kept) >= BLANK_PAGES_KEPT:
            kept.clear()
        kept[key] = page
    return page.replace(_TOKEN_SLOT, new_token())


def log_failure(exc: BaseException) -> None:
    # The type and the code lines only: an exception's message may quote what was typed.
    frames = "".join(traceback.format_tb(exc.__traceback__)[-5:])
    log.error("callback submit failed: %s\n%s", type(exc).__name__, frames)


@bp.route("", methods=["GET", "POST"])
@private
def form() -> ResponseReturnValue:
    if content().routing is None:
        return render_template("callback/coming-soon.html")
    if not lifecycle.accepting():
        # Nobody holds a partner key yet, so nothing typed here could be read by anyone: say
        # so before a visitor types anything, and give the phone numbers instead.
        posted = request.method == "POST"
        return render_template("callback/coming-soon.html", closed=True, posted=posted), 503
    if request.method == "GET":
        form = _form(formdata=None)
        prefill(form)
        return blank_form_page("callback/form.html", form)
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
    limit = current_app.config["CALLBACK_RATE_LIMIT"]
    if not ratelimit.within("callback-accepted", limit):
        return _render(form, 429, notice="rate-limited")
    # Checked again on submit: the hidden field holds whatever the browser sent.
    campaign = find_campaign(form.campaign.data, current_language())
    facts = Facts(
        topics=tuple(form.topics.data),
        municipality=form.municipality.data,
        asking=form.asking.data,
        language=form.language.data,
        campaign=campaign.code if campaign else None,
    )
    try:
        accepted = lifecycle.create(facts, form.contact_block(), nonce, at)
    except lifecycle.NobodyToReceive:
        return render_template("callback/coming-soon.html", closed=True, posted=True), 503
    except SQLAlchemyError as exc:
        log_failure(exc)
        return _render(form, 503, notice="unavailable")
    except Exception as exc:
        log_failure(exc)
        abort(500)
    if not accepted.duplicate:
        ratelimit.count("callback-accepted", limit)
        mail.notify_soon()
    # The confirmation is the answer to the POST itself: no cookie to carry the code to another
    # page, and nothing left on the phone that shows it again (reloading sends the same form,
    # whose one-time token finds the same request).
    return _confirmation(accepted.request_id, accepted.reference)


def codes_limited() -> bool:
    """Too many wrong codes (reference or conversation codes) from this client, or from all
    clients together, lately: guessing spread over many addresses meets a ceiling too."""
    config = current_app.config
    return not (
        ratelimit.within("code-failure", config["CODE_FAILURE_LIMIT"])
        and ratelimit.within_for_everyone("code-failure", config["CODE_FAILURE_GLOBAL_LIMIT"])
    )


def code_failed() -> None:
    config = current_app.config
    ratelimit.count("code-failure", config["CODE_FAILURE_LIMIT"])
    ratelimit.count_for_everyone("code-failure", config["CODE_FAILURE_GLOBAL_LIMIT"])


def _find(reference: str) -> tuple[CallbackRequest, conversation.Opened | None] | None:
    """The callback request a reference code opens, with its data key; a request made before
    codes were derived (migration 0010) is found by its code in clear, and opens nothing."""
    with db.session() as db_session:
        found = conversation.find_with_code(db_session, reference)
        if found is not None:
            return found if found[0].kind == RequestKind.CALLBACK else None
        row = db_session.scalars(
            select(CallbackRequest).where(
                CallbackRequest.reference == reference, CallbackRequest.code_digest.is_(None)
            )
        ).first()
    return (row, None) if row is not None else None


def render_status(
    row: CallbackRequest,
    reference: str,
    opened: conversation.Opened | None,
    status: int = 200,
    **extra: Any,
) -> ResponseReturnValue:
    """A callback request as its code shows it: its status, what the partner wrote when the
    calls did not reach the visitor (and the visitor's answers), and the cancel form."""
    thread: list[conversation.Message] = []
    if opened is not None:
        with db.session() as db_session:
            thread = conversation.messages(db_session, row, opened.data_key)
    routing = content().routing
    if extra.get("cancel") is None:
        extra["cancel"] = CancelForm(formdata=None, code=reference)
    if extra.get("reply") is None:
        extra["reply"] = ReplyForm(formdata=None, code=reference)
    return render_template(
        "callback/status.html",
        form=extra.pop("form", None) or StatusForm(formdata=None),
        found=row,
        code=display(reference),
        thread=thread,
        visitor=Author.VISITOR,
        partner=routing.partners.get(row.partner) if routing else None,
        **extra,
    ), status


@bp.get("/sent")
@private
def sent() -> ResponseReturnValue:
    """Where the confirmation used to be; it is never shown again after it was sent."""
    return redirect(url_for("callback.status"))


def _confirmation(request_id: str, reference: str) -> ResponseReturnValue:
    with db.session() as db_session:
        found = db_session.get_one(CallbackRequest, request_id)  # stored by this POST
    routing = content().routing
    partner = routing.partners.get(found.partner) if routing else None
    return render_template(
        "callback/sent.html",
        request_=found,
        partner=partner,
        code=display(reference),
        calls_now=found.expected_from <= now(),
    )


@bp.route("/status", methods=["GET", "POST"])
@private
def status() -> ResponseReturnValue:
    form = StatusForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and not same_origin():
        return render_template("callback/status.html", form=form, found=None), 400
    if request.method == "GET" or not form.validate():
        code = (form.code.errors and 400) or 200
        return render_template("callback/status.html", form=form, found=None), code
    if (
        not ratelimit.count("callback-status", current_app.config["STATUS_RATE_LIMIT"])
        or codes_limited()
    ):
        return render_template("callback/status.html", form=form, limited=True), 429
    reference = normalise(form.code.data)
    found = _find(reference) if reference else None
    if found is None or reference is None:
        # The same answer for a malformed code and an unknown one: it tells nothing about
        # which codes exist.
        code_failed()
        return render_template("callback/status.html", form=form, not_found=True), 404
    return render_status(found[0], reference, found[1], form=form)


@bp.post("/cancel")
@private
def cancel() -> ResponseReturnValue:
    form = CancelForm()
    if not same_origin():
        return render_template("callback/status.html", form=StatusForm(formdata=None)), 400
    reference = normalise(form.code.data or "")
    if (
        not ratelimit.count("callback-status", current_app.config["STATUS_RATE_LIMIT"])
        or codes_limited()
    ):
        return render_template(
            "callback/status.html", form=StatusForm(formdata=None), limited=True
        ), 429
    found = _find(reference) if reference else None
    if found is None or reference is None:
        code_failed()
        return render_template(
            "callback/status.html", form=StatusForm(formdata=None), not_found=True
        ), 404
    if not form.validate():
        return render_status(found[0], reference, found[1], 400, cancel=form)
    with db.session() as db_session:
        row = db_session.get_one(CallbackRequest, found[0].id, with_for_update=True)
        lifecycle.cancel(db_session, row, now())
    # "Deleted at once" holds for the database files too, not only for the live row.
    maintenance.scrub_soon()
    return render_template(
        "callback/status.html",
        form=StatusForm(formdata=None),
        found=row,
        code=display(reference),
        cancelled=True,
    )
