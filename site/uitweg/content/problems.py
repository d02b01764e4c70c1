"""Problems found in content/, each pointing at a file and line an editor can open."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" stops production start-up; "warning" only informs

    def format(self, relative_to: Path | None = None) -> str:
        path = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(relative_to.resolve())
        prefix = "" if self.severity == "error" else "warning: "
        return f"{path}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error_count(problems: list[Problem]) -> int:
    return sum(p.is_error for p in problems)


class ContentInvalid(RuntimeError):
    """Raised at start-up in production when content/ has errors."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(p.format() for p in problems if p.is_error)
        super().__init__(f"content/ has {len(problems)} problem(s); fix them first:\n{lines}")
