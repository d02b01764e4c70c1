"""Counting what a campaign's SMS led to, without telling one visitor from another.

Each event adds one to a single number per campaign, day and kind of event, in one atomic
statement (an upsert), so visits at the same moment never lose an increment. Nothing about the
visitor is stored (the blueprint leaves out link-preview robots before counting).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..models import CampaignCount, SelfTestCount

VISIT = "visit"
DOORS = ("help", "stories", "selftests", "callback", "write")
# A self-test's result was shown (the other events are its next steps, selftests.STEPS).
DONE = "done"


def _upsert(model: type[CampaignCount] | type[SelfTestCount], **values: object) -> None:
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(model).values(**values, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=list(values),
            set_={"count": model.count + 1},
        )
        session.execute(statement)


def add_one(campaign: str, event: str, day: dt.date) -> None:
    _upsert(CampaignCount, campaign=campaign, day=day, event=event)


def add_test_event(test: str, band: str, event: str, day: dt.date, campaign: str = "") -> None:
    """One more completion (DONE) or onward step for a test and band; never the answers."""
    _upsert(SelfTestCount, test=test, day=day, band=band, event=event, campaign=campaign)
