"""Routing over the sample partners.yaml, case by case, and the checks on a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT
from uitweg.content import load_content
from uitweg.content.routing import DEFAULT_RULE, Facts

# (topics, municipality, asking, language) -> (partner, rule)
CASES = [
    # Another language than Dutch or English goes to the partner with interpreters, first.
    (("debt",), "Vaartstad", "myself", "ar", "kompas", "andere-taal"),
    (("getting-out",), "Heideveen", "myself", "tr", "kompas", "andere-taal"),
    (("worried",), "Lindewaard", "someone-close", "pl", "kompas", "andere-taal"),
    (("drugs",), "elsewhere", "professional", "ar", "kompas", "andere-taal"),
    # Getting out of the drug trade: the youth workers of the place.
    (("getting-out",), "Vaartstad", "myself", "nl", "jong-vaartstad", "uitstappen-vaartstad"),
    (
        ("getting-out",),
        "Vaartstad",
        "someone-close",
        "en",
        "jong-vaartstad",
        "uitstappen-vaartstad",
    ),
    (
        ("getting-out", "debt"),
        "Vaartstad",
        "myself",
        "nl",
        "jong-vaartstad",
        "uitstappen-vaartstad",
    ),
    (("getting-out",), "Vaartstad", "professional", "nl", "jong-vaartstad", "uitstappen-vaartstad"),
    (
        ("getting-out",),
        "Heideveen",
        "myself",
        "nl",
        "jong-heideveen",
        "uitstappen-heideveen-lindewaard",
    ),
    (
        ("getting-out",),
        "Lindewaard",
        "myself",
        "en",
        "jong-heideveen",
        "uitstappen-heideveen-lindewaard",
    ),
    (
        ("drugs", "getting-out"),
        "Lindewaard",
        "someone-close",
        "nl",
        "jong-heideveen",
        "uitstappen-heideveen-lindewaard",
    ),
    # Debt: the municipality's own debt help.
    (("debt",), "Vaartstad", "myself", "nl", "schuldhulp-vaartstad", "schulden-vaartstad"),
    (("debt",), "Vaartstad", "someone-close", "nl", "schuldhulp-vaartstad", "schulden-vaartstad"),
    (("debt", "drugs"), "Vaartstad", "myself", "en", "schuldhulp-vaartstad", "schulden-vaartstad"),
    (("debt",), "Heideveen", "myself", "nl", "geldpunt-heideveen", "schulden-heideveen"),
    (("debt",), "Heideveen", "professional", "en", "geldpunt-heideveen", "schulden-heideveen"),
    (("debt", "worried"), "Heideveen", "myself", "nl", "geldpunt-heideveen", "schulden-heideveen"),
    (("debt",), "Lindewaard", "myself", "nl", "geldzorgen-lindewaard", "schulden-lindewaard"),
    (
        ("debt",),
        "Lindewaard",
        "someone-close",
        "en",
        "geldzorgen-lindewaard",
        "schulden-lindewaard",
    ),
    (
        ("other", "debt"),
        "Lindewaard",
        "myself",
        "nl",
        "geldzorgen-lindewaard",
        "schulden-lindewaard",
    ),
    # Someone asking for another person.
    (("drugs",), "Vaartstad", "someone-close", "nl", "kompas-naasten", "naasten"),
    (("other",), "Heideveen", "someone-close", "en", "kompas-naasten", "naasten"),
    (("worried",), "Lindewaard", "someone-close", "nl", "kompas-naasten", "naasten"),
    (("drugs",), "elsewhere", "someone-close", "nl", "kompas-naasten", "naasten"),
    (("debt",), "elsewhere", "someone-close", "nl", "kompas-naasten", "naasten"),
    # Worried about someone, asked by the person or a professional.
    (("worried",), "Vaartstad", "myself", "nl", "kompas-naasten", "zorgen-om-iemand"),
    (("worried",), "Heideveen", "professional", "nl", "kompas-naasten", "zorgen-om-iemand"),
    (("worried", "drugs"), "elsewhere", "myself", "en", "kompas-naasten", "zorgen-om-iemand"),
    # Drug use and anything else.
    (("drugs",), "Vaartstad", "myself", "nl", "kompas", "drugs-en-overig"),
    (("drugs",), "Heideveen", "myself", "en", "kompas", "drugs-en-overig"),
    (("drugs",), "Lindewaard", "professional", "nl", "kompas", "drugs-en-overig"),
    (("other",), "Vaartstad", "myself", "nl", "kompas", "drugs-en-overig"),
    (("other",), "elsewhere", "professional", "en", "kompas", "drugs-en-overig"),
    (("drugs",), "elsewhere", "myself", "nl", "kompas", "drugs-en-overig"),
    # From outside the region, for what only local partners handle.
    (("debt",), "elsewhere", "myself", "nl", "kompas", "buiten-de-regio"),
    (("getting-out",), "elsewhere", "myself", "nl", "kompas", "buiten-de-regio"),
    (("debt",), "elsewhere", "professional", "en", "kompas", "buiten-de-regio"),
    (("getting-out", "debt"), "elsewhere", "myself", "en", "kompas", "buiten-de-regio"),
    # Order matters: the first matching rule wins.
    (
        ("worried", "getting-out"),
        "Vaartstad",
        "myself",
        "nl",
        "jong-vaartstad",
        "uitstappen-vaartstad",
    ),
    (
        ("drugs", "debt"),
        "Heideveen",
        "someone-close",
        "nl",
        "geldpunt-heideveen",
        "schulden-heideveen",
    ),
    (("other", "worried"), "Vaartstad", "myself", "nl", "kompas-naasten", "zorgen-om-iemand"),
    (("getting-out",), "Vaartstad", "myself", "pl", "kompas", "andere-taal"),
]


@pytest.fixture(scope="module")
def sample_routing():
    content, problems = load_content(SAMPLE_CONTENT)
    assert not [p for p in problems if p.is_error]
    return content.routing


@pytest.mark.parametrize(("topics", "place", "asking", "language", "partner", "rule"), CASES)
def test_sample_routing(sample_routing, topics, place, asking, language, partner, rule) -> None:
    decision = sample_routing.route(Facts(topics, place, asking, language))
    assert (decision.partner.slug, decision.rule) == (partner, rule)


# Through the Vaartstad SMS campaign, which prefers Jong Vaartstad where and for what it helps.
CAMPAIGN_CASES = [
    (("getting-out",), "Vaartstad", "jong-vaartstad", "campaign-vs2610"),
    (("getting-out",), "Heideveen", "jong-heideveen", "uitstappen-heideveen-lindewaard"),
    (("debt", "drugs"), "Vaartstad", "jong-vaartstad", "campaign-vs2610"),
    (("drugs",), "Vaartstad", "kompas", "drugs-en-overig"),
]


@pytest.mark.parametrize(("topics", "place", "partner", "rule"), CAMPAIGN_CASES)
def test_a_campaigns_preferred_partner_comes_first_for_its_topics(
    sample_routing, topics, place, partner, rule
) -> None:
    decision = sample_routing.route(Facts(topics, place, "myself", "nl", campaign="vs2610"))
    assert (decision.partner.slug, decision.rule) == (partner, rule)


def test_the_table_covers_every_rule_of_the_sample(sample_routing) -> None:
    assert len(CASES) >= 40
    covered = {case[-1] for case in CASES} | {case[-1] for case in CAMPAIGN_CASES}
    assert covered == {rule.name for rule in sample_routing.rules}


def test_the_sample_passes_the_whole_file_checks_without_warnings() -> None:
    _content, problems = load_content(SAMPLE_CONTENT)
    assert not [p for p in problems if "partners.yaml" in str(p.path)]


def test_no_match_goes_to_the_default_partner(tmp_path) -> None:
    folder = _copy(tmp_path, lambda text: text.split("\nrules:")[0] + "\nrules: []\n")
    content, _problems = load_content(folder)
    decision = content.routing.route(Facts(("debt",), "Vaartstad", "myself", "nl"))
    assert (decision.partner.slug, decision.rule) == ("kompas", DEFAULT_RULE)


def test_the_fallback_chain_ends_at_the_partner_without_fallback(sample_routing) -> None:
    assert [p.slug for p in sample_routing.chain("jong-vaartstad")] == ["jong-vaartstad", "kompas"]


def _copy(tmp_path: Path, change) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    path = folder / "partners.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _messages(folder: Path) -> list[str]:
    _content, problems = load_content(folder)
    return [p.format(relative_to=folder) for p in problems if "partners.yaml" in str(p.path)]


def _line_of(folder: Path, text: str) -> int:
    lines = (folder / "partners.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_an_unknown_partner_in_a_rule_is_an_error_on_its_line(tmp_path) -> None:
    folder = _copy(tmp_path, lambda t: t.replace("partner: jong-heideveen", "partner: jong-hv"))
    line = _line_of(folder, "partner: jong-hv")
    assert _messages(folder) == [
        f"partners.yaml:{line}: rule 'uitstappen-heideveen-lindewaard': partner 'jong-hv' is "
        "not in partners"
    ]


def test_an_unknown_default_and_fallback_are_errors(tmp_path) -> None:
    def change(text: str) -> str:
        text = text.replace("default: kompas", "default: kompass")
        return text.replace(
            "    response_hours: 48\n    fallback: kompas\n\n  jong-vaartstad",
            "    response_hours: 48\n    fallback: nobody\n\n  jong-vaartstad",
        )

    folder = _copy(tmp_path, change)
    messages = _messages(folder)
    assert (
        f"partners.yaml:{_line_of(folder, 'default: kompass')}: default partner 'kompass' "
        "is not in partners" in messages
    )
    assert (
        f"partners.yaml:{_line_of(folder, 'fallback: nobody')}: fallback 'nobody' is not "
        "in partners" in messages
    )


def test_a_fallback_loop_is_an_error(tmp_path) -> None:
    def change(text: str) -> str:
        return text.replace(
            "    response_hours: 24\n\n  kompas-naasten",
            "    response_hours: 24\n    fallback: jong-vaartstad\n\n  kompas-naasten",
        )

    folder = _copy(tmp_path, change)
    [message] = [m for m in _messages(folder) if "loop" in m]
    assert "fallback loop:" in message
    assert (
        "kompas -> jong-vaartstad -> kompas" in message
        or "jong-vaartstad -> kompas -> jong-vaartstad" in message
    )


def test_a_rule_that_can_never_match_is_a_warning(tmp_path) -> None:
    def change(text: str) -> str:
        return text.replace(
            "  - name: andere-taal\n",
            "  - name: alles\n    partner: kompas\n\n  - name: andere-taal\n",
        )

    folder = _copy(tmp_path, change)
    messages = _messages(folder)
    assert (
        f"partners.yaml:{_line_of(folder, '- name: andere-taal')}: warning: rule "
        "'andere-taal' can never match: rules above it catch every request it would get" in messages
    )
    assert len([m for m in messages if "can never match" in m]) == 10  # all after 'alles'


def test_a_topic_and_place_no_rule_covers_is_a_warning(tmp_path) -> None:
    folder = _copy(
        tmp_path,
        lambda t: t.replace(
            "  - name: schulden-lindewaard\n"
            "    when: {topics: [debt], municipalities: [Lindewaard]}\n"
            "    partner: geldzorgen-lindewaard\n",
            "",
        ),
    )
    messages = _messages(folder)
    assert any(
        "warning: no rule covers debt in Lindewaard: these go to the default partner 'kompas'" in m
        for m in messages
    )


def test_a_language_the_partner_does_not_speak_is_a_warning(tmp_path) -> None:
    folder = _copy(
        tmp_path,
        lambda t: t.replace(
            "    notify: [geldpunt@heideveen.example]\n    area: [Heideveen]\n    topics: [debt]\n"
            "    languages: [nl, en]",
            "    notify: [geldpunt@heideveen.example]\n    area: [Heideveen]\n    topics: [debt]\n"
            "    languages: [nl]",
        ),
    )
    assert any(
        "requests in 'en' can reach partner 'geldpunt-heideveen' (by rule "
        "'schulden-heideveen')" in m
        for m in _messages(folder)
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "when: {topics: [debt], municipalities: [Vaartstad]}",
            "when: {topics: [debts], municipalities: [Vaartstad]}",
            "unknown value(s) debts; known: drugs, debt, getting-out, worried, other",
        ),
        (
            "when: {topics: [debt], municipalities: [Heideveen]}",
            "when: {topics: [debt], municipalities: [Zwolle]}",
            "unknown value(s) Zwolle; known: Vaartstad, Heideveen, Lindewaard, elsewhere",
        ),
        (
            "when: {asking: [someone-close]}",
            "when: {who: [someone-close]}",
            "'when' may hold topics, municipalities, asking, languages, campaigns",
        ),
        (
            "when: {municipalities: [elsewhere]}",
            "when: {campaigns: [zomer]}",
            "unknown value(s) zomer",
        ),
        (
            "notify: [schuldhulp@vaartstad.example]",
            "notify: [schuldhulp-at-vaartstad]",
            "'schuldhulp-at-vaartstad' is not an e-mail address",
        ),
        (
            '{byday: [TU, WE, TH, FR], opens_at: "09:00", closes_at: "15:00"}',
            '{byday: [TU, WE, TH, FR], opens_at: "09:00", closes_at: "25:00"}',
            "25:00",
        ),
        (
            "    response_hours: 24\n    fallback: kompas\n\n  jong-heideveen",
            "    response_hours: soon\n    fallback: kompas\n\n  jong-heideveen",
            "field 'response_hours' must be a whole number",
        ),
    ],
)
def test_mistakes_name_their_line(tmp_path, old, new, expected) -> None:
    folder = _copy(tmp_path, lambda t: t.replace(old, new))
    messages = [m for m in _messages(folder) if expected in m]
    assert messages, _messages(folder)
    line = _line_of(folder, new.split("\n")[0].strip())
    assert messages[0].startswith(f"partners.yaml:{line}:"), messages


def test_a_missing_partners_file_turns_the_form_off_with_a_warning(tmp_path) -> None:
    folder = _copy(tmp_path, lambda t: t)
    (folder / "partners.yaml").unlink()
    content, problems = load_content(folder)
    assert content.routing is None
    [problem] = [p for p in problems if "partners.yaml" in str(p.path)]
    assert problem.severity == "warning"


def test_flask_routing_explain_names_the_partner_and_the_rule(runner) -> None:
    result = runner.invoke(
        args=["routing", "explain", "--topic", "debt", "--municipality", "Heideveen"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "partner: geldpunt-heideveen (Geldpunt Heideveen)",
        "rule:    schulden-heideveen (rule 6 of 11)",
        "escalates to: kompas",
    ]
    result = runner.invoke(
        args=[
            "routing",
            "explain",
            "--topic",
            "drugs",
            "--municipality",
            "elsewhere",
            "--asking",
            "someone-close",
        ]
    )
    assert "rule:    naasten (rule 8 of 11)" in result.output
    assert "note:    A parent, partner or friend asking for someone else." in result.output


def test_a_partner_may_not_take_the_site_owners_code(tmp_path) -> None:
    folder = _copy(tmp_path, lambda t: t.replace("\n  kompas:\n", "\n  owner:\n", 1))
    messages = _messages(folder)
    line = _line_of(folder, "  owner:")
    assert messages[0] == (
        f"partners.yaml:{line}: 'owner' is the site owner's code for its staff: choose another"
    )
