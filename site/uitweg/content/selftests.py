"""Self-tests in content/selftests/: questions with points, score bands, and next steps.

The Dutch file holds the points and the bands' limits; a translation holds only the words, keyed
by the same ids, so a test cannot score differently in another language. The check proves that
the bands cover every score the questions can add up to, once each.

Answers are read and scored here and nowhere else; nothing in this module keeps them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..vocabulary import ASKING
from ..vocabulary import TOPICS as CALLBACK_TOPICS
from .frontmatter import Document
from .model import Item
from .problems import N_
from .schema import SLUG_RE, Reporter
from .schema import text as checked_text

# Where a band's next steps can lead (selftests/routes.py step_url).
STEPS = ("callback", "help", "groups", "stories", "page")
MAX_QUESTIONS = 40
MAX_OPTIONS = 8


@dataclass(frozen=True)
class Option:
    text: str
    points: int


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""
    yes_no: bool = False  # options are then (no, yes), and shown as "Nee"/"Ja"

    @property
    def field(self) -> str:
        """The name of the form field; ids stay apart from other fields (a `csrf`, say)."""
        return f"q-{self.id}"


@dataclass(frozen=True)
class Band:
    id: str
    low: int
    high: int
    title: str
    text: str
    not_meant: str
    steps: tuple[str, ...]


def score_range(questions: Sequence[Question]) -> tuple[int, int]:
    """The lowest and the highest total the questions can add up to."""
    lowest = sum(min(o.points for o in q.options) for q in questions)
    highest = sum(max(o.points for o in q.options) for q in questions)
    return lowest, highest


@dataclass(frozen=True)
class SelfTest(Item):
    asking: str = "myself"
    topic: str = "drugs"  # on the callback form
    help_topic: str | None = None  # a site.yaml topic: the directory's filter
    theme: str | None = None
    substance: str | None = None
    page: str | None = None
    order: int = 100
    minutes: int = 3
    questions: tuple[Question, ...] = ()
    bands: tuple[Band, ...] = ()

    @property
    def lowest(self) -> int:
        return score_range(self.questions)[0]

    @property
    def highest(self) -> int:
        return score_range(self.questions)[1]

    @property
    def offered_steps(self) -> tuple[str, ...]:
        """The next steps any band offers, in the order of STEPS."""
        return tuple(step for step in STEPS if any(step in band.steps for band in self.bands))

    def band(self, score: int) -> Band:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        raise ValueError(f"no band for {score}")  # the content check makes this unreachable

    def band_by_id(self, band_id: str) -> Band | None:
        return next((band for band in self.bands if band.id == band_id), None)


@dataclass(frozen=True)
class Answers:
    """What a POST answered: the chosen option's index per question id, and per question id
    what was wrong ("missing", "not-an-option", "twice")."""

    chosen: dict[str, int]
    wrong: dict[str, str]


def read_answers(test: SelfTest, posted: Mapping[str, Sequence[str]]) -> Answers:
    """`posted` is the form as lists of values (request.form.to_dict(flat=False)). Fields that
    are not questions are ignored; the same field sent twice with different values is refused
    rather than guessed."""
    chosen: dict[str, int] = {}
    wrong: dict[str, str] = {}
    for question in test.questions:
        values = set(posted.get(question.field, ()))
        if not values or values == {""}:
            wrong[question.id] = "missing"
            continue
        if len(values) > 1:
            wrong[question.id] = "twice"
            continue
        # Only the values the form offers ("0", "1", ...): not "01", "１" or " 1".
        value = values.pop()
        offered = [str(index) for index in range(len(question.options))]
        if value not in offered:
            wrong[question.id] = "not-an-option"
            continue
        chosen[question.id] = offered.index(value)
    return Answers(chosen, wrong)


def score(test: SelfTest, answers: Answers) -> tuple[int, Band]:
    """The total and its band; only for answers without anything wrong."""
    assert not answers.wrong
    total = sum(q.options[answers.chosen[q.id]].points for q in test.questions)
    return total, test.band(total)


def _texts(value: Any) -> str | None:
    """A text, stripped, or None (schema.text without its message)."""
    return checked_text(value)[0]


def _points(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    return None


class SelfTestBuilder(Reporter):
    """Builds a test from its checked front matter, reporting each problem on its own line."""

    def build(self, doc: Document, values: dict[str, Any], lang: str) -> SelfTest | None:
        before = len(self.problems)
        self._codes(doc, values)
        questions = self._questions(doc, values.pop("questions"))
        bands = self._bands(doc, values.pop("bands"), values)
        if questions and bands is not None:
            self._coverage(doc, questions, bands)
        if len(self.problems) > before or not questions or bands is None:
            return None
        return SelfTest(
            lang=lang,
            source=doc.path,
            questions=tuple(questions),
            bands=tuple(bands),
            **values,
        )

    def _codes(self, doc: Document, values: dict[str, Any]) -> None:
        checks = (
            ("asking", ASKING),
            ("topic", CALLBACK_TOPICS),
            ("help_topic", tuple(self.site.topics)),
            ("theme", tuple(self.site.themes)),
            ("substance", tuple(self.site.substances)),
        )
        for name, known in checks:
            if values.get(name) is not None and values[name] not in known:
                template = N_("{name} must be one of {known}")
                self.error(doc, name, template, name=name, known=", ".join(known))

    def _questions(self, doc: Document, raw: Any) -> list[Question]:
        if not isinstance(raw, list) or not raw or len(raw) > MAX_QUESTIONS:
            template = N_("'questions' must be a list of 1 to {most} questions")
            self.error(doc, "questions", template, most=MAX_QUESTIONS)
            return []
        questions: list[Question] = []
        seen: set[str] = set()
        for index, entry in enumerate(raw):
            where = f"questions.{index}"
            question = self._question(doc, where, entry)
            if question is None:
                continue
            if question.id in seen:
                self.error(doc, where, N_("question id '{id}' is used twice"), id=question.id)
                continue
            seen.add(question.id)
            questions.append(question)
        return questions if len(questions) == len(raw) else []

    def _question(self, doc: Document, where: str, entry: Any) -> Question | None:
        allowed = {"id", "text", "hint", "options", "yes_points"}
        if not isinstance(entry, dict) or set(entry) - allowed:
            template = N_(
                "each question has 'id', 'text', optionally 'hint', and either 'options' "
                "(a list of {{text, points}}) or 'yes_points'"
            )
            self.error(doc, where, template)
            return None
        qid, text = entry.get("id"), _texts(entry.get("text"))
        if not isinstance(qid, str) or not SLUG_RE.match(qid) or len(qid) > 40:
            template = N_("a question needs an 'id' in lower-case letters, digits and dashes")
            self.error(doc, f"{where}.id", template)
            return None
        if text is None:
            self.error(doc, f"{where}.text", N_("question '{id}' needs a 'text'"), id=qid)
            return None
        hint = _texts(entry.get("hint")) or ""
        if ("options" in entry) == ("yes_points" in entry):
            template = N_("question '{id}' needs either 'options' or 'yes_points', not both")
            self.error(doc, where, template, id=qid)
            return None
        if "yes_points" in entry:
            points = _points(entry["yes_points"])
            if points is None:
                template = N_("'yes_points' of question '{id}' must be a whole number, 0 to 100")
                self.error(doc, f"{where}.yes_points", template, id=qid)
                return None
            return Question(qid, text, (Option("", 0), Option("", points)), hint, yes_no=True)
        options = self._options(doc, f"{where}.options", qid, entry["options"])
        if options is None:
            return None
        return Question(qid, text, options, hint)

    def _options(self, doc: Document, where: str, qid: str, raw: Any) -> tuple[Option, ...] | None:
        template = N_(
            "the options of question '{id}' must be a list of 2 to {most} entries "
            "{{text: ..., points: 0}} (points a whole number, 0 to 100)"
        )
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
            self.error(doc, where, template, id=qid, most=MAX_OPTIONS)
            return None
        options = []
        for index, entry in enumerate(raw):
            ok = isinstance(entry, dict) and set(entry) == {"text", "points"}
            text = _texts(entry.get("text")) if ok else None
            points = _points(entry.get("points")) if ok else None
            if text is None or points is None:
                self.error(doc, f"{where}.{index}", template, id=qid, most=MAX_OPTIONS)
                return None
            options.append(Option(text, points))
        return tuple(options)

    def _bands(self, doc: Document, raw: Any, values: dict[str, Any]) -> list[Band] | None:
        if not isinstance(raw, list) or not raw:
            self.error(doc, "bands", N_("'bands' must be a list of score bands"))
            return None
        bands: list[Band] = []
        seen: set[str] = set()
        ok = True
        for index, entry in enumerate(raw):
            band = self._band(doc, f"bands.{index}", entry, values)
            if band is None:
                ok = False
            elif band.id in seen:
                self.error(doc, f"bands.{index}", N_("band id '{id}' is used twice"), id=band.id)
                ok = False
            else:
                seen.add(band.id)
                bands.append(band)
        return bands if ok else None

    def _band(self, doc: Document, where: str, entry: Any, values: dict[str, Any]) -> Band | None:
        fields = {"id", "from", "to", "title", "text", "not_meant", "steps"}
        if not isinstance(entry, dict) or set(entry) != fields:
            template = N_(
                "each band has exactly 'id', 'from', 'to', 'title', 'text', 'not_meant' and 'steps'"
            )
            self.error(doc, where, template)
            return None
        bid = entry["id"]
        if not isinstance(bid, str) or not SLUG_RE.match(bid) or len(bid) > 40:
            template = N_("a band needs an 'id' in lower-case letters, digits and dashes")
            self.error(doc, f"{where}.id", template)
            return None
        low, high = _points(entry["from"]), _points(entry["to"])
        if low is None or high is None or high < low:
            template = N_("band '{id}': 'from' and 'to' are whole numbers, 'to' not below 'from'")
            self.error(doc, f"{where}.from", template, id=bid)
            return None
        texts = [_texts(entry[name]) for name in ("title", "text", "not_meant")]
        if any(t is None for t in texts):
            template = N_("band '{id}' needs a 'title', a 'text' and a 'not_meant'")
            self.error(doc, where, template, id=bid)
            return None
        steps = entry["steps"]
        if (
            not isinstance(steps, list)
            or not steps
            or any(step not in STEPS for step in steps)
            or len(set(steps)) != len(steps)
        ):
            template = N_("band '{id}': 'steps' is a list taken from {known}")
            self.error(doc, f"{where}.steps", template, id=bid, known=", ".join(STEPS))
            return None
        if "page" in steps and not values.get("page"):
            template = N_("band '{id}' has the step 'page', so the test needs a 'page'")
            self.error(doc, f"{where}.steps", template, id=bid)
            return None
        title, text, not_meant = (str(t) for t in texts)
        return Band(bid, low, high, title, text, not_meant, tuple(steps))

    def _coverage(self, doc: Document, questions: list[Question], bands: list[Band]) -> None:
        """Every possible score in exactly one band. Scores are whole numbers, so walking the
        bands in order of `from` finds each gap and each overlap."""
        lowest, highest = score_range(questions)
        expected = lowest
        for band in sorted(bands, key=lambda b: (b.low, b.high)):
            where = f"bands.{bands.index(band)}"
            if band.low > expected:
                template = N_("no band covers the scores {low} to {high}")
                self.error(doc, where, template, low=expected, high=band.low - 1)
            elif band.low < expected and band.low >= lowest:
                template = N_("band '{id}' overlaps the band before it (scores {low} to {high})")
                self.error(
                    doc,
                    where,
                    template,
                    id=band.id,
                    low=band.low,
                    high=min(band.high, expected - 1),
                )
            if band.low < lowest or band.high > highest:
                template = N_(
                    "band '{id}' goes beyond the scores the questions can give ({lowest} to "
                    "{highest})"
                )
                self.error(doc, where, template, id=band.id, lowest=lowest, highest=highest)
            expected = max(expected, band.high + 1)
        if expected <= highest:
            template = N_("no band covers the scores {low} to {high}")
            self.error(doc, "bands", template, low=expected, high=highest)

    def translate(
        self, primary: Item, doc: Document, values: dict[str, Any], lang: str
    ) -> SelfTest:
        """The translation's words over the Dutch test; anything not translated stays Dutch,
        with a problem that says so."""
        assert isinstance(primary, SelfTest)
        raw_questions = values.pop("questions") or {}
        raw_bands = values.pop("bands") or {}
        if not isinstance(raw_questions, dict):
            self.error(doc, "questions", N_("'questions' here is keyed by the Dutch ids"))
            raw_questions = {}
        if not isinstance(raw_bands, dict):
            self.error(doc, "bands", N_("'bands' here is keyed by the Dutch ids"))
            raw_bands = {}
        questions = tuple(
            self._translated_question(doc, q, raw_questions) for q in primary.questions
        )
        bands = tuple(self._translated_band(doc, b, raw_bands) for b in primary.bands)
        for name, raw, known in (
            ("questions", raw_questions, {q.id for q in primary.questions}),
            ("bands", raw_bands, {b.id for b in primary.bands}),
        ):
            for key in sorted(set(map(str, raw)) - known):
                template = N_("'{key}' is not in the Dutch file's {name}")
                self.error(doc, f"{name}.{key}", template, key=key, name=name)
        return dataclasses.replace(
            primary, lang=lang, source=doc.path, questions=questions, bands=bands, **values
        )

    def _translated_question(
        self, doc: Document, question: Question, raw: dict[str, Any]
    ) -> Question:
        entry = raw.get(question.id)
        where = f"questions.{question.id}"
        if entry is None:
            template = N_("question '{id}' is not translated: readers of this language see Dutch")
            self.error(doc, "questions", template, id=question.id)
            return question
        text = _texts(entry.get("text")) if isinstance(entry, dict) else None
        if text is None:
            self.error(doc, where, N_("question '{id}' needs a 'text'"), id=question.id)
            return question
        hint = _texts(entry.get("hint")) or question.hint
        options = question.options
        if not question.yes_no:
            raw_options = entry.get("options")
            words = [_texts(o) for o in raw_options] if isinstance(raw_options, list) else []
            if len(words) != len(options) or any(w is None for w in words):
                template = N_(
                    "question '{id}': 'options' lists the {count} answers in the Dutch order, "
                    "as text only"
                )
                self.error(doc, where, template, id=question.id, count=len(options))
            else:
                options = tuple(
                    Option(str(word), o.points) for word, o in zip(words, options, strict=True)
                )
        return dataclasses.replace(question, text=text, hint=hint, options=options)

    def _translated_band(self, doc: Document, band: Band, raw: dict[str, Any]) -> Band:
        entry = raw.get(band.id)
        if not isinstance(entry, dict):
            template = N_("band '{id}' is not translated: readers of this language see Dutch")
            self.error(doc, "bands", template, id=band.id)
            return band
        texts = {name: _texts(entry.get(name)) for name in ("title", "text", "not_meant")}
        if any(t is None for t in texts.values()) or set(entry) - set(texts):
            template = N_("band '{id}' here has exactly 'title', 'text' and 'not_meant'")
            self.error(doc, f"bands.{band.id}", template, id=band.id)
            return band
        return dataclasses.replace(
            band,
            title=str(texts["title"]),
            text=str(texts["text"]),
            not_meant=str(texts["not_meant"]),
        )
