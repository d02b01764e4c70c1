"""`flask content check` on campaign files: each mistake named with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT

GOOD = """---
code: {code}
title: Je kreeg een sms
summary: Waarom je deze sms kreeg.
municipality: {municipality}
sent: 2026-10-14
recipients: 100
sms: "Hulp nodig? uitweg.example/s/{code}"
{extra}---
Je nummer is één keer gebruikt.
"""

CASES = [
    ({"code": "v"}, "extra.nl.md:2:", "must be 2 to 16 letters (a-z) and digits"),
    ({"code": "vs_26!"}, "extra.nl.md:2:", "must be 2 to 16 letters (a-z) and digits"),
    ({"municipality": "Atlantis"}, "extra.nl.md:5:", "municipality must be one of Vaartstad"),
    # Files are read in name order: the later one is the duplicate.
    ({"code": "vs2610"}, "vaartstad-oktober-2026.nl.md:1:", "code 'vs2610' is also used by"),
    ({"extra": "partner: nergens\n"}, "extra.nl.md:1:", "partner 'nergens' is not in partners"),
    (
        {"extra": "active_from: 2026-10-14\nactive_until: 2026-10-01\n"},
        "extra.nl.md:10:",
        "'active_until' must not be before 'active_from'",
    ),
]


@pytest.mark.parametrize(("changes", "location", "message"), CASES)
def test_a_broken_campaign_is_named_with_file_and_line(
    runner, tmp_path: Path, changes, location, message
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    values = {"code": "ex2611", "municipality": "Vaartstad", "extra": "", **changes}
    (folder / "campaigns" / "extra.nl.md").write_text(GOOD.format(**values), encoding="utf-8")
    result = runner.invoke(args=["content", "check", "--dir", str(folder)])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if location in line]
    assert lines and message in lines[0], result.output


def test_a_good_campaign_passes_and_is_counted(runner, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    values = {"code": "ex2611", "municipality": "Lindewaard", "extra": ""}
    (folder / "campaigns" / "extra.nl.md").write_text(GOOD.format(**values), encoding="utf-8")
    result = runner.invoke(args=["content", "check", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 campaigns" in result.output
