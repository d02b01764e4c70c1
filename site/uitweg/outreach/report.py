"""What each campaign achieved, from the counters and the requests' own facts (which survive the
deletion of contact details). Any count under 5 is shown as "<5", on the page and in the CSV,
so that no number points at a few people; a median over fewer than 5 requests is not shown."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ..models import CallbackRequest, CampaignCount, SelfTestCount
from ..vocabulary import RequestKind
from .counting import DONE, DOORS, VISIT

SMALL = 5
K = TypeVar("K")
FACTS = (
    CallbackRequest.campaign,
    CallbackRequest.partner,
    CallbackRequest.topics,
    CallbackRequest.created_at,
    CallbackRequest.first_attempt_at,
    CallbackRequest.reached_at,
    CallbackRequest.outcome,
    CallbackRequest.kind,
    CallbackRequest.answered_at,
)


def shown(count: int) -> str:
    return "<5" if count < SMALL else str(count)


def suppressed(counts: Mapping[K, int]) -> set[K]:
    """The cells of one column to show as "<5": every count under 5 and, when that hides exactly
    one cell, the next smallest too. The column's total can always be worked out (the funnel
    shows it, or another table splits the same requests), so a single hidden cell would be the
    total minus the cells shown (complementary suppression)."""
    hidden = {key for key, count in counts.items() if count < SMALL}
    if len(hidden) == 1 and len(counts) > 1:
        rest = sorted((count, str(key), key) for key, count in counts.items() if key not in hidden)
        hidden.add(rest[0][2])
    return hidden


def shown_column(counts: Mapping[K, int]) -> dict[K, str]:
    """Each count as it may be shown, with suppressed() applied to the whole column."""
    hidden = suppressed(counts)
    return {key: "<5" if key in hidden else str(count) for key, count in counts.items()}


def median_minutes(waits: Iterable[dt.timedelta]) -> int | None:
    minutes = [wait.total_seconds() / 60 for wait in waits]
    return round(statistics.median(minutes)) if len(minutes) >= SMALL else None


@dataclass
class Tally:
    """Requests and what became of them, for one campaign, week, partner or topic."""

    requests: int = 0
    reached: int = 0
    waits: list[dt.timedelta] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    def add(self, row: Row) -> None:
        self.requests += 1
        # A written question is reached when it is answered, and waits until that answer.
        written = row.kind == RequestKind.WRITTEN
        reached = row.answered_at if written else row.reached_at
        first_contact = row.answered_at if written else row.first_attempt_at
        self.reached += reached is not None
        if first_contact is not None:
            self.waits.append(first_contact - row.created_at)
        if row.outcome:
            self.outcomes[row.outcome] += 1

    @property
    def median_minutes(self) -> int | None:
        return median_minutes(self.waits)


@dataclass
class Funnel:
    code: str
    recipients: int
    clicks: dict[str, int]
    visits: int = 0
    tally: Tally = field(default_factory=Tally)
    # Self-tests completed by people who came through this campaign's landing.
    tests_done: int = 0

    def steps(self) -> list[tuple[str, int]]:
        """The funnel from SMS to reached, in order."""
        return [
            ("recipients", self.recipients),
            ("visits", self.visits),
            *((door, self.clicks.get(door, 0)) for door in DOORS),
            ("tests_done", self.tests_done),
            ("requests", self.tally.requests),
            ("reached", self.tally.reached),
        ]


@dataclass
class Report:
    funnels: list[Funnel]
    weeks: dict[str, Tally]
    partners: dict[str, Tally]
    topics: dict[str, Tally]
    visits_by_week: dict[str, int]
    # By way of contact: called back, or in writing (RequestKind).
    kinds: dict[str, Tally] = field(default_factory=dict)

    def cells(self, table: str) -> dict[str, dict[str, str]]:
        """The "requests" and "reached" columns of a table as they may be shown."""
        rows: dict[str, Tally] = getattr(self, table)
        requests = shown_column({key: tally.requests for key, tally in rows.items()})
        reached = shown_column({key: tally.reached for key, tally in rows.items()})
        return {key: {"requests": requests[key], "reached": reached[key]} for key in rows}


def outcome_cells(funnel: Funnel, outcomes: Iterable[str]) -> dict[str, str]:
    """A campaign's outcomes as they may be shown: together they add up to its closed requests."""
    return shown_column({outcome: funnel.tally.outcomes.get(outcome, 0) for outcome in outcomes})


def _week(moment: dt.datetime | dt.date, tz: ZoneInfo) -> str:
    day = moment.astimezone(tz).date() if isinstance(moment, dt.datetime) else moment
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def report(
    session: Session, recipients: dict[str, int], tz: ZoneInfo, only: str | None = None
) -> Report:
    """Numbers for the campaigns in `recipients` (code: number of people sent the SMS). The
    week, partner and topic tables cover the requests of one campaign (`only`), or all."""
    codes = [only] if only else list(recipients)
    funnels = {code: Funnel(code, recipients[code], {}) for code in codes}
    visits_by_week: dict[str, int] = defaultdict(int)
    totals = session.execute(
        select(
            CampaignCount.campaign, CampaignCount.day, CampaignCount.event, CampaignCount.count
        ).where(CampaignCount.campaign.in_(codes))
    )
    for code, day, event, count in totals:
        if event == VISIT:
            funnels[code].visits += count
            visits_by_week[_week(day, tz)] += count
        else:
            funnels[code].clicks[event] = funnels[code].clicks.get(event, 0) + count
    tests_done = session.execute(
        select(SelfTestCount.campaign, SelfTestCount.count).where(
            SelfTestCount.campaign.in_(codes), SelfTestCount.event == DONE
        )
    )
    for code, count in tests_done:
        funnels[code].tests_done += count
    weeks: dict[str, Tally] = defaultdict(Tally)
    partners: dict[str, Tally] = defaultdict(Tally)
    topics: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, Tally] = {kind: Tally() for kind in RequestKind.ALL}
    # The facts only: the rows' encrypted contact blocks are never needed here.
    rows = select(*FACTS)
    if only:
        rows = rows.where(CallbackRequest.campaign == only)
    for row in session.execute(rows):
        if row.campaign in funnels:
            funnels[row.campaign].tally.add(row)
        weeks[_week(row.created_at, tz)].add(row)
        partners[row.partner].add(row)
        kinds[row.kind].add(row)
        for topic in filter(None, row.topics.split(",")):
            topics[topic].add(row)
    return Report(
        funnels=list(funnels.values()),
        weeks=dict(sorted(weeks.items())),
        partners=dict(sorted(partners.items())),
        topics=dict(sorted(topics.items(), key=lambda item: -item[1].requests)),
        visits_by_week=dict(sorted(visits_by_week.items())),
        kinds=kinds,
    )


@dataclass
class TestNumbers:
    """One self-test's counts: per band, how many results were shown (DONE) and how many
    went on to each next step."""

    test: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # band: event: count
    DONE: ClassVar[str] = DONE

    def column(self, bands: Iterable[str], event: str) -> dict[str, str]:
        """One column (DONE or a step) over `bands`, as it may be shown."""
        return shown_column({band: self.counts.get(band, {}).get(event, 0) for band in bands})

    @property
    def done(self) -> int:
        return sum(events.get(DONE, 0) for events in self.counts.values())


def selftest_numbers(
    session: Session, tests: Iterable[str], since: dt.date | None = None
) -> dict[str, TestNumbers]:
    """Counts per test (the slugs in `tests`, in that order), over every day or from `since`."""
    numbers = {test: TestNumbers(test) for test in tests}
    query = select(
        SelfTestCount.test, SelfTestCount.band, SelfTestCount.event, SelfTestCount.count
    ).where(SelfTestCount.test.in_(list(numbers)))
    if since is not None:
        query = query.where(SelfTestCount.day >= since)
    for test, band, event, count in session.execute(query):
        events = numbers[test].counts.setdefault(band, {})
        events[event] = events.get(event, 0) + count
    return numbers
