"""`flask demo seed`: history for the sample campaigns, the same when run again, never in
production."""

from __future__ import annotations

from sqlalchemy import func, select

from campaigns.test_landing import NOW
from uitweg import db
from uitweg.models import CallbackRequest, CampaignCount, SelfTestCount


def _totals(app) -> tuple[int, int, int, int]:
    with app.app_context(), db.session() as session:
        visits = session.scalar(
            select(func.sum(CampaignCount.count)).where(CampaignCount.event == "visit")
        )
        requests = session.scalar(select(func.count()).select_from(CallbackRequest))
        contacts = session.scalar(select(func.count()).where(CallbackRequest.contact.is_not(None)))
        tests = session.scalar(
            select(func.coalesce(func.sum(SelfTestCount.count), 0)).where(
                SelfTestCount.event == "done"
            )
        )
    return visits, requests, contacts, tests


def test_demo_seed_fills_the_statistics_and_replaces_itself(app, runner) -> None:
    app.config["NOW"] = NOW
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "vs2610: " in first.output and "hv2606: " in first.output
    visits, requests, contacts, tests = _totals(app)
    assert visits > 300 and requests >= 10 and contacts == 0 and tests > 20
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert _totals(app) == (visits, requests, 0, tests)


def test_demo_seed_is_refused_in_production(app, runner) -> None:
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "never made in production" in result.output
    assert _totals(app) == (None, 0, 0, 0)
