"""The base of every form on the site.

It reads only the posted text fields: Flask-WTF also feeds a form with uploaded files and JSON
bodies under the fields' names, so a file part or a JSON number called "alias" reached
validators written for text, and gave a 500. No form here takes a file or JSON: such a part is
simply not the field.

It strips the whitespace around every typed value but a password's (spaces may be part of a
password). Templates render forms with `novalidate`, so that the server's translated messages
are the only ones a person sees.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from babel import support
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, PasswordField, StringField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, ValidationError


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def printable(value: object) -> str:
    """A typed value to show again in a form, without control characters (which HTML cannot
    hold); the field's error says they were there. The template filter `printable`."""
    if not isinstance(value, str):
        return ""
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}
    )


@functools.cache
def _wtforms_messages(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            # Flask-WTF reads WTForms' own catalogue from disk for every request that makes a
            # form; the file does not change while the process runs.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return _wtforms_messages(str(get_locale()))

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            wrapped = FlaskForm.Meta.wrap_formdata(self, form, formdata)
            if wrapped is None or wrapped is formdata:
                return wrapped  # nothing was sent, or the view chose the data itself
            return request.form

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            # A list of rows or a group of fields strips its own parts (editor/fieldforms.py).
            if not issubclass(unbound_field.field_class, PasswordField | FieldList | FormField):
                options["filters"] = (strip, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)


class ButtonForm(BaseForm):
    """A form that is only a button (and its CSRF token): claim, log out, grant access."""


class InviteBaseForm(BaseForm):
    """An e-mail address to invite (the partner admin's and the editors' team pages)."""

    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])

    def validate_email(self, field: Any) -> None:
        from email_validator import EmailNotValidError, validate_email

        try:
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationError(_l("This is not an e-mail address.")) from None


# Characters that change how text is displayed (bidirectional overrides and isolates): a
# message could otherwise show staff something other than what it says.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean_text(value: str, multiline: bool) -> str:
    """Raise when text holds control or direction characters; return it with tidy newlines."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = {"\n", "\t"} if multiline else set()
    for ch in text:
        if ch in _BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in allowed):
            raise ValidationError(
                _l("This contains a character we cannot use. Please type the text again.")
            )
    return text


class PlainText:
    def __init__(self, max_length: int, multiline: bool = False) -> None:
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            field.data = ""
            return
        field.data = clean_text(field.data, self.multiline)
        if len(field.data) > self.max_length:
            raise ValidationError(
                _l(
                    "Please use at most %(max)d characters (now %(count)d).",
                    max=self.max_length,
                    count=len(field.data),
                )
            )
