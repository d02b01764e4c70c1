"""`/partner/stats`: what each SMS campaign achieved, for analysts, coordinators and admins.
The numbers come from outreach/report.py; every count under 5 is shown as "<5"."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date

from .. import counts, db
from ..content.model import DEFAULT_LANGUAGE, Campaign
from ..content.selftests import SelfTest
from ..context import content
from ..i18n import current_language
from ..outreach.report import TestNumbers, outcome_cells, report, selftest_numbers, shown
from ..staff.access import staff_page
from ..vocabulary import OUTCOME_LABELS, Role
from . import bp
from .forms import CampaignChoiceForm


def _campaigns() -> dict[str, Campaign]:
    """Every published campaign, running or ended, newest first, in the reader's language."""
    found = {
        code: versions.get(current_language()) or versions[DEFAULT_LANGUAGE]
        for code, versions in content().campaigns.items()
        if not versions[DEFAULT_LANGUAGE].draft
    }
    return dict(sorted(found.items(), key=lambda item: item[1].sent, reverse=True))


def _report():
    counts.flush()  # this worker's latest counts too (the others' follow within seconds)
    campaigns = _campaigns()
    only = request.args.get("campaign")
    only = only if only in campaigns else None
    tz = ZoneInfo(content().site.timezone)
    with db.session() as db_session:
        numbers = report(db_session, {c: k.recipients for c, k in campaigns.items()}, tz, only)
    return campaigns, only, numbers


def _selftests() -> list[tuple[SelfTest, TestNumbers, list[str]]]:
    """Each self-test in the reader's language with its counts (all days) and the next steps
    any of its bands offers."""
    tests = [
        versions.get(current_language()) or versions[DEFAULT_LANGUAGE]
        for versions in content().selftests.values()
    ]
    tests.sort(key=lambda test: (test.order, test.title))
    with db.session() as db_session:
        numbers = selftest_numbers(db_session, [test.slug for test in tests])
    return [(test, numbers[test.slug], list(test.offered_steps)) for test in tests]


@bp.get("/stats")
@staff_page(Role.SEES_STATISTICS)
def stats() -> ResponseReturnValue:
    campaigns, only, numbers = _report()
    return render_template(
        "partners/stats.html",
        campaigns=campaigns,
        only=only,
        choice=CampaignChoiceForm(
            [
                (code, f"{c.municipality}, {format_date(c.sent, 'long')} ({code})")
                for code, c in campaigns.items()
            ],
            only,
        ),
        report=numbers,
        shown=shown,
        outcome_cells=outcome_cells,
        outcomes=OUTCOME_LABELS,
        selftests=_selftests(),
    )


TABLES = ("campaigns", "weeks", "partners", "topics", "kinds")
MEDIAN = "median_minutes_to_first_contact"


def _minutes(value: int | None) -> str:
    return "" if value is None else str(value)


@bp.get("/stats.csv")
@staff_page(Role.SEES_STATISTICS)
def stats_csv() -> ResponseReturnValue:
    """The funnel per campaign, or (`?table=weeks|partners|topics|kinds`) the requests
    table."""
    campaigns, only, numbers = _report()
    table = request.args.get("table")
    table = table if table in TABLES else "campaigns"
    out = io.StringIO()
    writer = csv.writer(out)
    if table == "campaigns":
        steps = [name for name, _count in numbers.funnels[0].steps()] if numbers.funnels else []
        writer.writerow(["campaign", "municipality", "sent", *steps, MEDIAN])
        for funnel in numbers.funnels:
            campaign = campaigns[funnel.code]
            writer.writerow(
                [
                    funnel.code,
                    campaign.municipality,
                    campaign.sent.isoformat(),
                    *(shown(count) for _name, count in funnel.steps()),
                    _minutes(funnel.tally.median_minutes),
                ]
            )
    else:
        writer.writerow([table[:-1], "requests", "reached", MEDIAN])
        cells = numbers.cells(table)
        for key, tally in getattr(numbers, table).items():
            writer.writerow(
                [
                    key,
                    cells[key]["requests"],
                    cells[key]["reached"],
                    _minutes(tally.median_minutes),
                ]
            )
    name = "-".join(filter(None, ["uitweg", table, only])) + ".csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
