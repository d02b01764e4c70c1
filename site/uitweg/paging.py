"""Long lists in pages: the directory's results and the stories.

The page number comes from the address, so it is read forgivingly: anything that is not a
small whole number is page 1, and a number past the end is the last page (a list that got
shorter since someone kept a link still shows something).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 20


def page_number(raw: str | None) -> int:
    """The page asked for in `?page=`: 1 for anything but a positive number below 100,000."""
    text = raw or ""
    # isascii: "²" and "٣" are digits to str.isdigit() but not to int().
    if text.isascii() and text.isdigit() and len(text) < 6 and int(text) > 0:
        return int(text)
    return 1


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: Sequence[T]  # those on this page
    page: int
    pages: int
    total: int

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link, None where a gap is shown: the first and last page and
        those beside the current one (the GOV.UK pattern), so 250 pages take seven links."""
        wanted = sorted({1, self.page - 1, self.page, self.page + 1, self.pages})
        shown: list[int | None] = []
        previous = 0
        for number in wanted:
            if not 1 <= number <= self.pages:
                continue
            if number - previous == 2:
                shown.append(previous + 1)  # a gap of one page: the number says more than "…"
            elif number - previous > 2:
                shown.append(None)
            shown.append(number)
            previous = number
        return shown


def paged(found: Sequence[T], page: int, size: int = PAGE_SIZE) -> Paged[T]:
    pages = max(1, -(-len(found) // size))
    page = min(max(page, 1), pages)
    return Paged(found[(page - 1) * size : page * size], page, pages, len(found))
