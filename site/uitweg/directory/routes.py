"""The directory: a filtered list of services and groups, and a page for each."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ..content.directory import Group, Service
from ..context import content, now, preview, today
from ..i18n import current_language, keep_query, translated
from ..pagecache import cache_until, cacheable
from ..paging import paged
from ..vocabulary import AUDIENCE_LABELS, AUDIENCES, GROUP_KIND, KIND_LABELS, KINDS, language_name
from . import bp, describe, ical
from .forms import FilterForm
from .search import index_for


def _status(entry, moment, tz, closed, lang):
    if isinstance(entry, Service):
        return describe.service_status(entry, moment, tz, closed, lang)
    return describe.group_status(entry, moment, tz, lang)


def _search(open_first: bool = True):
    """The index, the filters from the GET parameters, and every entry they match."""
    search = index_for(content(), today())
    filters = search.valid(request.args)
    keep_query(filters.query())
    return search, filters, search.search(filters, now(), open_first)


def _rows(entries, lang: str) -> list[dict]:
    """Entries as shown: in the visitor's language where translated, with their status now."""
    site, moment = content().site, now()
    tz = ZoneInfo(site.timezone)
    rows = []
    for entry in entries:
        localized = _localized(entry, lang)
        rows.append(
            {
                "entry": localized.item,
                "fallback": localized.is_fallback,
                # The visitor's language: a service's hours note is text an editor translated.
                "status": _status(localized.item, moment, tz, site.closed_dates, lang),
            }
        )
    return rows


@bp.get("/")
@cacheable
def index() -> str:
    lang = current_language()
    search, filters, found = _search()
    # Which entries are open, and what each says, holds until the next opening or closing
    # among them all (the filter "open now" and the order depend on every one).
    cache_until(search.next_change(now()))
    shown = paged(found, filters.page)
    return render_template(
        "directory/index.html",
        lines=_rows(search.national_lines, lang) if not filters.active else [],
        rows=_rows(shown.items, lang),
        paged=shown,
        filters=filters,
        form=FilterForm(_options(search, lang), **filters.query()),
    )


def _options(search, lang: str) -> dict[str, list[tuple[str, str]]]:
    site = content().site
    return {
        "topic": [(code, translated(names)) for code, names in site.topics.items()],
        "audience": [(code, str(AUDIENCE_LABELS[code])) for code in AUDIENCES],
        "municipality": [(name, name) for name in site.municipalities],
        "kind": [(code, str(KIND_LABELS[code])) for code in (*KINDS, GROUP_KIND)],
        "language": sorted(
            ((code, language_name(code, lang)) for code in search.by["language"]),
            key=lambda option: option[1],
        ),
    }


def _localized(entry, lang):
    if isinstance(entry, Service):
        return content().service(entry.slug, lang, today(), preview())
    return content().group(entry.slug, lang, today(), preview())


def _hold_until_it_changes(entry: Service | Group) -> None:
    """A service's or group's page holds until that entry next opens or closes (at once for one
    the index does not hold, such as a draft in a preview)."""
    search = index_for(content(), today())
    position = search.position(entry)
    cache_until(search.next_change(now(), [position]) if position is not None else now())


@bp.get("/services/<slug>")
@cacheable
def service(slug: str) -> str:
    shown = content().service(slug, current_language(), today(), preview())
    if shown is None:
        abort(404)
    _hold_until_it_changes(shown.item)
    site = content().site
    tz = ZoneInfo(site.timezone)
    status = describe.service_status(shown.item, now(), tz, site.closed_dates, current_language())
    return render_template("directory/service.html", shown=shown, service=shown.item, status=status)


@bp.get("/groups/<slug>")
@cacheable
def group(slug: str) -> str:
    shown = content().group(slug, current_language(), today(), preview())
    if shown is None or not isinstance(shown.item, Group):
        abort(404)
    _hold_until_it_changes(shown.item)
    tz = ZoneInfo(content().site.timezone)
    status = describe.group_status(shown.item, now(), tz, current_language())
    upcoming = describe.next_meeting(shown.item, now(), tz)
    return render_template(
        "directory/group.html", shown=shown, group=shown.item, status=status, upcoming=upcoming
    )


@bp.get("/groups/<slug>.ics")
def group_calendar(slug: str) -> Response:
    shown = content().group(slug, current_language(), today(), preview())
    if shown is None:
        abort(404)
    page_url = url_for("directory.group", slug=slug, _external=True)
    body = ical.group_calendar(shown.item, content().site.timezone, page_url, now())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{slug}.ics"'},
    )


def _filtered_rows() -> tuple[list[dict], object]:
    """Every entry matching the GET filters (no paging), for printing and export."""
    _index, filters, found = _search(open_first=False)
    return _rows(found, current_language()), filters


@bp.get("/print")
def print_list() -> str:
    rows, filters = _filtered_rows()
    return render_template("directory/print.html", rows=rows, filters=filters)


@bp.get("/export.csv")
def export_csv() -> Response:
    rows, _filters = _filtered_rows()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("Kind of help"),
            _("Organisation"),
            _("Area"),
            _("Phone"),
            _("E-mail"),
            _("Website"),
            _("Address"),
            _("Free"),
            _("Anonymous"),
            _("Referral needed"),
            _("Checked on"),
        ]
    )
    for row in rows:
        entry = row["entry"]
        is_service = isinstance(entry, Service)
        writer.writerow(
            [
                entry.title,
                KIND_LABELS[entry.kind if is_service else GROUP_KIND],
                entry.organization if is_service else entry.fellowship,
                ", ".join(entry.area) or _("the whole country"),
                entry.phone.display if entry.phone else "",
                entry.email or "",
                entry.website or "",
                entry.address.one_line() if is_service and entry.address else "",
                _("yes") if (entry.free if is_service else True) else _("no"),
                _("yes") if (entry.anonymous if is_service else True) else _("no"),
                _("yes") if (is_service and entry.referral) else _("no"),
                entry.verified.isoformat(),
            ]
        )
    # A byte order mark lets spreadsheet programs read the accents right.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="hulp.csv"'},
    )
