"""Counting what a campaign's SMS led to, without telling one visitor from another.

Each event adds one to a single number per campaign, day and kind of event. The worker keeps
the number for a moment and adds it to the stored one in one atomic statement (an upsert,
counts.py), so visits at the same moment, in any worker, never lose an increment. Nothing
about the visitor is stored (the blueprint leaves out link-preview robots before counting).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable
from typing import cast

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import counts, db
from ..models import CampaignCount, SelfTestCount

VISIT = "visit"
DOORS = ("help", "stories", "selftests", "callback", "write")
# A self-test's result was shown (the other events are its next steps, selftests.STEPS).
DONE = "done"


MODELS: dict[str, type[CampaignCount] | type[SelfTestCount]] = {
    "campaign": CampaignCount,
    "selftest": SelfTestCount,
}
Key = tuple[str, tuple[tuple[str, object], ...]]


def _upsert(session: Session, key: Key, amount: int) -> None:
    model = MODELS[key[0]]
    values = dict(key[1])
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values, count=amount)
    statement = statement.on_conflict_do_update(
        index_elements=list(values),
        set_={"count": model.count + amount},
    )
    session.execute(statement)


def write(totals: Counter[Hashable]) -> None:
    """Add each total to its stored count, all in one transaction (counts.flush)."""
    with db.session() as session:
        # In a fixed order, so that two workers writing at once take their row locks alike.
        for key, amount in sorted(totals.items(), key=lambda item: repr(item[0])):
            _upsert(session, cast(Key, key), amount)


def _count(kind: str, **values: object) -> None:
    key: Key = (kind, tuple(values.items()))
    if counts.buffered():
        counts.add(key)
    else:
        write(Counter({key: 1}))


def add_one(campaign: str, event: str, day: dt.date) -> None:
    _count("campaign", campaign=campaign, day=day, event=event)


def add_test_event(test: str, band: str, event: str, day: dt.date, campaign: str = "") -> None:
    """One more completion (DONE) or onward step for a test and band; never the answers."""
    _count("selftest", test=test, day=day, band=band, event=event, campaign=campaign)
