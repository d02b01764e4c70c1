"""The editors' form for one item, built from the content schemas (content/editing.py): one
WTForms field per question, per language, with the answers site.yaml allows as choices."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..content import editing
from ..content.model import DEFAULT_LANGUAGE, Content
from ..forms import BaseForm
from .forms import NOTE_MAX

# A date as <input type="date"> sends it, or as a person types it where the browser has no
# date picker: 3-12-2025 or 3/12/2025 (day first, as in Dutch).
DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class DayField(StringField):
    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.day: dt.date | None = None
        typed = (self.data or "").strip()
        if not typed:
            return
        try:
            found = DAY_FIRST.match(typed)
            self.day = (
                dt.date(int(found[3]), int(found[2]), int(found[1]))
                if found
                else dt.date.fromisoformat(typed)
            )
        except ValueError:
            self.day = None

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.day is None:
            raise ValidationError(
                _l("Write the date as day, month and year, for example 3-12-2025.")
            )


class WholeNumberField(StringField):
    """A number, 0 or more; what was typed stays as it was typed, also when it is no number."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        typed = (self.data or "").strip().replace(".", "")  # 1.200 as a Dutch reader writes it
        self.number: int | None = int(typed) if typed.isdigit() and len(typed) < 10 else None

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.number is None:
            raise ValidationError(_l("Write a whole number, for example 420."))


def _field(question: editing.Question) -> Any:
    spec = question.input
    label = _l(spec.label)
    if spec.widget == "date":
        return DayField(label)
    if spec.widget == "number":
        return WholeNumberField(label)
    if spec.widget == "choice":
        return SelectField(label, choices=[], validate_choice=False)
    if spec.widget == "choices":
        return SelectMultipleField(label, choices=[], validate_choice=False)
    if spec.widget == "textarea":
        return TextAreaField(label, validators=[Length(max=spec.max_length)])
    return StringField(label, validators=[Length(max=spec.max_length)])


@dataclass
class Shown:
    """One question as the template shows it: its field and its hint in the editor's language."""

    question: editing.Question
    field: Field
    hint: str

    @property
    def radios(self) -> bool:
        """A few answers are radio buttons (all in view); more are a drop-down list."""
        return _as_radios(self.field.choices)


# GOV.UK: radios for a handful of answers, a select for long lists.
RADIOS_UP_TO = 8


def _as_radios(offered: Any) -> bool:
    return len([value for value, _label in offered if value]) <= RADIOS_UP_TO


def form_class(kind: str) -> type[BaseForm]:
    attrs: dict[str, Any] = {
        "note": StringField(
            _l("What did you change? (optional)"), validators=[Length(max=NOTE_MAX)]
        ),
        "base": IntegerField(widget=HiddenInput(), validators=[Optional()]),
    }
    for asked in editing.questions(kind).values():
        for question in asked:
            attrs[question.key] = _field(question)
            if question.input.widget == "image":
                attrs[f"{question.key}_src"] = StringField(widget=HiddenInput())
    return type(f"{kind.title()}Form", (BaseForm,), attrs)


def fill(form: BaseForm, kind: str, answers: dict[str, dict[str, Any]]) -> None:
    """Put what the files say into an unsent form."""
    for lang, asked in editing.questions(kind).items():
        for question in asked:
            value = answers.get(lang, {}).get(question.name)
            field = form[question.key]
            widget = question.input.widget
            if widget == "image":
                image = value if isinstance(value, dict) else {}
                field.data = str(image.get("alt") or "")
                form[f"{question.key}_src"].data = str(image.get("src") or "")
            elif widget == "date":
                day = editing.as_date(value)
                field.data = day.isoformat() if day else ("" if value is None else str(value))
            elif widget == "choices":
                field.data = [str(v) for v in value] if isinstance(value, list | tuple) else []
            elif widget == "number":
                field.data = "" if value is None else str(value)
            else:
                field.data = "" if value is None else str(value)


def set_choices(form: BaseForm, kind: str, loaded: Content | None, lang: str, slug: str) -> None:
    """The answers site.yaml (or the site) allows, in the editor's language; a value already in
    the file that is not among them stays offered, so nothing is dropped without a word."""
    for asked in editing.questions(kind).values():
        for question in asked:
            if question.input.widget not in ("choice", "choices"):
                continue
            field = form[question.key]
            offered = editing.options(question.input.options, loaded, lang, slug)
            known = {value for value, _ in offered}
            current = field.data if isinstance(field.data, list) else [field.data]
            offered += [(v, v) for v in current if v and v not in known]
            if question.input.widget == "choice" and not question.required:
                offered = [("", gettext("(none)")), *offered]
            elif question.input.widget == "choice" and not _as_radios(offered):
                offered = [("", gettext("Choose…")), *offered]  # a list picks its first by itself
            field.choices = offered


def answers_from(form: BaseForm, kind: str) -> dict[str, dict[str, Any]]:
    """The sent form as field values per language, ready for editing.compose."""
    found: dict[str, dict[str, Any]] = {}
    for lang, asked in editing.questions(kind).items():
        found[lang] = {}
        for question in asked:
            field = form[question.key]
            widget = question.input.widget
            value: Any = field.data
            if widget == "date":
                value = field.day
            elif widget == "number":
                value = field.number
            elif widget == "choices":
                value = [v for v in (field.data or []) if v]
            elif widget == "image":
                src = (form[f"{question.key}_src"].data or "").strip()
                value = {"src": src, "alt": (field.data or "").strip()} if src else None
            elif isinstance(value, str):
                value = value.strip()
            found[lang][question.name] = value
    return found


def shown(form: BaseForm, kind: str) -> dict[str, list[Shown]]:
    """Per language, the questions that apply, in order, with their hints."""
    sections = {}
    for lang, asked in editing.questions(kind).items():
        sections[lang] = [
            Shown(
                question,
                form[question.key],
                gettext(question.input.hint) if question.input.hint else "",
            )
            for question in asked
            if _applies(form, question)
        ]
    return sections


def _applies(form: BaseForm, question: editing.Question) -> bool:
    """A photo's text is asked only when there is a photo."""
    if question.input.widget == "image":
        return bool(form[f"{question.key}_src"].data)
    if question.input.only_with:
        needed = f"{DEFAULT_LANGUAGE}_{question.input.only_with}"
        if question.input.only_with == "image":
            needed += "_src"
        return needed in form and bool(form[needed].data)
    return True
