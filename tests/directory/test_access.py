"""Access facts: how long the wait is (and since when that is known), whether a service takes
new clients, whether a referral is needed and how to get one, and how the help is given."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT
from pagecheck import check_html, text_of
from uitweg.content import load_content


def _cards(client, query: str) -> dict[str, str]:
    root = check_html(client.get(f"/nl/help/{query}").get_data(as_text=True))
    cards = [card for card in root.iter("li") if card.get("class") == "card"]
    return {text_of(card.find("./h3")): text_of(card) for card in cards}


def test_a_card_says_the_wait_with_its_date_and_when_no_new_clients_are_taken(client) -> None:
    cards = _cards(client, "?kind=addiction-care")
    assert (
        "Wachttijd: ongeveer 6 weken (stand 15 oktober) · Verwijzing nodig"
        in (cards["Kompas Verslavingszorg Vaartstad"])
    )
    assert "Geen wachttijd (stand 15 oktober)" in cards["Kompas inloopspreekuur Lindewaard"]
    full = _cards(client, "?kind=mental-health")["Praktijk Lindewaard voor je hoofd"]
    # A service that takes nobody new says so, and not its waiting time.
    assert "Neemt nu geen nieuwe cliënten aan" in full and "Wachttijd" not in full


def test_the_service_page_says_how_to_get_a_referral_and_how_the_help_is_given(client) -> None:
    root = check_html(client.get("/en/help/services/kompas-vaartstad").get_data(as_text=True))
    facts = [text_of(li) for li in root.iter("li")]
    assert "Waiting time: about 6 weeks (as of 15 October)" in facts
    assert any(f.startswith("You need a referral") and "ZorgDomein" in f for f in facts)
    assert "How: in person, online" in facts


def test_help_within_a_week_leaves_out_long_waits_and_sorts_by_the_wait(client) -> None:
    soon = _cards(client, "?soon=1")
    assert "Kompas Verslavingszorg Vaartstad" not in soon  # 6 weeks
    assert "Praktijk Lindewaard voor je hoofd" not in soon  # no new clients
    debt = _cards(client, "?soon=1&topic=debt")
    assert "Geldpunt Heideveen" in debt  # 1 week
    assert "Schuldhulp Vaartstad" not in debt  # 3 weeks
    assert "Geen wachttijd" in soon["Drugs testen Vaartstad"]
    # Self-help groups meet every week or month: there within a week.
    assert any("Zelfhulpgroep" in text for text in soon.values())

    def total(query: str) -> int:
        root = check_html(client.get(f"/nl/help/{query}").get_data(as_text=True))
        return int(text_of(root.find(".//h2[@id='results']")).split()[0])

    assert 0 < total("?soon=1") < total("")
    html = client.get("/en/help/?soon=1").get_data(as_text=True)
    assert "Within that, the shortest waiting time first." in html
    no_referral = _cards(client, "?noreferral=1")
    assert "Kompas Verslavingszorg Vaartstad" not in no_referral
    assert "Kompas inloopspreekuur Lindewaard" in no_referral


def test_harm_reduction_and_online_help_are_kinds_of_their_own(client) -> None:
    harm = _cards(client, "?kind=harm-reduction")
    assert set(harm) == {"Drugs testen Vaartstad", "Inloop De Haven – spuiten en naloxon"}
    online = _cards(client, "?kind=online-help")
    assert set(online) == {"Kompas online behandeling", "Online zelfhulp Minder Gebruiken"}
    assert "Verwijzing nodig" in online["Kompas online behandeling"]


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ("waiting_weeks: 4\n", "give waiting_checked too"),
        ("waiting_checked: 2026-10-01\n", "give waiting_weeks too"),
        ("waiting_weeks: 4\nwaiting_checked: 2099-01-01\n", "cannot be in the future"),
        ("waiting_weeks: 400\nwaiting_checked: 2026-10-01\n", "more than two years"),
        ("waiting_weeks: -1\nwaiting_checked: 2026-10-01\n", "0 or more"),
        ("ways: [teleport]\n", "unknown ways teleport"),
    ],
)
def test_the_check_refuses_a_wait_without_its_date_and_unknown_ways(
    tmp_path: Path, fields: str, said: str
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    path = folder / "services" / "woonloket-vaartstad.nl.md"
    text = path.read_text(encoding="utf-8")
    for name in ("waiting_weeks", "waiting_checked", "ways"):
        text = "\n".join(line for line in text.split("\n") if not line.startswith(f"{name}:"))
    path.write_text(text.replace("\nverified:", "\n" + fields.rstrip("\n") + "\nverified:"))
    _content, problems = load_content(folder, today=dt.date(2026, 12, 7))
    messages = [p.message for p in problems if p.is_error and p.path == path]
    assert any(said in message for message in messages), messages


def test_the_list_starts_with_national_lines_and_whether_they_are_open_now(tmp_path) -> None:
    from conftest import make_app

    # Monday 30 November 2026, 10:00 in Vaartstad.
    app = make_app(tmp_path, NOW=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))
    client = app.test_client()
    root = check_html(client.get("/nl/help/").get_data(as_text=True))
    box = root.find(".//section[@aria-labelledby='lines-title']")
    lines = {text_of(li.find("a")): text_of(li) for li in box.iter("li")}
    assert set(lines) == {"113 Zelfmoordpreventie", "Chat over drugs en alcohol", "Drugs Infolijn"}
    assert lines["113 Zelfmoordpreventie"].endswith("Dag en nacht open")
    assert lines["Chat over drugs en alcohol"].endswith("Nu open, tot 22:00")
    assert "Weer open vandaag om 13:00" in lines["Drugs Infolijn"]
    # Choosing something shows only what was chosen.
    chosen = check_html(client.get("/nl/help/?topic=debt").get_data(as_text=True))
    assert chosen.find(".//section[@aria-labelledby='lines-title']") is None
