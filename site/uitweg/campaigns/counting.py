"""Counting what a campaign's SMS led to, without telling one visitor from another.

Each event adds one to a single number per campaign, day and kind of event, in one atomic
statement (an upsert), so visits at the same moment never lose an increment. Nothing about the
visitor is stored, and the user agent is read only to leave out link-preview robots.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Request
from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..models import CampaignCount

VISIT = "visit"
DOORS = ("help", "stories", "callback")

# Apps that fetch a link to show a preview (WhatsApp, iMessage, which says it is Facebook's and
# Twitter's, Telegram, Signal, ...) and search robots. A preview is not a person visiting.
_ROBOT = re.compile(
    r"bot\b|bot/|crawler|spider|preview|facebookexternalhit|whatsapp|telegram|signal|"
    r"skypeuri|slack|discord|linkedin|embedly|pinterest|vkshare|w3c_validator",
    re.IGNORECASE,
)


def is_person(request: Request) -> bool:
    """False for a request that is not someone opening the page: a HEAD request, a browser
    prefetch, or a robot that names itself."""
    if request.method != "GET":
        return False
    purpose = f"{request.headers.get('Sec-Purpose', '')} {request.headers.get('Purpose', '')}"
    if "prefetch" in purpose.lower():
        return False
    return not _ROBOT.search(request.headers.get("User-Agent", ""))


def add_one(campaign: str, event: str, day: dt.date) -> None:
    values = {"campaign": campaign, "day": day, "event": event, "count": 1}
    with db.session() as session:
        insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
        statement = insert(CampaignCount).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["campaign", "day", "event"],
            set_={"count": CampaignCount.count + 1},
        )
        session.execute(statement)
