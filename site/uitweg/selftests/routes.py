"""`/<lang>/selftests/`: anonymous self-tests.

All questions are on one page, and the result is the answer to that page's POST: answers never
travel between pages, so nothing has to carry them (no cookie, no URL, no hidden field), and the
back button finds the empty form again. The result's next steps are buttons that POST the band
and the step, so that a band is never in a URL, the browser history or an access log; each is
counted once, then answered with a redirect to the page it names.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from ..content.selftests import STEPS, SelfTest, read_answers, score
from ..context import content, preview, today
from ..i18n import current_language, keep_query
from ..outreach import counting
from ..outreach.codes import find as find_campaign
from ..pagecache import cacheable
from ..security import private
from . import bp

log = logging.getLogger(__name__)


def _test(slug: str) -> SelfTest:
    shown = content().selftest(slug, current_language(), today(), preview())
    if shown is None:
        abort(404)
    return shown.item


def _campaign(code: str | None) -> str:
    """A campaign code as carried from the SMS landing: kept only when it names a campaign."""
    campaign = find_campaign(code, current_language()) if code else None
    return campaign.code if campaign else ""


def _count(test: SelfTest, band: str, event: str, campaign: str) -> None:
    if preview():
        return  # an editor trying a draft is not a visitor
    try:
        counting.add_test_event(test.slug, band, event, today(), campaign)
    except SQLAlchemyError as exc:
        # A count is not worth an error page for someone who just took a test. The type only:
        # the error's text quotes the statement's values, and the band is a result.
        log.error("self-test count failed: %s", type(exc).__name__)


@bp.get("/")
@cacheable
def index() -> str:
    tests = content().selftest_list(current_language(), today(), preview())
    campaign = _campaign(request.args.get("campaign"))
    keep_query({"campaign": campaign})
    return render_template("selftests/index.html", tests=tests, campaign=campaign or None)


def _errors(test: SelfTest, wrong: dict[str, str]) -> dict[str, str]:
    messages = {
        "missing": lambda n: _("Choose an answer to question %(number)d.", number=n),
        "not-an-option": lambda n: _("Choose one of the answers to question %(number)d.", number=n),
        "twice": lambda n: _("Choose one answer to question %(number)d, not two.", number=n),
    }
    return {
        q.id: messages[wrong[q.id]](number)
        for number, q in enumerate(test.questions, 1)
        if q.id in wrong
    }


def _form(
    test: SelfTest,
    campaign: str,
    chosen: dict[str, int] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "selftests/test.html",
        test=test,
        campaign=campaign,
        chosen_answers=chosen or {},
        errors=errors or {},
        notice=notice,
    )
    return page, status


@bp.route("/<slug>", methods=["GET", "POST"])
@private
def test(slug: str) -> ResponseReturnValue:
    test = _test(slug)
    if request.method == "GET":
        return _form(test, _campaign(request.args.get("campaign")))
    try:
        posted: MultiDict[str, str] = request.form
    except RequestEntityTooLarge:
        return _form(test, "", notice="too-large", status=413)
    campaign = _campaign(posted.get("campaign"))
    answers = read_answers(test, posted.to_dict(flat=False))
    if answers.wrong:
        errors = _errors(test, answers.wrong)
        return _form(test, campaign, answers.chosen, errors, status=400)
    total, band = score(test, answers)
    _count(test, band.id, counting.DONE, campaign)
    return render_template(
        "selftests/result.html", test=test, total=total, band=band, campaign=campaign
    )


def step_url(test: SelfTest, step: str, campaign: str) -> str:
    """Where a next step leads, filtered by what the test is about."""
    carried: dict[str, Any] = {"campaign": campaign} if campaign else {}
    if step == "callback":
        return url_for("callback.form", topic=test.topic, asking=test.asking, **carried)
    if step in ("help", "groups"):
        filters: dict[str, Any] = {"audience": test.asking}
        if test.help_topic:
            filters["topic"] = test.help_topic
        if step == "groups":
            filters["kind"] = "group"
        return url_for("directory.index", **filters)
    if step == "stories":
        if test.substance:
            return url_for("public.stories", substance=test.substance)
        if test.theme:
            return url_for("public.stories", theme=test.theme)
        return url_for("public.stories")
    assert step == "page" and test.page
    return url_for("public.page", slug=test.page)


@bp.post("/<slug>/next")
@private
def next_step(slug: str) -> ResponseReturnValue:
    test = _test(slug)
    try:
        posted = request.form
    except RequestEntityTooLarge:
        return redirect(url_for("selftests.index"), 303)
    band = test.band_by_id(posted.get("band", ""))
    step = posted.get("step", "")
    if band is None or step not in STEPS or step not in band.steps:
        # A forged or stale button: nothing is counted, and the list is a safe place to land.
        return redirect(url_for("selftests.index"), 303)
    campaign = _campaign(posted.get("campaign"))
    _count(test, band.id, step, campaign)
    return redirect(step_url(test, step, campaign), 303)
