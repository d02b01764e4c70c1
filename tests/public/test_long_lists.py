"""Long lists stay small: the stories list in pages, the sitemap in files under an index."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import make_app
from pagecheck import check_html, parse
from public_urls import SITEMAP, sitemap_entries
from uitweg.paging import Paged, page_number

XHTML = "{http://www.w3.org/1999/xhtml}"
GENERATED = 45  # with the fixture's three stories, 48: three pages of 20


def add_stories(content_dir: Path, count: int) -> None:
    for number in range(1, count + 1):
        theme = "family" if number % 3 == 0 else "work"
        date = dt.date(2026, 1, 1) + dt.timedelta(days=number)
        (content_dir / "stories" / f"verhaal-{number:02d}.nl.md").write_text(
            "---\n"
            f"title: Verhaal {number}\nsummary: Een verhaal.\nalias: Sam\nplace: Aastad\n"
            f'age_band: "21–25"\nthemes: [{theme}]\nsubstances: []\ndate: {date}\n'
            "---\n\nIk vertel mijn verhaal.\n"
        )


@pytest.fixture
def client(tmp_path: Path, content_dir: Path):
    add_stories(content_dir, GENERATED)
    return make_app(tmp_path, CONTENT_DIR=content_dir).test_client()


def cards(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="(/nl/stories/[^"]+)"', html)


def page_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def test_the_stories_list_comes_in_pages_of_twenty_newest_first(client) -> None:
    first = client.get("/nl/stories/").get_data(as_text=True)
    second = client.get("/nl/stories/?page=2").get_data(as_text=True)
    third = client.get("/nl/stories/?page=3").get_data(as_text=True)

    assert [len(cards(page)) for page in (first, second, third)] == [20, 20, 8]
    assert cards(first)[:2] == ["/nl/stories/verhaal-45", "/nl/stories/verhaal-44"]
    seen = cards(first) + cards(second) + cards(third)
    assert len(set(seen)) == GENERATED + 3  # each story once
    assert "48 verhalen" in first and "48 verhalen" in third
    assert page_links(first) == [
        "/nl/stories/?page=2#results",
        "/nl/stories/?page=3#results",
        "/nl/stories/?page=2#results",
    ]
    assert page_links(second)[0] == "/nl/stories/#results"  # page 1 has no number
    assert 'aria-current="page"' in second and 'rel="prev"' in second
    assert "(pagina 2 van 3)" in parse(second).findtext(".//title")
    check_html(second)


def test_the_filters_keep_working_across_pages(client) -> None:
    first = client.get("/nl/stories/?theme=work").get_data(as_text=True)
    second = client.get("/nl/stories/?theme=work&page=2").get_data(as_text=True)

    # 30 of the generated stories and two of the fixture's are about work.
    assert "32 verhalen" in first
    assert page_links(first)[0] == "/nl/stories/?theme=work&amp;page=2#results"
    assert len(cards(first)) == 20 and len(cards(second)) == 12
    assert not set(cards(first)) & set(cards(second))
    # Choosing another filter starts again at page 1.
    assert 'href="/nl/stories/?theme=family"' in second
    assert 'href="/nl/stories/?theme=work&amp;page=2&amp;' not in second


@pytest.mark.parametrize(
    ("query", "shown"),
    [("page=99", 3), ("page=0", 1), ("page=-1", 1), ("page=abc", 1), ("page=²", 1), ("page=", 1)],
)
def test_a_page_number_from_the_address_is_read_forgivingly(client, query: str, shown: int):
    response = client.get(f"/nl/stories/?{query}")

    assert response.status_code == 200
    current = re.search(
        r'aria-current="page"><span class="visually-hidden">Pagina </span>(\d+)',
        response.get_data(as_text=True),
    )
    assert current and int(current.group(1)) == shown


@pytest.mark.parametrize(
    ("page", "pages", "numbers"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 250, [1, 2, None, 250]),
        (3, 250, [1, 2, 3, 4, None, 250]),
        (5, 250, [1, None, 4, 5, 6, None, 250]),
        (249, 250, [1, None, 248, 249, 250]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_numbers_show_the_ends_and_the_neighbours(page, pages, numbers) -> None:
    assert Paged((), page, pages, 0).numbers == numbers


def test_page_number() -> None:
    assert [page_number(raw) for raw in (None, "", "2", "0", "٣", "100000", "99999")] == [
        1,
        1,
        2,
        1,
        1,
        1,
        99999,
    ]


def described(entries: list[ET.Element]) -> list[tuple]:
    return [
        (entry.findtext(f"{SITEMAP}loc"), [link.attrib for link in entry.findall(f"{XHTML}link")])
        for entry in entries
    ]


def test_the_sitemap_is_an_index_of_files_that_each_stay_within_their_size(
    tmp_path: Path, content_dir: Path
) -> None:
    add_stories(content_dir, GENERATED)
    whole = make_app(tmp_path / "one", CONTENT_DIR=content_dir).test_client()
    budget = 4000
    split = make_app(tmp_path / "many", CONTENT_DIR=content_dir, SITEMAP_FILE_BYTES=budget)
    client = split.test_client()

    index = ET.fromstring(client.get("/sitemap.xml").data)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert index.tag == f"{SITEMAP}sitemapindex" and len(files) > 5
    assert files[:2] == ["http://localhost/sitemap-1.xml", "http://localhost/sitemap-2.xml"]
    sizes = [len(client.get(f"/sitemap-{n}.xml").data) for n in range(1, len(files) + 1)]
    assert max(sizes) <= budget
    # Together the files hold what one file holds, in the same order.
    assert described(sitemap_entries(client)) == described(sitemap_entries(whole))
    assert client.get(f"/sitemap-{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_the_sitemap_files_are_made_once_for_the_index_and_every_file(
    tmp_path: Path, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uitweg.public import sitemaps

    add_stories(content_dir, GENERATED)
    app = make_app(tmp_path, CONTENT_DIR=content_dir, SITEMAP_FILE_BYTES=4000)
    made = []
    files = sitemaps.files
    monkeypatch.setattr(sitemaps, "files", lambda *args: made.append(1) or files(*args))
    client = app.test_client()

    index = ET.fromstring(client.get("/sitemap.xml").data)
    for number in range(1, len(list(index.iter(f"{SITEMAP}loc"))) + 1):
        assert client.get(f"/sitemap-{number}.xml").status_code == 200
    assert len(made) == 1
    app.extensions["content"].load()  # new content: made again
    client.get("/sitemap-1.xml")
    assert len(made) == 2
