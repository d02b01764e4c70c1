"""The editors' form for one item, built from the content schemas (content/editing.py): one
WTForms field per question, per language, with the answers site.yaml allows as choices.

Repeated parts (opening hours, meetings) are a FieldList of small forms; rows are added and
removed with buttons that send the whole form back, so it works without JavaScript and keeps
everything typed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
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
from ..content.schema import Input
from ..forms import BaseForm, strip
from .forms import NOTE_MAX

# A date as <input type="date"> sends it, or as a person types it where the browser has no
# date picker: 3-12-2025 or 3/12/2025 (day first, as in Dutch).
DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
# More rows than any real timetable has: a form sent with thousands is refused, not stored.
MAX_ROWS = 40


def read_day(typed: str) -> dt.date | None:
    typed = typed.strip()
    try:
        found = DAY_FIRST.match(typed)
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        return dt.date.fromisoformat(typed)
    except ValueError:
        return None


class DayField(StringField):
    """A date; what was typed stays as it was typed, also when it is no date."""

    @property
    def day(self) -> dt.date | None:
        return read_day(self.data or "") if (self.data or "").strip() else None

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.day is None:
            raise ValidationError(
                _l("Write the date as day, month and year, for example 3-12-2025.")
            )


class DaysField(StringField):
    """Several dates on one line: 24-12-2026, 31-12-2026."""

    @property
    def days(self) -> list[dt.date | None]:
        return [read_day(part) for part in re.split(r"[,;\s]+", self.data or "") if part]

    def pre_validate(self, form: Any) -> None:
        if any(day is None for day in self.days):
            raise ValidationError(
                _l("Write each date as day, month and year, for example 24-12-2026.")
            )


class TimeField(StringField):
    """HH:MM, as <input type="time"> sends it (9.30 and 9:30 are read too)."""

    @property
    def time(self) -> str | None:
        found = TIME.match((self.data or "").strip())
        if not found or int(found[1]) > 24 or int(found[2]) > 59:
            return None
        return f"{int(found[1]):02d}:{found[2]}"

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.time is None:
            raise ValidationError(_l("Write the time as hours and minutes, for example 09:30."))


class WholeNumberField(StringField):
    """A number, 0 or more; what was typed stays as it was typed, also when it is no number."""

    @property
    def number(self) -> int | None:
        typed = (self.data or "").strip().replace(".", "")  # 1.200 as a Dutch reader writes it
        return int(typed) if typed.isdigit() and len(typed) < 10 else None

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.number is None:
            raise ValidationError(_l("Write a whole number, for example 420."))


class PartForm(Form):
    """A row or an address: no token of its own (the whole form has one), text stripped."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if not issubclass(unbound_field.field_class, FieldList | FormField):
                options["filters"] = (strip, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)


class RowsField(FieldList):
    def pre_validate(self, form: Any) -> None:
        if len(self.entries) > MAX_ROWS:
            raise ValidationError(_l("That is too many rows. Save fewer at a time."))


def _unbound(spec: Input) -> Any:
    label = _l(spec.label)
    if spec.widget == "date":
        return DayField(label)
    if spec.widget == "dates":
        return DaysField(label, validators=[Length(max=2000)])
    if spec.widget == "time":
        return TimeField(label)
    if spec.widget == "number":
        return WholeNumberField(label)
    if spec.widget == "checkbox":
        return BooleanField(label)
    if spec.widget == "choice":
        return SelectField(label, choices=[], validate_choice=False)
    if spec.widget in ("choices", "days"):
        return SelectMultipleField(label, choices=[], validate_choice=False)
    if spec.widget == "textarea":
        return TextAreaField(label, validators=[Length(max=spec.max_length)])
    if spec.widget == "address":
        return FormField(_part_form(spec), label)
    if spec.widget == "rows":
        return RowsField(FormField(_part_form(spec)), label, min_entries=0, max_entries=None)
    return StringField(label, validators=[Length(max=spec.max_length)])


def _part_form(spec: Input) -> type[Form]:
    return type("PartsForm", (PartForm,), {name: _unbound(part) for name, part in spec.parts})


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
            attrs[question.key] = _unbound(question.input)
            if question.input.widget == "image":
                attrs[f"{question.key}_src"] = StringField(widget=HiddenInput())
    return type(f"{kind.title()}Form", (BaseForm,), attrs)


def _put(field: Any, spec: Input, value: Any) -> None:
    """Show an answer (content/editing.py to_answer) in a field."""
    widget = spec.widget
    if widget == "rows":
        while field.entries:
            field.pop_entry()
        for row in value or []:
            add_row(field, spec, row)
    elif widget == "address":
        for name, part in spec.parts:
            _put(field.form[name], part, (value or {}).get(name))
    elif widget == "date":
        day = editing.as_date(value)
        field.data = day.isoformat() if day else ("" if value is None else str(value))
    elif widget == "dates":
        field.data = ", ".join(f"{d.day}-{d.month}-{d.year}" for d in value or [])
    elif widget in ("choices", "days"):
        field.data = [str(v) for v in value] if isinstance(value, list | tuple) else []
    elif widget == "checkbox":
        field.data = bool(value)
    else:
        field.data = "" if value is None else str(value)


def _take(field: Any, spec: Input) -> Any:
    """A field's answer, as content/editing.py from_answer reads it."""
    widget = spec.widget
    if widget == "rows":
        return [
            {name: _take(entry.form[name], part) for name, part in spec.parts}
            for entry in field.entries
        ]
    if widget == "address":
        return {name: _take(field.form[name], part) for name, part in spec.parts}
    if widget == "date":
        return field.day
    if widget == "dates":
        return [day for day in field.days if day is not None]
    if widget == "time":
        return field.time
    if widget == "number":
        return field.number
    if widget in ("choices", "days"):
        return [v for v in (field.data or []) if v]
    if widget == "checkbox":
        return bool(field.data)
    return field.data.strip() if isinstance(field.data, str) else field.data


def add_row(field: Any, spec: Input, answers: dict[str, Any] | None = None) -> None:
    entry = field.append_entry()
    answers = answers if answers is not None else {"repeat": "weekly"}  # a new row: every week
    for name, part in spec.parts:
        _put(entry.form[name], part, answers.get(name))


def fill(form: BaseForm, kind: str, answers: dict[str, dict[str, Any]]) -> None:
    """Put what the files say into an unsent form."""
    for lang, asked in editing.questions(kind).items():
        for question in asked:
            value = answers.get(lang, {}).get(question.name)
            if question.input.widget == "image":
                image = value if isinstance(value, dict) else {}
                form[question.key].data = str(image.get("alt") or "")
                form[f"{question.key}_src"].data = str(image.get("src") or "")
            else:
                _put(form[question.key], question.input, value)


def answers_from(form: BaseForm, kind: str) -> dict[str, dict[str, Any]]:
    """The sent form as answers per language, ready for editing.compose."""
    found: dict[str, dict[str, Any]] = {}
    for lang, asked in editing.questions(kind).items():
        found[lang] = {}
        for question in asked:
            if question.input.widget == "image":
                src = (form[f"{question.key}_src"].data or "").strip()
                alt = (form[question.key].data or "").strip()
                found[lang][question.name] = {"src": src, "alt": alt} if src else None
            else:
                found[lang][question.name] = _take(form[question.key], question.input)
    return found


def change_rows(form: BaseForm, kind: str, action: str) -> bool:
    """A row button: "add:nl_hours" or "remove:nl_hours:2". False when it names nothing."""
    parts = action.split(":")
    questions = {q.key: q for asked in editing.questions(kind).values() for q in asked}
    question = questions.get(parts[1]) if len(parts) > 1 else None
    if question is None or question.input.widget != "rows":
        return False
    field = form[question.key]
    if parts[0] == "add" and len(parts) == 2 and len(field.entries) < MAX_ROWS:
        add_row(field, question.input)
        return True
    if parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if index < len(field.entries):
            field.entries.pop(index)
            return True
    return False


def set_choices(form: BaseForm, kind: str, loaded: Content | None, lang: str, slug: str) -> None:
    """The answers site.yaml (or the site) allows, in the editor's language; a value already in
    the file that is not among them stays offered, so nothing is dropped without a word."""
    for asked in editing.questions(kind).values():
        for question in asked:
            _choose(form[question.key], question.input, question.required, loaded, lang, slug)


def _choose(field, spec: Input, required: bool, loaded, lang: str, slug: str) -> None:
    if spec.widget == "rows":
        for entry in field.entries:
            for name, part in spec.parts:
                required = name in ("days", "repeat")
                _choose(entry.form[name], part, required, loaded, lang, slug)
        return
    if spec.widget not in ("choice", "choices", "days"):
        return
    offered = editing.options(spec.options or "days", loaded, lang, slug)
    known = {value for value, _ in offered}
    current = field.data if isinstance(field.data, list) else [field.data]
    offered += [(v, v) for v in current if v and isinstance(v, str) and v not in known]
    if spec.widget == "choice" and not required:
        offered = [("", gettext("(none)")), *offered]
    elif spec.widget == "choice" and not _as_radios(offered):
        offered = [("", gettext("Choose…")), *offered]  # a list picks its first by itself
    field.choices = offered


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


def note_checks(form: BaseForm, notes: dict[str, list[str]]) -> None:
    """The checks' messages beside their fields: a plain field shows them as its errors; a list
    of rows or an address (whose errors are per part) shows them above its parts."""
    for key in list(notes):
        field = form[key]
        if not isinstance(field, FieldList | FormField):
            field.errors = [*field.errors, *notes.pop(key)]


def error_list(form: BaseForm, kind: str, notes: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every error on the page as (the id to link to, the message), in the page's order: the
    error summary at the top (GOV.UK)."""
    found: list[tuple[str, str]] = []
    for asked in editing.questions(kind).values():
        for question in asked:
            field = form[question.key]
            found += [(field.id, message) for message in notes.get(question.key, [])]
            found += _errors_of(field, question.input, "")
    found += [(form.note.id, str(form.note.errors[0]))] if form.note.errors else []
    return found


def _errors_of(field: Any, spec: Input, prefix: str) -> list[tuple[str, str]]:
    if spec.widget == "rows":
        found = []
        for number, entry in enumerate(field.entries, 1):
            where = f"{prefix}{field.label.text} {number}, "
            for name, part in spec.parts:
                found += _errors_of(entry.form[name], part, where)
        if isinstance(field.errors, list) and field.errors and isinstance(field.errors[0], str):
            found.append((field.id, field.errors[0]))  # too many rows
        return found
    if spec.widget == "address":
        found = []
        for name, part in spec.parts:
            found += _errors_of(field.form[name], part, f"{prefix}{field.label.text}, ")
        return found
    if field.errors:
        return [
            (
                field.id,
                f"{prefix}{field.label.text}: {field.errors[0]}"
                if prefix
                else str(field.errors[0]),
            )
        ]
    return []
