"""Public pages. Everything here is read-only and cacheable; no cookie is ever set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from .. import db
from ..assets import asset_url
from ..content import media as media_files
from ..context import content, preview, today
from ..i18n import current_language, keep_query, languages, negotiated_language, translated
from ..intake import contact as sealed_contact
from ..pagecache import cacheable
from ..paging import page_number, paged
from . import bp, root_bp, sitemaps


@root_bp.get("/")
def choose_language() -> ResponseReturnValue:
    response = redirect(url_for("public.home", lang=negotiated_language()), code=302)
    response.vary.add("Accept-Language")
    return response


@root_bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    healthy = db.is_healthy()
    warning = None
    if healthy:
        # The site still serves (200), but an operator must see that the form is closed.
        try:
            with db.session() as session:
                if not sealed_contact.accepts_requests(session):
                    warning = sealed_contact.CLOSED_REASON
        except SQLAlchemyError:
            current_app.logger.exception("database check failed (not migrated?)")
            healthy = False
    body = "ok" if healthy else "unavailable"
    if healthy and warning:
        body += "\nwarning: " + warning
    return (
        body,
        (200 if healthy else 503),
        {
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "no-store",
        },
    )


@root_bp.get("/robots.txt")
def robots() -> Response:
    lines = [
        "User-agent: *",
        "Disallow: /partner/",
        "Disallow: /beheer/",
        f"Sitemap: {url_for('root.sitemap', _external=True)}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@root_bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    # Not permanent: the fingerprinted address changes with the icon.
    return redirect(asset_url("favicon.svg"), code=302)


@root_bp.get("/media/<path:filename>")
def media(filename: str) -> Response:
    folder = Path(current_app.config["CONTENT_DIR"]) / "media"
    try:
        on_disk = (folder / filename).is_file()
    except (OSError, ValueError):
        on_disk = False  # a name no file system holds (too long, a NUL): not a file of ours
    if on_disk:
        return send_from_directory(folder, filename, max_age=86400)
    # An image uploaded in the editors' area: its name carries a hash of its pixels, so the
    # bytes behind a name never change.
    with db.session() as session:
        found = media_files.find(session, filename)
        if found is None:
            abort(404)
        response = Response(found.data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _sitemap_files() -> list[str]:
    """Every public page in every language, cut into sitemap files (public/sitemaps.py).
    Made once per content version, day and host: the index and each of its files (61 for
    5,000 stories) need all of them, and each is one page-cache miss."""
    site_content = content()
    now, show_all = today(), preview()
    key = (current_app.extensions["content"].version, now, show_all, request.host_url)
    made = current_app.extensions.get("sitemap_files")
    if made is not None and made[0] == key:
        return made[1]
    pages = []

    def add(endpoint: str, **values: str) -> None:
        pages.append(
            {lang: url_for(endpoint, lang=lang, _external=True, **values) for lang in languages()}
        )

    add("public.home")
    add("public.stories")
    add("directory.index")
    kinds = (
        (site_content.stories, site_content.story, "public.story"),
        (site_content.pages, site_content.page, "public.page"),
        (site_content.services, site_content.service, "directory.service"),
        (site_content.groups, site_content.group, "directory.group"),
    )
    for items, shown, endpoint in kinds:
        for slug in items:
            if shown(slug, "nl", now, show_all):
                add(endpoint, slug=slug)
    written = sitemaps.files(pages, current_app.config["SITEMAP_FILE_BYTES"])
    current_app.extensions["sitemap_files"] = (key, written)
    return written


@root_bp.get("/sitemap.xml")
@cacheable
def sitemap() -> Response:
    count = len(_sitemap_files())
    locations = (
        url_for("root.sitemap_file", number=number, _external=True)
        for number in range(1, count + 1)
    )
    return Response(sitemaps.index(locations), mimetype="application/xml")


@root_bp.get("/sitemap-<int:number>.xml")
@cacheable
def sitemap_file(number: int) -> Response:
    written = _sitemap_files()
    if not 1 <= number <= len(written):
        abort(404)
    return Response(written[number - 1], mimetype="application/xml")


@bp.get("/")
@cacheable
def home() -> str:
    site_content = content()
    sections = [
        shown
        for slug in site_content.site.advice_sections
        if (shown := site_content.page(slug, current_language(), today(), preview()))
    ]
    latest = site_content.story_list(current_language(), today(), preview())[:3]
    return render_template("public/home.html", sections=sections, latest=latest)


@bp.get("/stories/")
@cacheable
def stories() -> str:
    site_content = content()
    theme = request.args.get("theme") or None
    substance = request.args.get("substance") or None
    if theme and theme not in site_content.site.themes:
        theme = None
    if substance and substance not in site_content.site.substances:
        substance = None
    found = site_content.story_list(
        current_language(), today(), preview(), theme=theme, substance=substance
    )
    shown = paged(found, page_number(request.args.get("page")))
    chosen = {"theme": theme, "substance": substance}
    keep_query({**chosen, "page": str(shown.page) if shown.page > 1 else None})
    filters = [
        _filter_group("theme", _("Theme"), site_content.site.themes, chosen),
        _filter_group("substance", _("Substance"), site_content.site.substances, chosen),
    ]
    return render_template(
        "public/stories.html",
        stories=shown,
        chosen={name: code for name, code in chosen.items() if code},
        theme=theme,
        substance=substance,
        filters=filters,
    )


def _filter_group(
    name: str, label: str, vocabulary: dict[str, dict[str, str]], chosen: dict[str, str | None]
) -> dict[str, object]:
    """One filter as GET links: each option keeps the other filter as it is."""

    def link(code: str | None) -> str:
        args: dict[str, Any] = {k: v for k, v in {**chosen, name: code}.items() if v}
        return url_for("public.stories", **args)

    options = [{"label": _("All"), "url": link(None), "current": chosen[name] is None}]
    options += [
        {"label": translated(names), "url": link(code), "current": chosen[name] == code}
        for code, names in vocabulary.items()
    ]
    return {"name": name, "label": label, "options": options}


@bp.get("/stories/<slug>")
@cacheable
def story(slug: str) -> str:
    site_content = content()
    shown = site_content.story(slug, current_language(), today(), preview())
    if shown is None:
        abort(404)
    related = site_content.related_stories(slug, current_language(), today(), preview())
    return render_template("public/story.html", shown=shown, story=shown.item, related=related)


@bp.get("/stories/feed.xml")
@cacheable
def feed() -> Response:
    entries = content().story_list(current_language(), today(), preview=False)[:20]
    updated = entries[0].item.date if entries else dt.date(2000, 1, 1)
    xml = render_template("public/feed.xml", entries=entries, updated=updated)
    return Response(xml, mimetype="application/atom+xml")


@bp.get("/<slug>")
@cacheable
def page(slug: str) -> str:
    site_content = content()
    shown = site_content.page(slug, current_language(), today(), preview())
    if shown is None:
        abort(404)
    children = site_content.child_pages(slug, current_language(), today(), preview())
    parent = None
    if shown.item.parent:
        parent = site_content.page(shown.item.parent, current_language(), today(), preview())
    # The self-tests that lead to this page are offered on it (a test for parents on theirs).
    tests = [
        test
        for test in site_content.selftest_list(current_language(), today(), preview())
        if test.item.page == slug
    ]
    return render_template(
        "public/page.html",
        shown=shown,
        page=shown.item,
        children=children,
        parent=parent,
        tests=tests,
    )
