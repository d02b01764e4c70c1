"""A plain-language hint for Dutch text: the Flesch–Douma reading ease and the longest
sentences. A hint for editors, never a reason to refuse a text.

Flesch–Douma (Douma 1960) is Flesch's formula with Dutch weights:
206.835 − 0.93 × (words per sentence) − 77 × (syllables per word). Syllables are counted as
groups of vowels, which is how Dutch spelling marks them (a diaeresis starts a new one:
"geëist" has three); that needs no dictionary and is close enough for a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 60 or more reads as "normal" Dutch; B1 texts usually score there or higher.
TARGET = 60
LONG_SENTENCE = 20  # words
# Upper bounds of Douma's bands and a code for each (the editors' area words them).
BANDS = (
    (30, "very-hard"),
    (50, "hard"),
    (60, "fairly-hard"),
    (70, "normal"),
    (80, "fairly-easy"),
    (90, "easy"),
    (1000, "very-easy"),
)

_VOWEL_GROUP = re.compile(r"[aeiouyáéíóúàèìòùâêîôû]+|[äëïöü]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)")


@dataclass(frozen=True)
class Readability:
    score: int
    band: str
    words: int
    sentences: int
    long_sentences: tuple[str, ...]  # the longest ones over LONG_SENTENCE words, longest first


def syllables(word: str) -> int:
    return max(1, len(_VOWEL_GROUP.findall(word)))


def plain_text(markdown: str) -> str:
    """The words a reader reads: no markup, no link addresses, headings and list items as
    sentences of their own."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>|https?://\S+", " ", text)
    text = re.sub(r"(?m)^\s{0,3}#+\s*(.*)$", r"\1.\n", text)
    text = re.sub(r"[*_`>|]", "", text)
    return text


def assess(markdown: str) -> Readability | None:
    """The reading ease of a Dutch markdown text; None when it has too few words to say."""
    sentences = [s.strip(" -*+\n\t") for s in _SENTENCE_END.split(plain_text(markdown))]
    counted = [(s, _WORD.findall(s)) for s in sentences]
    counted = [(s, words) for s, words in counted if words]
    words = [w for _, ws in counted for w in ws]
    if len(words) < 10:
        return None
    per_sentence = len(words) / len(counted)
    per_word = sum(syllables(w) for w in words) / len(words)
    # Shown on Douma's scale of 0 to 100; the formula itself can leave it.
    score = max(0, min(100, round(206.835 - 0.93 * per_sentence - 77 * per_word)))
    band = next(code for upper, code in BANDS if score < upper)
    long = sorted(
        (s for s, ws in counted if len(ws) > LONG_SENTENCE), key=lambda s: -len(_WORD.findall(s))
    )
    return Readability(score, band, len(words), len(counted), tuple(long[:5]))


def assess_file(text: str) -> Readability | None:
    """The reading ease of a content file's summary and its text below the fields."""
    from pathlib import Path

    from .frontmatter import parse_document

    doc = parse_document(Path("text.nl.md"), [], text)
    if doc is None:
        return None
    # The summary is read first, in every list and search result: it counts as a paragraph.
    summary = doc.fields.get("summary")
    if isinstance(summary, str) and summary.strip():
        ending = "" if summary.rstrip()[-1:] in ".!?" else "."
        return assess(f"{summary.strip()}{ending}\n\n{doc.body}")
    return assess(doc.body)
