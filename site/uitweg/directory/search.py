"""Filtering the directory: indexes built once per content version, so any combination of
filters over thousands of entries is a few set intersections."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ..content import Content
from ..content.directory import Entry, Group, Service
from ..content.hours import moment
from ..content.model import DEFAULT_LANGUAGE
from ..paging import page_number
from ..vocabulary import AUDIENCES, GROUP_KIND, KINDS

FLAGS = ("open", "soon", "free", "anonymous", "noreferral")
# National phone and chat lines: the unfiltered list starts with them and whether each is open
# now (the list is cached only until the next opening or closing, Index.next_change).
LINE_KINDS = ("crisis", "information-line")


@dataclass(frozen=True)
class Filters:
    topic: str | None = None
    audience: str | None = None
    municipality: str | None = None
    kind: str | None = None
    language: str | None = None
    open: bool = False
    soon: bool = False
    free: bool = False
    anonymous: bool = False
    noreferral: bool = False
    page: int = 1

    def query(self, **changes: object) -> dict[str, str]:
        """These filters (with changes) as GET parameters, leaving out what is not set."""
        values = {**self.__dict__, **changes}
        args = {}
        for name in ("topic", "audience", "municipality", "kind", "language"):
            if values[name]:
                args[name] = values[name]
        args.update({flag: "1" for flag in FLAGS if values[flag]})
        if values["page"] and values["page"] > 1:
            args["page"] = str(values["page"])
        return args

    @property
    def active(self) -> bool:
        return self.query(page=1) != {}


class Index:
    """All visible entries of one content version, sorted, with a set of positions per value."""

    def __init__(self, content: Content, today: dt.date) -> None:
        self.content = content
        self.today = today
        entries: list[Entry] = [
            versions[DEFAULT_LANGUAGE]
            for collection in (content.services, content.groups)
            for versions in collection.values()
            if versions[DEFAULT_LANGUAGE].visible(today)
        ]
        self.entries = sorted(entries, key=lambda e: (e.title.casefold(), e.slug))
        self.by: dict[str, dict[str, set[int]]] = {
            "topic": {},
            "audience": {},
            "municipality": {},
            "kind": {},
            "language": {},
        }
        self.flags: dict[str, set[int]] = {flag: set() for flag in FLAGS if flag != "open"}
        self.national: set[int] = set()
        for position, entry in enumerate(self.entries):
            self._add("topic", entry.topics, position)
            self._add("audience", entry.audiences, position)
            self._add("municipality", entry.area, position)
            if entry.national:
                self.national.add(position)
            if isinstance(entry, Service):
                self._add("kind", (entry.kind,), position)
                self._add("language", entry.languages, position)
                for flag, value in (
                    ("soon", entry.help_soon),
                    ("free", entry.free),
                    ("anonymous", entry.anonymous),
                    ("noreferral", not entry.referral),
                ):
                    if value:
                        self.flags[flag].add(position)
            elif isinstance(entry, Group):
                # Self-help groups are free, anonymous, need no referral, and meet every
                # week or month: help within a week.
                self._add("kind", (GROUP_KIND,), position)
                self._add("language", entry.languages, position)
                for positions in self.flags.values():
                    positions.add(position)
        self.all = set(range(len(self.entries)))
        self._positions: dict[tuple[bool, str], int] | None = None
        self.national_lines = [
            entry
            for entry in self.entries
            if isinstance(entry, Service)
            and entry.national
            and entry.kind in LINE_KINDS
            and (entry.phone or entry.chat)
        ]

    def _add(self, name: str, values, position: int) -> None:
        for value in values:
            self.by[name].setdefault(value, set()).add(position)

    def valid(self, raw: Mapping[str, str]) -> Filters:
        """Filters from GET parameters; unknown or malformed values are ignored."""
        site = self.content.site
        known = {
            "topic": site.topics,
            "audience": AUDIENCES,
            "municipality": site.municipalities,
            "kind": (*KINDS, GROUP_KIND),
            "language": self.by["language"],
        }
        values: dict[str, Any] = {
            name: raw.get(name) if raw.get(name) in options else None
            for name, options in known.items()
        }
        values.update({flag: raw.get(flag) == "1" for flag in FLAGS})
        values["page"] = page_number(raw.get("page"))
        return Filters(**values)

    def search(self, filters: Filters, now: dt.datetime, open_first: bool = True) -> list[Entry]:
        """The entries the filters choose. On screen what is open now comes first; a printed
        list or a download (read later) keeps the plain order."""
        chosen = set(self.all)
        for name in ("topic", "audience", "kind", "language"):
            value = getattr(filters, name)
            if value:
                chosen &= self.by[name].get(value, set())
        if filters.municipality:
            chosen &= self.by["municipality"].get(filters.municipality, set()) | self.national
        for flag, positions in self.flags.items():
            if getattr(filters, flag):
                chosen &= positions
        open_now = self.open_at(now) if open_first or filters.open else set()
        if filters.open:
            chosen &= open_now
        # Open now first; with a place chosen, help there before national help; looking for
        # help soon, the shortest wait first; then A to Z (positions follow the entries'
        # alphabetical order). The list's page says so.
        local_first = bool(filters.municipality)
        order = sorted(
            chosen,
            key=lambda p: (
                open_first and p not in open_now,
                local_first and p in self.national,
                filters.soon and self._weeks(p),
                p,
            ),
        )
        return [self.entries[p] for p in order]

    def _weeks(self, position: int) -> int:
        entry = self.entries[position]
        return entry.waiting_weeks or 0 if isinstance(entry, Service) else 0

    def next_change(self, now: dt.datetime, positions: Iterable[int] | None = None) -> dt.datetime:
        """The first moment after `now` at which an entry (of `positions`, or any) opens,
        closes, or starts or ends a meeting, or else the next local midnight. Until then every
        list, order and status the directory shows stays as it is: "open now, until", "opens
        tomorrow at" and "meets now" change only at those moments, and the date words at
        midnight."""
        tz = ZoneInfo(self.content.site.timezone)
        day = now.astimezone(tz).date()
        midnight = moment(day + dt.timedelta(days=1), 0, tz)
        stamp = now.timestamp()
        table = _day_table(self, day)
        rows = table.values() if positions is None else (table.get(p, []) for p in positions)
        later = [t for spans in rows for span in spans for t in span if t > stamp]
        if not later:
            return midnight
        return min(dt.datetime.fromtimestamp(min(later), dt.UTC), midnight)

    def position(self, entry: Entry) -> int | None:
        """Where an entry (in any of its languages) is in this index; None when it is not
        visible today."""
        if self._positions is None:
            self._positions = {
                (isinstance(e, Service), e.slug): p for p, e in enumerate(self.entries)
            }
        return self._positions.get((isinstance(entry, Service), entry.slug))

    def open_at(self, now: dt.datetime) -> set[int]:
        """Services open, and groups meeting, at `now` (from a table made once per day)."""
        tz = ZoneInfo(self.content.site.timezone)
        day = now.astimezone(tz).date()
        stamp = now.timestamp()
        return {
            p
            for p, spans in _day_table(self, day).items()
            if any(start <= stamp < end for start, end in spans)
        }


@functools.lru_cache(maxsize=4)
def _day_table(index: Index, day: dt.date) -> dict[int, list[tuple[float, float]]]:
    tz = ZoneInfo(index.content.site.timezone)
    closed = index.content.site.closed_dates
    table = {}
    for position, entry in enumerate(index.entries):
        if isinstance(entry, Service):
            spans = entry.hours.spans_on(day, closed)
        elif isinstance(entry, Group) and day not in entry.cancelled:
            spans = [(m.span.start, m.span.end) for m in entry.meetings if m.span.rule.matches(day)]
        else:
            spans = []
        if spans:
            table[position] = [
                (moment(day, s, tz).timestamp(), moment(day, e, tz).timestamp()) for s, e in spans
            ]
    return table


_latest: list[Index] = []


def index_for(content: Content, today: dt.date) -> Index:
    """The index of this content for today, built when either changes (content is not hashable,
    so the last index is kept rather than an lru_cache)."""
    if _latest and _latest[0].content is content and _latest[0].today == today:
        return _latest[0]
    index = Index(content, today)
    _latest[:] = [index]
    return index
