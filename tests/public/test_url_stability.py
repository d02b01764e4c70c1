"""Links in an SMS, a shared story or a staff mail must keep working: an address never disappears
quietly. The app's GET rules are compared with the committed list in url_rules.txt."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import Rule

from url_rules import committed, get_rules

# A value for each kind of argument, to try an address that is no longer a rule.
SAMPLES = {"lang": "nl", "door": "help"}
ARGUMENT = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def sample_url(rule: str) -> str:
    return ARGUMENT.sub(lambda m: SAMPLES.get(m[1], "sample"), rule)


def gone_without_redirect(app, rules: list[str]) -> list[str]:
    client = app.test_client()
    return [rule for rule in rules if client.get(sample_url(rule)).status_code not in {301, 308}]


def test_no_listed_address_disappeared_without_a_permanent_redirect(app) -> None:
    gone = sorted(set(committed()) - set(get_rules(app)))
    assert gone_without_redirect(app, gone) == [], (
        "these addresses are no longer answered: keep a rule that redirects them (redirect_to)"
    )


def test_the_list_holds_every_address_the_app_answers(app) -> None:
    new = sorted(set(get_rules(app)) - set(committed()))
    assert new == [], "new addresses: run tests/url_rules.py and commit url_rules.txt"


def test_the_list_covers_sms_links_calendars_status_and_open_data() -> None:
    listed = set(committed())
    for rule in (
        "/s/<path:code>",
        "/<lang:lang>/help/services/<slug>",
        "/<lang:lang>/help/groups/<slug>",
        "/<lang:lang>/help/groups/<slug>.ics",
        "/<lang:lang>/callback/status",
        "/api/hsds/services",
        "/api/meetings.json",
        "/partner/requests/<request_id>",
    ):
        assert rule in listed


@pytest.mark.parametrize(
    ("rule", "url"),
    [
        ("/<lang:lang>/help/groups/<slug>.ics", "/nl/help/groups/sample.ics"),
        ("/<lang:lang>/s/<code>/<any(help, stories, callback):door>", "/nl/s/sample/help"),
        ("/static/<path:filename>", "/static/sample"),
    ],
)
def test_a_sample_address_is_made_for_every_kind_of_argument(rule: str, url: str) -> None:
    assert sample_url(rule) == url


def test_an_address_that_only_answers_404_counts_as_gone(app) -> None:
    assert gone_without_redirect(app, ["/<lang:lang>/verhalen-oud/<slug>"]) == [
        "/<lang:lang>/verhalen-oud/<slug>"
    ]


def test_an_address_kept_as_a_permanent_redirect_does_not(app) -> None:
    app.url_map.add(
        Rule("/<lang>/verhalen/<slug>", endpoint="old", redirect_to="/<lang>/stories/<slug>")
    )
    assert gone_without_redirect(app, ["/<lang:lang>/verhalen/<slug>"]) == []
