"""Every sample self-test, scored at both edges of every band through HTTP, and every next step
of every band followed to a page that exists and shows what the test was about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT
from pagecheck import check_html
from selftests.answering import answers_for
from uitweg.content.loader import load_content
from uitweg.content.model import DEFAULT_LANGUAGE
from uitweg.content.selftests import SelfTest

CONTENT, _ = load_content(Path(SAMPLE_CONTENT))
assert CONTENT is not None
TESTS: dict[str, SelfTest] = {
    slug: versions[DEFAULT_LANGUAGE] for slug, versions in CONTENT.selftests.items()
}
EDGES = [
    (slug, band.id, score)
    for slug, test in TESTS.items()
    for band in test.bands
    for score in sorted({band.low, band.high})
]
STEPS = [
    (slug, band.id, step)
    for slug, test in TESTS.items()
    for band in test.bands
    for step in band.steps
]


def test_there_are_five_sample_tests_in_both_languages_with_10_to_15_questions() -> None:
    assert set(TESTS) == {
        "drugs",
        "cannabis",
        "alcohol",
        "gambling-gaming",
        "worried-about-someone",
    }
    for slug, versions in CONTENT.selftests.items():
        assert set(versions) == {"nl", "en"}, slug
        assert 10 <= len(versions["nl"].questions) <= 15, slug
        assert versions["en"].questions[0].text != versions["nl"].questions[0].text


@pytest.mark.parametrize(("slug", "band", "score"), EDGES)
def test_a_score_at_a_bands_edge_gives_that_band(client, slug, band, score) -> None:
    test = TESTS[slug]
    response = client.post(f"/nl/selftests/{slug}", data=answers_for(test, score))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_html(html)
    expected = test.band_by_id(band)
    assert expected is not None
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == expected.title
    assert f"Je score: {score} van {test.highest}" in html
    assert "geen diagnose" in html
    steps = re.findall(r'name="step" value="([a-z]+)"', html)
    assert steps == list(expected.steps)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_bands_cover_every_score_exactly_once() -> None:
    for test in TESTS.values():
        covered = [s for band in test.bands for s in range(band.low, band.high + 1)]
        assert sorted(covered) == list(range(test.lowest, test.highest + 1)), test.slug


@pytest.mark.parametrize(("slug", "band", "step"), STEPS)
def test_every_next_step_leads_to_an_existing_filtered_page(client, slug, band, step) -> None:
    test = TESTS[slug]
    moved = client.post(f"/en/selftests/{slug}/next", data={"band": band, "step": step})
    assert moved.status_code == 303
    target = moved.headers["Location"]
    page = client.get(target)
    assert page.status_code == 200, target
    html = page.get_data(as_text=True)
    if step == "callback":
        assert f"topic={test.topic}" in target and f"asking={test.asking}" in target
        assert re.search(rf'value="{test.topic}" checked', html)
        assert re.search(rf'value="{test.asking}" checked', html)
    elif step in ("help", "groups"):
        assert f"audience={test.asking}" in target
        if test.help_topic:
            assert f"topic={test.help_topic}" in target
        # The filter finds something: a next step never ends in "nothing found".
        assert re.search(r'class="result-count"[^>]*>\s*[1-9]', html), target
    elif step == "stories":
        assert "substance=" in target or "theme=" in target
        assert 'class="card"' in html, target
    else:
        assert target == f"/en/{test.page}"
    # The band is never in the address that is shown or logged.
    assert band not in target.split("?", 1)[-1].replace(f"topic={test.topic}", "")


def test_the_callback_form_ignores_unknown_topics_and_askers(client) -> None:
    html = client.get("/nl/callback?topic=nonsense&asking=x%00").get_data(as_text=True)
    assert " checked" not in html.split('name="route"')[0]
