"""The page behind the SMS link: found however the code is pasted, the general page (status 200)
for anything else, no cookie, and nothing stored about the visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from callback.forms import hidden_fields, submit
from uitweg import db
from uitweg.models import Base, CallbackRequest, CampaignCount

# 2026-11-24 11:00 in Amsterdam: the Vaartstad campaign runs, the Heideveen one has ended.
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
VAARTSTAD = "Je kreeg een sms van de politie Vaartstad"
GENERAL = "Kreeg je een sms?"


@pytest.fixture
def clocked(app):
    app.config["NOW"] = NOW
    return app


def counts(app) -> dict[tuple[str, str], int]:
    with app.app_context(), db.session() as session:
        rows = session.execute(
            select(CampaignCount.campaign, CampaignCount.event, CampaignCount.count)
        )
        return {(campaign, event): count for campaign, event, count in rows}


def visits(app) -> int:
    """Every visit counted, all campaigns and days together."""
    with app.app_context(), db.session() as session:
        total = session.scalar(
            select(func.sum(CampaignCount.count)).where(CampaignCount.event == "visit")
        )
        return int(total or 0)


def title(response) -> str:
    html = response.get_data(as_text=True)
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    "path",
    [
        "/s/vs2610",
        "/s/VS2610",
        "/s/Vs2610/",
        "/s/vs2610.",
        "/s/vs2610)",
        "/s/vs2610!!",
        "/s/ vs2610",
    ],
)
def test_the_code_is_found_however_it_was_pasted(clocked, path) -> None:
    response = clocked.test_client().get(path)
    assert response.status_code == 200 and title(response) == VAARTSTAD
    assert counts(clocked) == {("vs2610", "visit"): 1}


@pytest.mark.parametrize(
    "code",
    [
        "hv2606",  # ended on 2026-09-30
        "zz9999",
        "",
        "a" * 10_000,
        "v\u0455" + "2610",  # a Cyrillic letter that looks like s
        "\uff56\uff53\uff12\uff16\uff11\uff10",  # full-width letters and digits
        "../../etc/passwd",
        "..%2F..%2Fcontent%2Fsite.yaml",
        "vs2610' OR '1'='1",
        "vs2610;DROP TABLE campaign_count",
        "<script>alert(1)</script>",
    ],
    ids=lambda code: code[:20] or "empty",
)
def test_anything_else_gets_the_general_landing_with_200(clocked, code) -> None:
    response = clocked.test_client().get(f"/s/{code}")
    assert response.status_code == 200 and title(response) == GENERAL
    assert "<script>alert" not in response.get_data(as_text=True)
    assert counts(clocked) == {}


def test_the_landing_answers_why_and_what_happens_with_the_number_and_opens_the_doors(
    clocked,
) -> None:
    html = clocked.test_client().get("/s/vs2610").get_data(as_text=True)
    assert "Wat gebeurt er met mijn nummer?" in html
    assert "Iedereen kreeg dezelfde link" in html and "niets door aan de politie" in html
    assert "uitweg.example/s/vs2610" in html  # the SMS as it was sent
    for door in ("callback", "help", "stories"):
        assert f'href="/nl/s/vs2610/{door}"' in html
    english = clocked.test_client().get("/s/vs2610", headers={"Accept-Language": "en"})
    assert title(english) == "You got a text message from the Vaartstad police"
    assert 'href="/nl/s/vs2610"' in english.get_data(as_text=True)  # the language switch


def test_the_landing_sets_no_cookie_and_stores_nothing_per_visitor(clocked) -> None:
    before = _row_counts(clocked)
    client = clocked.test_client()
    paths = ["/s/vs2610", "/nl/s/vs2610/help", "/nl/s/vs2610/stories", "/en/s/vs2610", "/s/nope"]
    for _ in range(7):
        for path in paths:
            response = client.get(path, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14)"})
            assert "Set-Cookie" not in response.headers, path
            assert response.headers["Cache-Control"] == "no-store"
    assert client.get_cookie("session") is None
    assert counts(clocked) == {
        ("vs2610", "visit"): 7,
        ("vs2610", "help"): 7,
        ("vs2610", "stories"): 7,
    }
    # Three numbers, not 21 rows: no other table changed (the partners' keys were there).
    assert before["campaign_count"] == 0
    assert _row_counts(clocked) == {**before, "campaign_count": 3}


def _row_counts(app) -> dict[str, int]:
    with app.app_context(), db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "WhatsApp/2.23.20.0 A"},
        {"User-Agent": "facebookexternalhit/1.1 Facebot Twitterbot/1.0"},  # iMessage
        {"User-Agent": "TelegramBot (like TwitterBot)"},
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
        {"User-Agent": "Mozilla/5.0", "Sec-Purpose": "prefetch"},
    ],
    ids=["whatsapp", "imessage", "telegram", "googlebot", "prefetch"],
)
def test_link_previews_and_prefetches_are_not_counted(clocked, headers) -> None:
    response = clocked.test_client().get("/s/vs2610", headers=headers)
    assert response.status_code == 200 and title(response) == VAARTSTAD
    assert clocked.test_client().head("/s/vs2610").status_code == 200
    assert counts(clocked) == {}


def test_the_callback_door_carries_the_campaign_into_the_request(clocked) -> None:
    client = clocked.test_client()
    door = client.get("/nl/s/vs2610/callback")
    assert door.status_code == 303 and door.headers["Location"] == "/nl/callback?campaign=vs2610"
    hidden = hidden_fields(client.get(door.headers["Location"]).get_data(as_text=True))
    assert hidden["campaign"] == "vs2610"
    assert (
        submit(client, hidden=hidden, topics=["getting-out"], municipality="Vaartstad").status_code
        == 200
    )
    # A forged or ended campaign in the form is not recorded.
    forged = {
        **hidden_fields(client.get("/nl/callback").get_data(as_text=True)),
        "campaign": "hv2606",
    }
    assert submit(client, hidden=forged).status_code == 200
    with clocked.app_context(), db.session() as session:
        rows = session.execute(
            select(CallbackRequest.campaign, CallbackRequest.partner, CallbackRequest.rule)
        ).all()
    assert sorted((tuple(r) for r in rows), key=lambda row: row[0] is None) == [
        ("vs2610", "jong-vaartstad", "campaign-vs2610"),
        (None, "geldpunt-heideveen", "schulden-heideveen"),
    ]
    assert counts(clocked) == {("vs2610", "callback"): 1}
