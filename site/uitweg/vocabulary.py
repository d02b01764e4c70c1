"""The site's codes and the words people read for them, defined once.

Content files, the database and URLs hold the codes; pages, forms and CSV headers show the
labels, translated when read (lazy). A code list here is the only list: partners.yaml, the
directory's front matter and the forms are all checked against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale
from flask_babel import lazy_gettext as _l


class RequestStatus:
    RECEIVED = "received"
    IN_PROGRESS = "in-progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RequestKind:
    CALLBACK = "callback"  # we call (or text, or mail) you
    WRITTEN = "written"  # a conversation in writing, opened with a code
    ALL = (CALLBACK, WRITTEN)


class Author:
    VISITOR = "visitor"
    PARTNER = "partner"


class Outcome:
    HELPED = "helped"
    REFERRED = "referred"
    NOT_REACHABLE = "not-reachable"
    NOT_NEEDED = "not-needed"
    ALL = (HELPED, REFERRED, NOT_REACHABLE, NOT_NEEDED)


class AttemptResult:
    REACHED = "reached"
    NO_ANSWER = "no-answer"
    VOICEMAIL = "voicemail"
    WRONG_NUMBER = "wrong-number"
    ALL = (REACHED, NO_ANSWER, VOICEMAIL, WRONG_NUMBER)


class Role:
    STAFF = "staff"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    ANALYST = "analyst"
    EDITOR = "editor"
    PUBLISHER = "publisher"
    ALL = (STAFF, COORDINATOR, ADMIN, ANALYST, EDITOR, PUBLISHER)
    # A care partner's people handle requests; the site's owner (the municipality) has its
    # analysts and its editors.
    AT_PARTNERS = (STAFF, COORDINATOR, ADMIN)
    AT_OWNER = (ANALYST, EDITOR, PUBLISHER)
    HANDLES_REQUESTS = (STAFF, COORDINATOR, ADMIN)
    COORDINATES = (COORDINATOR, ADMIN)
    SEES_STATISTICS = (ANALYST, COORDINATOR, ADMIN)
    EDITS_CONTENT = (EDITOR, PUBLISHER)
    PUBLISHES = (PUBLISHER,)


class ContentState:
    """Where a version written in the editors' area is (content/versions.py)."""

    DRAFT = "draft"  # saved, still being written
    PROPOSED = "proposed"  # offered for review
    RETURNED = "returned"  # a publisher sent it back with a note
    APPROVED = "approved"  # published from its publish_at on (until unpublish_at, if set)
    ALL = (DRAFT, PROPOSED, RETURNED, APPROVED)


# Who is asking for help (the callback form), and who a service or group is for (the
# directory): one list, so a filter and a request mean the same people.
ASKING = ("myself", "someone-close", "professional")
AUDIENCES = ASKING
ASKING_LABELS = {
    "myself": _l("Myself"),
    "someone-close": _l("Someone close to me (a child, partner, friend)"),
    "professional": _l("A professional (for a client or pupil)"),
}
AUDIENCE_LABELS = ASKING_LABELS

# What a visitor can ask about on the callback form (DESIGN.md section 3).
TOPICS = ("drugs", "debt", "getting-out", "worried", "other")
TOPIC_LABELS = {
    "drugs": _l("My drug use, or someone's drug use"),
    "debt": _l("Money and debt"),
    "getting-out": _l("Getting out of the drug trade"),
    "worried": _l("I am worried about someone"),
    "other": _l("Something else"),
}

# How and when a visitor wants to be contacted.
ROUTES = ("call", "sms", "whatsapp", "email")
PHONE_ROUTES = ("call", "sms", "whatsapp")
ROUTE_LABELS = {
    "call": _l("Call me"),
    "sms": _l("Send me an SMS"),
    "whatsapp": _l("Send me a WhatsApp message"),
    "email": _l("Send me an e-mail"),
}
# A written conversation may stay in writing, or the visitor may ask to be contacted after all.
WRITTEN_ROUTE = "written"
WRITTEN_ROUTE_LABELS = {
    WRITTEN_ROUTE: _l("Keep writing here"),
    **ROUTE_LABELS,
}
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_LABELS = {
    "mo": _l("Monday"),
    "tu": _l("Tuesday"),
    "we": _l("Wednesday"),
    "th": _l("Thursday"),
    "fr": _l("Friday"),
    "sa": _l("Saturday"),
    "su": _l("Sunday"),
}
# How often opening hours or a meeting repeat, as the editors' form asks it (content/editing.py
# turns it into byday/freq/interval); "month-2" is the second such weekday of each month.
REPEATS = ("weekly", "fortnightly", "month-1", "month-2", "month-3", "month-4", "month--1")
REPEAT_LABELS = {
    "weekly": _l("Every week"),
    "fortnightly": _l("Every 2 weeks"),
    "month-1": _l("The first of the month"),
    "month-2": _l("The second of the month"),
    "month-3": _l("The third of the month"),
    "month-4": _l("The fourth of the month"),
    "month--1": _l("The last of the month"),
}
# A directory entry that serves everyone, wherever they live (area: national).
NATIONAL_LABEL = _l("The whole country, or online")
TIMES = ("morning", "afternoon", "evening")
TIME_LABELS = {
    "morning": _l("Morning (9–12)"),
    "afternoon": _l("Afternoon (12–17)"),
    "evening": _l("Evening (17–21)"),
}
YES_NO = ("no", "yes")
YES_NO_LABELS = {"no": _l("No"), "yes": _l("Yes")}

# The directory: kinds of service, fellowships and Meeting Guide meeting types.
KINDS = (
    "addiction-care",
    "debt-help",
    "youth-work",
    "gp",
    "crisis",
    "housing",
    "work-income",
    "mental-health",
    "information-line",
    "online-help",
    "harm-reduction",
)
GROUP_KIND = "group"
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
    "online-help": _l("Online help"),
    "harm-reduction": _l("Safer use and drug testing"),
    GROUP_KIND: _l("Self-help group"),
}
# How a service's help is given (a service's `ways`).
WAYS = ("in-person", "online", "phone")
WAY_LABELS = {
    "in-person": _l("in person"),
    "online": _l("online"),
    "phone": _l("by phone"),
}
# Facts about getting in, as the open data names them (content/hsds.py FACTS).
FACT_LABELS = {
    "referral": _l("Referral needed"),
    "anonymous": _l("Anonymous"),
    "open_on_closed_days": _l("Also open on public holidays"),
    "no_new_clients": _l("Takes no new clients at the moment"),
    "waiting_weeks": _l("Waiting time in weeks"),
    "waiting_checked": _l("Waiting time as of"),
}
FELLOWSHIPS = ("NA", "CA", "AA", "SMART", "Nar-Anon", "Al-Anon")
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
MEETING_TYPES = tuple(MEETING_TYPE_LABELS)
# In a fellowship for family and friends, a closed meeting is for family and friends, not for
# "people who want to stop": said so, or a parent reads that they are not welcome.
FAMILY_FELLOWSHIPS = ("Nar-Anon", "Al-Anon")
FAMILY_MEETING_TYPE_LABELS = {
    "C": _l("Closed: only for family and friends of someone who uses"),
    "O": _l("Open: everyone is welcome, also people who are just curious"),
}


def meeting_type_label(code: str, fellowship: str | None) -> str:
    if fellowship in FAMILY_FELLOWSHIPS and code in FAMILY_MEETING_TYPE_LABELS:
        return str(FAMILY_MEETING_TYPE_LABELS[code])
    return label(MEETING_TYPE_LABELS, code)


# A request's handling, as staff record it.
STATUS_LABELS = {
    "received": _l("Waiting"),
    "in-progress": _l("Being handled"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled by the visitor"),
}
REQUEST_KIND_LABELS = {
    RequestKind.CALLBACK: _l("Called back"),
    RequestKind.WRITTEN: _l("In writing"),
}
EXPIRED = "expired"  # the outcome retention gives a request nobody closed
OUTCOME_LABELS = {
    Outcome.HELPED: _l("Helped: we talked and agreed on next steps"),
    Outcome.REFERRED: _l("Referred on to other help"),
    Outcome.NOT_REACHABLE: _l("Not reachable after several attempts"),
    Outcome.NOT_NEEDED: _l("No longer needed"),
    EXPIRED: _l("Closed automatically: nobody handled it in time"),
}
ATTEMPT_LABELS = {
    AttemptResult.REACHED: _l("Reached: we spoke"),
    AttemptResult.NO_ANSWER: _l("No answer"),
    AttemptResult.VOICEMAIL: _l("Left a voicemail or message"),
    AttemptResult.WRONG_NUMBER: _l("Wrong number or address"),
}
FORWARD_REASONS = ("other-area", "other-topic", "language", "capacity", "asked-by-visitor")
FORWARD_REASON_LABELS = {
    "other-area": _l("They live in another partner's area"),
    "other-topic": _l("Another partner helps better with this topic"),
    "language": _l("Another partner speaks their language"),
    "capacity": _l("We cannot call back in time"),
    "asked-by-visitor": _l("They asked for another organisation"),
}

# Staff roles, and the organisation of staff who work for the site's owner (the municipality),
# not for a care partner: no partner in partners.yaml may take this code.
OWNER = "owner"
ROLE_LABELS = {
    Role.STAFF: _l("Staff: handles requests"),
    Role.COORDINATOR: _l("Coordinator: also assigns requests and manages the team"),
    Role.ADMIN: _l("Administrator: also invites colleagues and sees every account"),
    Role.ANALYST: _l("Analyst: sees statistics only"),
    Role.EDITOR: _l("Editor: writes content and proposes it"),
    Role.PUBLISHER: _l("Publisher: also reviews and publishes other people's changes"),
}

# A role as a word in a sentence ("invited a new colleague as coordinator").
ROLE_NAMES = {
    Role.STAFF: _l("staff member"),
    Role.COORDINATOR: _l("coordinator"),
    Role.ADMIN: _l("administrator"),
    Role.ANALYST: _l("analyst"),
    Role.EDITOR: _l("editor"),
    Role.PUBLISHER: _l("publisher"),
}

# The languages of the staff pages (each written in itself).
STAFF_LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


def choices(codes: Iterable[str], labels: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(code, label) pairs for a form field, in the order of `codes`."""
    return [(code, labels[code]) for code in codes]


def label(labels: Mapping[str, Any], code: str) -> str:
    """The label for `code`, or the code itself when it has none (an old or unknown value)."""
    return str(labels.get(code, code))


def language_name(code: str, lang: str) -> str:
    """A language's name as written in `lang` (Babel's CLDR data)."""
    return Locale(lang).languages.get(code, code)


# What editors own (content/versions.py KINDS), as the editors' area names them.
CONTENT_KIND_LABELS = {
    "stories": _l("Stories"),
    "pages": _l("Pages"),
    "services": _l("Services"),
    "groups": _l("Self-help groups"),
    "campaigns": _l("SMS campaigns"),
    "selftests": _l("Self-tests"),
}
CONTENT_STATE_LABELS = {
    ContentState.DRAFT: _l("Draft"),
    ContentState.PROPOSED: _l("Waiting for review"),
    ContentState.RETURNED: _l("Sent back"),
    ContentState.APPROVED: _l("Approved"),
}
# One new item of each kind, as the "write something new" page offers them.
NEW_CONTENT_LABELS = {
    "stories": _l("A story"),
    "pages": _l("A page with advice or information"),
    "services": _l("A service for the directory"),
    "groups": _l("A self-help group"),
    "campaigns": _l("An SMS campaign"),
    "selftests": _l("A self-test (questions with a result)"),
}
