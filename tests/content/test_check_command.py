"""`flask content check` names the file and line of every mistake, and fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLE_CONTENT

BROKEN = FIXTURES / "broken"

CASES = [
    ("broken-yaml.nl.md", "stories/broken-yaml.nl.md:6:", "the YAML cannot be read"),
    ("unknown-field.nl.md", "stories/unknown-field.nl.md:6:", "unknown field 'colour'"),
    ("missing-field.nl.md", "stories/missing-field.nl.md:1:", "missing field 'alias'"),
    ("wrong-date.nl.md", "stories/wrong-date.nl.md:8:", "month must be in 1..12"),
    ("written-date.nl.md", "stories/written-date.nl.md:8:", "must be a date written as YYYY-MM-DD"),
    ("not-utf8.nl.md", "stories/not-utf8.nl.md:11:", "not UTF-8"),
    ("image-without-alt.nl.md", "stories/image-without-alt.nl.md:9:", "needs 'alt'"),
    ("unknown-theme.nl.md", "stories/unknown-theme.nl.md:7:", "unknown themes gokken"),
    ("unclosed.nl.md", "stories/unclosed.nl.md:1:", "front matter is not closed"),
    ("orphan.en.md", "stories/orphan.en.md:1:", "translation without a Dutch story"),
    ("Wrong_Name.nl.md", "stories/Wrong_Name.nl.md:1:", "name the file slug.nl.md"),
    ("duplicate", "stories/duplicate/2025/same.nl.md:1:", "duplicate slug 'same'"),
]


@pytest.mark.parametrize(("sample", "location", "message"), CASES, ids=[c[0] for c in CASES])
def test_content_check_fails_with_file_and_line_for_each_broken_sample(
    runner, content_dir: Path, sample: str, location: str, message: str
) -> None:
    source = BROKEN / sample
    if source.is_dir():
        shutil.copytree(source, content_dir / "stories" / sample)
    else:
        shutil.copy(source, content_dir / "stories" / sample)

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if location in line]
    assert lines, f"no line with {location!r} in:\n{result.output}"
    assert message in lines[0]


def test_every_broken_sample_is_covered_by_a_case() -> None:
    samples = {p.name for p in BROKEN.iterdir() if p.name != "README.md"}
    assert samples == {case[0] for case in CASES}


def test_content_check_passes_on_the_shipped_sample_content(runner) -> None:
    result = runner.invoke(args=["content", "check", "--dir", str(SAMPLE_CONTENT)])
    assert result.exit_code == 0, result.output
    assert "OK: 6 stories, 11 pages, 21 services, 8 groups" in result.output
    # Warnings are allowed only for entries that are due for a new check as time passes.
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    assert all("last checked" in line for line in warnings), warnings


def test_content_check_lists_warnings_without_failing_unless_strict(runner, content_dir) -> None:
    story = content_dir / "stories" / "cas.nl.md"
    story.write_text(story.read_text() + "\n<b>raw html</b>\n", encoding="utf-8")

    relaxed = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    strict = runner.invoke(args=["content", "check", "--dir", str(content_dir), "--strict"])

    assert relaxed.exit_code == 0
    assert "cas.nl.md:13: warning: raw HTML is not shown" in relaxed.output
    assert strict.exit_code == 1


def test_site_yaml_errors_name_the_line_of_the_field(runner, content_dir: Path) -> None:
    site = content_dir / "site.yaml"
    site.write_text(site.read_text().replace("footer_pages: [privacy]", "footer_pages: [nope]"))

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])

    assert result.exit_code == 1
    assert "site.yaml:20: footer_pages: there is no page 'nope'" in result.output


def test_a_translation_may_not_carry_fields_that_belong_to_the_dutch_file(
    runner, content_dir: Path
) -> None:
    story = content_dir / "stories" / "cas.en.md"
    story.write_text(story.read_text().replace("summary:", "date: 2025-01-01\nsummary:"))

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])

    assert result.exit_code == 1
    assert "cas.en.md:3: field 'date' belongs only in cas.nl.md" in result.output


def test_a_page_cannot_take_a_slug_the_site_uses_itself(runner, content_dir: Path) -> None:
    shutil.copy(content_dir / "pages" / "privacy.nl.md", content_dir / "pages" / "stories.nl.md")

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])

    assert result.exit_code == 1
    assert "stories.nl.md:1: 'stories' is taken by the site itself" in result.output


def test_content_new_writes_a_draft_the_check_refuses_until_its_examples_are_replaced(
    tmp_path: Path, content_dir: Path
) -> None:
    from conftest import make_app

    app = make_app(tmp_path, CONTENT_DIR=content_dir)
    runner = app.test_cli_runner()

    created = runner.invoke(args=["content", "new", "story", "nieuw-verhaal"])
    assert created.exit_code == 0, created.output
    path = content_dir / "stories" / "nieuw-verhaal.nl.md"
    checked = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    assert checked.exit_code == 1
    # Every example text is named, each on its own line: summary, alias and the body's three.
    examples = [line for line in checked.output.splitlines() if "nieuw-verhaal.nl.md" in line]
    assert len(examples) == 5, checked.output
    assert "nieuw-verhaal.nl.md:3: the example text 'Een of twee zinnen die'" in checked.output

    text = path.read_text()
    text = text.replace("Een of twee zinnen die vertellen waar het verhaal over gaat.", "Over Sam.")
    text = text.replace("Naam (verzonnen)", "Sam")
    text = text.split("\n---\n", 1)[0] + "\n---\n\nSam vertelt hoe hij stopte.\n"
    path.write_text(text)
    checked = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    assert checked.exit_code == 0, checked.output
    assert app.test_client().get("/nl/stories/nieuw-verhaal").status_code == 404  # a draft


def test_a_translation_that_lacks_a_text_of_the_dutch_file_is_a_warning(tmp_path, runner) -> None:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    english = folder / "services" / "geldzorgen-lindewaard.en.md"
    english.write_text(
        "\n".join(line for line in english.read_text().splitlines() if "hours_note" not in line)
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["content", "check", "--dir", str(folder)])
    assert result.exit_code == 0
    assert (
        "geldzorgen-lindewaard.en.md:1: warning: 'hours_note' is in geldzorgen-lindewaard.nl.md "
        "but not in this translation"
    ) in result.output


def test_one_run_names_every_problem_of_an_item_once(runner, content_dir: Path) -> None:
    stories = content_dir / "stories"
    stories.mkdir(exist_ok=True)
    (stories / "vol-fouten.nl.md").write_text(
        "---\ntitle: Test\nsummary: Iets\nplace: Heideveen\nage_band: '99'\n"
        "themes: [geen-thema]\ndate: 2026-13-01\ncolour: rood\n---\n\nTekst.\n",
        encoding="utf-8",
    )
    (stories / "vol-fouten.en.md").write_text(
        "---\ntitle: Test\nthemes: [debt]\n---\n", encoding="utf-8"
    )
    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    lines = [line for line in result.output.splitlines() if "vol-fouten" in line]
    expected = [
        "vol-fouten.en.md:1: missing field 'summary'",
        "vol-fouten.en.md:3: field 'themes' belongs only in vol-fouten.nl.md",
        "vol-fouten.en.md:5: the text below the fields is empty",
        "vol-fouten.nl.md:1: missing field 'alias'",
        "vol-fouten.nl.md:5: age_band must be one of",
        "vol-fouten.nl.md:6: unknown themes geen-thema",
        "vol-fouten.nl.md:7: field 'date': the value cannot be read",
        "vol-fouten.nl.md:8: unknown field 'colour'",
    ]
    assert len(lines) == len(expected), result.output
    for line, start in zip(lines, expected, strict=True):
        assert start in line, (line, start)


@pytest.mark.parametrize(
    ("alt", "refused"),
    [
        ("IMG_2041.jpg", True),
        ("sanne-fiets", True),  # the file's own name
        ("foto", True),
        ("Image:", True),
        ("", True),
        ("Sanne op de fiets langs de IJssel", False),
    ],
)
def test_an_image_needs_alt_text_that_says_what_it_shows(
    runner, content_dir: Path, alt: str, refused: bool
) -> None:
    (content_dir / "media").mkdir(exist_ok=True)
    (content_dir / "media" / "sanne-fiets.jpg").write_bytes(b"\xff\xd8\xff")
    story = next((content_dir / "stories").glob("*.nl.md"))
    text = story.read_text().replace(
        "\n---\n", f'\nimage: {{src: sanne-fiets.jpg, alt: "{alt}"}}\n---\n', 1
    )
    story.write_text(text)
    result = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    assert (result.exit_code == 1) is refused, result.output
    if refused:
        assert f"{story.name}:" in result.output and "'alt'" in result.output


def test_content_check_speaks_dutch_with_the_same_files_and_lines(
    runner, content_dir: Path
) -> None:
    story = next((content_dir / "stories").glob("*.nl.md"))
    story.write_text(story.read_text().replace("\n---\n", "\ncolour: rood\n---\n", 1))
    english = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    dutch = runner.invoke(args=["content", "check", "--dir", str(content_dir), "--lang", "nl"])
    assert english.exit_code == dutch.exit_code == 1
    assert "unknown field 'colour' in a story" in english.output
    line = next(line for line in dutch.output.splitlines() if story.name in line)
    assert "onbekend veld 'colour' in een verhaal; bekend zijn:" in line
    assert line.split(": ", 1)[0] in english.output  # the same file and line


def test_every_kind_of_check_speaks_dutch_when_asked(runner, tmp_path: Path) -> None:
    """Directory entries, opening hours, meetings, campaigns and partners.yaml too: no
    message stays English (each line's message differs from the English run's)."""
    content_dir = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content_dir)

    def spoil(relative: str, old: str, new: str) -> None:
        path = content_dir / relative
        text = path.read_text()
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1))

    spoil("services/geldpunt-heideveen.nl.md", "phone: 038 200 2100", "phone: 12")
    spoil("services/geldpunt-heideveen.nl.md", 'closes_at: "12:00"', 'closes_at: "08:00"')
    spoil("services/geldpunt-heideveen.nl.md", "postal_code: 9902 AB", "postal_code: 99")
    spoil("groups/na-vaartstad.nl.md", "types: [O, D, NL]", "types: [O, XX]")
    spoil("groups/na-vaartstad.nl.md", "byday: TH", "byday: DO")
    spoil("campaigns/heideveen-juni-2026.nl.md", "municipality: Heideveen", "municipality: Ergens")
    spoil("partners.yaml", "default: kompas", "default: niemand")
    english = runner.invoke(args=["content", "check", "--dir", str(content_dir)])
    dutch = runner.invoke(args=["content", "check", "--dir", str(content_dir), "--lang", "nl"])
    assert english.exit_code == dutch.exit_code == 1
    pairs = list(zip(english.output.splitlines(), dutch.output.splitlines(), strict=True))
    assert len(pairs) >= 7
    for in_english, in_dutch in pairs[:-1]:
        where, said = in_english.split(": ", 1)
        assert in_dutch.startswith(where + ": "), (in_english, in_dutch)
        assert in_dutch.split(": ", 1)[1] != said, in_english
    assert "fout(en)" in pairs[-1][1] and "error(s)" in pairs[-1][0]
