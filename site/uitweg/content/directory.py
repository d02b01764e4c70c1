"""Care services and self-help groups in content/services/ and content/groups/.

Services follow Open Referral HSDS 3.0 (organisation, service, location, phone, schedule,
languages, cost, eligibility, service area); meetings follow the Meeting Guide format (day, time,
end time, type codes, address or conference URL). Every entry carries the date it was last
checked, and `flask content check` warns when that is too long ago.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from babel import Locale

from ..vocabulary import AUDIENCES, FELLOWSHIPS, KINDS, MEETING_TYPES, WAYS
from .frontmatter import Document
from .hours import ByDay, Hours, Rule, ScheduleError, Span, parse_time
from .model import Item
from .problems import N_, errors_since, problem
from .schema import Reporter

NATIONAL = "national"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
POSTAL_CODE_RE = re.compile(r"^\d{4} ?[A-Z]{2}$")
_ENGLISH = Locale("en")


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str

    def one_line(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class Phone:
    display: str
    e164: str

    @property
    def tel(self) -> str:
        return self.e164


@dataclass(frozen=True)
class Entry(Item):
    """Fields a service and a group share."""

    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    area: tuple[str, ...] = ()  # municipalities; empty for a national entry
    verified: dt.date = dt.date.min
    phone: Phone | None = None
    email: str | None = None
    website: str | None = None
    owner: str | None = None  # who is asked to check the listing when it is old

    @property
    def national(self) -> bool:
        return not self.area

    def serves(self, municipality: str) -> bool:
        return self.national or municipality in self.area


@dataclass(frozen=True)
class Service(Entry):
    organization: str = ""
    kind: str = ""
    address: Address | None = None
    chat: str | None = None
    hours: Hours = field(default_factory=Hours)
    languages: tuple[str, ...] = ("nl",)
    free: bool = False
    cost: str | None = None
    anonymous: bool = False
    referral: bool = False
    referral_how: str | None = None
    eligibility: str | None = None
    hours_note: str | None = None
    # Access: about how many weeks until the first appointment, as of the day it was given.
    waiting_weeks: int | None = None
    waiting_checked: dt.date | None = None
    no_new_clients: bool = False
    ways: tuple[str, ...] = ()  # WAYS: in person, online, by phone

    @property
    def help_soon(self) -> bool:
        """Known to help within a week: a waiting time of a week at most, and open to new
        clients."""
        return (
            self.waiting_weeks is not None and self.waiting_weeks <= 1 and not self.no_new_clients
        )


@dataclass(frozen=True)
class Meeting:
    span: Span
    location: str | None
    address: Address | None
    online: str | None
    types: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Group(Entry):
    fellowship: str = ""
    meetings: tuple[Meeting, ...] = ()
    cancelled: frozenset[dt.date] = frozenset()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.language for m in self.meetings))


class EntryChecker(Reporter):
    """Turns checked front matter into services and groups; each problem names its line."""

    def schedule_error(self, doc: Document, path: str, exc: ScheduleError) -> None:
        self.error(doc, path, exc.template, **exc.params)

    # -- small value checks -------------------------------------------------------------------

    def codes(self, doc: Document, name: str, values: Any, known: tuple[str, ...] | dict) -> tuple:
        if not isinstance(values, list) or not values:
            self.error(
                doc,
                name,
                N_("{name} must be a list, e.g. [{example}]"),
                name=name,
                example=next(iter(known)),
            )
            return ()
        unknown = [v for v in values if v not in known]
        if unknown:
            self.error(
                doc,
                name,
                N_("unknown {name} {unknown}; known: {known}"),
                name=name,
                unknown=", ".join(map(str, unknown)),
                known=", ".join(known),
            )
            return ()
        return tuple(values)

    def area(self, doc: Document, value: Any) -> tuple[str, ...] | None:
        if value == NATIONAL:
            return ()
        if not isinstance(value, list) or not value:
            self.error(doc, "area", N_("area must be 'national' or a list of municipalities"))
            return None
        unknown = [v for v in value if v not in self.site.municipalities]
        if unknown:
            self.error(
                doc,
                "area",
                N_("unknown municipality {unknown}; site.yaml knows: {known}"),
                unknown=", ".join(map(str, unknown)),
                known=", ".join(self.site.municipalities),
            )
            return None
        return tuple(value)

    def phone(self, doc: Document, path: str, value: Any) -> Phone | None:
        if value is None:
            return None
        text = str(value).strip()
        try:
            number = phonenumbers.parse(text, "NL")
        except phonenumbers.NumberParseException:
            number = None
        if (
            number is None
            or not (
                phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number(number)
            )
            or phonenumbers.region_code_for_number(number) not in {"NL", "BE"}
        ):
            self.error(
                doc,
                path,
                N_("'{number}' is not a valid Dutch or Belgian phone number"),
                number=text,
            )
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_short_number(number) and not phonenumbers.is_valid_number(number):
            e164 = str(number.national_number)  # 112, 113: dialled as they are
        return Phone(display=text, e164=e164)

    def url(self, doc: Document, path: str, value: Any) -> str | None:
        if value is None:
            return None
        parts = urlsplit(str(value))
        if parts.scheme != "https" or "." not in parts.netloc or " " in str(value):
            self.error(doc, path, N_("'{value}' is not a full https:// address"), value=value)
            return None
        return str(value)

    def email(self, doc: Document, path: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not EMAIL_RE.match(value):
            self.error(doc, path, N_("'{value}' is not an e-mail address"), value=value)
            return None
        return value

    def address(self, doc: Document, path: str, value: Any) -> Address | None:
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"street", "postal_code", "city"}:
            self.error(doc, path, N_("an address has exactly 'street', 'postal_code' and 'city'"))
            return None
        postal_code = str(value["postal_code"]).strip().upper()
        if not POSTAL_CODE_RE.match(postal_code):
            self.error(
                doc,
                f"{path}.postal_code",
                N_("'{code}' is not a Dutch postal code like 1234 AB"),
                code=postal_code,
            )
            return None
        return Address(str(value["street"]).strip(), postal_code, str(value["city"]).strip())

    def languages(self, doc: Document, value: Any) -> tuple[str, ...]:
        if value is None:
            return ("nl",)
        if not isinstance(value, list) or not value:
            self.error(doc, "languages", N_("languages must be a list of codes, e.g. [nl, en, ar]"))
            return ()
        unknown = [v for v in value if not isinstance(v, str) or v not in _ENGLISH.languages]
        if unknown:
            self.error(
                doc,
                "languages",
                N_(
                    "unknown language code {unknown}; "
                    "use two-letter codes such as nl, en, ar, tr, pl"
                ),
                unknown=", ".join(map(str, unknown)),
            )
            return ()
        return tuple(value)

    def rule(self, doc: Document, path: str, spec: dict[str, Any]) -> Rule | None:
        byday = spec.get("byday")
        days = byday if isinstance(byday, list) else [byday] if byday else []
        try:
            dates = {}
            for name in ("dtstart", "valid_from", "valid_to"):
                value = spec.get(name)
                if value is not None and not isinstance(value, dt.date):
                    raise ScheduleError(
                        N_("{name} must be a date written as YYYY-MM-DD"), name=name
                    )
                dates[name] = value
            interval = spec.get("interval", 1)
            if not isinstance(interval, int):
                raise ScheduleError(N_("interval must be a whole number"))
            return Rule(
                byday=tuple(ByDay.parse(d) for d in days),
                freq=str(spec.get("freq", "WEEKLY")).upper(),
                interval=interval,
                **dates,
            )
        except ScheduleError as exc:
            self.schedule_error(doc, f"{path}.byday" if "day" in str(exc) else path, exc)
            return None

    def span(self, doc: Document, path: str, spec: Any, start_key: str, end_key: str):
        known = {
            "byday",
            "freq",
            "interval",
            "dtstart",
            "valid_from",
            "valid_to",
            start_key,
            end_key,
        }
        if not isinstance(spec, dict) or set(spec) - known:
            extra = sorted(set(spec) - known) if isinstance(spec, dict) else []
            if extra:
                self.error(
                    doc,
                    path,
                    N_("unknown field(s) {unknown}; known: {known}"),
                    unknown=", ".join(extra),
                    known=", ".join(sorted(known)),
                )
            else:
                self.error(doc, path, N_("expected fields"))
            return None
        rule = self.rule(doc, path, spec)
        try:
            start = parse_time(spec.get(start_key))
            end = parse_time(spec.get(end_key), allow_end_of_day=True)
            return Span(rule, start, end) if rule else None
        except ScheduleError as exc:
            key = end_key if str(spec.get(end_key)) in str(exc) else start_key
            self.schedule_error(doc, f"{path}.{key}", exc)
            return None

    def verified(self, doc: Document, value: Any, today: dt.date) -> dt.date | None:
        if not isinstance(value, dt.date):
            self.error(
                doc,
                "verified",
                N_("verified must be the date this entry was last checked, YYYY-MM-DD"),
            )
            return None
        if value > today:
            self.error(doc, "verified", N_("verified is in the future"))
            return None
        age = (today - value).days
        if age > self.site.stale_after_days:
            self.problems.append(
                problem(
                    doc.path,
                    doc.line("verified"),
                    N_(
                        "last checked {age} days ago (more than {limit}): "
                        "call them, check every detail, then update 'verified'"
                    ),
                    "warning",
                    age=age,
                    limit=self.site.stale_after_days,
                )
            )
        return value

    # -- whole entries ------------------------------------------------------------------------

    def common(self, doc: Document, values: dict[str, Any], today: dt.date) -> dict | None:
        before = len(self.problems)
        fields = {
            "slug": values["slug"],
            "title": values["name"],
            "summary": values["summary"],
            "html": values["html"],
            "draft": values["draft"],
            "publish": None,
            "expires": None,
            "topics": self.codes(doc, "topics", values["topics"], self.site.topics),
            "audiences": self.codes(doc, "audiences", values["audiences"], AUDIENCES),
            "area": self.area(doc, values["area"]),
            "verified": self.verified(doc, values["verified"], today),
            "phone": self.phone(doc, "phone", values["phone"]),
            "email": self.email(doc, "email", values["email"]),
            "website": self.url(doc, "website", values["website"]),
            "owner": self.email(doc, "owner", values["owner"]),
        }
        return fields if not errors_since(self.problems, before) else None

    def service(self, doc: Document, values: dict[str, Any], lang: str, today: dt.date):
        before = len(self.problems)
        fields = self.common(doc, values, today)
        if values["kind"] not in KINDS:
            self.error(doc, "kind", N_("kind must be one of {known}"), known=", ".join(KINDS))
        spans = []
        for index, spec in enumerate(values["hours"] or []):
            spans.append(self.span(doc, f"hours.{index}", spec, "opens_at", "closes_at"))
        exceptions = self.exceptions(doc, values["exceptions"] or [])
        self.waiting(doc, values, today)
        if not spans and not values["always_open"] and not values["hours_note"]:
            self.error(
                doc,
                "hours",
                N_(
                    "give opening hours, always_open: true, or a hours_note "
                    "that says how to reach them (e.g. by appointment)"
                ),
            )
        if errors_since(self.problems, before) or fields is None:
            return None
        return Service(
            lang=lang,
            source=doc.path,
            **fields,
            organization=values["organization"],
            kind=values["kind"],
            address=self.address(doc, "address", values["address"]),
            chat=self.url(doc, "chat", values["chat"]),
            hours=Hours(
                tuple(spans), exceptions, values["always_open"], values["open_on_closed_days"]
            ),
            languages=self.languages(doc, values["languages"]),
            free=values["free"],
            cost=values["cost"],
            anonymous=values["anonymous"],
            referral=values["referral"],
            referral_how=values["referral_how"],
            eligibility=values["eligibility"],
            hours_note=values["hours_note"],
            waiting_weeks=values["waiting_weeks"],
            waiting_checked=values["waiting_checked"],
            no_new_clients=values["no_new_clients"],
            ways=self.codes(doc, "ways", values["ways"], WAYS)
            if values["ways"] is not None
            else (),
        )

    def waiting(self, doc: Document, values: dict[str, Any], today: dt.date) -> None:
        """A waiting time is only worth something with the day it was given."""
        weeks, checked = values["waiting_weeks"], values["waiting_checked"]
        if weeks is not None and checked is None:
            self.error(
                doc,
                "waiting_weeks",
                N_("give waiting_checked too: the day they told you the waiting time"),
            )
        if checked is not None and weeks is None:
            self.error(doc, "waiting_checked", N_("give waiting_weeks too, or leave both out"))
        if checked is not None and checked > today:
            self.error(doc, "waiting_checked", N_("waiting_checked cannot be in the future"))
        if weeks is not None and weeks > 104:
            self.error(doc, "waiting_weeks", N_("waiting_weeks is more than two years"))

    def exceptions(self, doc: Document, items: Any) -> dict[dt.date, tuple[tuple[int, int], ...]]:
        result: dict[dt.date, tuple[tuple[int, int], ...]] = {}
        if not isinstance(items, list):
            self.error(doc, "exceptions", N_("exceptions must be a list"))
            return result
        for index, item in enumerate(items):
            path = f"exceptions.{index}"
            if not isinstance(item, dict) or not isinstance(item.get("date"), dt.date):
                self.error(
                    doc,
                    path,
                    N_(
                        "each exception has a 'date' (YYYY-MM-DD) and either "
                        "'closed: true' or 'opens_at' and 'closes_at'"
                    ),
                )
                continue
            if item.get("closed") is True and set(item) <= {"date", "closed", "note"}:
                result[item["date"]] = ()
                continue
            try:
                start = parse_time(item.get("opens_at"))
                end = parse_time(item.get("closes_at"), allow_end_of_day=True)
                if end <= start:
                    raise ScheduleError(N_("the closing time is not after the opening time"))
                result[item["date"]] = ((start, end),)
            except ScheduleError as exc:
                self.schedule_error(doc, path, exc)
        return result

    def group(self, doc: Document, values: dict[str, Any], lang: str, today: dt.date):
        before = len(self.problems)
        fields = self.common(doc, values, today)
        if values["fellowship"] not in FELLOWSHIPS:
            self.error(
                doc,
                "fellowship",
                N_("fellowship must be one of {known}"),
                known=", ".join(FELLOWSHIPS),
            )
        meetings = []
        if not isinstance(values["meetings"], list) or not values["meetings"]:
            self.error(doc, "meetings", N_("a group needs at least one meeting"))
        for index, spec in enumerate(values["meetings"] or []):
            meetings.append(self.meeting(doc, f"meetings.{index}", spec))
        cancelled = values["cancelled"] or []
        if not isinstance(cancelled, list) or not all(isinstance(d, dt.date) for d in cancelled):
            self.error(doc, "cancelled", N_("cancelled is a list of dates, YYYY-MM-DD"))
        if errors_since(self.problems, before) or fields is None:
            return None
        return Group(
            lang=lang,
            source=doc.path,
            **fields,
            fellowship=values["fellowship"],
            meetings=tuple(m for m in meetings if m is not None),
            cancelled=frozenset(cancelled),
        )

    def meeting(self, doc: Document, path: str, spec: Any) -> Meeting | None:
        place_keys = {"location", "address", "online", "types", "language"}
        if not isinstance(spec, dict):
            self.error(
                doc, path, N_("a meeting has byday, time, end_time and a place or online link")
            )
            return None
        timing = {k: v for k, v in spec.items() if k not in place_keys}
        span = self.span(doc, path, timing, "time", "end_time")
        address = self.address(doc, f"{path}.address", spec.get("address"))
        online = self.url(doc, f"{path}.online", spec.get("online"))
        if spec.get("address") is None and spec.get("online") is None:
            self.error(doc, path, N_("a meeting needs an address, an online link, or both"))
            return None
        types = spec.get("types") or []
        unknown = [t for t in types if t not in MEETING_TYPES]
        if unknown:
            self.error(
                doc,
                f"{path}.types",
                N_("unknown meeting type {unknown}; known: {known}"),
                unknown=", ".join(map(str, unknown)),
                known=", ".join(MEETING_TYPES),
            )
            return None
        language = spec.get("language", "nl")
        if language not in _ENGLISH.languages:
            self.error(doc, f"{path}.language", N_("unknown language code '{code}'"), code=language)
            return None
        if span is None:
            return None
        return Meeting(span, spec.get("location"), address, online, tuple(types), language)
