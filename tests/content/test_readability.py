"""The plain-language hint: Flesch–Douma reading ease and the long sentences of Dutch text."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_CONTENT
from uitweg.content.readability import TARGET, assess, assess_file, plain_text, syllables

OFFICIAL = (
    "De gemeentelijke schuldhulpverleningsorganisatie heeft in samenwerking met verschillende "
    "maatschappelijke partners een geïntegreerde aanpak ontwikkeld voor de ondersteuning van "
    "kwetsbare inwoners met problematische schulden en bijkomende psychosociale problematiek."
)
PLAIN = "Heb je schulden? Dat is niet erg. Wij helpen je. Bel ons of kom langs. Het is gratis."


@pytest.mark.parametrize(
    ("word", "count"),
    [("eten", 2), ("geëist", 3), ("mijn", 1), ("beroepen", 3), ("uitkering", 3), ("ik", 1)],
)
def test_syllables_are_groups_of_vowels(word: str, count: int) -> None:
    assert syllables(word) == count


def test_plain_words_score_high_and_official_language_low() -> None:
    plain, official = assess(PLAIN), assess(OFFICIAL)
    assert plain.score >= TARGET > official.score
    assert plain.band in {"easy", "very-easy", "fairly-easy"} and official.band == "very-hard"
    assert plain.long_sentences == () and official.long_sentences == (OFFICIAL,)


def test_markup_and_link_addresses_are_not_read_as_words() -> None:
    text = plain_text(
        "## Hulp\n\nLees [meer over schulden](https://example.org/lang/adres). **Echt.**"
    )
    assert "https" not in text and "example" not in text and "**" not in text
    assert "meer over schulden" in text


def test_too_short_a_text_gets_no_score_and_the_sample_stories_read_easily() -> None:
    assert assess("Kort.") is None
    for path in sorted((SAMPLE_CONTENT / "stories").glob("*.nl.md")):
        reading = assess_file(path.read_text())
        assert reading is not None and reading.score >= TARGET, (path.name, reading)


def test_a_long_sentence_in_the_summary_is_pointed_out_too() -> None:
    text = f"---\ntitle: Hulp\nsummary: {OFFICIAL}\n---\n\n{PLAIN}\n"
    found = assess_file(text)
    assert found is not None
    assert any("schuldhulpverleningsorganisatie" in s for s in found.long_sentences)
    body_only = assess_file(f"---\ntitle: Hulp\n---\n\n{PLAIN}\n")
    assert body_only is not None and body_only.long_sentences == ()
