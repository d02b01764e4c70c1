"""The directory as open data: Open Referral HSDS 3.0 services and Meeting Guide meetings.

Identifiers are UUIDs derived from the slugs, so they stay the same from one export to the next
and other systems can keep their links."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from markupsafe import Markup

from ..content.directory import Group, Service
from ..content.hours import DAY_CODES, format_time
from ..content.model import SiteSettings
from ..vocabulary import language_name

NAMESPACE = uuid.UUID("6f1c3a52-6d0e-4b53-9d43-4a55c2b1f0e1")


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


TOPIC_TAXONOMY = "uitweg-topics"
TOPIC_TAXONOMY_ID = uid("taxonomy", TOPIC_TAXONOMY)


def topic_term_id(code: str) -> str:
    return uid("taxonomy_term", TOPIC_TAXONOMY, code)


def topic_taxonomy() -> dict[str, Any]:
    return {
        "id": TOPIC_TAXONOMY_ID,
        "name": TOPIC_TAXONOMY,
        "description": "De onderwerpen van de wegwijzer (directory topics of this site)",
        "version": "1",
    }


def topic_term(code: str, site: SiteSettings) -> dict[str, Any]:
    """A directory topic of site.yaml as an HSDS taxonomy term (Dutch words, as the data is)."""
    names = site.topics.get(code, {})
    name = names.get("nl") or code
    return {
        "id": topic_term_id(code),
        "code": code,
        "name": name,
        "description": names.get("en") or name,
        "taxonomy": TOPIC_TAXONOMY,
        "taxonomy_id": TOPIC_TAXONOMY_ID,
        "language": "nl",
    }


def hsds_time(minutes: int, offset: dt.timedelta) -> str:
    """A local time with its UTC offset ("09:00+01:00"): HSDS reads a time without one as UTC.
    Midnight at the end of a day is 23:59, as "24:00" is no time of day."""
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    zone = f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return f"{format_time(min(minutes, 24 * 60 - 1))}{zone}"


def hsds_moment(moment: dt.datetime) -> str:
    """A moment as HSDS gives it: UTC, to the millisecond ("2026-10-14T22:00:00.000Z")."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hsds_organization(name: str) -> dict[str, Any]:
    return {"id": uid("organization", name), "name": name, "description": name}


# A service's one-to-one fields: what a list of services gives (`service_list` in HSDS); the
# rest (schedules, phones, places) comes with `full`.
LIST_FIELDS = frozenset(
    {
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "fees_description",
        "eligibility_description",
        "assured_date",
        "last_modified",
        "organization",
    }
)


def hsds_service(
    service: Service,
    site: SiteSettings,
    page_url: str,
    offset: dt.timedelta,
    last_modified: dt.datetime,
    full: bool = True,
) -> dict[str, Any]:
    """The service as HSDS. Times carry `offset`, the site's time zone's offset from UTC on the
    day of the export: a weekly schedule has no single offset across the clock changes, so the
    export says today's (and changes on the day the clocks do)."""
    data = _whole_service(service, site, page_url, offset)
    data["last_modified"] = hsds_moment(last_modified)
    return data if full else {k: v for k, v in data.items() if k in LIST_FIELDS}


def _whole_service(
    service: Service, site: SiteSettings, page_url: str, offset: dt.timedelta
) -> dict[str, Any]:
    sid = uid("service", service.slug)
    organization_id = uid("organization", service.organization)
    data: dict[str, Any] = {
        "id": sid,
        "organization_id": organization_id,
        "name": service.title,
        "description": service.summary,
        "url": service.website or page_url,
        "status": "active",
        "fees_description": service.cost or ("Gratis" if service.free else ""),
        "assured_date": service.verified.isoformat(),
        "organization": hsds_organization(service.organization),
        "phones": [],
        "schedules": [],
        "service_areas": [],
        "service_at_locations": [],
        "languages": [
            {
                "id": uid("language", service.slug, code),
                "service_id": sid,
                "code": code,
                "name": language_name(code, "en"),
            }
            for code in service.languages
        ],
        "cost_options": [],
        # The directory's topics, so an importer can sort services as the site does (and the
        # API's taxonomy filters can find them).
        "attributes": [
            {
                "id": uid("attribute", service.slug, term["code"]),
                "link_id": sid,
                "link_type": "topic",
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
            for term in (topic_term(code, site) for code in service.topics)
        ],
    }
    if service.email:
        data["email"] = service.email
    if service.eligibility:
        data["eligibility_description"] = service.eligibility
    if service.phone:
        data["phones"].append(
            {"id": uid("phone", service.slug), "service_id": sid, "number": service.phone.e164}
        )
    if service.free:
        data["cost_options"].append(
            {
                "id": uid("cost", service.slug),
                "service_id": sid,
                "option": "free",
                "amount": 0,
                "currency": "EUR",
            }
        )
    for index, span in enumerate(service.hours.spans):
        rule = span.rule
        schedule = {
            "id": uid("schedule", service.slug, str(index)),
            "service_id": sid,
            "freq": rule.freq,
            "interval": rule.interval,
            "byday": ",".join(b.code for b in rule.byday),
            "opens_at": hsds_time(span.start, offset),
            "closes_at": hsds_time(span.end, offset),
            "timezone": offset.total_seconds() / 3600,
        }
        for name in ("dtstart", "valid_from", "valid_to"):
            if getattr(rule, name):
                schedule[name] = getattr(rule, name).isoformat()
        data["schedules"].append(schedule)
    if service.hours.always_open:
        data["schedules"].append(
            {
                "id": uid("schedule", service.slug, "always"),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": ",".join(DAY_CODES),
                "opens_at": hsds_time(0, offset),
                "closes_at": hsds_time(24 * 60, offset),
                "timezone": offset.total_seconds() / 3600,
                "description": "Open 24 hours a day, 7 days a week",
            }
        )
    areas = service.area or ("Nederland",)
    data["service_areas"] = [
        {
            "id": uid("area", service.slug, name),
            "service_id": sid,
            "name": name,
            # The specification's extent types are geojson, topojson, kml and text: the area
            # is a place's name, so text, with the kind of place in the description.
            "extent": name,
            "extent_type": "text",
            "description": "municipality" if service.area else "country",
        }
        for name in areas
    ]
    if service.address:
        location_id = uid("location", service.slug)
        data["service_at_locations"].append(
            {
                "id": uid("service_at_location", service.slug),
                "service_id": sid,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": service.organization,
                    "addresses": [
                        {
                            "id": uid("address", service.slug),
                            "location_id": location_id,
                            "address_1": service.address.street,
                            "city": service.address.city,
                            "state_province": site.province,
                            "postal_code": service.address.postal_code,
                            "country": "NL",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        )
    return data


def meeting_guide(group: Group, site: SiteSettings, page_url: str, updated: str) -> list[dict]:
    """A group's weekly meetings in the Meeting Guide format (it only describes weekly ones)."""
    meetings = []
    for index, meeting in enumerate(group.meetings):
        if not meeting.span.rule.is_weekly:
            continue
        days = sorted((b.weekday + 1) % 7 for b in meeting.span.rule.byday)  # Sunday is 0
        item: dict[str, Any] = {
            "name": group.title,
            "slug": f"{group.slug}-{index + 1}",
            "day": days[0] if len(days) == 1 else days,
            "time": format_time(meeting.span.start),
            "end_time": format_time(meeting.span.end),
            "timezone": site.timezone,
            "types": list(meeting.types),
            "group": group.title,
            "url": page_url,
            "updated": updated,
        }
        # The group page's text, as plain text: what a newcomer should know. (Markup only
        # strips the tags of the site's own cleaned HTML here; nothing is rendered from it.)
        notes = Markup(group.html).striptags()  # noqa: S704
        if notes:
            item["notes"] = notes
        if meeting.location:
            item["location"] = meeting.location
        if meeting.address:
            item.update(
                address=meeting.address.street,
                city=meeting.address.city,
                postal_code=meeting.address.postal_code,
                country="NL",
            )
        if meeting.online:
            item["conference_url"] = meeting.online
            if not meeting.address:
                # Online meetings carry an approximate place: where the group belongs.
                item["formatted_address"] = f"{group.area[0] if group.area else 'Nederland'}, NL"
                item["approximate"] = "yes"
        meetings.append(item)
    return meetings
