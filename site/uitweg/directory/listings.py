"""Keeping listings right: the owner's page behind the reminder link, and a visitor's "something
is wrong" form on every listing. Both only ever make a proposal for the editors' area."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from .. import db, ratelimit
from ..content import freshness, versions
from ..content.directory import Entry
from ..content.editing import field_at
from ..context import content, now, today
from ..extensions import csrf
from ..i18n import current_language
from ..models import ListingCheck
from ..security import private, same_origin, sends_origin
from . import bp
from .forms import OwnerForm, ReportForm

# Fields of the owner's form that a check's problem can point at.
ASKED = ("phone", "website", "waiting_weeks")


def _entry(kind: str, slug: str) -> Entry | None:
    lookup = content().service if kind == "services" else content().group
    shown = lookup(slug, current_language(), today(), False)
    return shown.item if shown is not None else None


def _refused() -> ResponseReturnValue:
    return render_template("directory/check-refused.html"), 410


@bp.route("/check/<token>", methods=["GET", "POST"])
@csrf.exempt
@private
@sends_origin
def check_listing(token: str) -> ResponseReturnValue:
    at = now()
    store = current_app.extensions["content"]
    with db.session() as session:
        check = freshness.open_link(session, token, at)
        entry = _entry(check.kind, check.slug) if check is not None else None
        if check is None or entry is None:
            return _refused()
        live = versions.live_files(session, store.folder, check.kind, check.slug, at)
        session.expunge(check)
    if request.method == "GET":
        return _owner_page(check, entry, _prefilled(entry))
    try:
        form = OwnerForm()
    except RequestEntityTooLarge:
        return _owner_page(check, entry, _prefilled(entry), 413, "too-large")
    if not same_origin():
        return _owner_page(check, entry, form, 400, "expired")
    if not form.validate() or "nl" not in live:
        return _owner_page(check, entry, form, 400)
    files = {**live, "nl": freshness.with_changes(live["nl"], _changes(form))}
    errors = [p for p in store.check(check.kind, check.slug, files) if p.is_error]
    if errors:
        for problem in errors:
            name = field_at(files.get("nl", ""), problem.line)
            target = form[name] if name in ASKED else form.note
            target.errors = [*target.errors, problem.text(gettext)]
        return _owner_page(check, entry, form, 400)
    with db.session() as session:
        answered = freshness.answer_link(session, check, live, files, form.note.data or "", at)
    if answered is None:
        return _refused()
    return render_template("directory/check-done.html", entry=entry)


def _prefilled(entry: Entry) -> OwnerForm:
    weeks = getattr(entry, "waiting_weeks", None)
    return OwnerForm(
        formdata=None,
        data={
            "phone": entry.phone.display if entry.phone else "",
            "website": entry.website or "",
            "waiting_weeks": "" if weeks is None else str(weeks),
            "no_new_clients": getattr(entry, "no_new_clients", False),
        },
    )


def _changes(form: OwnerForm) -> dict[str, object]:
    """What the owner's answer changes in the listing's file: always the day it was checked;
    with "something has changed", what they typed (an emptied field is removed)."""
    changes: dict[str, object] = {"verified": today()}
    if form.answer.data != "changed":
        return changes
    changes["phone"] = form.phone.data or None
    changes["website"] = form.website.data or None
    if form.waiting_weeks.data:
        changes["waiting_weeks"] = int(form.waiting_weeks.data)
        changes["waiting_checked"] = today()
    changes["no_new_clients"] = True if form.no_new_clients.data else None
    return changes


def _owner_page(
    check: ListingCheck, entry: Entry, form: OwnerForm, status: int = 200, notice: str = ""
) -> ResponseReturnValue:
    return render_template(
        "directory/check.html", entry=entry, kind=check.kind, form=form, notice=notice
    ), status


@bp.route("/services/<slug>/report", methods=["GET", "POST"], defaults={"kind": "services"})
@bp.route("/groups/<slug>/report", methods=["GET", "POST"], defaults={"kind": "groups"})
@csrf.exempt
@private
@sends_origin
def report(kind: str, slug: str) -> ResponseReturnValue:
    entry = _entry(kind, slug)
    if entry is None:
        abort(404)
    if request.method == "GET":
        return _report_page(kind, entry, ReportForm(formdata=None))
    try:
        form = ReportForm()
    except RequestEntityTooLarge:
        return _report_page(kind, entry, ReportForm(formdata=None), 413, "too-large")
    if not ratelimit.count("listing-report", current_app.config["REPORT_RATE_LIMIT"]):
        return _report_page(kind, entry, form, 429, "rate-limited")
    if not same_origin():
        return _report_page(kind, entry, form, 400, "expired")
    if not form.validate():
        return _report_page(kind, entry, form, 400)
    at = now()
    store = current_app.extensions["content"]
    with db.session() as session:
        live = versions.live_files(session, store.folder, kind, slug, at)
        freshness.propose(session, kind, slug, freshness.VISITOR, live, None, form.note.data, at)
    return render_template("directory/report-done.html", entry=entry, kind=kind)


def _report_page(
    kind: str, entry: Entry, form: ReportForm, status: int = 200, notice: str = ""
) -> ResponseReturnValue:
    return render_template(
        "directory/report.html", entry=entry, kind=kind, form=form, notice=notice
    ), status
