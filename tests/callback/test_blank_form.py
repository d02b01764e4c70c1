"""A blank request form is rendered once and given a fresh one-time token per visit."""

from __future__ import annotations

import re

import pytest
from flask import template_rendered

from callback.forms import field_values, hidden_fields, submit

TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')
FORMS = {"callback/form.html": "/nl/callback", "callback/write.html": "/nl/callback/write"}


@pytest.fixture
def renders(app):
    seen: list[str] = []

    def record(_sender, template, context, **_extra):
        seen.append(template.name)

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


@pytest.mark.parametrize("template", FORMS)
def test_each_visit_gets_its_own_token_from_one_rendering(app, client, renders, template):
    first = client.get(FORMS[template]).get_data(as_text=True)
    second = client.get(FORMS[template]).get_data(as_text=True)

    assert renders.count(template) == 1
    tokens = TOKEN.findall(first) + TOKEN.findall(second)
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    # A new content version is rendered afresh.
    app.extensions["content"].load()
    client.get(FORMS[template])
    assert renders.count(template) == 2


def test_both_tokens_are_accepted_once_each(app, client) -> None:
    forms = [hidden_fields(client.get("/nl/callback").get_data(as_text=True)) for _ in range(2)]

    answers = [submit(client, hidden=hidden).status_code for hidden in forms]

    assert answers == [200, 200]


def test_a_prefilled_form_is_kept_apart_from_a_blank_one(client) -> None:
    prefilled = field_values(client.get("/nl/callback?topic=debt").get_data(as_text=True))
    blank = field_values(client.get("/nl/callback").get_data(as_text=True))
    english = client.get("/en/callback").get_data(as_text=True)

    assert prefilled.get("topics") == ["debt"]
    assert "topics" not in blank
    assert '<html lang="en"' in english
