"""Counting what a campaign's SMS led to, without telling one visitor from another.

Each event adds one to a single number per campaign, day and kind of event, in one atomic
statement (an upsert), so visits at the same moment never lose an increment. Nothing about the
visitor is stored (the blueprint leaves out link-preview robots before counting).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..models import CampaignCount

VISIT = "visit"
DOORS = ("help", "stories", "callback")


def add_one(campaign: str, event: str, day: dt.date) -> None:
    values = {"campaign": campaign, "day": day, "event": event, "count": 1}
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(CampaignCount).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["campaign", "day", "event"],
            set_={"count": CampaignCount.count + 1},
        )
        session.execute(statement)
