"""Related stories: for each story, the others that share most with it.

A story is related to another by what they share: each theme counts 2, each substance 1. Among
equals the newer comes first, then the one whose slug sorts first. Only the first `KEPT` are
kept for each story, which leaves room for some that are not (yet) published.

Comparing every story with every other grows with the square of the number of stories (6,000
stories took two minutes and 300 MB). The score depends only on a story's combination of
themes and substances, so stories are grouped by that combination and groups are compared
instead: the number of groups is bounded by the vocabulary in site.yaml, not by the content.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .model import Story

KEPT = 12

Combination = tuple[int, int]  # themes and substances, one bit per code


def related(stories: Mapping[str, Story], kept: int = KEPT) -> dict[str, tuple[str, ...]]:
    """For each story's slug, up to `kept` other slugs, most related first."""
    bits: dict[str, int] = {}

    def mask(kind: str, codes: Iterable[str]) -> int:
        value = 0
        for code in codes:
            value |= 1 << bits.setdefault(f"{kind}:{code}", len(bits))
        return value

    combination_of: dict[str, Combination] = {}
    groups: dict[Combination, list[tuple[int, str]]] = defaultdict(list)
    for slug, story in stories.items():
        combination = (mask("theme", story.themes), mask("substance", story.substances))
        combination_of[slug] = combination
        groups[combination].append((-story.date.toordinal(), slug))
    # In the order ties are broken. No story can use more than kept + 1 of one group (itself
    # and `kept` others), so the rest of a group is never looked at.
    heads = {combination: sorted(members)[: kept + 1] for combination, members in groups.items()}
    ranked = {combination: _ranked(combination, heads, kept + 1) for combination in heads}
    return {
        slug: tuple(other for other in ranked[combination] if other != slug)[:kept]
        for slug, combination in combination_of.items()
    }


def _ranked(
    mine: Combination, heads: Mapping[Combination, list[tuple[int, str]]], wanted: int
) -> list[str]:
    """The first `wanted` slugs, best first, for a story with the combination `mine`."""
    themes, substances = mine
    by_score: dict[int, list[list[tuple[int, str]]]] = defaultdict(list)
    for (other_themes, other_substances), members in heads.items():
        shared_themes = (themes & other_themes).bit_count()
        score = 2 * shared_themes + (substances & other_substances).bit_count()
        if score:
            by_score[score].append(members)
    found: list[str] = []
    for score in sorted(by_score, reverse=True):
        for _newest, slug in heapq.merge(*by_score[score]):
            found.append(slug)
            if len(found) == wanted:
                return found
    return found
