"""Services from another directory's Open Referral HSDS 3 data, as service files of content/.

The site's own export (directory/opendata.py) says what HSDS has no field for (the kind of help,
its topics and audiences, whether a referral is needed or it is anonymous) as attributes in the
taxonomies named here, so an export of this site reads back as the same services. Data from
elsewhere lacks those: the importer leaves them out, and the check then says what to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers

from ..vocabulary import AUDIENCES, KINDS
from .editing import front_matter
from .hours import BYDAY_RE
from .starters import PLACEHOLDERS

# Front-matter field -> the taxonomy its codes are terms of.
TAXONOMIES = {
    "topics": "uitweg-topics",
    "audiences": "uitweg-audiences",
    "kind": "uitweg-kinds",
    "facts": "uitweg-facts",
    "ways": "uitweg-ways",
}
# A service's yes/no fields that HSDS has no field for, as terms when true (in this order).
FACTS = ("referral", "anonymous", "open_on_closed_days", "no_new_clients")
# Facts with a value (the attribute's `value`): the waiting time and the day it was given.
VALUED = ("waiting_weeks", "waiting_checked")
ALWAYS_OPEN = "Open 24 hours a day, 7 days a week"
CLOSED = "Closed"  # a dated exception without hours
NO_BODY = f"{PLACEHOLDERS[1]} wat iemand kan verwachten: hoe je binnenkomt, wat het kost."
NATIONAL_AREAS = {"nederland", "the netherlands", "netherlands", "nl"}


@dataclass(frozen=True)
class Imported:
    slug: str
    text: str
    name: str


def slug_for(name: str, taken: set[str]) -> str:
    """A file name from a service's name ("Kompas Vaartstad" -> kompas-vaartstad), unique
    among `taken`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-") or "dienst"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _terms(service: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """The site's own export's terms: (taxonomy, code, the attribute's value)."""
    found = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if isinstance(term.get("code"), str):
            found.append((str(term.get("taxonomy") or ""), term["code"], attribute.get("value")))
    return found


def _codes(terms: list[tuple[str, str, Any]], field: str) -> list[str]:
    return [code for taxonomy, code, _value in terms if taxonomy == TAXONOMIES[field]]


def _values(terms: list[tuple[str, str, Any]]) -> dict[str, str]:
    """The valued facts (VALUED), by code."""
    return {
        code: str(value or "")
        for taxonomy, code, value in terms
        if taxonomy == TAXONOMIES["facts"] and code in VALUED
    }


def _paragraphs(service: Mapping[str, Any]) -> list[str]:
    """The description's paragraphs: the summary, then the text of the service's page."""
    parts = (p.strip() for p in str(service.get("description") or "").split("\n\n"))
    return [p for p in parts if p]


def _closing(local: str) -> str:
    # HSDS has no 24:00: a day that ends at midnight is exported as 23:59.
    return "24:00" if local == "23:59" else local


def _local_time(text: str, zone: ZoneInfo, on: dt.date) -> str | None:
    """An HSDS time ("09:00", "09:00:00", "09:00+01:00", "08:00Z") as the site's local clock
    time on `on`; a time without an offset is UTC, as HSDS says."""
    match = re.fullmatch(r"(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text or "")
    if not match:
        return None
    hour, minute, offset = int(match[1]), int(match[2]), match[3] or "Z"
    if hour > 23 or minute > 59:
        return None
    if offset == "Z":
        shift = dt.timedelta(0)
    else:
        sign = -1 if offset[0] == "-" else 1
        shift = sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    moment = dt.datetime.combine(on, dt.time(hour, minute), tzinfo=dt.timezone(shift))
    local = moment.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _exception(schedule: Mapping[str, Any], zone: ZoneInfo) -> dict[str, Any] | None:
    """A one-day schedule (valid from and to the same date, no repeat) as a dated exception."""
    day = _date(schedule.get("valid_from"))
    if day is None or schedule.get("valid_to") != schedule.get("valid_from"):
        return None
    if schedule.get("freq") or schedule.get("byday"):
        return None
    opens = _local_time(schedule.get("opens_at") or "", zone, day)
    closes = _local_time(schedule.get("closes_at") or "", zone, day)
    if opens and closes:
        return {"date": day, "opens_at": opens, "closes_at": _closing(closes)}
    return {"date": day, "closed": True}


def _hours(service: Mapping[str, Any], zone: ZoneInfo, on: dt.date) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    exceptions: list[dict[str, Any]] = []
    notes: list[str] = []
    for schedule in service.get("schedules") or []:
        exception = _exception(schedule, zone)
        if exception is not None:
            exceptions.append(exception)
            continue
        if not schedule.get("freq") and not schedule.get("byday") and schedule.get("description"):
            notes.append(str(schedule["description"]))
            continue
        days = [d.strip() for d in str(schedule.get("byday") or "").split(",")]
        days = [d for d in days if BYDAY_RE.match(d)]
        opens = _local_time(schedule.get("opens_at") or "", zone, on)
        closes = _local_time(schedule.get("closes_at") or "", zone, on)
        freq = schedule.get("freq") or "WEEKLY"
        if freq not in ("WEEKLY", "MONTHLY") or not days or not opens or not closes:
            continue
        if schedule.get("description") == ALWAYS_OPEN or (
            len(days) == 7 and opens == "00:00" and closes == "23:59"
        ):
            return {"always_open": True}
        row: dict[str, Any] = {"byday": days, "opens_at": opens, "closes_at": _closing(closes)}
        if freq != "WEEKLY":
            row["freq"] = freq
        if (schedule.get("interval") or 1) != 1:
            row["interval"] = schedule["interval"]
        for name in ("dtstart", "valid_from", "valid_to"):
            if (day := _date(schedule.get(name))) is not None:
                row[name] = day
        rows.append(row)
    found: dict[str, Any] = {"hours": rows} if rows else {}
    if exceptions:
        found["exceptions"] = exceptions
    if notes:
        found["hours_note"] = " ".join(notes)
    return found


def _phone(service: Mapping[str, Any]) -> str | None:
    for phone in service.get("phones") or []:
        number = str(phone.get("number") or "").strip()
        if not number:
            continue
        try:
            parsed = phonenumbers.parse(number, "NL")
        except phonenumbers.NumberParseException:
            return number  # the check says what is wrong with it
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return number
    return None


def _chat(service: Mapping[str, Any]) -> str | None:
    for place in service.get("service_at_locations") or []:
        location = place.get("location") or {}
        if location.get("location_type") == "virtual" and location.get("url"):
            return str(location["url"])
    return None


def _address(service: Mapping[str, Any]) -> dict[str, str] | None:
    for place in service.get("service_at_locations") or []:
        for address in (place.get("location") or {}).get("addresses") or []:
            if address.get("address_type", "physical") != "physical":
                continue
            street = " ".join(str(address.get(k) or "") for k in ("address_1", "address_2")).strip()
            if street and address.get("city"):
                return {
                    "street": street,
                    "postal_code": str(address.get("postal_code") or ""),
                    "city": str(address["city"]),
                }
    return None


def _area(service: Mapping[str, Any]) -> str | list[str] | None:
    names = [
        str(area.get("name") or area.get("extent") or "")
        for area in service.get("service_areas") or []
    ]
    names = [n for n in names if n]
    if not names:
        return None
    if any(n.casefold() in NATIONAL_AREAS for n in names):
        return "national"
    return names


def service_fields(
    service: Mapping[str, Any], zone: ZoneInfo, on: dt.date, draft: bool, paragraphs: list[str]
) -> dict[str, Any]:
    """One HSDS service as the fields of a service file, in the sample files' order (its
    description's `paragraphs` given)."""
    organization = service.get("organization") or {}
    free = any(
        option.get("option") == "free" or option.get("amount") == 0
        for option in service.get("cost_options") or []
    )
    fees = service.get("fees_description") or None
    terms = _terms(service)
    kind = _codes(terms, "kind")
    facts = set(_codes(terms, "facts"))
    valued = _values(terms)
    weeks = valued.get("waiting_weeks", "")
    waiting_checked = _date(valued.get("waiting_checked"))
    fields: dict[str, Any] = {
        "name": service.get("name"),
        "summary": paragraphs[0] if paragraphs else None,
        "organization": organization.get("name") or None,
        "kind": kind[0] if kind else None,
        "topics": _codes(terms, "topics") or None,
        "audiences": [a for a in _codes(terms, "audiences") if a in AUDIENCES] or None,
        "area": _area(service),
        "address": _address(service),
        "phone": _phone(service),
        "email": service.get("email") or None,
        "website": service.get("url") or None,
        "chat": _chat(service),
        **_hours(service, zone, on),
        "languages": [lang["code"] for lang in service.get("languages") or [] if lang.get("code")]
        or None,
        "free": free,
        # "Gratis" is what the export says for a free service without a word on costs.
        "cost": None if free and fees == "Gratis" else fees,
        "referral": "referral" in facts or None,
        "anonymous": "anonymous" in facts or None,
        "open_on_closed_days": "open_on_closed_days" in facts or None,
        "referral_how": service.get("application_process") or None,
        "eligibility": service.get("eligibility_description") or None,
        "waiting_weeks": int(weeks) if weeks.isascii() and weeks.isdigit() else None,
        "waiting_checked": waiting_checked,
        "no_new_clients": "no_new_clients" in facts or None,
        "ways": _codes(terms, "ways") or None,
        "verified": _date(service.get("assured_date")),
        "draft": draft or None,
    }
    if fields["kind"] not in KINDS:
        fields["kind"] = None
    return {k: v for k, v in fields.items() if v is not None}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def import_services(
    services: Iterable[Mapping[str, Any]],
    zone: ZoneInfo,
    on: dt.date,
    taken: set[str],
    draft: bool = True,
) -> list[Imported]:
    """HSDS services as Dutch service files (the data's language; translations are for the
    editors). A service needs a name; everything else the check asks for afterwards."""
    result = []
    for service in services:
        name = str(service.get("name") or "").strip()
        if not name:
            continue
        paragraphs = _paragraphs(service)
        fields = service_fields(service, zone, on, draft, paragraphs)
        # The page's text is the description after the summary; without one, the starter's
        # line, which the check refuses until an editor writes it.
        text = "\n\n".join(paragraphs[1:]) or NO_BODY
        result.append(Imported(slug_for(name, taken), front_matter(fields, text), name))
    return result
