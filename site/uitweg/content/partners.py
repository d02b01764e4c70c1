"""content/partners.yaml: the care partners that call people back, and the rules that pick one.

Every mistake names its line. Beyond the fields, the check looks at the rules as a whole: an
unknown partner or a fallback loop is an error; a rule that can never win, or a topic and
municipality that only the default partner receives, is a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..vocabulary import ASKING, OWNER, TOPICS
from . import routing
from .directory import AUDIENCES, EntryChecker
from .frontmatter import Document, parse_mapping, read_text
from .hours import Hours
from .model import SUPPORTED_LANGUAGES, SiteSettings
from .problems import N_, Problem, Said, errors_since, problem
from .schema import SLUG_RE, Field, boolean, positive_int, translated_text, validate

_tr = translated_text(SUPPORTED_LANGUAGES)


def _raw(value: Any) -> tuple[Any, str | None]:
    return value, None


FILE_SCHEMA = {
    "default": Field(_raw, required=True),
    "languages": Field(_raw, required=True),
    "partners": Field(_raw, required=True),
    "rules": Field(_raw, default=[]),
}
PARTNER_SCHEMA = {
    "name": Field(_tr, required=True),
    "notify": Field(_raw, required=True),
    "callback_hours": Field(_raw),
    "always_open": Field(boolean, default=False),
    "response_hours": Field(positive_int, required=True),
    "area": Field(_raw),
    "topics": Field(_raw),
    "audiences": Field(_raw),
    "languages": Field(_raw),
    "fallback": Field(_raw),
}
CONDITIONS = ("topics", "municipalities", "asking", "languages", "campaigns")


class _Reader:
    def __init__(
        self, doc: Document, site: SiteSettings, campaigns: set[str], problems: list[Problem]
    ) -> None:
        self.doc = doc
        self.site = site
        self.campaigns = campaigns
        self.problems = problems
        self.entries = EntryChecker(site, problems)

    def error(self, path: str, template: str, severity: str = "error", **params: Any) -> None:
        """A problem at the line of `path`; `template` is marked with N_ (problems.py)."""
        line = self.doc.line(path)
        self.problems.append(problem(self.doc.path, line, template, severity, **params))

    def codes(self, path: str, value: Any, known: tuple[str, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.error(path, N_("must be a list, e.g. [{example}]"), example=known[0])
            return None
        unknown = [str(v) for v in value if v not in known]
        if unknown:
            self.error(
                path,
                N_("unknown value(s) {unknown}; known: {known}"),
                unknown=", ".join(unknown),
                known=", ".join(known),
            )
            return None
        return tuple(value)

    def languages(self, value: Any) -> dict[str, dict[str, str]] | None:
        if not isinstance(value, dict) or not value:
            self.error(
                "languages",
                N_(
                    "list the languages people can choose, e.g. `nl: {{nl: Nederlands, en: Dutch}}`"
                ),
            )
            return None
        result = {}
        for code, label in value.items():
            name, refused = _tr(label)
            if not isinstance(code, str) or len(code) != 2 or not code.isalpha() or refused:
                self.error(
                    f"languages.{code}",
                    N_("language '{code}': a two-letter code with a name per language"),
                    code=code,
                )
                return None
            result[code] = name
        if "nl" not in result:
            self.error("languages", N_("the languages must include nl"))
            return None
        return result

    def partner(self, slug: Any, spec: Any, languages: tuple[str, ...]) -> routing.Partner | None:
        path = f"partners.{slug}"
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            self.error(
                path, N_("partner '{slug}': use a code in lower case with dashes"), slug=slug
            )
            return None
        if slug == OWNER:
            self.error(
                path,
                N_("'{code}' is the site owner's code for its staff: choose another"),
                code=OWNER,
            )
            return None
        if not isinstance(spec, dict):
            self.error(
                path,
                N_("partner '{slug}' needs fields such as name, notify and response_hours"),
                slug=slug,
            )
            return None
        before = len(self.problems)
        part = Document(
            self.doc.path,
            spec,
            {
                key[len(path) + 1 :]: line
                for key, line in self.doc.lines.items()
                if key.startswith(path + ".")
            },
        )
        what = Said(N_("partner '{slug}'"), slug=slug)
        values = validate(part, PARTNER_SCHEMA, self.problems, what)
        notify = values.get("notify")
        if not isinstance(notify, list) or not notify:
            self.error(f"{path}.notify", N_("notify must be a list of e-mail addresses"))
            notify = []
        for index, address in enumerate(notify):
            self.entries.email(self.doc, f"{path}.notify.{index}", address)
        spans = []
        for index, item in enumerate(values.get("callback_hours") or []):
            spans.append(
                self.entries.span(
                    self.doc, f"{path}.callback_hours.{index}", item, "opens_at", "closes_at"
                )
            )
        if not spans and not values.get("always_open"):
            self.error(
                path, N_("partner '{slug}' needs callback_hours (or always_open: true)"), slug=slug
            )
        area = values.get("area")
        area = self.codes(f"{path}.area", area, self.site.municipalities) if area else ()
        topics = values.get("topics")
        topics = self.codes(f"{path}.topics", topics, TOPICS) if topics else ()
        audiences = values.get("audiences")
        audiences = self.codes(f"{path}.audiences", audiences, AUDIENCES) if audiences else ()
        spoken = values.get("languages")
        spoken = self.codes(f"{path}.languages", spoken, languages) if spoken else ("nl",)
        fallback = values.get("fallback")
        if errors_since(self.problems, before):
            return None
        if area is None or topics is None or audiences is None or spoken is None:
            return None
        return routing.Partner(
            slug=slug,
            name=values["name"],
            notify=tuple(notify),
            hours=Hours(tuple(s for s in spans if s), always_open=values["always_open"]),
            response_hours=values["response_hours"],
            area=area,
            topics=topics,
            audiences=audiences,
            languages=spoken,
            fallback=str(fallback) if fallback is not None else None,
        )

    def rule(self, index: int, spec: Any, languages: tuple[str, ...]) -> routing.Rule | None:
        path = f"rules.{index}"
        known = {"name", "note", "when", "partner"}
        if not isinstance(spec, dict) or set(spec) - known or "partner" not in spec:
            self.error(path, N_("a rule has 'name', 'partner', optionally 'when' and 'note'"))
            return None
        name = spec.get("name")
        if not isinstance(name, str) or not SLUG_RE.match(name) or name == routing.DEFAULT_RULE:
            self.error(
                f"{path}.name",
                N_("a rule needs a name in lower case with dashes (not '{reserved}')"),
                reserved=routing.DEFAULT_RULE,
            )
            return None
        when = spec.get("when") or {}
        if not isinstance(when, dict) or set(when) - set(CONDITIONS):
            self.error(f"{path}.when", N_("'when' may hold {known}"), known=", ".join(CONDITIONS))
            return None
        known_values = {
            "topics": TOPICS,
            "municipalities": (*self.site.municipalities, routing.ELSEWHERE),
            "asking": ASKING,
            "languages": languages,
            "campaigns": tuple(sorted(self.campaigns)) or ("(no campaigns yet)",),
        }
        conditions = {}
        for condition, value in when.items():
            cleaned = self.codes(f"{path}.when.{condition}", value, known_values[condition])
            if cleaned is None:
                return None
            conditions[condition] = frozenset(cleaned)
        note = spec.get("note")
        return routing.Rule(
            name=name,
            partner=str(spec["partner"]),
            note=str(note).strip() if note else "",
            **conditions,
        )


def load_routing(
    content_dir: Path, site: SiteSettings, campaigns: set[str], problems: list[Problem]
) -> routing.Routing | None:
    """The routing from partners.yaml; None (with a problem) when it is missing or invalid."""
    path = content_dir / "partners.yaml"
    if not path.is_file():
        template = N_(
            "partners.yaml is missing: the callback form is off until care partners are listed"
        )
        problems.append(problem(path, 1, template, "warning"))
        return None
    source = read_text(path, problems)
    parsed = parse_mapping(path, source, 1, problems) if source is not None else None
    if parsed is None:
        return None
    doc = Document(path=path, fields=parsed[0], lines=parsed[1])
    before = len(problems)
    values = validate(doc, FILE_SCHEMA, problems, "partners.yaml")
    if errors_since(problems, before):
        return None
    reader = _Reader(doc, site, campaigns, problems)
    languages = reader.languages(values["languages"])
    if languages is None:
        return None
    if not isinstance(values["partners"], dict) or not values["partners"]:
        reader.error("partners", N_("list at least one partner"))
        return None
    partners = {}
    for slug, spec in values["partners"].items():
        partner = reader.partner(slug, spec, tuple(languages))
        if partner is not None:
            partners[slug] = partner
    rules = []
    if not isinstance(values["rules"], list):
        reader.error("rules", N_("rules must be a list"))
    else:
        for index, spec in enumerate(values["rules"]):
            rule = reader.rule(index, spec, tuple(languages))
            if rule is not None:
                rules.append((index, rule))
    if errors_since(problems, before):
        return None
    return _check_whole(reader, partners, rules, str(values["default"]), languages)


def _check_whole(
    reader: _Reader,
    partners: dict[str, routing.Partner],
    numbered_rules: list[tuple[int, routing.Rule]],
    default: str,
    languages: dict[str, dict[str, str]],
) -> routing.Routing | None:
    before = len(reader.problems)
    if default not in partners:
        reader.error("default", N_("default partner '{slug}' is not in partners"), slug=default)
    names: set[str] = set()
    for index, rule in numbered_rules:
        if rule.partner not in partners:
            reader.error(
                f"rules.{index}.partner",
                N_("rule '{rule}': partner '{slug}' is not in partners"),
                rule=rule.name,
                slug=rule.partner,
            )
        if rule.name in names:
            reader.error(
                f"rules.{index}.name", N_("rule name '{rule}' is used twice"), rule=rule.name
            )
        names.add(rule.name)
    for slug, partner in partners.items():
        if partner.fallback is not None and partner.fallback not in partners:
            reader.error(
                f"partners.{slug}.fallback",
                N_("fallback '{slug}' is not in partners"),
                slug=partner.fallback,
            )
    for loop in routing.fallback_loops(partners):
        chain = " -> ".join([*loop, loop[0]])
        reader.error(f"partners.{loop[0]}.fallback", N_("fallback loop: {chain}"), chain=chain)
    if errors_since(reader.problems, before):
        return None
    result = routing.Routing(partners, tuple(r for _, r in numbered_rules), default, languages)
    cases = list(routing.every_case(reader.site.municipalities, languages, reader.campaigns))
    index_of = {rule.name: index for index, rule in numbered_rules}
    for rule in routing.unreachable_rules(result, cases):
        reader.error(
            f"rules.{index_of[rule.name]}",
            N_("rule '{rule}' can never match: rules above it catch every request it would get"),
            "warning",
            rule=rule.name,
        )
    unspoken: dict[tuple[str, str], str] = {}
    for case in cases:
        decision = result.route(case)
        if case.language not in decision.partner.languages:
            unspoken.setdefault((decision.rule, case.language), decision.partner.slug)
    for (rule_name, language), slug in unspoken.items():
        where = f"rules.{index_of[rule_name]}" if rule_name in index_of else "default"
        reader.error(
            where,
            N_(
                "requests in '{language}' can reach partner '{slug}' (by rule "
                "'{rule}'), which does not list that language"
            ),
            "warning",
            language=language,
            slug=slug,
            rule=rule_name,
        )
    gaps = routing.uncovered(result, cases)
    if gaps:
        listed = "; ".join(f"{topic} in {place}" for topic, place in gaps)
        reader.error(
            "rules",
            N_("no rule covers {listed}: these go to the default partner '{slug}'"),
            "warning",
            listed=listed,
            slug=default,
        )
    return result
