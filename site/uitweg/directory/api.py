"""Open data: HSDS 3.0 services (with paging) and Meeting Guide meetings."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, jsonify, request, url_for

from ..content.model import DEFAULT_LANGUAGE
from ..context import content, today
from ..pagecache import cacheable
from .opendata import hsds_service, meeting_guide, uid

api = Blueprint("api", __name__, url_prefix="/api")
MAX_PER_PAGE = 100


def _services():
    return [
        versions[DEFAULT_LANGUAGE]
        for _slug, versions in sorted(content().services.items())
        if versions[DEFAULT_LANGUAGE].visible(today())
    ]


def _service_json(service) -> dict:
    page = url_for("directory.service", lang=DEFAULT_LANGUAGE, slug=service.slug, _external=True)
    return hsds_service(service, content().site, page)


def _number(name: str, default: int, maximum: int) -> int:
    value = request.args.get(name, "")
    usable = value.isascii() and value.isdigit() and len(value) < 7  # not "²" or "٣"
    return min(max(int(value), 1), maximum) if usable else default


@api.get("/hsds/services")
@cacheable
def services() -> Response:
    everything = _services()
    per_page = _number("per_page", 50, MAX_PER_PAGE)
    total_pages = max(1, -(-len(everything) // per_page))
    page = min(_number("page", 1, 10**6), total_pages)
    contents = [_service_json(s) for s in everything[(page - 1) * per_page : page * per_page]]
    return jsonify(
        {
            "total_items": len(everything),
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page == total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@api.get("/hsds/services/<service_id>")
@cacheable
def service(service_id: str) -> Response:
    for candidate in _services():
        if uid("service", candidate.slug) == service_id:
            return jsonify(_service_json(candidate))
    abort(404)


@api.get("/meetings.json")
@cacheable
def meetings() -> Response:
    site = content().site
    result = []
    for _slug, versions in sorted(content().groups.items()):
        group = versions[DEFAULT_LANGUAGE]
        if not group.visible(today()):
            continue
        page = url_for("directory.group", lang=DEFAULT_LANGUAGE, slug=group.slug, _external=True)
        updated = dt.datetime.combine(group.verified, dt.time(12)).strftime("%Y-%m-%d %H:%M:%S")
        result += meeting_guide(group, site, page, updated)
    return jsonify(result)
