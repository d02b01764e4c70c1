"""The directory's filters, as a form so that they render through the field macros like every
other field. It only shows the choices: search.Index.valid reads the GET parameters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField

from ..forms import BaseForm


class FilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    topic = SelectField(_l("What do you need help with?"))
    audience = SelectField(_l("Who is it for?"))
    municipality = SelectField(_l("Where do you live?"))
    kind = SelectField(_l("Kind of help"))
    language = SelectField(_l("Language"))
    open = BooleanField(_l("open now"))
    soon = BooleanField(_l("there within a week (no long wait)"))
    free = BooleanField(_l("free of charge"))
    anonymous = BooleanField(_l("anonymous"))
    noreferral = BooleanField(_l("without a referral"))

    def __init__(self, options: dict[str, list[tuple[str, str]]], **chosen: Any) -> None:
        super().__init__(formdata=None, data=chosen)
        anything = {
            "topic": _l("Everything"),
            "audience": _l("Anyone"),
            "municipality": _l("Anywhere"),
            "kind": _l("All kinds"),
            "language": _l("Any language"),
        }
        for name, first in anything.items():
            field = self[name]
            field.choices = [("", first), *options[name]]
            field.data = field.data or ""
