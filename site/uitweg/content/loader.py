"""Load and check the whole content/ folder. Returns the content and every problem found."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import markdown
from .campaigns import CampaignBuilder, by_code, campaign_code, preference_rules
from .directory import EntryChecker
from .frontmatter import Document, parse_document, parse_mapping, read_text
from .model import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    Content,
    Item,
    Line,
    Page,
    SiteSettings,
    Story,
)
from .partners import load_routing
from .problems import N_, Problem, Said, errors_since, problem
from .related import related as related_stories
from .schema import (
    HEX_COLOUR_RE,
    SLUG_RE,
    Field,
    Input,
    alt_text_problem,
    boolean,
    date,
    image,
    positive_int,
    slug_list,
    text,
    text_list,
    translated_text,
    validate,
)
from .selftests import SelfTestBuilder
from .starters import PLACEHOLDERS

FILE_NAME_RE = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2})\.md$")
# Page slugs live at /<lang>/<slug>; these words are taken by the site's own sections.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "stories",
        "help",
        "callback",
        "partner",
        "api",
        "s",
        "static",
        "media",
        "feed.xml",
        "selftests",
    }
)

_tr = translated_text(SUPPORTED_LANGUAGES)
KIND_WORDS = {
    "story": N_("story"),
    "page": N_("page"),
    "service": N_("service"),
    "group": N_("group"),
    "campaign": N_("campaign"),
    "selftest": N_("self-test"),
}
# How a check names an item of each kind, and its translation ("missing field 'x' in a story").
WHAT = {
    "story": (N_("a story"), N_("a story translation")),
    "page": (N_("a page"), N_("a page translation")),
    "service": (N_("a service"), N_("a service translation")),
    "group": (N_("a group"), N_("a group translation")),
    "campaign": (N_("a campaign"), N_("a campaign translation")),
    "selftest": (N_("a self-test"), N_("a self-test translation")),
}


def _vocabulary(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, dict) or not value:
        return None, N_("must list codes with their names, e.g. `work: {nl: Werk, en: Work}`")
    result = {}
    for code, label in value.items():
        cleaned, error = _tr(label)
        if not isinstance(code, str) or not SLUG_RE.match(code) or error:
            return None, Said(
                N_("entry '{code}': a lower-case code with a name per language"), code=code
            )
        result[code] = cleaned
    return result, None


def _lines(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, N_("must be a list of lines with 'name' and 'number'")
    lines = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"name", "number", "note"}:
            return None, N_("each line has 'name', 'number' and optionally 'note'")
        name, name_error = _tr(entry.get("name"))
        number, number_error = text(entry.get("number"))
        note, note_error = _tr(entry["note"]) if "note" in entry else (None, None)
        if name_error or number_error or note_error:
            return None, N_("each line needs a 'name' and a 'number' (and 'note' must be text)")
        lines.append(Line(name=name, number=number, note=note))
    return tuple(lines), None


def _colours(value: Any) -> tuple[Any, str | None]:
    allowed = {"primary", "primary_dark", "accent", "background"}
    if not isinstance(value, dict) or set(value) - allowed:
        return None, Said(N_("may hold {known}"), known=", ".join(sorted(allowed)))
    if not all(isinstance(v, str) and HEX_COLOUR_RE.match(v) for v in value.values()):
        return None, N_("every colour must be written as #rrggbb")
    return dict(value), None


def _https_url(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and urlsplit(value).scheme == "https" and urlsplit(value).netloc:
        return value, None
    return None, N_("must be a full https:// address")


def _closed_days(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, N_("must be a list of {date: YYYY-MM-DD, name: ...}")
    days = {}
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("date"), dt.date):
            return None, N_("each closed day has a 'date' (YYYY-MM-DD) and a 'name'")
        name, error = _tr(entry.get("name"))
        if error or set(entry) - {"date", "name"}:
            return None, N_("each closed day has a 'date' (YYYY-MM-DD) and a 'name'")
        days[entry["date"]] = name
    return days, None


def _raw(value: Any) -> tuple[Any, str | None]:
    """Checked later, part by part, so each problem can name its own line."""
    return value, None


def _locales(value: Any) -> tuple[Any, str | None]:
    if (
        isinstance(value, list)
        and value
        and value[0] == DEFAULT_LANGUAGE
        and set(value) <= set(SUPPORTED_LANGUAGES)
    ):
        return tuple(value), None
    return None, Said(
        N_("must start with '{first}' and use only {known}"),
        first=DEFAULT_LANGUAGE,
        known=", ".join(SUPPORTED_LANGUAGES),
    )


SITE_SCHEMA = {
    "name": Field(_tr, required=True),
    "short_name": Field(text, required=True),
    "example": Field(boolean, default=False),
    "region": Field(_tr, required=True),
    "municipalities": Field(text_list, required=True),
    "locales": Field(_locales, default=SUPPORTED_LANGUAGES),
    "timezone": Field(text, default="Europe/Amsterdam"),
    "local_lines": Field(_lines, default=()),
    "colours": Field(_colours, default={}),
    "privacy_email": Field(text, required=True),
    "retention_days": Field(positive_int, default=30),
    "unhandled_days": Field(positive_int, default=90),
    "quick_exit_url": Field(_https_url, default="https://www.google.nl/"),
    "themes": Field(_vocabulary, required=True),
    "substances": Field(_vocabulary, required=True),
    "age_bands": Field(text_list, required=True),
    "advice_sections": Field(slug_list, default=()),
    "footer_pages": Field(slug_list, default=()),
    "harm_reduction_pages": Field(slug_list, default=()),
    "topics": Field(_vocabulary, required=True),
    "closed_days": Field(_closed_days, default={}),
    "stale_after_days": Field(positive_int, default=180),
    "province": Field(text, default=""),
}

TITLE = Field(
    text,
    required=True,
    form=Input("text", N_("Title"), N_("Short and concrete, as a reader would say it."), "", 120),
)
SUMMARY = Field(
    text,
    required=True,
    form=Input(
        "textarea",
        N_("Summary"),
        N_("One or two sentences, shown in lists and in search results."),
        max_length=300,
    ),
)
COMMON_SCHEMA = {
    "title": TITLE,
    "summary": SUMMARY,
    "draft": Field(boolean, default=False),
}
PUBLISHING = {"publish": Field(date), "expires": Field(date)}
STORY_SCHEMA = {
    **COMMON_SCHEMA,
    **PUBLISHING,
    "alias": Field(
        text,
        required=True,
        form=Input("text", N_("Name in the story"), N_("A first name that is not theirs."), "", 60),
    ),
    "place": Field(
        text,
        required=True,
        form=Input("text", N_("Place"), N_("A town or area, not an address."), "", 80),
    ),
    "age_band": Field(text, required=True, form=Input("choice", N_("Age"), options="age_bands")),
    "substances": Field(
        slug_list,
        default=(),
        form=Input("choices", N_("Substances"), N_("Choose any that fit."), "substances"),
    ),
    "themes": Field(
        slug_list,
        required=True,
        form=Input("choices", N_("Themes"), N_("Choose at least one."), "themes"),
    ),
    "date": Field(
        date,
        required=True,
        form=Input("date", N_("Date of the story"), N_("When it was told or written down.")),
    ),
    "image": Field(image, form=Input("image", N_("What does the photo show?"))),
}
STORY_TRANSLATION_SCHEMA = {
    **COMMON_SCHEMA,
    "image_alt": Field(
        text,
        form=Input("text", N_("What does the photo show?"), max_length=200, only_with="image"),
    ),
}
PAGE_SCHEMA = {
    **COMMON_SCHEMA,
    **PUBLISHING,
    "parent": Field(
        text,
        form=Input(
            "choice",
            N_("Part of"),
            N_("The page this one belongs under, if any."),
            options="pages",
        ),
    ),
    "order": Field(
        positive_int,
        default=100,
        form=Input("number", N_("Place in lists"), N_("Lower numbers come first, for example 10.")),
    ),
    "updated": Field(
        date, form=Input("date", N_("Last checked"), N_("When the facts were last checked."))
    ),
    "image": STORY_SCHEMA["image"],
}
UPDATED = PAGE_SCHEMA["updated"]
PAGE_TRANSLATION_SCHEMA = {
    **COMMON_SCHEMA,
    "updated": UPDATED,
    "image_alt": STORY_TRANSLATION_SCHEMA["image_alt"],
}
CAMPAIGN_SCHEMA = {
    **COMMON_SCHEMA,
    "code": Field(
        campaign_code,
        required=True,
        form=Input(
            "text",
            N_("Code in the text message"),
            N_("The letters and digits after /s/ in the link, for example hv2606."),
            "",
            16,
        ),
    ),
    "municipality": Field(
        text,
        required=True,
        form=Input("choice", N_("Municipality"), options="municipalities"),
    ),
    "sent": Field(date, required=True, form=Input("date", N_("Sent on"))),
    "recipients": Field(
        positive_int,
        required=True,
        form=Input("number", N_("Number of people who got it")),
    ),
    "sms": Field(
        text,
        required=True,
        form=Input(
            "textarea",
            N_("Text of the message"),
            N_("Exactly as it was sent, with the link."),
            max_length=480,
        ),
    ),
    "partner": Field(
        text,
        form=Input(
            "choice",
            N_("Care partner for callbacks"),
            N_("Leave empty to use the usual rules."),
            options="partners",
        ),
    ),
    "active_from": Field(date, form=Input("date", N_("Landing page shown from"))),
    "active_until": Field(date, form=Input("date", N_("Landing page shown until"))),
}
# How a service or group is asked in the editors' form. A row's timing ("days", "repeat",
# "starting") stands for byday/freq/interval/dtstart (content/editing.py translates).
NAME = Field(text, required=True, form=Input("text", N_("Name"), max_length=120))
ENTRY_SUMMARY = Field(
    text,
    required=True,
    form=Input(
        "textarea", N_("Summary"), N_("One or two sentences: what they do, for whom."), "", 300
    ),
)
ADDRESS = Input(
    "address",
    N_("Address"),
    parts=(
        ("street", Input("text", N_("Street and number"), max_length=100)),
        ("postal_code", Input("text", N_("Postal code"), N_("For example 9902 AB."), "", 8)),
        ("city", Input("text", N_("Town"), max_length=80)),
    ),
)
TIMING = (
    ("days", Input("days", N_("Days"))),
    (
        "repeat",
        Input("choice", N_("How often"), N_("Every 2 weeks needs its first date."), "repeats"),
    ),
    ("starting", Input("date", N_("First date (for every 2 weeks)"))),
)
OPENS = ("opens_at", Input("time", N_("Opens at"), N_("For example 09:00.")))
CLOSES = ("closes_at", Input("time", N_("Closes at"), N_("For example 17:00.")))
ENTRY_TRANSLATION_SCHEMA = {
    "name": NAME,
    "summary": ENTRY_SUMMARY,
    "draft": Field(boolean, default=False),
}
ENTRY_SCHEMA = {
    **ENTRY_TRANSLATION_SCHEMA,
    "topics": Field(
        _raw,
        required=True,
        form=Input("choices", N_("Topics"), N_("Choose at least one."), "topics"),
    ),
    "audiences": Field(
        _raw,
        required=True,
        form=Input("choices", N_("For whom"), N_("Choose at least one."), "audiences"),
    ),
    "area": Field(
        _raw,
        required=True,
        form=Input("choices", N_("Where"), N_("The municipalities they serve."), "area"),
    ),
    "phone": Field(_raw, form=Input("text", N_("Phone number"), "", "", 30)),
    "email": Field(_raw, form=Input("text", N_("E-mail address"), "", "", 254)),
    "website": Field(
        _raw, form=Input("text", N_("Website"), N_("A full address with https://"), "", 300)
    ),
    "verified": Field(
        _raw,
        required=True,
        form=Input("date", N_("Last checked"), N_("When you last checked every detail with them.")),
    ),
    "owner": Field(
        _raw,
        form=Input(
            "text",
            N_("Who keeps this listing right"),
            N_("An e-mail address at the service: it gets a link to check an old listing."),
            "",
            254,
        ),
    ),
}
SERVICE_SCHEMA = {
    **ENTRY_SCHEMA,
    "organization": Field(
        text, required=True, form=Input("text", N_("Organisation"), max_length=120)
    ),
    "kind": Field(text, required=True, form=Input("choice", N_("Kind of help"), options="kinds")),
    "address": Field(_raw, form=ADDRESS),
    "chat": Field(_raw, form=Input("text", N_("Chat (web address)"), "", "", 300)),
    "hours": Field(
        _raw,
        form=Input(
            "rows",
            N_("Opening hours"),
            N_("One row per time block. Add a row for other days or times."),
            parts=(*TIMING, OPENS, CLOSES),
        ),
    ),
    "hours_note": Field(
        text,
        form=Input(
            "text",
            N_("About the opening hours"),
            N_("For example: by appointment. Needed when there are no opening hours."),
            max_length=200,
        ),
    ),
    "always_open": Field(boolean, default=False, form=Input("checkbox", N_("Always open (24/7)"))),
    "open_on_closed_days": Field(
        boolean, default=False, form=Input("checkbox", N_("Also open on public holidays"))
    ),
    "exceptions": Field(
        _raw,
        form=Input(
            "rows",
            N_("Other hours on one day"),
            N_("For example shorter hours on 24 December."),
            parts=(
                ("date", Input("date", N_("Date"))),
                ("closed", Input("checkbox", N_("Closed all day"))),
                OPENS,
                CLOSES,
            ),
        ),
    ),
    "languages": Field(_raw, form=Input("choices", N_("Languages spoken"), options="languages")),
    "free": Field(boolean, required=True, form=Input("checkbox", N_("Free of charge"))),
    "cost": Field(text, form=Input("text", N_("Costs"), N_("When it is not free."), "", 200)),
    "anonymous": Field(
        boolean, default=False, form=Input("checkbox", N_("You can come without giving your name"))
    ),
    "referral": Field(
        boolean,
        default=False,
        form=Input("checkbox", N_("A referral is needed (for example from a GP)")),
    ),
    "referral_how": Field(
        text,
        form=Input(
            "text",
            N_("How to get a referral"),
            N_("For example: ask your GP; they send it through ZorgDomein."),
            "",
            200,
        ),
    ),
    "eligibility": Field(
        text, form=Input("text", N_("Who can come"), N_("For example: ages 12 to 23."), "", 200)
    ),
    "waiting_weeks": Field(
        positive_int,
        form=Input(
            "number",
            N_("Waiting time in weeks"),
            N_("About how long until the first appointment. 0 means no waiting time."),
        ),
    ),
    "waiting_checked": Field(
        date,
        form=Input(
            "date", N_("Waiting time as of"), N_("The day they last told you the waiting time.")
        ),
    ),
    "no_new_clients": Field(
        boolean, default=False, form=Input("checkbox", N_("Takes no new clients at the moment"))
    ),
    "ways": Field(_raw, form=Input("choices", N_("How the help is given"), options="ways")),
}
SERVICE_TRANSLATION_SCHEMA = {
    **ENTRY_TRANSLATION_SCHEMA,
    "hours_note": SERVICE_SCHEMA["hours_note"],
    "cost": SERVICE_SCHEMA["cost"],
    "referral_how": SERVICE_SCHEMA["referral_how"],
    "eligibility": SERVICE_SCHEMA["eligibility"],
}
GROUP_SCHEMA = {
    **ENTRY_SCHEMA,
    "fellowship": Field(
        text, required=True, form=Input("choice", N_("Fellowship"), options="fellowships")
    ),
    "meetings": Field(
        _raw,
        required=True,
        form=Input(
            "rows",
            N_("Meetings"),
            N_("One row per meeting time. A meeting needs an address, an online link, or both."),
            parts=(
                *TIMING,
                ("time", Input("time", N_("Starts at"), N_("For example 19:30."))),
                ("end_time", Input("time", N_("Ends at"))),
                ("location", Input("text", N_("Name of the place"), max_length=100)),
                ("address", ADDRESS),
                ("online", Input("text", N_("Online link"), N_("A full address with https://"))),
                ("types", Input("choices", N_("Kind of meeting"), options="meeting_types")),
                (
                    "language",
                    Input("choice", N_("Language"), N_("Empty means Dutch."), "languages"),
                ),
            ),
        ),
    ),
    "cancelled": Field(
        _raw,
        form=Input(
            "dates",
            N_("No meeting on"),
            N_("Dates with a comma between them, for example 24-12-2026, 31-12-2026."),
        ),
    ),
}
GROUP_TRANSLATION_SCHEMA = ENTRY_TRANSLATION_SCHEMA
# The questions, points and bands are edited as file text (the form keeps them as they are).
SELFTEST_SCHEMA = {
    **COMMON_SCHEMA,
    **PUBLISHING,
    "asking": Field(
        text,
        required=True,
        form=Input("choice", N_("Who is it for"), N_("Filled in on the callback form."), "asking"),
    ),
    "topic": Field(
        text,
        required=True,
        form=Input(
            "choice",
            N_("Topic on the callback form"),
            N_("Filled in when someone asks to be called back after the test."),
            "callback_topics",
        ),
    ),
    "help_topic": Field(
        text,
        form=Input("choice", N_("Topic of help nearby"), N_("The directory's filter."), "topics"),
    ),
    "theme": Field(text, form=Input("choice", N_("Stories with the theme"), options="themes")),
    "substance": Field(
        text,
        form=Input(
            "choice",
            N_("Stories about the substance"),
            N_("Goes before the theme when both are given."),
            "substances",
        ),
    ),
    "page": Field(
        text,
        form=Input("choice", N_("Advice page"), N_("Where 'read what you can do' leads."), "pages"),
    ),
    "order": PAGE_SCHEMA["order"],
    "minutes": Field(
        positive_int,
        default=3,
        form=Input("number", N_("Minutes it takes"), N_("About how long, for example 3.")),
    ),
    # Checked part by part (content/selftests.py), so each problem names its own line.
    "questions": Field(_raw, required=True),
    "bands": Field(_raw, required=True),
}
SELFTEST_TRANSLATION_SCHEMA = {
    **COMMON_SCHEMA,
    "questions": Field(_raw),
    "bands": Field(_raw),
}

# Per folder of content/: the schema of its Dutch files and of their translations. The loader
# checks with these, and the editors' forms are built from them.
SCHEMAS: dict[str, tuple[dict[str, Field], dict[str, Field]]] = {
    "stories": (STORY_SCHEMA, STORY_TRANSLATION_SCHEMA),
    "pages": (PAGE_SCHEMA, PAGE_TRANSLATION_SCHEMA),
    "services": (SERVICE_SCHEMA, SERVICE_TRANSLATION_SCHEMA),
    "groups": (GROUP_SCHEMA, GROUP_TRANSLATION_SCHEMA),
    "campaigns": (CAMPAIGN_SCHEMA, COMMON_SCHEMA),
    "selftests": (SELFTEST_SCHEMA, SELFTEST_TRANSLATION_SCHEMA),
}


def load_site(
    content_dir: Path, problems: list[Problem]
) -> tuple[SiteSettings, Document] | tuple[None, None]:
    path = content_dir / "site.yaml"
    if not path.is_file():
        template = N_("site.yaml is missing; copy it from the sample content")
        problems.append(problem(path, 1, template))
        return None, None
    source = read_text(path, problems)
    parsed = parse_mapping(path, source, 1, problems) if source is not None else None
    if parsed is None:
        return None, None
    doc = Document(path=path, fields=parsed[0], lines=parsed[1])
    before = len(problems)
    values = validate(doc, SITE_SCHEMA, problems, "site.yaml")
    if len(problems) > before:
        return None, None
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(problem(path, doc.line("timezone"), N_("timezone is unknown")))
        return None, None
    return SiteSettings(**values), doc


# Editors' published versions laid over the files: a file's path (below content/) with its
# text, or None where a file is withdrawn. See content/versions.py.
Overlay = Mapping[Path, str | None]


def _documents(
    folder: Path, problems: list[Problem], overlay: Overlay | None = None
) -> dict[str, dict[str, Document]]:
    """Parse every `slug.lang.md` below `folder`, grouped by slug then language; where the
    overlay names a file, its text replaces (or removes, or adds) that file."""
    found: dict[str, dict[str, Document]] = {}
    paths = set(folder.rglob("*")) if folder.is_dir() else set()
    laid = {path: text for path, text in (overlay or {}).items() if path.parent == folder}
    paths |= set(laid)
    for path in sorted(paths):
        if path in laid and laid[path] is None:
            continue
        if path not in laid and (path.is_dir() or path.name.startswith(".")):
            continue
        match = FILE_NAME_RE.match(path.name)
        if not match or not SLUG_RE.match(match["slug"]):
            template = N_(
                "name the file slug.nl.md or slug.en.md, with a slug in lower-case letters, "
                "digits and dashes, e.g. sanne-stopt.nl.md"
            )
            problems.append(problem(path, 1, template))
            continue
        slug, lang = match["slug"], match["lang"]
        if lang not in SUPPORTED_LANGUAGES:
            template = N_("language '{lang}' is not one of {known}")
            known = ", ".join(SUPPORTED_LANGUAGES)
            problems.append(problem(path, 1, template, lang=lang, known=known))
            continue
        if lang in found.get(slug, {}):
            other = found[slug][lang].path
            template = N_("duplicate slug '{slug}' ({lang}): also used by {other}")
            problems.append(problem(path, 1, template, slug=slug, lang=lang, other=str(other)))
            continue
        doc = parse_document(path, problems, laid.get(path))
        if doc is not None:
            found.setdefault(slug, {})[lang] = doc
    return found


def _check_placeholders(doc: Document, problems: list[Problem]) -> None:
    """An example text of a starter (content/starters.py) left in: refused, not published."""
    texts: list[tuple[str | None, str]] = list(_strings(doc.fields, ""))
    texts.append((None, doc.body))
    for name, value in texts:
        for example in PLACEHOLDERS:
            if example in value:
                if name is None:
                    line = doc.body_line + value[: value.index(example)].count("\n")
                else:
                    line = doc.line(name)
                template = N_(
                    "the example text '{example}' is still here: replace it with your own"
                )
                problems.append(problem(doc.path, line, template, example=example))


def _strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    """Every text in a field's value, nested ones too, with its path ("meetings.0.location")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


def _body(doc: Document, problems: list[Problem]) -> str:
    _check_placeholders(doc, problems)
    if not doc.body.strip():
        problems.append(problem(doc.path, doc.body_line, N_("the text below the fields is empty")))
    for offset, message in markdown.unsafe_markup(doc.body):
        line = doc.body_line + offset - 1
        problems.append(problem(doc.path, line, "{error}", "warning", error=message))
    return markdown.render(doc.body)


def _check_publishing(doc: Document, values: dict[str, Any], problems: list[Problem]) -> None:
    if values.get("publish") and values.get("expires") and values["expires"] <= values["publish"]:
        template = N_("'expires' must be after 'publish'")
        problems.append(problem(doc.path, doc.line("expires"), template))


def _load_items(
    folder: Path,
    schema: dict[str, Field],
    translation_schema: dict[str, Field],
    build: Callable[[Document, dict[str, Any], str], Item | None],
    translate: Callable[[Item, Document, dict[str, Any], str], Item],
    kind: str,
    problems: list[Problem],
    overlay: Overlay | None = None,
) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for slug, docs in _documents(folder, problems, overlay).items():
        primary_doc = docs.get(DEFAULT_LANGUAGE)
        if primary_doc is None:
            for doc in docs.values():
                template = N_("translation without a Dutch {kind}: add {slug}.nl.md")
                problems.append(problem(doc.path, 1, template, kind=KIND_WORDS[kind], slug=slug))
            continue
        before = len(problems)
        values = validate(primary_doc, schema, problems, WHAT[kind][0])
        _check_publishing(primary_doc, values, problems)
        html = _body(primary_doc, problems)
        extras = {"slug": slug, "html": html}
        primary: Item | None = None
        if errors_since(problems, before):
            _check_anyway(build, primary_doc, schema, values, extras, problems)
        else:
            primary = build(primary_doc, {**values, **extras}, DEFAULT_LANGUAGE)
        # The translations are checked even when the Dutch file failed: one run of the check
        # reports every problem of an item.
        versions: dict[str, Any] = {DEFAULT_LANGUAGE: primary}
        for lang, doc in docs.items():
            if lang == DEFAULT_LANGUAGE:
                continue
            extra = set(doc.fields) & (set(schema) - set(translation_schema))
            for name in sorted(extra):
                template = N_(
                    "field '{name}' belongs only in {slug}.nl.md (it is shared by all languages)"
                )
                problems.append(problem(doc.path, doc.line(name), template, name=name, slug=slug))
            # A text the Dutch file has and the translation lacks would vanish from that
            # language's page (a service's hours note, say): say so.
            for name in sorted(set(translation_schema) - set(doc.fields)):
                if translation_schema[name].required:
                    continue  # a missing required field is an error of its own
                if primary_doc.fields.get(name) not in (None, "") and name != "draft":
                    template = N_(
                        "'{name}' is in {slug}.nl.md but not in this translation: translate it "
                        "here, or readers of this language miss it"
                    )
                    problems.append(problem(doc.path, 1, template, "warning", name=name, slug=slug))
            before = len(problems)
            values = validate(doc, translation_schema, problems, WHAT[kind][1], reported=extra)
            translated_html = _body(doc, problems)
            if primary is None or extra or errors_since(problems, before):
                continue
            versions[lang] = translate(primary, doc, {**values, "html": translated_html}, lang)
        if primary is not None:
            items[slug] = versions
    return items


def _check_anyway(
    build: Callable[[Document, dict[str, Any], str], Item | None],
    doc: Document,
    schema: dict[str, Field],
    values: dict[str, Any],
    extras: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Run an item's own checks (codes known to site.yaml, opening hours, images, ...) although
    some fields failed, so one run names every problem in the file. The failed fields stand in
    as empty, and what the checks then say about those fields' lines is left out: each already
    has its message. The item itself is not kept."""
    broken = {name for name in schema if name not in values}
    filled = {name: values.get(name, schema[name].default) for name in schema}
    reported = {doc.line(name) for name in broken}
    start = len(problems)
    # A check that needs a failed field stops here: that field's message says enough.
    with contextlib.suppress(KeyError, TypeError, AttributeError, ValueError):
        build(doc, {**filled, **extras}, DEFAULT_LANGUAGE)
    new = problems[start:]
    del problems[start:]
    problems.extend(problem for problem in new if problem.line not in reported)


class _Builders:
    """Builds stories and pages, checking fields against site.yaml and the media folder."""

    def __init__(
        self,
        content_dir: Path,
        site: SiteSettings,
        problems: list[Problem],
        media: Mapping[str, tuple[tuple[str, int, int], ...]],
    ) -> None:
        self.content_dir = content_dir
        self.site = site
        self.problems = problems
        self.media = media

    def _codes(self, doc: Document, name: str, codes: Iterable[str], known: dict) -> bool:
        unknown = [c for c in codes if c not in known]
        if unknown:
            template = N_("unknown {name} {unknown}; site.yaml knows: {known}")
            self.problems.append(
                problem(
                    doc.path,
                    doc.line(name),
                    template,
                    name=name,
                    unknown=", ".join(unknown),
                    known=", ".join(known),
                )
            )
        return not unknown

    def story(self, doc: Document, values: dict[str, Any], lang: str) -> Story | None:
        ok = self._codes(doc, "themes", values["themes"], self.site.themes)
        ok &= self._codes(doc, "substances", values["substances"], self.site.substances)
        if values["age_band"] not in self.site.age_bands:
            template = N_("age_band must be one of {known}")
            known = ", ".join(self.site.age_bands)
            self.problems.append(problem(doc.path, doc.line("age_band"), template, known=known))
            ok = False
        ok &= self._picture(doc, values)
        return Story(lang=lang, source=doc.path, **values) if ok else None

    def _picture(self, doc: Document, values: dict[str, Any]) -> bool:
        """Check a story's or page's image and add the widths an upload was made in."""
        if values["image"] and not self._media_exists(values["image"]["src"]):
            template = N_(
                "image '{src}' is not in content/media/ nor among the images uploaded in the "
                "editors' area"
            )
            src = values["image"]["src"]
            self.problems.append(problem(doc.path, doc.line("image"), template, src=src))
            return False
        if values["image"] and values["image"]["src"] in self.media:
            # An upload: every width it was made in, for the page's srcset.
            files = self.media[values["image"]["src"]]
            values["image"] = {
                **values["image"],
                "srcset": ", ".join(f"{name} {width}w" for name, width, _ in files),
                "width": str(files[-1][1]),
                "height": str(files[-1][2]),
            }
        return True

    def translate_pictured(self, primary: Item, doc: Document, values: dict[str, Any], lang: str):
        """A story's or page's translation: its own texts, and its own words for the image."""
        assert isinstance(primary, Story | Page)
        image_alt = values.pop("image_alt")
        if image_alt and primary.image:
            refused = alt_text_problem(image_alt, primary.image["src"])
            if refused:
                self.problems.append(
                    problem(doc.path, doc.line("image_alt"), "{error}", error=refused)
                )
                image_alt = None
        picture = primary.image
        if picture and image_alt:
            picture = {**picture, "alt": image_alt}
        return dataclasses.replace(primary, lang=lang, source=doc.path, image=picture, **values)

    def page(self, doc: Document, values: dict[str, Any], lang: str) -> Page | None:
        if values["slug"] in RESERVED_PAGE_SLUGS:
            template = N_("'{slug}' is taken by the site itself; rename the file")
            self.problems.append(problem(doc.path, 1, template, slug=values["slug"]))
            return None
        if not self._picture(doc, values):
            return None
        return Page(lang=lang, source=doc.path, **values)

    def _media_exists(self, src: str) -> bool:
        if src in self.media:
            return True
        media = (self.content_dir / "media").resolve()
        target = (media / src).resolve()
        return target.is_relative_to(media) and target.is_file()


def _check_page_links(site_doc: Document, content: Content, problems: list[Problem]) -> None:
    for name in ("advice_sections", "footer_pages", "harm_reduction_pages"):
        for slug in getattr(content.site, name):
            if slug not in content.pages:
                template = N_("{name}: there is no page '{slug}' in pages/")
                line = site_doc.line(name)
                problems.append(problem(site_doc.path, line, template, name=name, slug=slug))
    for slug, versions in content.pages.items():
        page = versions[DEFAULT_LANGUAGE]
        if page.parent is not None and (page.parent not in content.pages or page.parent == slug):
            template = N_("parent '{parent}' is not another page in pages/")
            problems.append(problem(page.source, 1, template, parent=page.parent))
    for tests in content.selftests.values():
        test = tests[DEFAULT_LANGUAGE]
        if test.page is not None and test.page not in content.pages:
            template = N_("page '{page}' is not in pages/")
            problems.append(problem(test.source, 1, template, page=test.page))


def _translate(primary: Item, doc: Document, values: dict[str, Any], lang: str) -> Item:
    """A translation that only replaces the fields it holds (pages, campaigns)."""
    return dataclasses.replace(primary, lang=lang, source=doc.path, **values)


def _translate_entry(primary: Item, doc: Document, values: dict[str, Any], lang: str) -> Item:
    values["title"] = values.pop("name")
    return dataclasses.replace(primary, lang=lang, source=doc.path, **values)


def load_content(
    content_dir: Path,
    today: dt.date | None = None,
    overlay: Overlay | None = None,
    media: Mapping[str, tuple[tuple[str, int, int], ...]] | None = None,
) -> tuple[Content | None, list[Problem]]:
    """Read everything below `content_dir`, with `overlay` (editors' published versions) laid
    over its files and `media` (images uploaded in the editors' area, media.index) beside
    content/media/. Content is None only when site.yaml is unusable."""
    problems: list[Problem] = []
    site, site_doc = load_site(content_dir, problems)
    if site is None or site_doc is None:
        return None, problems
    today = today or dt.datetime.now(ZoneInfo(site.timezone)).date()
    entries = EntryChecker(site, problems)
    builders = _Builders(content_dir, site, problems, media or {})
    stories = _load_items(
        content_dir / "stories",
        *SCHEMAS["stories"],
        builders.story,
        builders.translate_pictured,
        "story",
        problems,
        overlay,
    )
    pages = _load_items(
        content_dir / "pages",
        *SCHEMAS["pages"],
        builders.page,
        builders.translate_pictured,
        "page",
        problems,
        overlay,
    )
    services = _load_items(
        content_dir / "services",
        *SCHEMAS["services"],
        lambda doc, values, lang: entries.service(doc, values, lang, today),
        _translate_entry,
        "service",
        problems,
        overlay,
    )
    groups = _load_items(
        content_dir / "groups",
        *SCHEMAS["groups"],
        lambda doc, values, lang: entries.group(doc, values, lang, today),
        _translate_entry,
        "group",
        problems,
        overlay,
    )
    builder = CampaignBuilder(site, problems)
    campaigns = by_code(
        _load_items(
            content_dir / "campaigns",
            *SCHEMAS["campaigns"],
            builder.build,
            _translate,
            "campaign",
            problems,
            overlay,
        ),
        problems,
    )
    tests = SelfTestBuilder(site, problems)
    selftests = _load_items(
        content_dir / "selftests",
        *SCHEMAS["selftests"],
        tests.build,
        tests.translate,
        "selftest",
        problems,
        overlay,
    )
    rules = load_routing(content_dir, site, set(campaigns), problems)
    content = Content(
        site=site,
        stories=stories,
        pages=pages,
        related=related_stories(
            {slug: versions[DEFAULT_LANGUAGE] for slug, versions in stories.items()}
        ),
        services=services,
        groups=groups,
        campaigns=campaigns,
        selftests=selftests,
        routing=preference_rules(campaigns, rules, problems) if rules else None,
    )
    _check_page_links(site_doc, content, problems)
    return content, sorted(problems, key=lambda p: (str(p.path), p.line))
