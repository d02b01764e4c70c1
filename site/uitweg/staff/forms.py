"""Forms of the staff pages: log in, enrol from an invitation, the account's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..forms import BaseForm
from ..vocabulary import STAFF_LANGUAGES
from .accounts import password_problem


class LoginForm(BaseForm):
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    code = StringField(
        _l("Code from your authenticator app"), validators=[DataRequired(), Length(max=12)]
    )


class EnrolForm(BaseForm):
    totp = HiddenField()
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(), Length(max=1000)])
    repeat = PasswordField(_l("Type the password again"), validators=[DataRequired()])
    code = StringField(
        _l("Code from your authenticator app"), validators=[DataRequired(), Length(max=12)]
    )
    language = RadioField(_l("Language of the inbox"), default="nl")

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.language.choices = list(STAFF_LANGUAGES)

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", self.email)
        messages = {
            "too-short": _l(
                "Use at least %(count)d characters. A few words in a row are easy to remember.",
                count=current_app.config["PASSWORD_MIN_LENGTH"],
            ),
            "common": _l("This password is too common. Choose one that is harder to guess."),
            "like-email": _l("Do not use your e-mail address in your password."),
        }
        if problem:
            raise ValidationError(messages[problem])

    def validate_repeat(self, field) -> None:
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


class LanguageForm(BaseForm):
    language = RadioField(_l("Language of the inbox"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = list(STAFF_LANGUAGES)
