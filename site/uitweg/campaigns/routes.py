"""`/s/<code>`: the page behind the link in a campaign's SMS, and its three doors onward.

The link is the same for every recipient. An unknown, expired or malformed code shows the general
landing page with status 200, so trying codes tells nobody which ones exist.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from ..content.model import Campaign
from ..context import content, today
from ..i18n import current_language, negotiated_language
from ..outreach import counting
from ..outreach.codes import find as find_code
from ..pagecache import cacheable, same_for_everyone
from ..security import private
from . import bp

log = logging.getLogger(__name__)
# Where each door on the landing leads (counting.DOORS, which the route admits).
DOOR_TARGETS = {
    "help": "directory.index",
    "stories": "public.stories",
    "selftests": "selftests.index",
    "callback": "callback.form",
    "write": "callback.write",
}

# Apps that fetch a link to show a preview (WhatsApp, iMessage, which says it is Facebook's and
# Twitter's, Telegram, Signal, ...) and search robots. A preview is not a person visiting.
_ROBOT = re.compile(
    r"bot\b|bot/|crawler|spider|preview|facebookexternalhit|whatsapp|telegram|signal|"
    r"skypeuri|slack|discord|linkedin|embedly|pinterest|vkshare|w3c_validator",
    re.IGNORECASE,
)


def is_person(environ: dict[str, Any] | None = None) -> bool:
    """False for a request that is not someone opening the page: a HEAD request, a browser
    prefetch, or a robot that names itself. The user agent is read for this only."""
    environ = environ if environ is not None else request.environ
    if environ.get("REQUEST_METHOD") != "GET":
        return False
    purpose = f"{environ.get('HTTP_SEC_PURPOSE', '')} {environ.get('HTTP_PURPOSE', '')}"
    if "prefetch" in purpose.lower():
        return False
    return not _ROBOT.search(environ.get("HTTP_USER_AGENT", ""))


def find(code: str) -> Campaign | None:
    return find_code(code, current_language())


def _count(campaign: Campaign | None, event: str, environ: dict[str, Any] | None = None) -> None:
    if campaign is None or not is_person(environ):
        return
    try:
        counting.add_one(campaign.code, event, today())
    except SQLAlchemyError:
        # A count is not worth an error page for someone who just tapped a link.
        log.exception("campaign count failed")


def _landing(campaign: Campaign | None) -> str:
    store = current_app.extensions["content"]
    code = campaign.code if campaign else None
    return _rendered(store, store.version, code, g.lang, request.host, today())


@functools.lru_cache(maxsize=64)
def _rendered(
    store: object, version: int, code: str | None, lang: str, host: str, day: dt.date
) -> str:
    """The landing is the same for everyone who taps the link: rendered once per app's content
    (and its version), campaign, language, host (for absolute links) and day. The count still
    happens on every visit."""
    campaign = content().campaign(code, lang, day) if code else None
    g.language_endpoint = ("campaigns.landing_in", {"code": code or "-"})
    return render_template("campaigns/landing.html", campaign=campaign)


@bp.get("/s/", defaults={"code": ""})
@bp.get("/s/<path:code>")
@private
@cacheable
def landing(code: str) -> ResponseReturnValue:
    # The SMS link: the visitor's browser picks the language, and this is the visit counted.
    g.lang = negotiated_language()
    campaign = find(code)
    _count(campaign, counting.VISIT)

    def count_again(environ: dict[str, Any]) -> None:
        # Every later visit is answered by the page cache, in front of Flask: counted there.
        _count(campaign, counting.VISIT, environ)

    # The same page for everyone whose browser asks for the same languages: kept, and each
    # answer from the cache is a visit counted (in the worker's memory, counts.py).
    same_for_everyone(count_again, vary=("HTTP_ACCEPT_LANGUAGE",))
    return _landing(campaign)


@bp.get("/<lang:lang>/s/<path:code>")
@private
@cacheable
def landing_in(code: str) -> ResponseReturnValue:
    # The same page in a chosen language: the visit was counted on the SMS link.
    same_for_everyone()
    return _landing(find(code))


@bp.get(f"/<lang:lang>/s/<code>/<any({', '.join(counting.DOORS)}):door>")
@private
def door(code: str, door: str) -> ResponseReturnValue:
    campaign = find(code)
    _count(campaign, door)
    # The form (and a self-test) carries the code, so a request or a completed test records
    # its campaign (not its visitor).
    carried: dict[str, Any] = {"campaign": campaign.code if campaign else None}
    if door not in ("callback", "write", "selftests"):
        carried = {}
    return redirect(url_for(DOOR_TARGETS[door], lang=g.lang, **carried), 303)
