"""Services and groups load from content/; every mistake is named with its file and line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLE_CONTENT, STANDARDS
from uitweg.content import load_content
from uitweg.vocabulary import MEETING_TYPES

BROKEN = FIXTURES / "broken-directory"

CASES = [
    ("service-time-24-30.nl.md", "services/service-time-24-30.nl.md:14:", "'24:30' is not a time"),
    (
        "group-end-before-start.nl.md",
        "groups/group-end-before-start.nl.md:12:",
        "the end (18:00) is not after the start (19:30)",
    ),
    (
        "service-unknown-weekday.nl.md",
        "services/service-unknown-weekday.nl.md:14:",
        "'DI' is not a weekday",
    ),
    (
        "group-unknown-weekday.nl.md",
        "groups/group-unknown-weekday.nl.md:10:",
        "'MAANDAG' is not a weekday",
    ),
    (
        "service-unknown-topic.nl.md",
        "services/service-unknown-topic.nl.md:6:",
        "unknown topics gokken",
    ),
    (
        "service-unknown-audience.nl.md",
        "services/service-unknown-audience.nl.md:7:",
        "unknown audiences ouders",
    ),
    (
        "service-unknown-municipality.nl.md",
        "services/service-unknown-municipality.nl.md:8:",
        "unknown municipality Zwolle",
    ),
    (
        "service-bad-phone.nl.md",
        "services/service-bad-phone.nl.md:10:",
        "'12345' is not a valid Dutch or Belgian phone number",
    ),
    ("service-bad-url.nl.md", "services/service-bad-url.nl.md:12:", "not a full https:// address"),
    ("service-bad-email.nl.md", "services/service-bad-email.nl.md:11:", "not an e-mail address"),
    (
        "group-without-place.nl.md",
        "groups/group-without-place.nl.md:16:",
        "a meeting needs an address, an online link, or both",
    ),
    (
        "service-duplicate",
        "services/service-duplicate/2026/dubbel.nl.md:1:",
        "duplicate slug 'dubbel'",
    ),
]


@pytest.mark.parametrize(("sample", "location", "message"), CASES, ids=[c[0] for c in CASES])
def test_content_check_names_file_and_line_of_each_directory_mistake(
    runner, content_dir: Path, sample: str, location: str, message: str
) -> None:
    target = content_dir / ("groups" if sample.startswith("group") else "services") / sample
    source = BROKEN / sample
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if location in line]
    assert lines, f"no line with {location!r} in:\n{result.output}"
    assert message in lines[0]


def test_every_broken_directory_sample_is_covered() -> None:
    samples = {p.name for p in BROKEN.iterdir() if p.name != "README.md"}
    assert samples == {case[0] for case in CASES}


def test_an_entry_checked_too_long_ago_gets_a_warning(content_dir: Path) -> None:
    content, problems = load_content(content_dir, today=dt.date(2027, 6, 1))
    stale = [p for p in problems if "last checked" in p.message]
    assert content is not None
    assert {p.path.name for p in stale} >= {"schuldhulp-aastad.nl.md", "na-aastad.nl.md"}
    assert all(p.severity == "warning" and p.line > 1 for p in stale)


def test_services_and_groups_load_with_their_details(content_dir: Path) -> None:
    content, problems = load_content(content_dir, today=dt.date(2026, 11, 1))
    assert [p for p in problems if p.is_error] == []

    service = content.services["schuldhulp-aastad"]["nl"]
    assert service.phone.e164 == "+31381234567"
    assert service.address.one_line() == "Marktplein 1, 1111 AA Aastad"
    assert service.languages == ("nl", "en")
    assert content.services["schuldhulp-aastad"]["en"].title == "Debt help Aastad"
    assert content.services["landelijke-chat"]["nl"].national
    group = content.groups["na-aastad"]["nl"]
    assert [m.language for m in group.meetings] == ["nl", "en"]
    assert group.meetings[1].online == "https://meet.example/na-aastad"
    assert group.cancelled == frozenset({dt.date(2026, 12, 24)})


def test_the_shipped_sample_directory_is_valid_and_large_enough() -> None:
    content, problems = load_content(SAMPLE_CONTENT)
    assert [p for p in problems if p.is_error] == []
    services = [v["nl"] for v in content.services.values()]
    assert len(services) >= 15
    assert len(content.groups) >= 8
    kinds = {s.kind for s in services}
    assert {
        "addiction-care",
        "debt-help",
        "youth-work",
        "gp",
        "crisis",
        "housing",
        "work-income",
        "information-line",
    } <= kinds
    assert any(s.national for s in services)
    assert {m for s in services for m in s.area} == set(content.site.municipalities)


def test_the_meeting_types_we_use_exist_in_the_published_meeting_guide_list() -> None:
    types_file = STANDARDS / "meeting-guide" / "types.json"
    if not types_file.exists():
        pytest.skip(f"{types_file} is absent (the shared standards folder is not beside the repo)")
    published = json.loads(types_file.read_text(encoding="utf-8"))
    assert set(MEETING_TYPES) <= set(published)
