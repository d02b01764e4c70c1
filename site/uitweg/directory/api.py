"""Open data: HSDS 3.0 services (with paging) and Meeting Guide meetings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, jsonify, request, url_for
from werkzeug.exceptions import BadRequest

from ..content.model import DEFAULT_LANGUAGE
from ..context import content, now, today
from ..pagecache import cacheable
from .opendata import TOPIC_TAXONOMY_ID, hsds_service, meeting_guide, topic_term_id, uid

api = Blueprint("api", __name__, url_prefix="/api")
MAX_PER_PAGE = 100
HSDS_VERSION = "3.0"
# The published description of the API these addresses follow (a link for readers; the site
# never fetches it).
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PROFILE_URL = "https://docs.openreferral.org/en/v3.0/hsds/overview/"


@api.after_request
def readable_from_other_sites(response: Response) -> Response:
    # Open data is for anyone: a reader on another site may fetch it from the browser. Nothing
    # here depends on who asks (no cookie, no login), so any origin may read it.
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _services():
    return [
        versions[DEFAULT_LANGUAGE]
        for _slug, versions in sorted(content().services.items())
        if versions[DEFAULT_LANGUAGE].visible(today())
    ]


def _offset() -> dt.timedelta:
    """The site's time zone's offset from UTC now: one per answer, for all its services."""
    local = now().astimezone(ZoneInfo(content().site.timezone))
    return local.utcoffset() or dt.timedelta(0)


def _service_json(service, offset: dt.timedelta) -> dict:
    page = url_for("directory.service", lang=DEFAULT_LANGUAGE, slug=service.slug, _external=True)
    return hsds_service(service, content().site, page, offset)


def _number(name: str, default: int, maximum: int) -> int:
    """A whole number from 1 up (capped at `maximum`); anything else is the caller's mistake,
    said in a JSON error rather than guessed ("null", "²", "-1", "1.5")."""
    if name not in request.args:
        return default
    value = request.args[name]
    if not (value.isascii() and value.isdigit() and 0 < len(value) < 7) or int(value) < 1:
        raise BadRequest(f"'{name}' must be a whole number, 1 or more")
    return min(int(value), maximum)


@api.get("/hsds/")
@cacheable
def hsds_root() -> Response:
    return jsonify({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


def _matches(service, search: str, organization_id: str, term: str, taxonomy: str) -> bool:
    """The published API's filters: `search` (words in the name or description, any case),
    `organization_id`, `taxonomy_term_id` and `taxonomy_id` (the directory's topics)."""
    if organization_id and uid("organization", service.organization) != organization_id:
        return False
    terms = {topic_term_id(code) for code in service.topics}
    if term and term not in terms:
        return False
    if taxonomy and (taxonomy != TOPIC_TAXONOMY_ID or not terms):
        return False
    text = f"{service.title} {service.summary}".casefold()
    return all(word in text for word in search.casefold().split())


@api.get("/hsds/services")
@cacheable
def services() -> Response:
    search = request.args.get("search", "")[:200]
    organization_id = request.args.get("organization_id", "")[:100]
    term = request.args.get("taxonomy_term_id", "")[:100]
    taxonomy = request.args.get("taxonomy_id", "")[:100]
    everything = [s for s in _services() if _matches(s, search, organization_id, term, taxonomy)]
    per_page = _number("per_page", 50, MAX_PER_PAGE)
    total_pages = max(1, -(-len(everything) // per_page))
    # A page past the end is empty, so an importer that reads until an empty page stops.
    page = _number("page", 1, 10**6)
    offset = _offset()
    shown = everything[(page - 1) * per_page : page * per_page]
    contents = [_service_json(s, offset) for s in shown]
    return jsonify(
        {
            "total_items": len(everything),
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@api.get("/hsds/services/<service_id>")
@cacheable
def service(service_id: str) -> Response:
    for candidate in _services():
        if uid("service", candidate.slug) == service_id:
            return jsonify(_service_json(candidate, _offset()))
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
