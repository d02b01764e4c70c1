"""Hostile answers to a self-test (Hypothesis, on SQLite and, in the PostgreSQL leg, on
PostgreSQL): missing, outside the options, repeated with different values, extra fields, a
forged test, band or step, a huge body. Never a 500, never a stored answer: the form comes back
with a translated error beside each question and what was answered kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from selftests.answering import answers_for
from test_hostile_input import TEXT
from uitweg import db
from uitweg.models import SelfTestCount

BUDGET = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
SLUGS = ["drugs", "worried-about-someone"]
ANSWER = st.one_of(st.sampled_from(["0", "1", "2", "3", "4", "9", "-1", "01", "", "¹"]), TEXT)


def _counted(app) -> int:
    with app.app_context(), db.session() as session:
        return session.scalar(select(func.coalesce(func.sum(SelfTestCount.count), 0))) or 0


@BUDGET
@given(data=st.data())
def test_any_answers_give_a_result_or_the_form_with_errors(app, data) -> None:
    slug = data.draw(st.sampled_from(SLUGS))
    lang = data.draw(st.sampled_from(["nl", "en"]))
    test = app.extensions["content"].content.selftests[slug]["nl"]
    form: list[tuple[str, str]] = []
    for question in test.questions:
        for _ in range(data.draw(st.integers(0, 2))):
            form.append((question.field, data.draw(ANSWER)))
    for _ in range(data.draw(st.integers(0, 2))):
        form.append((data.draw(st.sampled_from(["campaign", "band", "q-", "x"])), data.draw(TEXT)))
    before = _counted(app)
    response = app.test_client().post(f"/{lang}/selftests/{slug}", data=MultiDict(form))
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert _counted(app) == before + 1
        assert 'name="step"' in html
        return
    assert _counted(app) == before
    assert 'id="error-summary"' in html
    errors = re.findall(r'<p class="field-error" id="(q-[a-z0-9-]+)-error">', html)
    assert errors, "each wrong answer has its error beside the question"
    # A valid single answer to a question without an error is kept, checked.
    for question in test.questions:
        values = {value for field, value in form if field == question.field}
        if len(values) == 1 and f"{question.field}-error" not in html:
            (value,) = values
            assert re.search(rf'name="{question.field}" type="radio" value="{value}" checked', html)


def test_a_missing_answer_is_named_in_the_readers_language(client) -> None:
    test = client.application.extensions["content"].content.selftests["cannabis"]["nl"]
    answers = answers_for(test, 0)
    del answers[test.questions[2].field]
    nl = client.post("/nl/selftests/cannabis", data=answers)
    en = client.post("/en/selftests/cannabis", data=answers)
    assert nl.status_code == en.status_code == 400
    assert "Kies een antwoord bij vraag 3." in nl.get_data(as_text=True)
    assert "Choose an answer to question 3." in en.get_data(as_text=True)
    assert nl.get_data(as_text=True).count(" checked") == len(test.questions) - 1


def test_the_same_question_answered_twice_is_refused(client) -> None:
    test = client.application.extensions["content"].content.selftests["alcohol"]["nl"]
    form = [*answers_for(test, 0).items(), (test.questions[0].field, "3")]
    response = client.post("/en/selftests/alcohol", data=MultiDict(form))
    assert response.status_code == 400
    assert "Choose one answer to question 1, not two." in response.get_data(as_text=True)


def test_a_huge_body_gives_the_empty_form_with_a_notice(app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = app.test_client().post("/nl/selftests/drugs", data={"q-hoe-vaak": "0" * 20_000})
    assert response.status_code == 413
    assert "Wat je stuurde was te lang" in response.get_data(as_text=True)
    assert _counted(app) == 0


@pytest.mark.parametrize(
    "form",
    [
        {"band": "zorgen", "step": "bellen"},
        {"band": "nergens", "step": "help"},
        {"band": "weinig", "step": "callback"},  # a step the band does not offer
        {"step": "help"},
        {},
    ],
)
def test_a_forged_next_step_counts_nothing_and_goes_to_the_list(app, form) -> None:
    response = app.test_client().post("/nl/selftests/drugs/next", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/nl/selftests/"
    assert _counted(app) == 0


def test_a_forged_test_is_not_found(client) -> None:
    assert client.post("/nl/selftests/nergens", data={"q-x": "0"}).status_code == 404
    assert client.post("/nl/selftests/nergens/next", data={"band": "x"}).status_code == 404
    assert client.get("/nl/selftests/..%2fetc").status_code == 404


def test_a_campaign_code_is_carried_only_when_it_names_a_campaign(app) -> None:
    client = app.test_client()
    test = app.extensions["content"].content.selftests["drugs"]["nl"]
    assert 'value="vs2610"' in client.get("/nl/selftests/drugs?campaign=vs2610").get_data(
        as_text=True
    )
    assert "nep" not in client.get("/nl/selftests/drugs?campaign=nep").get_data(as_text=True)
    for code in ("vs2610", "nep<script>"):
        client.post("/nl/selftests/drugs", data={**answers_for(test, 0), "campaign": code})
    with app.app_context(), db.session() as session:
        campaigns = set(session.scalars(select(SelfTestCount.campaign)))
    assert campaigns == {"vs2610", ""}
