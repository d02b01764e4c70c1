"""Forms of the editors' area. Each version is the item's files as text, one per language."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..content.loader import RESERVED_PAGE_SLUGS
from ..content.schema import SLUG_RE
from ..forms import BaseForm, InviteBaseForm
from ..vocabulary import NEW_CONTENT_LABELS, choices

# A file's text: long pages fit, a pasted book does not (the request limit is the hard stop).
FILE_MAX = 30_000
NOTE_MAX = 300
# A web address's last part: long enough for any title, short enough for every file system.
SLUG_MAX = 80
# New items begin from a starter text (content/starters.py), of every kind editors own.
NEW_KINDS = ("stories", "pages", "services", "groups", "campaigns", "selftests")


class TimeField(StringField):
    """HH:MM, as an <input type="time"> sends it."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.time: dt.time | None = None
        if self.data:
            try:
                self.time = dt.time.fromisoformat(self.data)
            except ValueError:
                self.time = None


class EditForm(BaseForm):
    nl = TextAreaField(_l("Dutch text"), validators=[Length(max=FILE_MAX)])
    en = TextAreaField(_l("English text (optional)"), validators=[Length(max=FILE_MAX)])
    note = StringField(_l("What did you change? (optional)"), validators=[Length(max=NOTE_MAX)])
    # The version the editor started from: a save on top of a newer one is refused.
    base = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def validate_nl(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("The Dutch text is needed: every item has one."))


class NewForm(BaseForm):
    kind = RadioField(_l("What do you want to write?"), validators=[InputRequired()])
    slug = StringField(
        _l("Web address"),
        validators=[DataRequired(_l("Choose a web address.")), Length(max=SLUG_MAX)],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(NEW_KINDS, NEW_CONTENT_LABELS)

    def validate_kind(self, field) -> None:
        if field.data not in NEW_KINDS:
            raise ValidationError(_l("Choose what you want to write."))

    def validate_slug(self, field) -> None:
        if not SLUG_RE.match(field.data or ""):
            raise ValidationError(
                _l("Use lower-case letters, digits and dashes only, for example sanne-stopt.")
            )
        if self.kind.data == "pages" and field.data in RESERVED_PAGE_SLUGS:
            raise ValidationError(_l("This address is taken by the site itself. Choose another."))


class VersionForm(BaseForm):
    """A button that acts on one version (propose, restore)."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ApproveForm(VersionForm):
    publish_date = DateField(_l("Publish on (optional)"), validators=[Optional()])
    publish_time = TimeField(_l("at (optional)"))
    unpublish_date = DateField(_l("Take off the site on (optional)"), validators=[Optional()])

    def validate_publish_time(self, field) -> None:
        if field.data and field.time is None:
            raise ValidationError(_l("Write the time as hours and minutes, for example 09:30."))


class ReturnForm(VersionForm):
    note = TextAreaField(
        _l("What should change?"),
        validators=[DataRequired(_l("Say what should change.")), Length(max=NOTE_MAX)],
    )


class ImageForm(BaseForm):
    """A photo for a story; the file itself is read from request.files by the view."""

    alt = StringField(
        _l("What does the photo show?"),
        validators=[DataRequired(_l("Say in a few words what the photo shows.")), Length(max=200)],
    )
    base = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def validate_alt(self, field) -> None:
        from ..content.schema import alt_text_problem

        if field.data and alt_text_problem(field.data):
            raise ValidationError(
                _l("Describe what the photo shows, for example: Sanne on her bike by the river.")
            )


class TeamInviteForm(InviteBaseForm):
    """An editor invited by a publisher. Publishers are made by the server's operator only:
    a publisher who could make another publisher could approve their own changes through it."""
