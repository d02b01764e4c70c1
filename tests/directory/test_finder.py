"""The directory's list as a person uses it: results first, filters folded with their count,
what is open first (and saying so), and paging with previous and next."""

from __future__ import annotations

from pagecheck import check_html, text_of


def test_pages_of_results_have_previous_and_next(get_page) -> None:
    first = get_page("/nl/help/").root
    assert first.find(".//nav[@class='pagination']//a[@rel='prev']") is None
    following = first.find(".//nav[@class='pagination']//a[@rel='next']")
    assert following is not None and "page=2" in following.get("href")
    assert text_of(following).startswith("Volgende")
    second = get_page("/nl/help/?page=2").root
    assert second.find(".//nav[@class='pagination']//a[@rel='next']") is None
    assert text_of(second.find(".//nav[@class='pagination']//a[@rel='prev']")).startswith("Vorige")


def test_the_filters_fold_after_the_heading_and_count_the_choices(client) -> None:
    root = check_html(client.get("/nl/help/?topic=drugs&free=1").get_data(as_text=True))
    finder = root.find(".//div[@class='finder']")
    filters, results = list(finder)
    assert filters.tag == "details" and filters.get("open") is None
    assert text_of(filters.find("summary")) == "Filter (2 gekozen)"
    assert results.find(".//h2[@id='results']") is not None
    plain = check_html(client.get("/nl/help/").get_data(as_text=True))
    assert text_of(plain.find(".//details[@class='finder-filters']/summary")) == "Filter"


def test_the_list_says_how_it_is_sorted(client) -> None:
    html = client.get("/en/help/?municipality=Heideveen").get_data(as_text=True)
    assert "Open now first, and help in Heideveen before help for the whole country" in html
    assert "Open now first, then from A to Z." in client.get("/en/help/").get_data(as_text=True)


def test_no_result_does_not_promise_that_every_number_is_open_day_and_night(client) -> None:
    html = client.get("/en/help/?topic=debt&kind=group").get_data(as_text=True)
    assert "day and night" not in html.split('class="notice"')[1].split("</div>")[0]
