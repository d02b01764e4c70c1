"""An item's files as answers to questions, and answers back into files: what the editors'
form asks is read off the schemas the loader checks with (loader.SCHEMAS, schema.Input), so a
field the loader knows is a field the form can ask, in the same words everywhere.

A file written from answers keeps every field the form does not ask (`draft`, `publish`, a
field only the file text can hold) as it was, and is in exactly the format of content/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import parse_document
from .loader import SCHEMAS
from .model import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, Content
from .problems import N_, Problem
from .schema import MISSING, Field, Input

# The kinds whose fields are all flat (text, dates, choices). Services and groups have repeated
# parts (opening hours, meetings) and are edited as file text for now.
FORM_KINDS = ("stories", "pages", "campaigns")
BODY = "body"
BODY_INPUT = Input(
    "textarea",
    N_("Text"),
    N_("The text of the page. The help beside it shows how to make headings, lists and links."),
    max_length=30_000,
)


@dataclass(frozen=True)
class Question:
    lang: str
    name: str  # a front-matter field, or BODY
    input: Input
    required: bool

    @property
    def key(self) -> str:
        """The form field's name: `nl_title`, `en_body`."""
        return f"{self.lang}_{self.name}"


def schema_for(kind: str, lang: str) -> Mapping[str, Field]:
    primary, translation = SCHEMAS[kind]
    return primary if lang == DEFAULT_LANGUAGE else translation


def questions(kind: str) -> dict[str, list[Question]]:
    """Per language, what the form asks, in the schema's order, the text last."""
    asked = {}
    for lang in SUPPORTED_LANGUAGES:
        schema = schema_for(kind, lang)
        asked[lang] = [
            Question(lang, name, spec.form, spec.required and lang == DEFAULT_LANGUAGE)
            for name, spec in schema.items()
            if spec.form is not None
        ] + [Question(lang, BODY, BODY_INPUT, lang == DEFAULT_LANGUAGE)]
    return asked


def answers_in(kind: str, files: Mapping[str, str]) -> dict[str, dict[str, Any]] | None:
    """What the files say, per language and field (the text as BODY); None when a file cannot
    be read as front matter and text, so only its file text can be edited."""
    found: dict[str, dict[str, Any]] = {}
    for lang in SUPPORTED_LANGUAGES:
        text = files.get(lang)
        if text is None:
            found[lang] = {}
            continue
        doc = parse_document(Path(f"item.{lang}.md"), [], text)
        if doc is None:
            return None
        found[lang] = {**doc.fields, BODY: doc.body.strip("\n")}
    return found


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == ()


def compose(kind: str, lang: str, base: str | None, answers: Mapping[str, Any]) -> str | None:
    """The file text for one language: `base` (the file as it was, if any) with the form's
    answers in place. None when a translation has no answer at all (no file for it)."""
    schema = schema_for(kind, lang)
    asked = {q.name for q in questions(kind)[lang]}
    if lang != DEFAULT_LANGUAGE and all(is_empty(answers.get(name)) for name in asked):
        return None
    kept: dict[str, Any] = {}
    if base:
        doc = parse_document(Path(f"item.{lang}.md"), [], base)
        kept = dict(doc.fields) if doc else {}
    for name in asked - {BODY}:
        before = kept.pop(name, None)
        value = answers.get(name)
        if isinstance(value, list) and isinstance(before, list):
            # Checkboxes come in site.yaml's order; what was chosen keeps its own order.
            value = [v for v in before if v in value] + [v for v in value if v not in before]
        if not is_empty(value):
            kept[name] = value
    ordered = [name for name in schema if name in kept] + [n for n in kept if n not in schema]
    lines = "".join(_field_line(name, kept[name]) for name in ordered)
    body = str(answers.get(BODY) or "").replace("\r\n", "\n").strip("\n")
    return f"---\n{lines}---\n\n{body}\n"


def _field_line(name: str, value: Any) -> str:
    """One field as YAML on one line, lists and the image as `[a, b]` and `{src: .., alt: ..}`,
    as the sample files write them."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, str):
        value = " ".join(value.split())  # a line break typed into a one-line answer
    dumped = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10**6
    )
    dumped = dumped.removesuffix("...\n").strip()  # a lone scalar ends its "document"
    return f"{name}: {dumped}\n"


def field_at(text: str, line: int) -> str | None:
    """The field (or BODY) that a check's line number points at in a file's text."""
    doc = parse_document(Path("item.md"), [], text)
    if doc is None:
        return None
    if line >= doc.body_line:
        return BODY
    for name, at in doc.lines.items():
        if at == line:
            return name.split(".", 1)[0]
    return None


def place_problems(
    kind: str, files: Mapping[str, str], problems: Iterable[Problem]
) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Each problem with the form field it concerns (`nl_themes`): the field it names, or the
    one on its line; the rest concern the item as a whole."""
    asked = {lang: {q.name for q in found} for lang, found in questions(kind).items()}
    placed: dict[str, list[Problem]] = {}
    general = []
    for found in problems:
        lang = found.path.name.split(".")[-2] if found.path.name.count(".") >= 2 else ""
        name = dict(found.params).get("name")
        if lang not in files or name not in asked.get(lang, ()):
            name = field_at(files[lang], found.line) if lang in files else None
        if name is None or name not in asked.get(lang, ()):
            general.append(found)
        else:
            placed.setdefault(f"{lang}_{name}", []).append(found)
    return placed, general


def is_missing(found: Problem) -> bool:
    """A required field left empty: beside the field, "fill this in" says it best."""
    return found.template == MISSING


def options(source: str, content: Content | None, lang: str, slug: str) -> list[tuple[str, str]]:
    """The answers a choice offers, as (value, words in `lang`)."""
    if content is None:
        return []
    site = content.site
    if source in ("themes", "substances"):
        vocabulary = getattr(site, source)
        return [
            (code, names.get(lang) or names[DEFAULT_LANGUAGE]) for code, names in vocabulary.items()
        ]
    if source == "age_bands":
        return [(band, band) for band in site.age_bands]
    if source == "municipalities":
        return [(name, name) for name in site.municipalities]
    if source == "pages":
        pages = [
            (other, (versions.get(lang) or versions[DEFAULT_LANGUAGE]).title)
            for other, versions in content.pages.items()
            if other != slug
        ]
        return sorted(pages, key=lambda page: page[1].casefold())
    if source == "partners" and content.routing is not None:
        return [
            (code, partner.name.get(lang) or partner.name[DEFAULT_LANGUAGE])
            for code, partner in content.routing.partners.items()
        ]
    return []


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
