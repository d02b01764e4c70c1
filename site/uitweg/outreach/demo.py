"""Made-up history for the sample campaigns, so the statistics show something
on a fresh install. Refused in production. Running it again replaces what it made before.

Requests it makes are already closed and wiped, as old requests are: routing facts and dates,
no contact details. Their references start with DEMO- so they are easy to find and remove.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from .. import db
from ..content import routing
from ..content.model import DEFAULT_LANGUAGE
from ..context import content
from ..intake import lifecycle
from ..models import CallbackRequest, CampaignCount, SelfTestCount
from ..vocabulary import Outcome
from .counting import DONE, VISIT

# Shares of the recipients, roughly what Zwolle reported: of 750, 350 visited, 100 went on to
# self-help, 70 to care pages and 8 asked to be called.
SHARES = {VISIT: 0.46, "help": 0.13, "stories": 0.09, "selftests": 0.06, "callback": 0.03}
REQUEST_SHARE = 0.012
# Of those who open the self-tests, most finish one; of those, some take a next step.
TEST_SHARE = 0.05
STEP_SHARE = 0.3
DAYS = 28


@dataclass
class Seeded:
    code: str
    visits: int
    requests: int


def _spread(total: int, days: int, rng: random.Random) -> list[int]:
    """`total` over `days`, most on the day the SMS arrived, fewer every day after."""
    weights = [0.55**day for day in range(days)]
    counts = [int(total * w / sum(weights)) for w in weights]
    counts[0] += total - sum(counts)
    return [max(0, c + rng.randint(-1, 1)) if i else c for i, c in enumerate(counts)]


def seed(until: dt.date) -> list[Seeded]:
    tz = ZoneInfo(content().site.timezone)
    rules = content().routing
    done = []
    with db.session() as session:
        for code, versions in sorted(content().campaigns.items()):
            campaign = versions[DEFAULT_LANGUAGE]
            if campaign.draft or campaign.sent > until:
                continue
            rng = random.Random(code)  # noqa: S311  (made-up data, the same each time)
            session.execute(delete(CampaignCount).where(CampaignCount.campaign == code))
            session.execute(
                delete(CallbackRequest).where(CallbackRequest.reference.like(f"DEMO-{code}-%"))
            )
            session.execute(delete(SelfTestCount).where(SelfTestCount.campaign == code))
            days = min(DAYS, (until - campaign.sent).days + 1)
            visits = 0
            for event, share in SHARES.items():
                for offset, count in enumerate(
                    _spread(round(campaign.recipients * share), days, rng)
                ):
                    if count:
                        day = campaign.sent + dt.timedelta(days=offset)
                        session.add(CampaignCount(campaign=code, day=day, event=event, count=count))
                        visits += count if event == VISIT else 0
            _selftests(
                session, code, campaign.sent, days, round(campaign.recipients * TEST_SHARE), rng
            )
            requests = max(1, round(campaign.recipients * REQUEST_SHARE)) if rules else 0
            for n in range(requests):
                assert rules is not None  # no rules, no requests
                session.add(
                    _request(code, campaign.municipality, campaign.sent, days, n, rules, tz, rng)
                )
            done.append(Seeded(code, visits, requests))
    return done


def _selftests(
    session, code: str, sent: dt.date, days: int, total: int, rng: random.Random
) -> None:
    """`total` self-tests completed through the campaign, over its tests and bands, and the
    next steps some of them took."""
    tests = [versions[DEFAULT_LANGUAGE] for _slug, versions in sorted(content().selftests.items())]
    counts: dict[tuple, int] = {}
    for _ in range(total if tests else 0):
        test = rng.choice(tests)
        band = rng.choice(test.bands)
        day = sent + dt.timedelta(days=min(days - 1, int(rng.expovariate(0.4))))
        events = [DONE]
        if rng.random() < STEP_SHARE:
            events.append(rng.choice(band.steps))
        for event in events:
            key = (test.slug, day, band.id, event)
            counts[key] = counts.get(key, 0) + 1
    for (test_slug, day, band_id, event), count in counts.items():
        session.add(
            SelfTestCount(
                test=test_slug, day=day, band=band_id, event=event, campaign=code, count=count
            )
        )


def _request(
    code: str,
    municipality: str,
    sent: dt.date,
    days: int,
    n: int,
    rules: routing.Routing,
    tz: ZoneInfo,
    rng: random.Random,
) -> CallbackRequest:
    topics = rng.choice(
        [("drugs",), ("getting-out",), ("debt",), ("getting-out", "debt"), ("worried",)]
    )
    asking = rng.choice(["myself", "myself", "myself", "someone-close"])
    decision = rules.route(routing.Facts(topics, municipality, asking, "nl", campaign=code))
    local = dt.datetime.combine(sent, dt.time(10), tzinfo=tz) + dt.timedelta(
        days=min(days - 1, int(rng.expovariate(0.4))), hours=rng.randint(0, 11)
    )
    created = local.astimezone(dt.UTC)
    expected_from, expected_by = decision.partner.expected_contact(
        created, tz, content().site.closed_dates
    )
    first_attempt = expected_from + dt.timedelta(minutes=rng.randint(20, 60 * 30))
    outcome = rng.choice([Outcome.HELPED] * 4 + [Outcome.REFERRED] * 2 + [Outcome.NOT_REACHABLE])
    closed = first_attempt + dt.timedelta(days=rng.randint(1, 6))
    reference = f"DEMO-{code}-{n:03d}"
    return lifecycle.from_the_past(
        reference=reference,
        submission=hashlib.sha256(reference.encode()).hexdigest(),
        created_at=created,
        partner=decision.partner.slug,
        rule=decision.rule,
        topics=",".join(topics),
        asking=asking,
        municipality=municipality,
        language="nl",
        campaign=code,
        expected_from=expected_from,
        expected_by=expected_by,
        attempts=1 if outcome != Outcome.NOT_REACHABLE else 3,
        first_attempt_at=first_attempt,
        reached_at=first_attempt if outcome != Outcome.NOT_REACHABLE else None,
        outcome=outcome,
        closed_at=closed,
        wiped_at=closed,
    )
