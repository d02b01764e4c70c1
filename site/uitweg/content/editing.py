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

from ..vocabulary import (
    ASKING,
    ASKING_LABELS,
    AUDIENCE_LABELS,
    AUDIENCES,
    DAY_LABELS,
    FELLOWSHIP_LABELS,
    FELLOWSHIPS,
    KIND_LABELS,
    KINDS,
    MEETING_TYPE_LABELS,
    MEETING_TYPES,
    NATIONAL_LABEL,
    REPEAT_LABELS,
    REPEATS,
    TOPIC_LABELS,
    TOPICS,
    WAY_LABELS,
    WAYS,
    language_name,
)
from .frontmatter import parse_document
from .hours import BYDAY_RE as ORDINAL_DAY
from .hours import DAY_CODES
from .loader import SCHEMAS
from .model import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, Content
from .problems import N_, Problem
from .schema import MISSING, Field, Input

# The kinds edited field by field (all that editors own); an item whose file the form cannot
# show as it is (see Unrepresentable) is edited as its file text.
FORM_KINDS = ("stories", "pages", "services", "groups", "campaigns", "selftests")
BODY = "body"
BODY_INPUT = Input(
    "textarea",
    N_("Text"),
    N_("The text of the page. The help beside it shows how to make headings, lists and links."),
    max_length=30_000,
)


# Languages a service or meeting is offered in, as the form offers them (a file may name others).
SPOKEN = ("nl", "en", "ar", "tr", "pl", "de", "fr", "es", "uk", "ru", "so", "ti", "fa", "pap")
VOCABULARIES: dict[str, tuple[tuple[str, ...], Mapping[str, Any]]] = {
    "kinds": (KINDS, KIND_LABELS),
    "ways": (WAYS, WAY_LABELS),
    "asking": (ASKING, ASKING_LABELS),
    "callback_topics": (TOPICS, TOPIC_LABELS),
    "audiences": (AUDIENCES, AUDIENCE_LABELS),
    "fellowships": (FELLOWSHIPS, FELLOWSHIP_LABELS),
    "meeting_types": (MEETING_TYPES, MEETING_TYPE_LABELS),
    "repeats": (REPEATS, REPEAT_LABELS),
    "days": (DAY_CODES, {code: DAY_LABELS[code.lower()] for code in DAY_CODES}),
}


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
        for question in questions(kind)[lang]:
            if question.name in doc.fields:
                try:
                    found[lang][question.name] = to_answer(
                        question.input, doc.fields[question.name]
                    )
                except Unrepresentable:
                    return None
    return found


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == ()


def compose(kind: str, lang: str, base: str | None, answers: Mapping[str, Any]) -> str | None:
    """The file text for one language: `base` (the file as it was, if any) with the form's
    answers in place. None when a translation has no answer at all (no file for it)."""
    schema = schema_for(kind, lang)
    asked = {q.name for q in questions(kind)[lang]}
    if lang != DEFAULT_LANGUAGE and all(
        is_empty(answers.get(name)) or answers.get(name) is False for name in asked
    ):
        return None
    kept: dict[str, Any] = {}
    if base:
        doc = parse_document(Path(f"item.{lang}.md"), [], base)
        kept = dict(doc.fields) if doc else {}
    for question in questions(kind)[lang]:
        if question.name == BODY:
            continue
        had = question.name in kept
        before = kept.pop(question.name, None)
        value = from_answer(question.input, answers.get(question.name), before)
        if value is False and not had and not question.required:
            continue  # an unticked box that the file never had: the default says the same
        if not is_empty(value):
            kept[question.name] = value
    ordered = [name for name in schema if name in kept] + [n for n in kept if n not in schema]
    return front_matter({name: kept[name] for name in ordered}, str(answers.get(BODY) or ""))


def front_matter(fields: Mapping[str, Any], body: str) -> str:
    """A content file: `fields` as front matter, one line each as the sample files write them
    (in the order given), then the body."""
    lines = "".join(_field_line(name, value) for name, value in fields.items())
    body = body.replace("\r\n", "\n").strip("\n")
    return f"---\n{lines}---\n\n{body}\n"


def _field_line(name: str, value: Any) -> str:
    """One field as YAML on one line, lists and the image as `[a, b]` and `{src: .., alt: ..}`,
    as the sample files write them."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = "".join(f"  - {_flow(row)}\n" for row in value)
        return f"{name}:\n{rows}"
    if isinstance(value, str):
        value = " ".join(value.split())  # a line break typed into a one-line answer
    return f"{name}: {_flow(value)}\n"


def _flow(value: Any) -> str:
    dumped = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10**6
    )
    return dumped.removesuffix("...\n").strip()  # a lone scalar ends its "document"


class Unrepresentable(ValueError):
    """A value the form cannot show without changing it (a schedule with valid_to, a row
    with a field the form does not ask): the item is edited as its file text instead."""


NATIONAL = "national"
TIMING_KEYS = ("byday", "freq", "interval", "dtstart")


def timing_answers(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's byday/freq/interval/dtstart as days, how often and the first date."""
    byday = row.get("byday")
    codes = byday if isinstance(byday, list) else [byday] if byday is not None else []
    if not all(isinstance(c, str) for c in codes):
        raise Unrepresentable
    found = [ORDINAL_DAY.match(c) for c in codes]
    if not all(found):
        raise Unrepresentable
    ordinals = {m["ordinal"] or "" for m in found if m}
    days = [m["day"] for m in found if m]
    freq = str(row.get("freq", "WEEKLY")).upper()
    interval, start = row.get("interval", 1), row.get("dtstart")
    if freq == "WEEKLY" and ordinals <= {""} and interval == 1 and start is None:
        repeat = "weekly"
    elif freq == "WEEKLY" and ordinals <= {""} and interval == 2 and isinstance(start, dt.date):
        repeat = "fortnightly"
    elif freq == "MONTHLY" and len(ordinals) == 1 and interval == 1 and start is None:
        repeat = f"month-{ordinals.pop().lstrip('+') or '1'}"
        if repeat not in REPEATS:
            raise Unrepresentable
    else:
        raise Unrepresentable
    return {"days": days, "repeat": repeat, "starting": start if repeat == "fortnightly" else None}


def timing_row(answers: Mapping[str, Any]) -> dict[str, Any]:
    days = list(answers.get("days") or [])
    repeat = answers.get("repeat") or "weekly"
    if repeat == "fortnightly":
        return {"byday": days, "freq": "WEEKLY", "interval": 2, "dtstart": answers.get("starting")}
    if repeat.startswith("month-"):
        ordinal = repeat.removeprefix("month-")
        return {"byday": [f"{ordinal}{day}" for day in days], "freq": "MONTHLY"}
    return {"byday": days}


def to_answer(spec: Input, value: Any) -> Any:
    """A field's value in a file as the form's answer; Unrepresentable when it has none."""
    if spec.widget == "rows":
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise Unrepresentable
        return [_row_answers(spec, row) for row in value]
    if spec.widget == "address":
        names = {name for name, _ in spec.parts}
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) - names:
            raise Unrepresentable
        return {name: "" if value.get(name) is None else str(value.get(name)) for name in names}
    if spec.widget in ("choices", "days"):
        if spec.options == "area" and value == NATIONAL:
            return [NATIONAL]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise Unrepresentable
        return list(value)
    if spec.widget == "dates":
        if not isinstance(value, list) or not all(isinstance(d, dt.date) for d in value):
            raise Unrepresentable
        return list(value)
    if spec.widget == "checkbox":
        if not isinstance(value, bool):
            raise Unrepresentable
        return value
    if spec.widget == "time" and not isinstance(value, str):
        raise Unrepresentable  # 9:30 unquoted reads as a number of minutes in YAML
    return value


def _row_answers(spec: Input, row: Mapping[str, Any]) -> dict[str, Any]:
    names = {name for name, _ in spec.parts}
    timed = "days" in names
    if set(row) - names - (set(TIMING_KEYS) if timed else set()):
        raise Unrepresentable
    found = timing_answers(row) if timed else {}
    for name, part in spec.parts:
        if name in row:
            found[name] = to_answer(part, row[name])
    return found


def from_answer(spec: Input, answer: Any, before: Any = None) -> Any:
    """The form's answer as the value to write; `before` is what the file held, whose way of
    writing is kept where the meaning did not change."""
    if spec.widget == "rows":
        old_rows = before if isinstance(before, list) else []
        rows = []
        for index, row in enumerate(answer or []):
            old = old_rows[index] if index < len(old_rows) else None
            written = _row_value(spec, row, old if isinstance(old, dict) else None)
            if written:
                rows.append(written)
        return rows
    if spec.widget == "address":
        if not answer or not any(str(v or "").strip() for v in answer.values()):
            return None
        return {name: str(answer.get(name) or "").strip() for name, _ in spec.parts}
    if spec.widget in ("choices", "days"):
        chosen = [v for v in (answer or []) if v]
        if spec.options == "area" and NATIONAL in chosen:
            return NATIONAL
        if isinstance(before, list):
            # Checkboxes come in a fixed order; what was chosen keeps its own order.
            chosen = [v for v in before if v in chosen] + [v for v in chosen if v not in before]
        return chosen
    return answer


def _row_value(spec: Input, answers: Mapping[str, Any], before: dict | None) -> dict:
    names = [name for name, _ in spec.parts]
    row: dict[str, Any] = {}
    if "days" in names and answers.get("days"):
        timing = timing_row(answers)
        try:
            unchanged = before is not None and timing_answers(before) == timing_answers(timing)
        except Unrepresentable:
            unchanged = False
        if unchanged and before is not None:
            timing = {key: before[key] for key in TIMING_KEYS if key in before}
        row.update(timing)
    for name, part in spec.parts:
        if name in ("days", "repeat", "starting"):
            continue
        old = before.get(name) if before else None
        value = from_answer(part, answers.get(name), old)
        if part.widget == "checkbox" and value is False:
            continue
        if not is_empty(value):
            row[name] = value
    return row


def same_meaning(
    kind: str, files: Mapping[str, str], answers: Mapping[str, Mapping[str, Any]]
) -> bool:
    """Whether writing `answers` over `files` would leave every field and text as it was: the
    form may only be used where it can show an item as it is."""
    for lang in SUPPORTED_LANGUAGES:
        written = compose(kind, lang, files.get(lang), answers.get(lang, {}))
        if (written is None) != (lang not in files):
            return False
        if written is None:
            continue
        before = parse_document(Path(f"item.{lang}.md"), [], files[lang])
        after = parse_document(Path(f"item.{lang}.md"), [], written)
        if before is None or after is None or before.fields != after.fields:
            return False
        if before.body.strip("\n") != after.body.strip("\n"):
            return False
    return True


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
    if source in ("themes", "substances", "topics"):
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
    if source in VOCABULARIES:
        codes, labels = VOCABULARIES[source]
        return [(code, str(labels.get(code, code))) for code in codes]
    if source == "area":
        return [(NATIONAL, str(NATIONAL_LABEL))] + [(m, m) for m in site.municipalities]
    if source == "languages":
        return [(code, language_name(code, lang)) for code in SPOKEN]
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
