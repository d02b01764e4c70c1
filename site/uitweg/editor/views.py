"""Pages of the editors' area. A view validates, calls content/versions.py, renders."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy import select
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from wtforms.validators import ValidationError as CSRFValidationError

from .. import db, maintenance, pagecache, security
from ..content import editing, freshness, media, readability, versions
from ..content.model import SUPPORTED_LANGUAGES, Content
from ..content.problems import Problem
from ..content.schema import SLUG_RE
from ..content.starters import starter
from ..context import content, now, today
from ..extensions import csrf
from ..forms import ButtonForm
from ..i18n import current_language
from ..intake import audit
from ..models import ContentVersion, StaffMember
from ..staff import accounts
from ..staff.access import staff_page
from ..vocabulary import (
    CONTENT_KIND_LABELS,
    CONTENT_STATE_LABELS,
    OWNER,
    ROLE_LABELS,
    ContentState,
    Role,
    label,
    language_name,
)
from . import bp, fieldforms
from .forms import (
    SLUG_MAX,
    ApproveForm,
    EditForm,
    ImageForm,
    NewForm,
    ReturnForm,
    TeamInviteForm,
    VersionForm,
)

EDITORS = Role.EDITS_CONTENT
# The kinds that can have a photo (an `image` field).
PICTURED = ("stories", "pages")
PUBLISHERS = Role.PUBLISHES


@bp.context_processor
def helpers() -> dict[str, object]:
    return {
        "kind_name": lambda kind: label(CONTENT_KIND_LABELS, kind),
        "state_name": lambda state: label(CONTENT_STATE_LABELS, state),
        # Not `language_name`: the public templates a preview renders use that name themselves.
        "language_label": lambda code: language_name(code, current_language()),
        # The content checks' messages, in the editor's language.
        "problem_text": lambda problem: problem.text(gettext),
    }


def _store():
    return current_app.extensions["content"]


def _item(kind: str, slug: str) -> None:
    if kind not in versions.KINDS or len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
        abort(404)


@bp.get("/")
@staff_page(EDITORS)
def index() -> ResponseReturnValue:
    with db.session() as session:
        rows = versions.overview(content(), versions.heads(session))
    kinds = {kind: [row for row in rows if row.kind == kind] for kind in versions.KINDS}
    waiting = [r for r in rows if r.newest and r.newest.state == ContentState.PROPOSED]
    with db.session() as session:
        proposals = freshness.pending(session)
        session.expunge_all()
    titles = {(r.kind, r.slug): r.title for r in rows}
    return render_template(
        "editor/index.html",
        kinds=kinds,
        waiting=waiting,
        proposals=[(p, titles.get((p.kind, p.slug), p.slug)) for p in proposals],
        stale=[(freshness.kind_of(e), e) for e in freshness.stale(content(), today())],
        stale_days=content().site.stale_after_days,
    )


def _version_of(session, kind: str, slug: str, version_id: int | None) -> ContentVersion:
    """A version of the item in the address, or "not found" (an id of another item too)."""
    version = versions.get(session, version_id)
    if version is None or (version.kind, version.slug) != (kind, slug):
        abort(404)
    return version


def _problems(kind: str, slug: str, files: dict[str, str]) -> list[Problem]:
    return _store().check(kind, slug, files)


def _item_page(kind: str, slug: str, status: int = 200, **forms) -> ResponseReturnValue:
    store = _store()
    with db.session() as session:
        files, newest = versions.current_files(session, store.folder, kind, slug)
        history = versions.history(session, kind, slug)
        live = versions.live_files(session, store.folder, kind, slug, now())
        proposals = freshness.pending(session, kind, slug) if kind in freshness.KINDS else []
        session.expunge_all()
    proposed = [
        (p, versions.changes(live.get("nl", ""), (p.files or {}).get("nl", "")) if p.files else [])
        for p in proposals
    ]
    if not files and newest is None:
        abort(404)
    problems = _problems(kind, slug, files) if files else []
    return render_template(
        "editor/item.html",
        kind=kind,
        slug=slug,
        title=versions.title_in(files) or slug,
        files=files,
        newest=newest,
        history=history,
        problems=problems,
        errors=[p for p in problems if p.is_error],
        reading=readability.assess_file(files["nl"]) if "nl" in files else None,
        untranslated=[code for code in SUPPORTED_LANGUAGES if code not in files],
        on_site=_on_site(kind, slug),
        approve_form=forms.get("approve_form") or ApproveForm(formdata=None),
        return_form=forms.get("return_form") or ReturnForm(formdata=None),
        problem=forms.get("problem"),
        image_form=forms.get("image_form") or ImageForm(formdata=None),
        image_problem=forms.get("image_problem"),
        pictured=kind in PICTURED,
        proposals=proposed,
    ), status


def _on_site(kind: str, slug: str) -> str | None:
    """The public address of an item the site has loaded."""
    found = _public_view(kind, slug, content())
    if found is None:
        return None
    endpoint, args = found
    return url_for(endpoint, lang=current_language(), **args)


@bp.get("/<kind>/<slug>")
@staff_page(EDITORS)
def item(kind: str, slug: str) -> ResponseReturnValue:
    _item(kind, slug)
    return _item_page(kind, slug)


@bp.route("/<kind>/<slug>/edit", methods=["GET", "POST"])
@staff_page(EDITORS)
def edit(kind: str, slug: str) -> ResponseReturnValue:
    """Stories, pages and campaigns are edited field by field; everything (and any item whose
    file cannot be read as fields) can also be edited as its file text (`?as=text`)."""
    _item(kind, slug)
    if kind in editing.FORM_KINDS and request.args.get("as") != "text":
        return _edit_fields(kind, slug)
    store = _store()
    with db.session() as session:
        files, newest = versions.current_files(session, store.folder, kind, slug)
    form = EditForm()
    if not form.is_submitted():
        if not files:
            abort(404)
        form.nl.data, form.en.data = files.get("nl", ""), files.get("en", "")
        form.base.data = newest.id if newest else None
        return _edit_page(kind, slug, form, _problems(kind, slug, files))
    if not form.validate():
        return _edit_page(kind, slug, form, [], status=400)
    typed = {lang: getattr(form, lang).data for lang in ("nl", "en") if getattr(form, lang).data}
    return _save_edit(
        kind,
        slug,
        typed,
        form,
        lambda status, error: _edit_page(
            kind, slug, form, [], status=status, conflict=error.version
        ),
    )


def _save_edit(kind, slug, files, form, refused, by_field=False) -> ResponseReturnValue:
    """Save what was typed as a new draft on top of the version the editor started from. From
    the form, a draft with errors goes back to the form, each check beside its field."""
    with db.session() as session:
        try:
            saved = versions.save(
                session,
                kind,
                slug,
                files,
                current_user.member.email,
                form.base.data,
                now(),
                note=form.note.data or "",
            )
        except versions.VersionError as error:
            # Someone saved in between: nothing is written, what was typed stays in the form.
            return refused(409, error)
        saved_id = saved.id
    if by_field and any(p.is_error for p in _problems(kind, slug, files)):
        flash("saved-with-errors")
        return redirect(url_for("editor.edit", kind=kind, slug=slug, _anchor="checks"), 303)
    flash("saved")
    return redirect(url_for("editor.item", kind=kind, slug=slug, _anchor=f"v{saved_id}"), 303)


AS_TEXT: dict[str, Any] = {"as": "text"}  # `as` is a Python keyword


def _edit_fields(kind: str, slug: str) -> ResponseReturnValue:
    store = _store()
    with db.session() as session:
        files, newest = versions.current_files(session, store.folder, kind, slug)
    form = fieldforms.form_class(kind)()
    if not form.is_submitted():
        if not files:
            abort(404)
        answers = editing.answers_in(kind, files)
        if answers is not None:
            fieldforms.fill(form, kind, answers)
        if answers is None or not editing.same_meaning(
            kind, files, fieldforms.answers_from(form, kind)
        ):
            # Broken file text, or a part the form cannot show as it is (a schedule that
            # ends on a date): the form would change it, so the file text is edited instead.
            flash("as-text")
            return redirect(url_for("editor.edit", kind=kind, slug=slug, **AS_TEXT))
        form.base.data = newest.id if newest else None
        return _fields_page(kind, slug, form, files, _problems(kind, slug, files))
    action = request.form.get("rows")
    if action is not None:
        # "Add a row" or "Remove": nothing is saved; the form comes back with what was typed.
        fieldforms.change_rows(form, kind, action)
        return _fields_page(kind, slug, form, {}, [])
    if not form.validate():
        return _fields_page(kind, slug, form, {}, [], status=400)
    with db.session() as session:
        started_from = _started_from(session, kind, slug, form.base.data)
    answers = fieldforms.answers_from(form, kind)
    typed = {}
    for lang in SUPPORTED_LANGUAGES:
        text = editing.compose(kind, lang, started_from.get(lang), answers[lang])
        if text is not None:
            typed[lang] = text
    return _save_edit(
        kind,
        slug,
        typed,
        form,
        lambda status, error: _fields_page(
            kind, slug, form, {}, [], status=status, conflict=error.version
        ),
        by_field=True,
    )


def _started_from(session, kind: str, slug: str, base_id: int | None) -> dict[str, str]:
    """The files of the version the editor started from (or the deployed files): the fields
    the form does not ask are kept from there."""
    if base_id is None:
        return versions.files_on_disk(_store().folder, kind, slug)
    base = versions.get(session, base_id)
    if base is None or (base.kind, base.slug) != (kind, slug):
        return {}
    return dict(base.files or {})


def _edit_page(kind, slug, form, problems, status=200, conflict=None) -> ResponseReturnValue:
    return render_template(
        "editor/edit.html",
        kind=kind,
        slug=slug,
        form=form,
        problems=problems,
        conflict=conflict,
        by_field=kind in editing.FORM_KINDS,
    ), status


def _fields_page(
    kind, slug, form, files, problems, status=200, conflict=None
) -> ResponseReturnValue:
    fieldforms.set_choices(form, kind, content(), current_language(), slug)
    placed, general = editing.place_problems(kind, files, [p for p in problems if p.is_error])
    notes: dict[str, list[str]] = {}
    for key, found in placed.items():
        said = [
            gettext("Fill in “%(field)s”: every version needs it.", field=form[key].label.text)
            if editing.is_missing(p)
            else p.text(gettext)
            for p in found
        ]
        notes[key] = said
    fieldforms.note_checks(form, notes)
    tips = [p for p in problems if not p.is_error]
    return render_template(
        "editor/edit-fields.html",
        kind=kind,
        slug=slug,
        title=versions.title_in(files) or slug,
        form=form,
        sections=fieldforms.shown(form, kind),
        notes=notes,
        wrong=fieldforms.error_list(form, kind, notes),
        problems=general + tips,
        checked=bool(files),
        conflict=conflict,
        reading=readability.assess_file(files["nl"]) if "nl" in files else None,
    ), status


@bp.post("/<kind>/<slug>/propose")
@staff_page(EDITORS)
def propose(kind: str, slug: str) -> ResponseReturnValue:
    _item(kind, slug)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        with db.session() as session:
            version = _version_of(session, kind, slug, form.version.data)
            if _problems_of(version):
                return _item_page(kind, slug, 409, problem="has-errors")
            versions.propose(session, version.id)
    except versions.VersionError as error:
        return _item_page(kind, slug, 409, problem=error.code)
    flash("proposed")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


def _problems_of(version: ContentVersion) -> list[Problem]:
    errors = _problems(version.kind, version.slug, version.files or {})
    return [p for p in errors if p.is_error]


def _local_moment(day: dt.date, at: dt.time | None) -> dt.datetime:
    zone = ZoneInfo(content().site.timezone)
    return dt.datetime.combine(day, at or dt.time(0, 0), zone).astimezone(dt.UTC)


@bp.post("/<kind>/<slug>/approve")
@staff_page(PUBLISHERS)
def approve(kind: str, slug: str) -> ResponseReturnValue:
    _item(kind, slug)
    form = ApproveForm()
    if not form.validate():
        return _item_page(kind, slug, 400, approve_form=form)
    publish_at = (
        _local_moment(form.publish_date.data, form.publish_time.time)
        if form.publish_date.data
        else None
    )
    unpublish_at = (
        _local_moment(form.unpublish_date.data, None) if form.unpublish_date.data else None
    )
    try:
        with db.session() as session:
            version = _version_of(session, kind, slug, form.version.data)
            if _problems_of(version):
                return _item_page(kind, slug, 409, problem="has-errors", approve_form=form)
            versions.approve(
                session, version.id, current_user.member.email, now(), publish_at, unpublish_at
            )
    except versions.VersionError as error:
        return _item_page(kind, slug, 409, problem=error.code, approve_form=form)
    _store().refresh(force=True)
    flash("scheduled" if publish_at and publish_at > now() else "published")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.post("/<kind>/<slug>/proposals/<int:proposal_id>/accept")
@staff_page(PUBLISHERS)
def accept_proposal(kind: str, slug: str, proposal_id: int) -> ResponseReturnValue:
    """An owner's confirmation or changes: a version by the owner, approved by this publisher
    and published now (refused when the listing changed since, or an editor is working on
    it)."""
    _item(kind, slug)
    if not ButtonForm().validate():
        abort(400)
    store = _store()
    try:
        with db.session() as session:
            proposal = _proposal_of(session, kind, slug, proposal_id)
            if proposal.files is None:
                abort(404)
            if any(p.is_error for p in store.check(kind, slug, proposal.files)):
                return _item_page(kind, slug, 409, problem="has-errors")
            live = versions.live_files(session, store.folder, kind, slug, now())
            freshness.accept(session, proposal.id, current_user.member.email, live, now())
    except freshness.Overtaken:
        return _item_page(kind, slug, 409, problem="overtaken")
    except versions.VersionError as error:
        return _item_page(kind, slug, 409, problem=error.code)
    store.refresh(force=True)
    flash("published")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.post("/<kind>/<slug>/proposals/<int:proposal_id>/dismiss")
@staff_page(EDITORS)
def dismiss_proposal(kind: str, slug: str, proposal_id: int) -> ResponseReturnValue:
    _item(kind, slug)
    if not ButtonForm().validate():
        abort(400)
    with db.session() as session:
        freshness.dismiss(
            session,
            _proposal_of(session, kind, slug, proposal_id).id,
            current_user.member.email,
            now(),
        )
    flash("dismissed")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


def _proposal_of(session, kind: str, slug: str, proposal_id: int):
    """A waiting proposal about the item in the address, or "not found"."""
    for proposal in freshness.pending(session, kind, slug):
        if proposal.id == proposal_id:
            return proposal
    abort(404)


@bp.post("/<kind>/<slug>/return")
@staff_page(PUBLISHERS)
def send_back(kind: str, slug: str) -> ResponseReturnValue:
    _item(kind, slug)
    form = ReturnForm()
    if not form.validate():
        return _item_page(kind, slug, 400, return_form=form)
    try:
        with db.session() as session:
            version = _version_of(session, kind, slug, form.version.data)
            versions.send_back(
                session, version.id, current_user.member.email, now(), form.note.data
            )
    except versions.VersionError as error:
        return _item_page(kind, slug, 409, problem=error.code, return_form=form)
    flash("returned")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.post("/<kind>/<slug>/unpublish")
@staff_page(PUBLISHERS)
def unpublish(kind: str, slug: str) -> ResponseReturnValue:
    _item(kind, slug)
    if not ButtonForm().validate():
        abort(400)
    with db.session() as session:
        versions.unpublish(session, kind, slug, current_user.member.email, now())
    _store().refresh(force=True)
    flash("unpublished")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.route("/<kind>/<slug>/erase", methods=["GET", "POST"])
@staff_page(PUBLISHERS)
def erase(kind: str, slug: str) -> ResponseReturnValue:
    """Erase an item for good: every version and the photos only it used, scrubbed from the
    database files. Asks first; the audit log keeps who did it and the kind, nothing more."""
    _item(kind, slug)
    store = _store()
    with db.session() as session:
        files, newest = versions.current_files(session, store.folder, kind, slug)
    if newest is None:
        abort(404)  # nothing in the database; deployed files are removed from content/
    deployed = bool(versions.files_on_disk(store.folder, kind, slug))
    if request.method == "GET":
        title = versions.title_in(files) or slug
        return render_template(
            "editor/erase.html", kind=kind, slug=slug, title=title, deployed=deployed
        )
    if not ButtonForm().validate():
        abort(400)
    member = current_user.member
    with db.session() as session:
        versions.erase(session, store.folder, kind, slug, member.email, now())
        audit.record(session, member.partner, member.id, audit.CONTENT_ERASED, detail=kind)
    maintenance.scrub_soon()
    store.refresh(force=True)
    flash("erased")
    return redirect(url_for("editor.index"), 303)


@bp.get("/<kind>/<slug>/versions/<int:version_id>")
@staff_page(EDITORS)
def version(kind: str, slug: str, version_id: int) -> ResponseReturnValue:
    _item(kind, slug)
    store = _store()
    with db.session() as session:
        shown = _version_of(session, kind, slug, version_id)
        before = versions.previous(session, shown)
    old_files = (before.files or {}) if before else versions.files_on_disk(store.folder, kind, slug)
    new_files = shown.files or {}
    diffs = {
        lang: versions.changes(old_files.get(lang, ""), new_files.get(lang, ""))
        for lang in sorted(set(old_files) | set(new_files), key=lambda code: code != "nl")
    }
    return render_template(
        "editor/version.html",
        kind=kind,
        slug=slug,
        shown=shown,
        before=before,
        diffs=diffs,
    )


@bp.post("/<kind>/<slug>/versions/<int:version_id>/restore")
@staff_page(EDITORS)
def restore(kind: str, slug: str, version_id: int) -> ResponseReturnValue:
    _item(kind, slug)
    if not ButtonForm().validate():
        abort(400)
    with db.session() as session:
        old = _version_of(session, kind, slug, version_id)
        if old.files is None:
            abort(404)  # a withdrawal has no text to start from
        versions.restore(session, old.id, current_user.member.email, now())
    flash("restored")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.route("/new", methods=["GET", "POST"])
@staff_page(EDITORS)
def new() -> ResponseReturnValue:
    form = NewForm()
    if not form.is_submitted() or not form.validate():
        status = 400 if form.is_submitted() else 200
        return render_template("editor/new.html", form=form), status
    kind, slug = form.kind.data, form.slug.data
    store = _store()
    with db.session() as session:
        files, newest = versions.current_files(session, store.folder, kind, slug)
        if files or newest is not None:
            form.slug.errors = [
                gettext("Something with this address exists already. Choose another address.")
            ]
            return render_template("editor/new.html", form=form), 409
        text = starter(kind, slug, content().site, now().date(), draft=False)
        versions.save(session, kind, slug, {"nl": text}, current_user.member.email, None, now())
    flash("created")
    return redirect(url_for("editor.edit", kind=kind, slug=slug), 303)


# The public page of each kind, by endpoint name: the editors' area renders it for a preview
# without importing another blueprint.
PUBLIC_VIEWS = {
    "stories": "public.story",
    "pages": "public.page",
    "services": "directory.service",
    "groups": "directory.group",
    "campaigns": "campaigns.landing_in",
    "selftests": "selftests.test",
}


def _version_files(kind: str, slug: str) -> tuple[dict[str, str], ContentVersion | None]:
    """The files of the version in `?version=` (or else of the newest one, or the deployed
    files), and that version."""
    store = _store()
    wanted = request.args.get("version", type=int)
    with db.session() as session:
        if wanted is None:
            return versions.current_files(session, store.folder, kind, slug)
        chosen = _version_of(session, kind, slug, wanted)
        return dict(chosen.files or {}), chosen


@bp.get("/<kind>/<slug>/preview")
@security.frames("frames")
@staff_page(EDITORS)
def preview(kind: str, slug: str) -> ResponseReturnValue:
    """The item's public page on a phone and on a laptop, in frames, per language."""
    _item(kind, slug)
    files, chosen = _version_files(kind, slug)
    if not files and chosen is None:
        abort(404)
    lang = request.args.get("language", "nl")
    if lang not in SUPPORTED_LANGUAGES:
        lang = "nl"
    return render_template(
        "editor/preview.html",
        kind=kind,
        slug=slug,
        title=versions.title_in(files) or slug,
        chosen=chosen,
        lang=lang,
        languages=[code for code in SUPPORTED_LANGUAGES if code in files or code == "nl"],
    )


# <language>, not <lang>: the app takes a `lang` from every URL as the page's own language.
@bp.get("/<kind>/<slug>/preview/<language>")
@security.frames("framed")
@staff_page(EDITORS)
def preview_page(kind: str, slug: str, language: str) -> ResponseReturnValue:
    """The public page as it would be with this version, rendered by the public view itself
    with the real templates; a version with errors shows its errors, never "not found"."""
    _item(kind, slug)
    if language not in SUPPORTED_LANGUAGES:
        abort(404)
    files, _chosen = _version_files(kind, slug)
    shown, problems = _store().preview(kind, slug, files)
    response = None
    if shown is not None and not any(p.is_error for p in problems):
        response = _render_public(kind, slug, language, shown)
    if response is None:
        return render_template(
            "editor/preview-errors.html", kind=kind, slug=slug, problems=problems
        )
    return response


def _public_view(kind: str, slug: str, loaded: Content) -> tuple[str, dict[str, Any]] | None:
    """The public view of an item `loaded` holds, and its arguments (a campaign by its code)."""
    if kind == "campaigns":
        codes = [v["nl"].code for v in loaded.campaigns.values() if v["nl"].slug == slug]
        return (PUBLIC_VIEWS[kind], {"code": codes[0]}) if codes else None
    return (PUBLIC_VIEWS[kind], {"slug": slug}) if slug in getattr(loaded, kind) else None


def _render_public(kind: str, slug: str, lang: str, shown: Content) -> Response | None:
    found = _public_view(kind, slug, shown)
    if found is None:
        return None
    endpoint, args = found
    own_language = g.lang
    g.preview_content, g.lang = shown, lang
    refresh()
    try:
        return make_response(current_app.view_functions[endpoint](**args))
    except NotFound:
        return None
    finally:
        # Rendered for one editor: never for the page cache.
        request.environ.pop(pagecache.CACHEABLE, None)
        g.pop("preview_content")
        g.lang = own_language
        refresh()


IMAGE_REFUSED = {
    "no-file": _l("Choose a photo to upload."),
    "too-large": _l("This file is too large. Choose a photo of at most 12 MB."),
    "not-an-image": _l("This file is not a JPEG, PNG or WebP photo. Choose another file."),
    "too-many-pixels": _l("This picture has too many pixels. Choose a smaller photo."),
}


@bp.post("/<kind>/<slug>/image")
@csrf.exempt
@staff_page(EDITORS)
def upload_image(kind: str, slug: str) -> ResponseReturnValue:
    """A photo for a story or page: made into clean JPEG files (content/media.py) and set in a new
    draft, in one transaction. The CSRF token is checked here, once the larger size this form
    may have is allowed."""
    _item(kind, slug)
    if kind not in PICTURED:
        abort(404)
    request.max_content_length = media.MAX_BYTES + 256 * 1024
    try:
        validate_csrf(request.form.get("csrf_token"))
        upload = request.files.get("image")
    except RequestEntityTooLarge:
        return _item_page(kind, slug, 413, image_problem=str(IMAGE_REFUSED["too-large"]))
    except CSRFValidationError:
        abort(400)
    form = ImageForm()
    if not form.validate():
        return _item_page(kind, slug, 400, image_form=form)
    data = upload.read() if upload is not None else b""
    if upload is None or not data:
        problem = str(IMAGE_REFUSED["no-file"])
        return _item_page(kind, slug, 400, image_form=form, image_problem=problem)
    store = _store()
    email = current_user.member.email
    try:
        # One transaction: the image and the draft that uses it, or neither.
        with db.session() as session:
            files, _newest = versions.current_files(session, store.folder, kind, slug)
            made = media.store(session, upload.filename or "", data, email, now())
            files["nl"] = versions.with_image(files.get("nl", ""), made.name, form.alt.data)
            versions.save(session, kind, slug, files, email, form.base.data, now(), note=made.name)
    except media.ImageRefused as refused:
        problem = str(IMAGE_REFUSED[refused.code])
        return _item_page(kind, slug, 400, image_form=form, image_problem=problem)
    except versions.VersionError as error:
        return _item_page(kind, slug, 409, image_form=form, problem=error.code)
    store.refresh(force=True)  # the checks see the new image at once
    flash("image-added")
    return redirect(url_for("editor.item", kind=kind, slug=slug), 303)


@bp.get("/team")
@staff_page(PUBLISHERS)
def team() -> ResponseReturnValue:
    return _team_page(TeamInviteForm(formdata=None))


def _team_page(form, status=200, **shown) -> ResponseReturnValue:
    with db.session() as session:
        members = session.scalars(
            select(StaffMember)
            .where(StaffMember.partner == OWNER)
            .order_by(StaffMember.disabled_at.is_not(None), StaffMember.role, StaffMember.email)
        ).all()
    return render_template(
        "editor/team.html", form=form, members=members, roles=ROLE_LABELS, **shown
    ), status


@bp.post("/team/invite")
@staff_page(PUBLISHERS)
def team_invite() -> ResponseReturnValue:
    """Invite an editor: the link is mailed to them only."""
    form = TeamInviteForm()
    if not form.validate():
        return _team_page(form, status=400)
    site = current_app.config["SITE_URL"].rstrip("/")
    try:
        with db.session() as session:
            problem = accounts.invite_by_mail(
                session,
                OWNER,
                form.email.data,
                Role.EDITOR,
                current_user.member.id,
                lambda token: site + url_for("staff.enrol", token=token),
                str(content().site.name.get(current_language()) or content().site.short_name),
                now(),
            )
            if problem is not None:
                return _team_page(form, status=409, problem=problem)
    except (OSError, smtplib.SMTPException):
        return _team_page(form, status=503, problem="mail-failed")
    return _team_page(TeamInviteForm(formdata=None), sent_to=form.email.data)


@bp.post("/team/<member_id>/disable")
@staff_page(PUBLISHERS)
def team_disable(member_id: str) -> ResponseReturnValue:
    """Switch an editor's account off at once. Publishers (and analysts) are switched off by
    the server's operator (`flask partners disable`), as they are made."""
    if not ButtonForm().validate():
        abort(400)
    with db.session() as session:
        member = session.get(StaffMember, member_id[:32])
        if member is None or member.partner != OWNER or member.role != Role.EDITOR:
            abort(404)
        if member.disabled_at is None:
            accounts.disable(session, member, current_user.member.id, now())
    maintenance.scrub_soon()
    flash("disabled")
    return redirect(url_for("editor.team"), 303)
