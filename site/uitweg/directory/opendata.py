"""The directory as open data: Open Referral HSDS 3.0 services and Meeting Guide meetings.

Identifiers are UUIDs derived from the slugs, so they stay the same from one export to the next
and other systems can keep their links."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from markupsafe import Markup

from ..content.directory import Group, Service
from ..content.hours import DAY_CODES, format_time
from ..content.hsds import ALWAYS_OPEN, CLOSED, FACTS, TAXONOMIES, VALUED
from ..content.model import SiteSettings
from ..vocabulary import (
    AUDIENCE_LABELS,
    AUDIENCES,
    FACT_LABELS,
    KIND_LABELS,
    KINDS,
    WAY_LABELS,
    WAYS,
    language_name,
)

NAMESPACE = uuid.UUID("6f1c3a52-6d0e-4b53-9d43-4a55c2b1f0e1")


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def taxonomy_id(field: str) -> str:
    return uid("taxonomy", TAXONOMIES[field])


def term_id(field: str, code: str) -> str:
    # The topics' ids are those of the first export, which had only them.
    return uid("taxonomy_term", TAXONOMIES[field], code)


TAXONOMY_DESCRIPTIONS = {
    "topics": "De onderwerpen van de wegwijzer (what the help is about)",
    "audiences": "Voor wie de hulp is (who the help is for)",
    "kind": "Soort hulp (the kind of help)",
    "facts": "Verwijzing nodig, anoniem, wachttijd, open op feestdagen (facts about getting in)",
    "ways": "Hoe de hulp gaat: op locatie, online, telefonisch (how the help is given)",
}


def taxonomy(field: str) -> dict[str, Any]:
    return {
        "id": taxonomy_id(field),
        "name": TAXONOMIES[field],
        "description": TAXONOMY_DESCRIPTIONS[field],
        "version": "1",
    }


def _term_names(field: str, code: str, site: SiteSettings) -> tuple[str, str]:
    """A term's Dutch name (the data's language) and its English one."""
    if field == "topics":
        names = site.topics.get(code, {})
        return names.get("nl") or code, names.get("en") or names.get("nl") or code
    labels = {"audiences": AUDIENCE_LABELS, "kind": KIND_LABELS, "ways": WAY_LABELS}.get(
        field, FACT_LABELS
    )
    label = labels.get(code)
    if label is None:
        return code, code
    with force_locale("nl"):
        dutch = str(label)
    with force_locale("en"):
        return dutch, str(label)


def term(field: str, code: str, site: SiteSettings) -> dict[str, Any]:
    """A code of the site's vocabulary as an HSDS taxonomy term."""
    dutch, english = _term_names(field, code, site)
    return {
        "id": term_id(field, code),
        "code": code,
        "name": dutch,
        "description": english,
        "taxonomy": TAXONOMIES[field],
        "taxonomy_id": taxonomy_id(field),
        "language": "nl",
    }


def all_terms(site: SiteSettings) -> list[dict[str, Any]]:
    codes = {
        "topics": tuple(site.topics),
        "audiences": AUDIENCES,
        "kind": KINDS,
        "facts": (*FACTS, *VALUED),
        "ways": WAYS,
    }
    return [term(field, code, site) for field in TAXONOMIES for code in codes[field]]


def _attribute_id(slug: str, field: str, code: str) -> str:
    # A topic's attribute keeps the id of the first export, which had only topics.
    return (
        uid("attribute", slug, code) if field == "topics" else uid("attribute", slug, field, code)
    )


def service_terms(service: Service) -> list[tuple[str, str, str | None]]:
    """The service's codes that HSDS has no field for, as (field, code, value)."""
    flags = (
        service.referral,
        service.anonymous,
        service.hours.open_on_closed_days,
        service.no_new_clients,
    )
    facts = [name for name, true in zip(FACTS, flags, strict=True) if true]
    valued = []
    if service.waiting_weeks is not None and service.waiting_checked is not None:
        valued = [
            ("facts", "waiting_weeks", str(service.waiting_weeks)),
            ("facts", "waiting_checked", service.waiting_checked.isoformat()),
        ]
    return [
        *(("topics", c, None) for c in service.topics),
        *(("audiences", c, None) for c in service.audiences),
        ("kind", service.kind, None),
        *(("facts", c, None) for c in facts),
        *valued,
        *(("ways", c, None) for c in service.ways),
    ]


def wait_time(service: Service) -> str | None:
    """The waiting time in words, in the data's language (Dutch), with the day it was given."""
    if service.waiting_weeks is None or service.waiting_checked is None:
        return None
    as_of = service.waiting_checked.isoformat()
    if service.waiting_weeks == 0:
        return f"Geen wachttijd (stand {as_of})"
    unit = "week" if service.waiting_weeks == 1 else "weken"
    return f"Ongeveer {service.waiting_weeks} {unit} (stand {as_of})"


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def plain_paragraphs(html: str) -> list[str]:
    """The site's own cleaned HTML as plain paragraphs (its tags stripped, nothing rendered)."""
    chunks = (Markup(chunk).striptags() for chunk in _BLOCK_END.split(html))  # noqa: S704
    return [chunk for chunk in chunks if chunk]


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


def hsds_service(
    service: Service,
    site: SiteSettings,
    offset: dt.timedelta,
    last_modified: dt.datetime,
    full: bool = True,
) -> dict[str, Any]:
    """The service as HSDS: its one-to-one fields (what a list of services gives, HSDS's
    `service_list`), and with `full` everything nested in it too. Times carry `offset`, the
    site's time zone's offset from UTC on the day of the export: a weekly schedule has no single
    offset across the clock changes, so the export says today's (and changes on the day the
    clocks do)."""
    data = _one_to_one(service, last_modified)
    return {**data, **_nested(service, site, offset)} if full else data


def _one_to_one(service: Service, last_modified: dt.datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": uid("service", service.slug),
        "organization_id": uid("organization", service.organization),
        "name": service.title,
        # The summary, then the page's text as plain paragraphs: HSDS has one description.
        "description": "\n\n".join([service.summary, *plain_paragraphs(service.html)]),
        "status": "active",
        "fees_description": service.cost or ("Gratis" if service.free else ""),
        "assured_date": service.verified.isoformat(),
        "last_modified": hsds_moment(last_modified),
        "organization": hsds_organization(service.organization),
    }
    # The service's own website; the site's page about it is not that.
    if service.website:
        data["url"] = service.website
    if waiting := wait_time(service):
        data["wait_time"] = waiting
    if service.referral and service.referral_how:
        data["application_process"] = service.referral_how
    if service.email:
        data["email"] = service.email
    if service.eligibility:
        data["eligibility_description"] = service.eligibility
    return data


def _nested(service: Service, site: SiteSettings, offset: dt.timedelta) -> dict[str, Any]:
    sid = uid("service", service.slug)
    data: dict[str, Any] = {
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
        # What HSDS has no field for (the directory's topics, audiences, kind of help, and
        # facts such as a referral being needed), as terms: an importer sorts services as
        # the site does, the API's taxonomy filters find them, and an export imports back as
        # the same services.
        "attributes": [
            {
                "id": _attribute_id(service.slug, f, c),
                "link_id": sid,
                "link_type": f,
                "link_entity": "service",
                "taxonomy_term_id": term_id(f, c),
                "taxonomy_term": term(f, c, site),
                **({"value": value} if value is not None else {}),
            }
            for f, c, value in service_terms(service)
        ],
    }
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
                "description": ALWAYS_OPEN,
            }
        )
    data["schedules"] += _exceptions(service, site)
    if service.hours_note:
        # How to reach a service without set hours ("by appointment"): a schedule that is
        # only words.
        data["schedules"].append(
            {
                "id": uid("schedule", service.slug, "note"),
                "service_id": sid,
                "description": service.hours_note,
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
    if service.chat:
        # A chat is a place to go online: HSDS's virtual location.
        location_id = uid("location", service.slug, "chat")
        data["service_at_locations"].append(
            {
                "id": uid("service_at_location", service.slug, "chat"),
                "service_id": sid,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "virtual",
                    "name": "Chat",
                    "url": service.chat,
                },
            }
        )
    return data


def _exceptions(service: Service, site: SiteSettings) -> list[dict[str, Any]]:
    """Dated exceptions (other hours, or closed) as one-day schedules, each with the offset
    of its own day."""
    zone = ZoneInfo(site.timezone)
    schedules: list[dict[str, Any]] = []
    for day, spans in sorted(service.hours.exceptions.items()):
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
        offset = noon.utcoffset() or dt.timedelta(0)
        common = {"service_id": uid("service", service.slug), "valid_from": day.isoformat()}
        common["valid_to"] = day.isoformat()
        if not spans:
            schedules.append(
                {"id": uid("schedule", service.slug, day.isoformat()), **common, "notes": CLOSED}
            )
        for start, end in spans:
            schedules.append(
                {
                    "id": uid("schedule", service.slug, day.isoformat(), str(start)),
                    **common,
                    "opens_at": hsds_time(start, offset),
                    "closes_at": hsds_time(end, offset),
                    "timezone": offset.total_seconds() / 3600,
                }
            )
    return schedules


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
