"""Forms of the partner inbox. Every action is a POST carrying a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..models import AttemptResult, Outcome, Role
from ..textforms import TextForm
from .accounts import password_problem

# Choices are set per instance, as in every form here: WTForms 3.3 warns about (value, label)
# pairs given in the class body, and the templates iterate the pairs themselves.
LANGUAGES = (("nl", "Nederlands"), ("en", "English"))

FORWARD_REASONS = ("other-area", "other-topic", "language", "capacity", "asked-by-visitor")


def forward_reason_labels() -> dict[str, str]:
    return {
        "other-area": _l("They live in another partner's area"),
        "other-topic": _l("Another partner helps better with this topic"),
        "language": _l("Another partner speaks their language"),
        "capacity": _l("We cannot call back in time"),
        "asked-by-visitor": _l("They asked for another organisation"),
    }


def outcome_labels() -> dict[str, str]:
    return {
        Outcome.HELPED: _l("Helped: we talked and agreed on next steps"),
        Outcome.REFERRED: _l("Referred on to other help"),
        Outcome.NOT_REACHABLE: _l("Not reachable after several attempts"),
        Outcome.NOT_NEEDED: _l("No longer needed"),
        "expired": _l("Closed automatically: nobody handled it in time"),
    }


def attempt_labels() -> dict[str, str]:
    return {
        AttemptResult.REACHED: _l("Reached: we spoke"),
        AttemptResult.NO_ANSWER: _l("No answer"),
        AttemptResult.VOICEMAIL: _l("Left a voicemail or message"),
        AttemptResult.WRONG_NUMBER: _l("Wrong number or address"),
    }


def role_labels() -> dict[str, str]:
    return {
        Role.STAFF: _l("Staff: handles requests"),
        Role.COORDINATOR: _l("Coordinator: also assigns requests and manages the team"),
        Role.ADMIN: _l("Administrator: also invites colleagues and sees every account"),
        Role.ANALYST: _l("Analyst: sees statistics only"),
    }


class LoginForm(TextForm):
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    code = StringField(
        _l("Code from your authenticator app"), validators=[DataRequired(), Length(max=12)]
    )


class EnrolForm(TextForm):
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
        self.language.choices = list(LANGUAGES)

    def validate_password(self, field) -> None:
        from flask import current_app

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


class ActionForm(TextForm):
    """A button: claim, show contact details, grant access, log out."""


class DisableForm(TextForm):
    """Only its CSRF token: an account holding a partner's last key is never disabled from the
    web (see team.admin_disable)."""


class AttemptForm(TextForm):
    result = RadioField(_l("What happened?"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.result.choices = list(attempt_labels().items())


class CloseForm(TextForm):
    outcome = RadioField(_l("Outcome"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = [
            (key, label) for key, label in outcome_labels().items() if key in Outcome.ALL
        ]


class ForwardForm(TextForm):
    partner = SelectField(_l("Forward to"), validators=[DataRequired()])
    reason = RadioField(_l("Why?"), validators=[DataRequired()])

    def __init__(self, *args, partners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partner.choices = partners
        self.reason.choices = list(forward_reason_labels().items())


class AssignForm(TextForm):
    member = SelectField(_l("Give to"), validators=[DataRequired()])

    def __init__(self, *args, members: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member.choices = members


class LanguageForm(TextForm):
    language = RadioField(_l("Language of the inbox"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = list(LANGUAGES)


class InviteForm(TextForm):
    """An invitation to the inviter's own partner (others are made from the command line)."""

    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    role = RadioField(_l("Role"), validators=[DataRequired()], default=Role.STAFF)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = list(role_labels().items())

    def validate_email(self, field) -> None:
        from email_validator import EmailNotValidError, validate_email

        try:
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationError(_l("This is not an e-mail address.")) from None
