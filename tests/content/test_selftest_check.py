"""The content check on self-tests: bands that leave a gap or overlap are refused, and every
other mistake is named with its file and line, in one run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT
from uitweg.content.loader import load_content

# Two questions: 0–2 points and 0 or 3 points, so scores 0 to 5.
TEST = """---
title: Een test
summary: Twee vragen.
asking: {asking}
topic: drugs
{extra}questions:
  - id: een
    text: Hoe vaak?
    options:
      - {{text: Nooit, points: 0}}
      - {{text: Soms, points: 1}}
      - {{text: Vaak, points: 2}}
  - id: twee
    text: Ooit?
    yes_points: 3
bands:
  - id: laag
    from: {low_from}
    to: {low_to}
    title: Laag
    text: Weinig.
    not_meant: Niets.
    steps: [{steps}]
  - id: hoog
    from: {high_from}
    to: {high_to}
    title: Hoog
    text: Veel.
    not_meant: Geen diagnose.
    steps: [callback]
---
Uitleg.
"""
GOOD = {
    "asking": "myself",
    "extra": "",
    "low_from": 0,
    "low_to": 2,
    "high_from": 3,
    "high_to": 5,
    "steps": "stories",
}
CASES = [
    # A gap is named at the band after it, or at `bands` when it is at the top.
    ({"low_to": 1}, 24, "no band covers the scores 2 to 2"),
    ({"high_to": 4}, 16, "no band covers the scores 5 to 5"),
    ({"low_to": 3}, 24, "band 'hoog' overlaps the band before it (scores 3 to 3)"),
    ({"high_to": 6}, 24, "band 'hoog' goes beyond the scores the questions can give (0 to 5)"),
    ({"low_from": 3, "low_to": 2}, 18, "'to' not below 'from'"),
    ({"steps": "page"}, 23, "band 'laag' has the step 'page', so the test needs a 'page'"),
    ({"steps": "bellen"}, 23, "'steps' is a list taken from callback, help"),
    ({"asking": "iedereen"}, 4, "asking must be one of myself, someone-close, professional"),
    ({"extra": "page: nergens\n"}, 1, "page 'nergens' is not in pages/"),
    ({"extra": "theme: zomaar\n"}, 6, "theme must be one of"),
]


def _check(tmp_path: Path, text: str, translation: str | None = None) -> list[str]:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    (folder / "selftests" / "extra.nl.md").write_text(text, encoding="utf-8")
    if translation is not None:
        (folder / "selftests" / "extra.en.md").write_text(translation, encoding="utf-8")
    _content, problems = load_content(folder)
    return [f"{p.path.name}:{p.line}: {p.message}" for p in problems if p.is_error]


@pytest.mark.parametrize(("changes", "line", "message"), CASES)
def test_a_broken_test_is_refused_with_file_and_line(tmp_path, changes, line, message) -> None:
    errors = _check(tmp_path, TEST.format(**{**GOOD, **changes}))
    assert any(e.startswith(f"extra.nl.md:{line}: ") and message in e for e in errors), errors


def test_a_good_test_passes_and_is_counted(runner, tmp_path) -> None:
    assert _check(tmp_path, TEST.format(**GOOD)) == []
    result = runner.invoke(args=["content", "check", "--dir", str(tmp_path / "content")])
    assert result.exit_code == 0, result.output
    assert "6 self-tests" in result.output


def test_the_check_says_it_in_dutch(runner, tmp_path) -> None:
    _check(tmp_path, TEST.format(**{**GOOD, "low_to": 1}))
    folder = tmp_path / "content"
    result = runner.invoke(args=["content", "check", "--dir", str(folder), "--lang", "nl"])
    assert result.exit_code == 1
    assert "geen uitslag dekt de scores 2 tot en met 2" in result.output


def test_yes_as_a_key_is_refused_not_read_as_true(tmp_path) -> None:
    broken = TEST.format(**GOOD).replace("yes_points: 3", "yes: 3")
    errors = _check(tmp_path, broken)
    assert any("either 'options' (a list of {text, points}) or 'yes_points'" in e for e in errors)


def test_a_translation_gives_words_only_and_names_what_it_lacks(tmp_path) -> None:
    translation = """---
title: A test
summary: Two questions.
questions:
  een:
    text: How often?
    options: [Never, Sometimes]
  drie:
    text: Extra?
bands:
  laag: {title: Low, text: Little., not_meant: Nothing.}
---
Explanation.
"""
    errors = _check(tmp_path, TEST.format(**GOOD), translation)
    assert any("'options' lists the 3 answers in the Dutch order" in e for e in errors), errors
    assert any("question 'twee' is not translated" in e for e in errors), errors
    assert any("band 'hoog' is not translated" in e for e in errors), errors
    assert any("'drie' is not in the Dutch file's questions" in e for e in errors), errors


def test_points_live_in_the_dutch_file_only(tmp_path) -> None:
    translation = "---\ntitle: A\nsummary: B\nbands: {}\nasking: myself\n---\nText.\n"
    errors = _check(tmp_path, TEST.format(**GOOD), translation)
    assert any("field 'asking' belongs only in extra.nl.md" in e for e in errors), errors
