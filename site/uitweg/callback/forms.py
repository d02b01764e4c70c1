"""The callback form and the status form. Every message is translated and says how to fix it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from ..content.routing import ELSEWHERE
from ..forms import BaseForm, PlainText, clean_text
from ..intake.conversation import MESSAGE_MAX as WRITTEN_MAX
from ..vocabulary import (
    ASKING,
    ASKING_LABELS,
    DAY_LABELS,
    DAYS,
    PHONE_ROUTES,
    ROUTE_LABELS,
    ROUTES,
    TIME_LABELS,
    TIMES,
    TOPIC_LABELS,
    TOPICS,
    WRITTEN_ROUTE,
    WRITTEN_ROUTE_LABELS,
    YES_NO,
    YES_NO_LABELS,
    choices,
)

ALIAS_MAX = 40
MESSAGE_MAX = 500
PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.VOIP,
}
TEXT_ROUTES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
_PHONE_CHARS = re.compile(r"^[0-9+()\-./ ]+$")


class OneOf:
    """The value must be one of the offered choices (also for several ticked boxes)."""

    def __init__(self, message: Any, required: bool = True) -> None:
        self.message = message
        self.required = required

    def __call__(self, form: FlaskForm, field: Field) -> None:
        allowed = {str(value) for value, _label in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        values = [v for v in values if v not in (None, "")]
        if (self.required and not values) or any(v not in allowed for v in values):
            raise ValidationError(self.message)


def parse_phone(text: str, mobile_only: bool) -> str:
    """A Dutch or Belgian number as E.164 (+31612345678), or a ValidationError saying why."""
    if not text:
        raise ValidationError(_l("Enter your phone number, for example 06 12345678."))
    if len(text) > 30 or not _PHONE_CHARS.match(text):
        raise ValidationError(_l("Use only digits, spaces, dashes and +, for example 06 12345678."))
    candidate = "+" + text[2:] if text.startswith("00") else text
    try:
        number = phonenumbers.parse(candidate, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _l("This is not a phone number we can call. Check it, for example 06 12345678.")
        )
    if phonenumbers.region_code_for_number(number) not in {"NL", "BE"}:
        raise ValidationError(_l("We can only call Dutch (+31) or Belgian (+32) numbers."))
    kind = phonenumbers.number_type(number)
    if kind not in PHONE_TYPES:
        raise ValidationError(_l("Please give a mobile or landline number."))
    if mobile_only and kind not in TEXT_ROUTES:
        raise ValidationError(
            _l("For SMS or WhatsApp we need a mobile number. Or choose 'Call me'.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_email(text: str) -> str:
    if not text:
        raise ValidationError(_l("Enter your e-mail address, for example naam@voorbeeld.nl."))
    if len(text) > 254:
        raise ValidationError(_l("This e-mail address is too long."))
    clean_text(text, multiline=False)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(
            _l("This is not an e-mail address we can use. Check it, for example naam@voorbeeld.nl.")
        ) from None


class CookielessForm(BaseForm):
    """A form that works with cookies refused: no session-bound CSRF token. The callback form
    carries a signed one-time token instead (submit.py), and every POST here must come from the
    site itself (routes.same_origin)."""

    class Meta:
        csrf = False


def _read_contact_value(form: CallbackForm | PreferencesForm) -> bool:
    """The number or address the chosen route needs, into `contact_value` (the other one is
    dropped); False, with the field's error, when it is missing or unusable."""
    field = None
    try:
        if form.route.data in PHONE_ROUTES and not form.route.errors:
            field = form.phone
            form.contact_value = parse_phone(field.data or "", form.route.data != "call")
        elif form.route.data == "email" and not form.route.errors:
            field = form.email
            form.contact_value = parse_email(field.data or "")
    except ValidationError as exc:
        assert field is not None
        field.errors = [*field.errors, str(exc.args[0])]
        return False
    return True


def _offer_routing_choices(
    form: CallbackForm | WrittenForm,
    municipalities: Sequence[str],
    languages: dict[str, dict[str, str]],
    lang: str,
) -> None:
    """The choices of the questions that route a request, the same on both forms."""
    form.asking.choices = choices(ASKING, ASKING_LABELS)
    form.topics.choices = choices(TOPICS, TOPIC_LABELS)
    form.municipality.choices = [
        ("", _l("Choose a place")),
        *[(m, m) for m in municipalities],
        (ELSEWHERE, _l("Somewhere else")),
    ]
    form.language.choices = [(code, names[lang]) for code, names in languages.items()]


class CallbackForm(CookielessForm):
    asking = RadioField(
        _l("Who is the help for?"),
        validate_choice=False,
        validators=[OneOf(_l("Choose who the help is for."))],
    )
    topics = SelectMultipleField(
        _l("What would you like to talk about?"),
        validate_choice=False,
        validators=[OneOf(_l("Choose at least one topic."))],
    )
    municipality = SelectField(
        _l("Where do you live?"),
        validate_choice=False,
        validators=[OneOf(_l("Choose a place from the list."))],
    )
    language = RadioField(
        _l("In which language shall we talk?"),
        validate_choice=False,
        default="nl",
        validators=[OneOf(_l("Choose a language."))],
    )
    route = RadioField(
        _l("How shall we contact you?"),
        validate_choice=False,
        validators=[OneOf(_l("Choose how we can contact you."))],
    )
    phone = StringField(_l("Phone number"))
    email = StringField(_l("E-mail address"))
    alias = StringField(
        _l("First name or nickname (optional)"),
        validators=[PlainText(ALIAS_MAX)],
    )
    days = SelectMultipleField(
        _l("Best days (optional)"),
        validate_choice=False,
        validators=[OneOf(_l("Choose days from the list."), required=False)],
    )
    times = SelectMultipleField(
        _l("Best time of day (optional)"),
        validate_choice=False,
        validators=[OneOf(_l("Choose times from the list."), required=False)],
    )
    voicemail = RadioField(
        _l("If you do not answer, may we leave a voicemail message?"),
        validate_choice=False,
        default="no",
        validators=[OneOf(_l("Choose yes or no."))],
    )
    say_who = RadioField(
        _l("If someone else answers, may we say who we are?"),
        validate_choice=False,
        default="no",
        validators=[OneOf(_l("Choose yes or no."))],
    )
    message = TextAreaField(
        _l("Anything you want us to know? (optional)"),
        validators=[PlainText(MESSAGE_MAX, multiline=True)],
    )
    consent = BooleanField(_l("I agree that my answers are stored until my request is done."))
    # A field people do not see; software that fills in every field gives itself away.
    website = StringField(_l("Leave this field empty"))
    token = HiddenField()
    # The SMS campaign the visitor came through (never anything about the visitor).
    campaign = HiddenField()

    def __init__(
        self,
        municipalities: Sequence[str],
        languages: dict[str, dict[str, str]],
        lang: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _offer_routing_choices(self, municipalities, languages, lang)
        self.route.choices = choices(ROUTES, ROUTE_LABELS)
        self.days.choices = choices(DAYS, DAY_LABELS)
        self.times.choices = choices(TIMES, TIME_LABELS)
        self.voicemail.choices = choices(YES_NO, YES_NO_LABELS)
        self.say_who.choices = choices(YES_NO, YES_NO_LABELS)
        self.contact_value: str | None = None

    def validate_consent(self, field: Field) -> None:
        if not field.data or field.raw_data != ["y"]:
            raise ValidationError(_l("Tick this box to send your request."))

    def validate_website(self, field: Field) -> None:
        if field.data:
            raise ValidationError(_l("Leave this field empty."))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return _read_contact_value(self) and ok

    def contact_block(self) -> dict[str, Any]:
        """What is encrypted: everything that could help find the person."""
        return {
            "route": self.route.data,
            "address": self.contact_value,
            "alias": self.alias.data or "",
            "days": list(self.days.data or []),
            "times": list(self.times.data or []),
            "voicemail": self.voicemail.data == "yes",
            "say_who": self.say_who.data == "yes",
            "message": self.message.data or "",
        }


class StatusForm(CookielessForm):
    code = StringField(_l("Your reference code"))

    def validate_code(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Enter the code you got after sending your request."))
        if len(field.data) > 40:
            raise ValidationError(_l("A reference code has 16 letters and digits."))


class CancelForm(CookielessForm):
    code = HiddenField()
    confirm = BooleanField(_l("Yes, cancel my request and delete my details now."))

    def validate_confirm(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick this box to cancel your request."))


class WrittenForm(CookielessForm):
    """A question in writing: the same routing questions as the callback form, then the
    message. No phone number, no e-mail address: the code shown afterwards is the only key."""

    asking = CallbackForm.asking
    topics = CallbackForm.topics
    municipality = CallbackForm.municipality
    language = RadioField(
        _l("In which language shall we write?"),
        validate_choice=False,
        default="nl",
        validators=[OneOf(_l("Choose a language."))],
    )
    message = TextAreaField(
        _l("Your question or message"),
        validators=[PlainText(WRITTEN_MAX, multiline=True)],
    )
    alias = StringField(
        _l("First name or nickname (optional)"),
        validators=[PlainText(ALIAS_MAX)],
    )
    consent = BooleanField(
        _l("I agree that my messages are stored until the conversation has ended.")
    )
    website = CallbackForm.website
    token = CallbackForm.token
    campaign = CallbackForm.campaign

    validate_website = CallbackForm.validate_website

    def __init__(
        self,
        municipalities: Sequence[str],
        languages: dict[str, dict[str, str]],
        lang: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _offer_routing_choices(self, municipalities, languages, lang)

    def validate_message(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Write your question or message."))

    def validate_consent(self, field: Field) -> None:
        if not field.data or field.raw_data != ["y"]:
            raise ValidationError(_l("Tick this box to send your question."))

    def preferences(self) -> dict[str, Any]:
        """The conversation's contact block: how the visitor wants to be reached (in writing
        until they say otherwise) and what to call them."""
        return {
            "route": WRITTEN_ROUTE,
            "address": None,
            "alias": self.alias.data or "",
            "days": [],
            "times": [],
        }


def _code_required(form: FlaskForm, field: Field) -> None:
    if not field.data:
        raise ValidationError(_l("Enter the code you got when you sent your question."))
    if len(field.data) > 60:
        raise ValidationError(_l("A code has 16 letters and digits."))


class CodeForm(CookielessForm):
    code = StringField(_l("Your code"), validators=[_code_required])


class ReplyForm(CookielessForm):
    code = HiddenField(validators=[_code_required])
    message = TextAreaField(_l("Your answer"), validators=[PlainText(WRITTEN_MAX, multiline=True)])

    def validate_message(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Write your answer first."))


class EndForm(CookielessForm):
    code = HiddenField(validators=[_code_required])
    confirm = BooleanField(_l("Yes, end this conversation and delete it now."))

    def validate_confirm(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick this box to end and delete the conversation."))


class PreferencesForm(CookielessForm):
    """How the visitor of a written conversation wants to be reached from now on: in writing,
    or by phone, SMS, WhatsApp or e-mail after all, and when."""

    code = HiddenField(validators=[_code_required])
    route = RadioField(
        _l("How would you like us to reach you?"),
        validate_choice=False,
        default=WRITTEN_ROUTE,
        validators=[OneOf(_l("Choose how we can reach you."))],
    )
    phone = CallbackForm.phone
    email = CallbackForm.email
    days = CallbackForm.days
    times = CallbackForm.times
    notify = StringField(_l("E-mail address for a notice (optional)"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.route.choices = choices((WRITTEN_ROUTE, *ROUTES), WRITTEN_ROUTE_LABELS)
        self.days.choices = choices(DAYS, DAY_LABELS)
        self.times.choices = choices(TIMES, TIME_LABELS)
        self.contact_value: str | None = None
        self.notice_address: str | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return _read_contact_value(self) and ok

    def validate_notify(self, field: Field) -> None:
        self.notice_address = parse_email(field.data) if field.data else None

    def apply(self, block: dict[str, Any]) -> dict[str, Any]:
        """The contact block with these choices in it (the name to use stays)."""
        return {
            **block,
            "route": self.route.data,
            "address": self.contact_value,
            "days": list(self.days.data or []),
            "times": list(self.times.data or []),
            "notify": self.notice_address,
        }

    def show(self, block: dict[str, Any]) -> None:
        """Fill the form with what the block holds now."""
        self.route.data = block.get("route") or WRITTEN_ROUTE
        if self.route.data == "email":
            self.email.data = block.get("address") or ""
        elif self.route.data in PHONE_ROUTES:
            self.phone.data = block.get("address") or ""
        self.days.data = list(block.get("days") or [])
        self.times.data = list(block.get("times") or [])
        self.notify.data = block.get("notify") or ""
