"""Problems found in content/, each pointing at a file and line an editor can open.

A problem keeps its message as a template with named values, so it can be said in English
(`message`, what `flask content check` prints by default) or in the reader's language
(`text(translate)`: the editors' area, `flask content check --lang nl`). Templates are marked
with `N_` for `flask translate extract`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Values in a template that are themselves messages (a field check's complaint), translated too.
NESTED = ("error", "what", "kind")


def N_(template: str) -> str:
    """Marks a message template for translation; the text is translated when it is shown."""
    return template


class Said(str):
    """A part of a message with values of its own (a field check's complaint that names the
    allowed options): reads as its English text, and is translated from its template."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Said:
        said = super().__new__(cls, template.format(**params))
        said.template, said.params = template, params
        return said

    def translated(self, translate: Callable[[str], str]) -> str:
        try:
            return translate(self.template).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return str(self)


def _translated(value: Any, translate: Callable[[str], str]) -> Any:
    if isinstance(value, Said):
        return value.translated(translate)
    return translate(value) if isinstance(value, str) else value


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" stops production start-up; "warning" only informs
    template: str = field(default="", compare=False)
    params: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, in the language `translate` (a gettext) speaks."""
        if translate is None or not self.template:
            return self.message
        values = {
            name: _translated(value, translate) if name in NESTED else value
            for name, value in self.params
        }
        try:
            return translate(self.template).format(**values)
        except (KeyError, IndexError, ValueError):
            return self.message  # a translation that lost a placeholder: English is still right

    def format(
        self, relative_to: Path | None = None, translate: Callable[[str], str] | None = None
    ) -> str:
        path = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(relative_to.resolve())
        prefix = "" if self.severity == "error" else "warning: "
        if translate is not None and self.severity != "error":
            prefix = translate(N_("warning: "))
        return f"{path}:{self.line}: {prefix}{self.text(translate)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def problem(
    path: Path, line: int, template: str, severity: str = "error", **params: Any
) -> Problem:
    """A problem whose message is `template` (marked with N_) filled in with `params`."""
    return Problem(path, line, template.format(**params), severity, template, tuple(params.items()))


def error_count(problems: list[Problem]) -> int:
    return sum(p.is_error for p in problems)


def errors_since(problems: list[Problem], start: int) -> bool:
    """Whether a problem added at or after index `start` is an error. Checks only ever add to
    the list, so an item's checks look at their own part of it, not at every problem of the
    site so far (which made a load of thousands of files quadratic)."""
    return any(p.is_error for p in problems[start:])


class ContentInvalid(RuntimeError):
    """Raised at start-up in production when content/ has errors."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(p.format() for p in problems if p.is_error)
        super().__init__(f"content/ has {len(problems)} problem(s); fix them first:\n{lines}")
