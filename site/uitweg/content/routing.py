"""Which care partner gets a callback request, and why.

`content/partners.yaml` lists the partners and an ordered list of rules. The first rule whose
conditions all hold wins; a request no rule matches goes to the default partner. The decision
names its rule, and the request stores that name, so anyone can later see why it went where it went.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..vocabulary import ASKING, TOPICS
from .hours import Hours

ELSEWHERE = "elsewhere"
DEFAULT_RULE = "default"


@dataclass(frozen=True)
class Facts:
    """What a request tells about itself that routing may use. No contact details."""

    topics: tuple[str, ...]
    municipality: str
    asking: str
    language: str
    campaign: str | None = None


@dataclass(frozen=True)
class Partner:
    slug: str
    name: dict[str, str]
    notify: tuple[str, ...]
    hours: Hours
    response_hours: int
    area: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("nl",)
    fallback: str | None = None

    def expected_contact(
        self, received: dt.datetime, tz: ZoneInfo, closed_days: frozenset[dt.date]
    ) -> tuple[dt.datetime, dt.datetime]:
        """When staff can first call (now, or when callback hours start) and the latest
        moment the partner promises: `response_hours` of callback time after that."""
        status = self.hours.status(received, tz, closed_days)
        start = received if status.open else status.next_open or received
        return start, start + dt.timedelta(hours=self.response_hours)


@dataclass(frozen=True)
class Rule:
    """Conditions are sets of allowed values; None means "any"."""

    name: str
    partner: str
    note: str = ""
    topics: frozenset[str] | None = None
    municipalities: frozenset[str] | None = None
    asking: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    campaigns: frozenset[str] | None = None

    def matches(self, facts: Facts) -> bool:
        # A request with several topics matches when any of them is one of the rule's.
        return (
            (self.topics is None or bool(self.topics & set(facts.topics)))
            and (self.municipalities is None or facts.municipality in self.municipalities)
            and (self.asking is None or facts.asking in self.asking)
            and (self.languages is None or facts.language in self.languages)
            and (self.campaigns is None or facts.campaign in self.campaigns)
        )


@dataclass(frozen=True)
class Decision:
    partner: Partner
    rule: str  # the rule's name, or DEFAULT_RULE
    # The partner the rule chose, when it could not receive the request (nobody there holds a
    # key yet) and the request went along its fallback chain or to the default partner instead.
    instead_of: str | None = None


@dataclass(frozen=True)
class Routing:
    partners: dict[str, Partner]
    rules: tuple[Rule, ...]
    default: str
    # The preferred languages a visitor can choose, with their names.
    languages: dict[str, dict[str, str]] = field(default_factory=dict)

    def route(self, facts: Facts) -> Decision:
        for rule in self.rules:
            if rule.matches(facts):
                return Decision(self.partners[rule.partner], rule.name)
        return Decision(self.partners[self.default], DEFAULT_RULE)

    def route_to_receiver(self, facts: Facts, receivers: Container[str]) -> Decision | None:
        """Like route(), but only to a partner in `receivers` (those that can open a sealed
        request): the chosen partner, else the first of its fallbacks that can, else the
        default partner or its fallbacks. None when nobody along either chain can."""
        decision = self.route(facts)
        chosen = decision.partner.slug
        for partner in self.receiving_chain(chosen, receivers):
            return Decision(partner, decision.rule, None if partner.slug == chosen else chosen)
        return None

    def receiving_chain(self, slug: str, receivers: Container[str]) -> list[Partner]:
        """The partners that could take a request routed to `slug`, in order: those of its
        chain that can receive, then those of the default partner's chain."""
        seen: list[Partner] = []
        for partner in [*self.chain(slug), *self.chain(self.default)]:
            if partner.slug in receivers and partner not in seen:
                seen.append(partner)
        return seen

    def accepts_requests(self, receivers: Container[str]) -> bool:
        """Whether any request can be placed: the default partner's chain, which every request
        falls back to, has a partner that can receive."""
        return any(partner.slug in receivers for partner in self.chain(self.default))

    def chain(self, slug: str) -> list[Partner]:
        """The partner and its fallbacks in order; stops before a loop repeats a partner."""
        seen: list[Partner] = []
        current: str | None = slug
        while current is not None and current in self.partners:
            partner = self.partners[current]
            if partner in seen:
                break
            seen.append(partner)
            current = partner.fallback
        return seen


def fallback_loops(partners: dict[str, Partner]) -> list[list[str]]:
    """Every fallback chain that comes back to a partner it already passed."""
    loops = []
    for start in partners:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in partners and current not in path:
            path.append(current)
            current = partners[current].fallback
        if current is not None and current in path and current == start:
            loops.append(path)
    # One loop is found once from each partner on it; report it once.
    unique: dict[frozenset[str], list[str]] = {}
    for loop in loops:
        unique.setdefault(frozenset(loop), loop)
    return list(unique.values())


def every_case(
    municipalities: Iterable[str], languages: Iterable[str], campaigns: Iterable[str]
) -> Iterator[Facts]:
    """One-topic requests over every combination of values. Enough to decide whether a rule can
    ever win: a rule that wins for a request with several topics also wins for one of them alone,
    because rules match on any shared topic."""
    places = (*municipalities, ELSEWHERE)
    for topic, place, asking, language, campaign in itertools.product(
        TOPICS, places, ASKING, tuple(languages), (None, *campaigns)
    ):
        yield Facts((topic,), place, asking, language, campaign)


def unreachable_rules(routing: Routing, cases: Iterable[Facts]) -> list[Rule]:
    """Rules that never win because earlier rules catch everything they would match."""
    winners = {routing.route(case).rule for case in cases}
    return [rule for rule in routing.rules if rule.name not in winners]


def uncovered(routing: Routing, cases: Iterable[Facts]) -> list[tuple[str, str]]:
    """(topic, municipality) pairs for which some request (without a campaign) finds no rule and
    falls through to the default partner."""
    gaps: dict[tuple[str, str], None] = {}
    for case in cases:
        if case.campaign is None and routing.route(case).rule == DEFAULT_RULE:
            gaps.setdefault((case.topics[0], case.municipality), None)
    return list(gaps)
