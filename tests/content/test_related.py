"""Related stories found by groups of stories give what comparing every pair gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from uitweg.content.model import Story
from uitweg.content.related import related

THEMES = ["debt", "family", "work", "help"]
SUBSTANCES = ["cannabis", "cocaine", "ghb"]


def every_pair(stories: dict[str, Story], kept: int) -> dict[str, tuple[str, ...]]:
    """The definition: every other story scored, best first, then newest, then by slug."""
    found = {}
    for slug, story in stories.items():
        scored = []
        for other_slug, other in stories.items():
            if other_slug == slug:
                continue
            score = 2 * len(set(story.themes) & set(other.themes)) + len(
                set(story.substances) & set(other.substances)
            )
            if score:
                scored.append((-score, -other.date.toordinal(), other_slug))
        found[slug] = tuple(entry[2] for entry in sorted(scored))[:kept]
    return found


def story(slug: str, themes: list[str], substances: list[str], day: int) -> Story:
    return Story(
        slug=slug,
        lang="nl",
        title=slug,
        summary="",
        html="",
        source=Path(f"{slug}.nl.md"),
        draft=False,
        publish=None,
        expires=None,
        themes=tuple(themes),
        substances=tuple(substances),
        date=dt.date(2026, 1, 1) + dt.timedelta(days=day),
    )


stories_strategy = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=4),
    st.tuples(
        st.lists(st.sampled_from(THEMES), unique=True, max_size=3),
        st.lists(st.sampled_from(SUBSTANCES), unique=True, max_size=2),
        st.integers(0, 5),  # few days, so that ties on the date are common
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(stories_strategy, st.integers(1, 6))
def test_grouped_ranking_is_the_same_as_comparing_every_pair(drawn, kept) -> None:
    stories = {slug: story(slug, *values) for slug, values in drawn.items()}
    assert related(stories, kept) == every_pair(stories, kept)


def test_a_story_sharing_nothing_has_no_related_stories() -> None:
    stories = {
        "a": story("a", ["debt"], [], 0),
        "b": story("b", ["debt"], ["ghb"], 1),
        "c": story("c", [], ["cannabis"], 2),
    }
    assert related(stories) == {"a": ("b",), "b": ("a",), "c": ()}
