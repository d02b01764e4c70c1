"""Every public page answers in the right language, with the crisis numbers and a way out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pagecheck import check_html, text_of
from public_urls import sitemap_entries

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

SAMPLE_PAGES = [
    ("/nl/", "Een uitweg, in je eigen tempo"),
    ("/en/", "A way out, at your own pace"),
    ("/nl/stories/", "Verhalen"),
    ("/en/stories/", "Stories"),
    ("/nl/stories/?theme=debt", "Verhalen"),
    ("/en/stories/?substance=cocaine", "Stories"),
    ("/nl/stories/lisa-en-ghb", "Stoppen met GHB deed ik niet alleen, en dat was maar goed ook"),
    ("/en/stories/lisa-en-ghb", "I did not quit GHB on my own, and that was a good thing"),
    ("/nl/using", "Voor jezelf"),
    ("/en/using", "If you use or deal"),
    ("/nl/parents", "Voor ouders en naasten"),
    ("/en/parents", "For parents and family"),
    ("/nl/professionals", "Voor professionals"),
    ("/en/professionals", "For professionals"),
    ("/nl/about", "Over deze site"),
    ("/en/privacy", "Privacy statement"),
    ("/nl/callback", "Praat met iemand"),
    ("/en/help/", "Find help nearby"),
]


@pytest.mark.parametrize(("url", "heading"), SAMPLE_PAGES)
def test_public_page_answers_in_its_language_with_crisis_numbers_and_quick_exit(
    get_page, url: str, heading: str
) -> None:
    response = get_page(url)
    root = response.root

    assert root.get("lang") == url.split("/")[1]
    assert text_of(root.find(".//h1")) == heading
    tel_links = {a.get("href") for a in root.iter("a") if (a.get("href") or "").startswith("tel:")}
    assert {"tel:112", "tel:113", "tel:08000113", "tel:09001995"} <= tel_links
    exits = [a for a in root.iter("a") if a.get("data-quick-exit") is not None]
    assert len(exits) == 1 and exits[0].get("href") == "https://www.google.nl/"


def test_root_redirects_to_dutch_by_default(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/nl/"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("en-GB,en;q=0.9", "/en/"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "/nl/"),
        ("de-DE,fr;q=0.8", "/nl/"),
        ("de,en;q=0.5", "/en/"),
    ],
)
def test_root_follows_the_browser_language(client, accept: str, target: str) -> None:
    assert client.get("/", headers={"Accept-Language": accept}).headers["Location"] == target


@pytest.mark.parametrize(
    ("url", "lang", "title"),
    [
        ("/nl/bestaat-niet", "nl", "Pagina niet gevonden"),
        ("/en/does-not-exist", "en", "Page not found"),
        ("/nl/stories/bestaat-niet", "nl", "Pagina niet gevonden"),
        ("/de/", "nl", "Pagina niet gevonden"),
        ("/xx/stories/", "nl", "Pagina niet gevonden"),
        ("/en/stories/nope/deeper", "en", "Page not found"),
    ],
)
def test_missing_pages_answer_a_localized_404(get_page, url: str, lang: str, title: str) -> None:
    root = get_page(url, status=404).root
    assert root.get("lang") == lang
    assert text_of(root.find(".//h1")) == title


def test_unknown_language_prefix_uses_the_browser_language_for_the_404(get_page) -> None:
    root = get_page("/fr/", status=404, headers={"Accept-Language": "en"}).root
    assert root.get("lang") == "en"


def test_a_server_error_shows_a_localized_page_without_a_trace(app, client) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/en/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/en/boom")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret detail" not in html and "Traceback" not in html


def test_stories_filter_by_theme_and_substance_with_plain_links(get_page) -> None:
    everything = get_page("/nl/stories/").root
    debt = get_page("/nl/stories/?theme=debt").root
    both = get_page("/nl/stories/?theme=debt&substance=cannabis").root

    def titles(root):
        return [text_of(a) for a in root.findall(".//ul[@class='cards']//h2/a")]

    assert len(titles(everything)) == 6
    assert len(titles(debt)) == 2
    assert titles(both) == [
        "Ik dacht dat ik er nooit meer uit kwam",
        "Ze zeiden dat ik ze nog geld schuldig was",
    ]
    assert text_of(both.find(".//p[@class='result-count']")) == "2 verhalen"
    # The current filter is marked and not a link; the other filter keeps its value in links.
    current = [text_of(el) for el in both.iter("span") if el.get("aria-current")]
    assert "Schulden" in current and "Cannabis" in current
    hrefs = [a.get("href") for a in both.iter("a")]
    assert "/nl/stories/?theme=debt&substance=cocaine" in hrefs
    assert "/nl/stories/?substance=cannabis" in hrefs


def test_an_unknown_filter_value_shows_all_stories(get_page) -> None:
    root = get_page("/nl/stories/?theme=<script>&substance=x").root
    assert text_of(root.find(".//p[@class='result-count']")) == "6 verhalen"


def test_story_page_shows_related_stories_and_a_call_to_action(get_page) -> None:
    root = get_page("/nl/stories/kevin-stapte-uit-de-handel").root
    related = root.find(".//section[@aria-labelledby='related-title']")
    related_links = [a.get("href") for a in related.iter("a")]
    # Ahmed shares both themes (debt, getting out) and the substance: most related.
    assert related_links[0] == "/nl/stories/ahmed-en-de-schuld"
    assert "/nl/stories/kevin-stapte-uit-de-handel" not in related_links
    cta = root.find(".//aside[@class='cta']")
    assert cta.find(".//a").get("href") == "/nl/callback"


def test_advice_section_lists_its_pages(get_page) -> None:
    root = get_page("/nl/using").root
    children = [a.get("href") for a in root.findall(".//section//h3/a")]
    assert children == [
        "/nl/cutting-down",
        "/nl/getting-out",
        "/nl/asking-for-help",
        "/nl/safer-use",
    ]
    child = get_page("/nl/cutting-down").root
    assert child.find(".//nav[@class='breadcrumb']/a").get("href") == "/nl/using"


def test_home_has_five_doors_and_the_advice_sections(get_page) -> None:
    root = get_page("/en/").root
    doors = [a.get("href") for a in root.findall(".//ul[@class='doors']/li/a")]
    assert doors == [
        "/en/callback",
        "/en/callback/write",
        "/en/help/",
        "/en/stories/",
        "/en/selftests/",
    ]
    sections = [
        a.get("href") for a in root.findall(".//section[@aria-labelledby='advice-title']//a")
    ]
    assert sections == ["/en/using", "/en/parents", "/en/professionals"]
    # For whoever goes on using: the safer-use advice (site.yaml harm_reduction_pages).
    safer = root.findall(".//section[@aria-labelledby='safer-title']//a")
    assert [a.get("href") for a in safer] == ["/en/safer-use"]


def test_the_sms_landing_links_to_safer_use_and_the_harm_reduction_services(client) -> None:
    landing = check_html(client.get("/s/vs2610").get_data(as_text=True))
    safer = landing.findall(".//section[@aria-labelledby='safer-title']//a")
    assert [a.get("href") for a in safer] == ["/nl/safer-use"]
    page = check_html(client.get("/nl/safer-use").get_data(as_text=True))
    links = [a.get("href") for a in page.iter("a")]
    assert "/nl/help/?kind=harm-reduction" in links
    found = client.get("/nl/help/?kind=harm-reduction").get_data(as_text=True)
    assert "Drugs testen Vaartstad" in found and "spuiten en naloxon" in found


def test_the_atom_feed_lists_stories_in_the_language(client) -> None:
    response = client.get("/en/stories/feed.xml")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    assert entries[0].find(f"{ATOM}title").text == "I thought I would never get out"
    assert entries[0].find(f"{ATOM}link").get("href") == (
        "http://localhost/en/stories/kevin-stapte-uit-de-handel"
    )
    assert "<p>" in entries[0].find(f"{ATOM}content").text


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client) -> None:
    index = client.get("/sitemap.xml")

    assert (index.status_code, index.mimetype) == (200, "application/xml")
    files = [loc.text for loc in ET.fromstring(index.data).iter(f"{SITEMAP}loc")]
    assert files == ["http://localhost/sitemap-1.xml"]  # the sample site fits in one file
    urls = sitemap_entries(client)
    locations = {u.find(f"{SITEMAP}loc").text for u in urls}
    assert "http://localhost/nl/stories/lisa-en-ghb" in locations
    assert "http://localhost/en/privacy" in locations
    # home + stories list + help + 6 stories + 10 pages + 17 services + 8 groups, in two languages
    assert len(locations) == 2 * (3 + 6 + 11 + 21 + 8)
    for url in urls:
        alternates = url.findall("{http://www.w3.org/1999/xhtml}link")
        assert {a.get("hreflang") for a in alternates} == {"nl", "en"}


def test_healthz_checks_the_database_and_says_nothing_else(client, app) -> None:
    ok = client.get("/healthz")
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "ok")

    app.extensions["db_engine"].dispose()
    from sqlalchemy import create_engine

    app.extensions["db_engine"] = create_engine("sqlite:////nonexistent/dir/db.sqlite3")
    broken = client.get("/healthz")
    assert (broken.status_code, broken.get_data(as_text=True)) == (503, "unavailable")


def test_robots_txt_points_at_the_sitemap(client) -> None:
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in body
