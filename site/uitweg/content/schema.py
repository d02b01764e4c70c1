"""Front matter schemas: which fields a content file has, and what each must hold.

A small declarative schema rather than JSON Schema, because every message must name the line
of the field and say in plain words how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .frontmatter import Document
from .problems import N_, Problem, Said, problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

Check = Callable[[Any], tuple[Any, str | None]]


@dataclass(frozen=True)
class Input:
    """How the editors' area asks for a field: the form is built from the schema the loader
    checks with, so the two cannot drift apart (content/editing.py, editor/fieldforms.py).

    `widget` is one of WIDGETS; `label` and `hint` are English templates marked with N_;
    `options` names where the answers come from (see editing.options)."""

    widget: str
    label: str
    hint: str = ""
    options: str = ""
    max_length: int = 300
    # Asked only when the Dutch file has this field (a photo's text in English: only with a photo).
    only_with: str = ""
    # The parts of each row ("rows") or of a group of fields ("address"), as (name, Input).
    parts: tuple[tuple[str, Input], ...] = ()


WIDGETS = (
    "text",
    "textarea",
    "date",
    "dates",  # several dates in one line: 24-12-2026, 31-12-2026
    "time",
    "number",
    "checkbox",
    "choice",
    "choices",
    "days",  # weekdays, as checkboxes
    "image",
    "address",
    "rows",  # a list you add to and remove from: opening hours, meetings
)


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False
    default: Any = None
    # None: not asked in the editors' form; a value already in the file is kept as it is.
    form: Input | None = None


def text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = str(value).strip()
        if value:
            return value, None
    return None, N_("must be text and cannot be empty")


def date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    return None, N_("must be a date written as YYYY-MM-DD, for example 2025-03-01")


def boolean(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, N_("must be true or false")


def positive_int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, None
    return None, N_("must be a whole number, 0 or more")


def slug_list(value: Any) -> tuple[Any, str | None]:
    items = value if isinstance(value, list) else None
    if items is None or not all(isinstance(i, str) and SLUG_RE.match(i) for i in items):
        return None, N_("must be a list of codes in lower case, for example [cannabis, cocaine]")
    return tuple(items), None


def text_list(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or not value:
        return None, N_("must be a list with at least one item")
    cleaned = [text(item)[0] for item in value]
    if any(item is None for item in cleaned):
        return None, N_("every item must be text")
    return tuple(cleaned), None


def choice(*options: str) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, str) and value in options:
            return value, None
        return None, Said(N_("must be one of: {known}"), known=", ".join(options))

    return check


def image(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, dict) or set(value) - {"src", "alt"}:
        return None, N_("must have the fields 'src' (a file in content/media/) and 'alt'")
    src, alt = value.get("src"), value.get("alt")
    if not isinstance(src, str) or not src.strip():
        return None, N_("needs 'src': the name of a file in content/media/")
    if not isinstance(alt, str) or not alt.strip():
        return None, N_(
            "needs 'alt': a short text that says what the image shows, for people who cannot see it"
        )
    problem = alt_text_problem(alt, src)
    if problem:
        return None, problem
    return {"src": src.strip(), "alt": alt.strip()}, None


# Words that say an image is there without saying what it shows.
EMPTY_ALT_WORDS = {"afbeelding", "foto", "plaatje", "image", "picture", "photo", "img"}


def alt_text_problem(alt: str, src: str = "") -> str | None:
    """Why `alt` does not tell someone who cannot see the image what it shows, or None."""
    cleaned = alt.strip()
    stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    if re.search(r"\.(jpe?g|png|webp|gif|svg)$", cleaned, re.I) or (
        stem and cleaned.lower() in {stem, src.lower()}
    ):
        return N_("'alt' is a file name: describe what the image shows instead")
    if cleaned.lower().strip(".: ") in EMPTY_ALT_WORDS or len(cleaned) < 5:
        return N_(
            "'alt' must say what the image shows, in a few words (for example 'Sanne op de fiets')"
        )
    return None


def translated_text(languages: tuple[str, ...]) -> Check:
    """A text per language, e.g. {nl: ..., en: ...}; Dutch (the first language) is required."""

    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, str) and value.strip():
            return dict.fromkeys(languages, value.strip()), None
        if isinstance(value, dict) and set(value) <= set(languages):
            cleaned = {k: text(v)[0] for k, v in value.items()}
            if cleaned.get(languages[0]) and all(cleaned.values()):
                default = cleaned[languages[0]]
                return {lang: cleaned.get(lang) or default for lang in languages}, None
        return None, Said(
            N_("must be text, or a text per language ({known}) with at least '{first}'"),
            known=", ".join(languages),
            first=languages[0],
        )

    return check


class Reporter:
    """A check over checked front matter (campaigns, services and groups, self-tests) that
    reports each problem at the line of the field, or part of one, it concerns."""

    def __init__(self, site: Any, problems: list[Problem]) -> None:
        self.site = site
        self.problems = problems

    def error(self, doc: Document, at: str, template: str, **params: Any) -> None:
        """A problem at the line of `at` ("hours.0.opens_at"); `template` is marked with N_."""
        self.problems.append(problem(doc.path, doc.line(at), template, **params))


MISSING = N_("missing field '{name}' in {what}")


def validate(
    doc: Document,
    schema: Mapping[str, Field],
    problems: list[Problem],
    what: str,
    reported: Collection[str] = (),
) -> dict[str, Any]:
    """Check `doc.fields` against `schema`; returns cleaned values (invalid ones left out).
    Fields in `reported` already have a message of their own."""
    cleaned: dict[str, Any] = {}
    for name in doc.fields:
        if name not in schema and name not in reported:
            known = ", ".join(sorted(schema))
            template = N_("unknown field '{name}' in {what}; known: {known}")
            problems.append(
                problem(doc.path, doc.line(name), template, name=name, what=what, known=known)
            )
    for name, spec in schema.items():
        if name not in doc.fields or doc.fields[name] is None:
            if name in doc.lines and name not in doc.fields:
                continue  # written, but unreadable: already reported on its own line
            if spec.required:
                line = doc.line(name)  # an empty field has a line; a missing one points at the top
                problems.append(problem(doc.path, line, MISSING, name=name, what=what))
            else:
                cleaned[name] = spec.default
            continue
        value, error = spec.check(doc.fields[name])
        if error:
            template = N_("field '{name}' {error}")
            problems.append(problem(doc.path, doc.line(name), template, name=name, error=error))
        else:
            cleaned[name] = value
    return cleaned
