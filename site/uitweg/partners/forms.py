"""Forms of the partner inbox. Every action is a POST carrying a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..forms import BaseForm, InviteBaseForm, PlainText
from ..intake.conversation import MESSAGE_MAX
from ..vocabulary import (
    ATTEMPT_LABELS,
    FORWARD_REASON_LABELS,
    FORWARD_REASONS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    Outcome,
    Role,
    choices,
)

# Choices are set per instance, as in every form here: WTForms 3.3 warns about (value, label)
# pairs given in the class body, and the templates iterate the pairs themselves.


class DisableForm(BaseForm):
    """Only its CSRF token: an account holding a partner's last key is never disabled from the
    web (see team.admin_disable)."""


class ReplyForm(BaseForm):
    message = TextAreaField(_l("Your answer"), validators=[PlainText(MESSAGE_MAX, multiline=True)])

    def validate_message(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Write your answer first."))


class AttemptForm(BaseForm):
    result = RadioField(_l("What happened?"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.result.choices = list(ATTEMPT_LABELS.items())


class CloseForm(BaseForm):
    outcome = RadioField(_l("Outcome"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices(Outcome.ALL, OUTCOME_LABELS)


class ForwardForm(BaseForm):
    partner = SelectField(_l("Forward to"), validators=[DataRequired()])
    reason = RadioField(_l("Why?"), validators=[DataRequired()])

    def __init__(self, *args, partners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partner.choices = partners
        self.reason.choices = choices(FORWARD_REASONS, FORWARD_REASON_LABELS)


class AssignForm(BaseForm):
    member = SelectField(_l("Give to"), validators=[DataRequired()])

    def __init__(self, *args, members: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member.choices = members


class CampaignChoiceForm(BaseForm):
    """Which campaign the statistics show (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"))

    def __init__(self, campaigns: list[tuple[str, str]], chosen: str | None) -> None:
        super().__init__(formdata=None, data={"campaign": chosen or ""})
        self.campaign.choices = [("", _l("All campaigns")), *campaigns]


class InviteForm(InviteBaseForm):
    """An invitation to the inviter's own partner (others are made from the command line)."""

    role = RadioField(_l("Role"), validators=[DataRequired()], default=Role.STAFF)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices(Role.AT_PARTNERS, ROLE_LABELS)
