"""Names people read for the codes in content/ (kinds, audiences, fellowships, meeting types)."""

from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "addiction-care": _l("Addiction care"),
    "debt-help": _l("Debt help"),
    "youth-work": _l("Youth work"),
    "gp": _l("GP and out-of-hours GP"),
    "crisis": _l("Crisis help"),
    "housing": _l("Housing"),
    "work-income": _l("Work and income"),
    "mental-health": _l("Mental health"),
    "information-line": _l("Information line and chat"),
    "group": _l("Self-help group"),
}
AUDIENCE_LABELS = {
    "myself": _l("Myself"),
    "someone-close": _l("Someone close to me"),
    "professional": _l("I am a professional"),
}
FELLOWSHIP_LABELS = {
    "NA": _l("Narcotics Anonymous (NA)"),
    "CA": _l("Cocaine Anonymous (CA)"),
    "AA": _l("Alcoholics Anonymous (AA)"),
    "SMART": _l("SMART Recovery"),
    "Nar-Anon": _l("Nar-Anon (for family and friends)"),
    "Al-Anon": _l("Al-Anon (for family and friends)"),
}
MEETING_TYPE_LABELS = {
    "O": _l("Open: everyone is welcome"),
    "C": _l("Closed: only for people who want to stop themselves"),
    "D": _l("Discussion"),
    "SP": _l("Speaker"),
    "ST": _l("Step study"),
    "LIT": _l("Literature"),
    "BE": _l("Newcomers"),
    "W": _l("Women"),
    "M": _l("Men"),
    "Y": _l("Young people"),
    "X": _l("Wheelchair access"),
    "A": _l("Secular"),
    "NL": _l("Dutch"),
    "EN": _l("English"),
    "AR": _l("Arabic"),
    "TUR": _l("Turkish"),
    "POL": _l("Polish"),
    "LGBTQ": _l("LGBTQ"),
    "TC": _l("Location temporarily closed"),
}


def language_name(code: str, lang: str) -> str:
    return Locale(lang).languages.get(code, code)


LABELS = {
    "kind_labels": KIND_LABELS,
    "audience_labels": AUDIENCE_LABELS,
    "fellowship_labels": FELLOWSHIP_LABELS,
    "meeting_type_labels": MEETING_TYPE_LABELS,
    "language_name": language_name,
}
