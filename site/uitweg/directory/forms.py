"""The directory's filters, as a form so that they render through the field macros like every
other field. It only shows the choices: search.Index.valid reads the GET parameters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..content.freshness import NOTE_MAX
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
    soon = BooleanField(_l("available within a week (no long wait)"))
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


class OwnerForm(BaseForm):
    """A listing's owner, from the link in the reminder mail: still right, or what changed."""

    class Meta:
        csrf = False  # no cookies on the public site: the link and the origin check bind it

    answer = RadioField(
        _l("Is the listing still right?"),
        validators=[DataRequired(_l("Choose whether the listing is still right."))],
    )
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=30)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    waiting_weeks = StringField(
        _l("Waiting time now, in weeks"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{1,3}$", message=_l("Write the number of weeks, for example 4.")),
        ],
    )
    no_new_clients = BooleanField(_l("We take no new clients at the moment"))
    note = TextAreaField(
        _l("What else has changed?"),
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("Write at most %(max)d characters.")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer.choices = [
            ("same", _l("Yes, everything is still right")),
            ("changed", _l("No, something has changed")),
        ]


class ReportForm(BaseForm):
    """A visitor saying something in a listing is wrong: words only, nothing about them."""

    class Meta:
        csrf = False

    note = TextAreaField(
        _l("What is not right?"),
        validators=[
            DataRequired(_l("Write what is not right.")),
            Length(max=NOTE_MAX, message=_l("Write at most %(max)d characters.")),
        ],
    )
