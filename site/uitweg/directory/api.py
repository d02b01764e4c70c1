"""Open data: the published HSDS 3.0 API (services, organisations, taxonomies) and Meeting Guide
meetings. Paths, parameters and answers follow the API's OpenAPI description."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from werkzeug.exceptions import BadRequest

from ..content.directory import Service
from ..content.hsds import TAXONOMIES
from ..content.model import DEFAULT_LANGUAGE
from ..context import content, now, today
from ..pagecache import cacheable
from .opendata import (
    all_terms,
    hsds_moment,
    hsds_organization,
    hsds_service,
    meeting_guide,
    service_terms,
    term_id,
    uid,
)
from .opendata import (
    taxonomy as opendata_taxonomy,
)
from .opendata import taxonomy_id as taxonomy_uid

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
    # (The site's own pages say Cross-Origin-Resource-Policy: same-origin; open data may be
    # embedded anywhere.)
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _services() -> list[Service]:
    return [
        versions[DEFAULT_LANGUAGE]
        for _slug, versions in sorted(content().services.items())
        if versions[DEFAULT_LANGUAGE].visible(today())
    ]


def _offset() -> dt.timedelta:
    """The site's time zone's offset from UTC now: one per answer, for all its services."""
    local = now().astimezone(ZoneInfo(content().site.timezone))
    return local.utcoffset() or dt.timedelta(0)


def _last_modified(service: Service) -> dt.datetime:
    """When the listing last changed: its publication through the editors' area, or for a
    listing that lives only in a file, the start of the day it was last checked (`verified`),
    since a file's time on disk changes with every deploy and differs between hosts."""
    published = current_app.extensions["content"].changed.get(("services", service.slug))
    checked = dt.datetime.combine(
        service.verified, dt.time(0), tzinfo=ZoneInfo(content().site.timezone)
    )
    return max(published, checked) if published is not None else checked


# ---- the query's parameters: anything the API does not allow is a 400 in JSON, never a guess


def _number(name: str, default: int, maximum: int) -> int:
    """A whole number from 1 up (capped at `maximum`); anything else is the caller's mistake,
    said in a JSON error rather than guessed ("null", "²", "-1", "1.5")."""
    if name not in request.args:
        return default
    value = request.args[name]
    if not (value.isascii() and value.isdigit() and 0 < len(value) < 7) or int(value) < 1:
        raise BadRequest(f"'{name}' must be a whole number, 1 or more")
    return min(int(value), maximum)


def _flag(name: str) -> bool:
    value = request.args.get(name, "false")
    if value not in ("true", "false"):
        raise BadRequest(f"'{name}' must be true or false")
    return value == "true"


def _text(name: str) -> str:
    return request.args.get(name, "")[:200]


def _moment(name: str) -> dt.datetime | None:
    """A date-time (ISO 8601); one without an offset is UTC, as HSDS reads such times."""
    value = request.args.get(name)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date and time, like 2026-11-01T09:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _streamed() -> bool:
    """`format=ndjson` gives every result, one JSON object a line, without pages."""
    value = request.args.get("format", "json")
    if value not in ("json", "ndjson"):
        raise BadRequest("'format' must be json or ndjson")
    return value == "ndjson"


def _answer(items: list[Any], to_json: Callable[[Any], dict[str, Any]]) -> Response:
    """A page of `items` as the API's Page (or all of them as ndjson). A page past the end is
    empty, so an importer that reads until an empty page stops."""
    if _streamed():
        lines = (json.dumps(to_json(item), ensure_ascii=False) + "\n" for item in items)
        return Response("".join(lines), mimetype="application/x-ndjson")
    per_page = _number("per_page", 50, MAX_PER_PAGE)
    page = _number("page", 1, 10**6)
    total_pages = max(1, -(-len(items) // per_page))
    contents = [to_json(item) for item in items[(page - 1) * per_page : page * per_page]]
    return jsonify(
        {
            "total_items": len(items),
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _words(search: str, *texts: str) -> bool:
    text = " ".join(texts).casefold()
    return all(word in text for word in search.casefold().split())


# ---- the API


@api.get("/hsds/")
@cacheable
def hsds_root() -> Response:
    return jsonify({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


def _service_json(offset: dt.timedelta, full: bool) -> Callable[[Service], dict[str, Any]]:
    def to_json(service: Service) -> dict[str, Any]:
        return hsds_service(service, content().site, offset, _last_modified(service), full=full)

    return to_json


def _minimal(service: Service) -> dict[str, Any]:
    # The API asks for just the id and the time of the last change; name and status stay
    # because the schema of a listed service requires them.
    return {
        "id": uid("service", service.slug),
        "name": service.title,
        "status": "active",
        "last_modified": hsds_moment(_last_modified(service)),
    }


def _matches(service: Service, search: str, organization_id: str, term: str, taxonomy: str) -> bool:
    """The published API's filters: `search` (words in the name or description, any case),
    `organization_id`, `taxonomy_term_id` and `taxonomy_id` (the directory's topics,
    audiences, kinds of help and facts)."""
    if organization_id and uid("organization", service.organization) != organization_id:
        return False
    coded = service_terms(service)
    if term and term not in {term_id(field, code) for field, code, _value in coded}:
        return False
    if taxonomy and taxonomy not in {taxonomy_uid(field) for field, _code, _value in coded}:
        return False
    return _words(search, service.title, service.summary)


@api.get("/hsds/services")
@cacheable
def services() -> Response:
    search, organization_id = _text("search"), _text("organization_id")
    term, taxonomy = _text("taxonomy_term_id"), _text("taxonomy_id")
    after = _moment("modified_after")
    minimal, full = _flag("minimal"), _flag("full")
    chosen = [
        s
        for s in _services()
        if _matches(s, search, organization_id, term, taxonomy)
        and (after is None or _last_modified(s) >= after)
    ]
    return _answer(chosen, _minimal if minimal else _service_json(_offset(), full))


@api.get("/hsds/services/<service_id>")
@cacheable
def service(service_id: str) -> Response:
    for candidate in _services():
        if uid("service", candidate.slug) == service_id:
            return jsonify(_service_json(_offset(), full=True)(candidate))
    abort(404)


def _organizations() -> dict[str, list[Service]]:
    offered: dict[str, list[Service]] = {}
    for item in _services():
        offered.setdefault(item.organization, []).append(item)
    return dict(sorted(offered.items()))


def _organization_json(offered: dict[str, list[Service]], full_service: bool) -> Callable:
    offset = _offset()

    def to_json(name: str) -> dict[str, Any]:
        data = hsds_organization(name)
        shown = offered[name]
        data["services"] = (
            [_service_json(offset, full=True)(s) for s in shown]
            if full_service
            else [
                {"id": uid("service", s.slug), "name": s.title, "status": "active"} for s in shown
            ]
        )
        return data

    return to_json


@api.get("/hsds/organizations")
@cacheable
def organizations() -> Response:
    search = _text("search")
    full_service, full = _flag("full_service"), _flag("full")
    offered = _organizations()
    chosen = [name for name in offered if _words(search, name)]
    if not (full or full_service):
        return _answer(chosen, hsds_organization)
    return _answer(chosen, _organization_json(offered, full_service))


@api.get("/hsds/organizations/<organization_id>")
@cacheable
def organization(organization_id: str) -> Response:
    full_service = _flag("full_service")
    offered = _organizations()
    for name in offered:
        if uid("organization", name) == organization_id:
            return jsonify(_organization_json(offered, full_service)(name))
    abort(404)


def _taxonomies() -> list[dict[str, Any]]:
    return [opendata_taxonomy(field) for field in TAXONOMIES]


@api.get("/hsds/taxonomies")
@cacheable
def taxonomies() -> Response:
    search = _text("search")
    return _answer([t for t in _taxonomies() if _words(search, t["name"], t["description"])], dict)


@api.get("/hsds/taxonomies/<taxonomy_id>")
@cacheable
def taxonomy(taxonomy_id: str) -> Response:
    for candidate in _taxonomies():
        if candidate["id"] == taxonomy_id:
            return jsonify(candidate)
    abort(404)


def _terms() -> list[dict[str, Any]]:
    details = {t["id"]: t for t in _taxonomies()}
    return [
        {**term, "taxonomy_detail": details[term["taxonomy_id"]]}
        for term in all_terms(content().site)
    ]


@api.get("/hsds/taxonomy_terms")
@cacheable
def taxonomy_terms() -> Response:
    search, wanted, parent_id = _text("search"), _text("taxonomy_id"), _text("parent_id")
    _flag("top_only")  # every term is a top term: the list is the same either way
    shown = [
        term
        for term in _terms()
        if _words(search, term["name"], term["description"], term["code"])
        and (not wanted or wanted == term["taxonomy_id"])
        and not parent_id  # no term has a parent
    ]
    return _answer(shown, dict)


@api.get("/hsds/taxonomy_terms/<term_id>")
@cacheable
def taxonomy_term(term_id: str) -> Response:
    for candidate in _terms():
        if candidate["id"] == term_id:
            return jsonify(candidate)
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
