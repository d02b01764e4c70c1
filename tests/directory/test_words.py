"""What the directory says, in the reader's language: notes translated and said once, names as
they are on the door, closed family meetings that welcome family, numbers and addresses to tap."""

from __future__ import annotations

from pagecheck import text_of


def test_the_english_list_shows_the_english_hours_note(get_page) -> None:
    html = get_page("/en/help/?municipality=Lindewaard&topic=debt").get_data(as_text=True)
    assert "By appointment. Call on weekdays" in html
    assert "Op afspraak" not in html


def test_a_service_page_says_its_hours_note_once(get_page) -> None:
    for lang, note in (("nl", "Op afspraak."), ("en", "By appointment.")):
        html = get_page(f"/{lang}/help/services/geldzorgen-lindewaard").get_data(as_text=True)
        assert html.count(note) == 1, lang


def test_proper_names_are_not_translated(get_page) -> None:
    root = get_page("/en/help/services/geldpunt-heideveen").root
    assert text_of(root.find(".//h1")) == "Geldpunt Heideveen"


def test_a_closed_family_meeting_welcomes_family(get_page) -> None:
    html = get_page("/nl/help/groups/oudergroep-lindewaard").get_data(as_text=True)
    assert "alleen voor familie en vrienden van iemand die gebruikt" in html
    assert "alleen voor mensen die zelf willen stoppen" not in html


def test_the_parents_page_has_numbers_to_tap_and_links_to_family_groups(get_page) -> None:
    root = get_page("/nl/parents").root
    hrefs = {a.get("href") for a in root.iter("a")}
    assert {"tel:112", "tel:08002000"} <= hrefs
    assert "/nl/help/?audience=someone-close&kind=group" in hrefs


def test_a_correction_is_one_tap_to_a_form(get_page) -> None:
    root = get_page("/nl/help/services/geldpunt-heideveen").root
    hrefs = [a.get("href") for a in root.iter("a")]
    assert "/nl/help/services/geldpunt-heideveen/report" in hrefs
