"""Dutch by default, English complete; every page links to itself in the other language."""

from __future__ import annotations

import pytest

from pagecheck import check_html, text_of


@pytest.fixture
def fixture_client(fixture_app):
    return fixture_app.test_client()


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return check_html(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/nl/", "/en/"),
        ("/nl/stories/anna", "/en/stories/anna"),
        ("/en/stories/?theme=debt", "/nl/stories/?theme=debt"),
        ("/nl/stopping", "/en/stopping"),
        ("/en/help/", "/nl/help/"),
        ("/nl/callback", "/en/callback"),
    ],
)
def test_the_language_switch_keeps_you_on_the_same_page(fixture_client, url, other) -> None:
    root = page(fixture_client, url)
    switch = root.find(".//nav[@class='language-switch']")
    links = [a.get("href") for a in switch.iter("a")]
    assert links == [other]
    assert fixture_client.get(other).status_code == 200


def test_hreflang_alternates_name_both_languages_and_a_default(fixture_client) -> None:
    root = page(fixture_client, "/en/stories/anna")
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in root.iter("link")
        if link.get("rel") == "alternate" and link.get("hreflang")
    }
    assert alternates == {
        "nl": "http://localhost/nl/stories/anna",
        "en": "http://localhost/en/stories/anna",
        "x-default": "http://localhost/",
    }


def test_a_story_without_translation_falls_back_to_dutch_with_a_notice(fixture_client) -> None:
    root = page(fixture_client, "/en/stories/bram")

    assert root.get("lang") == "en"
    article = root.find(".//article")
    assert article.get("lang") == "nl"
    assert text_of(article.find("h1")) == "Bram vertelt"
    notice = root.find(".//p[@role='note']")
    assert (
        text_of(notice) == "This text is not available in English yet. Below is the Dutch version."
    )


def test_a_translated_story_shows_no_fallback_notice(fixture_client) -> None:
    root = page(fixture_client, "/en/stories/anna")
    assert root.find(".//p[@role='note']") is None
    assert root.find(".//article").get("lang") is None
    image = root.find(".//article/img")
    assert image.get("alt") == "An empty bench in the park"
    assert image.get("src") == "/media/bench.svg"
    assert fixture_client.get("/media/bench.svg").status_code == 200


def test_the_story_list_marks_dutch_cards_on_the_english_list(fixture_client) -> None:
    root = page(fixture_client, "/en/stories/")
    cards = {
        text_of(li.find(".//a")): li.get("lang") for li in root.findall(".//li[@class='card']")
    }
    assert cards == {"Anna tells": None, "Bram vertelt": "nl", "Cas tells": None}


def test_dates_and_counts_are_written_the_way_each_language_writes_them(fixture_client) -> None:
    nl = page(fixture_client, "/nl/stories/anna")
    en = page(fixture_client, "/en/stories/anna")
    assert text_of(nl.find(".//article//time")) == "1 mei 2025"
    assert text_of(en.find(".//article//time")) == "May 1, 2025"
    assert (
        text_of(page(fixture_client, "/en/stories/?theme=work").find(".//p[@class='result-count']"))
        == "2 stories"
    )
    assert (
        text_of(
            page(fixture_client, "/nl/stories/?theme=family").find(".//p[@class='result-count']")
        )
        == "1 verhaal"
    )
