"""Answers that add up to a chosen score, for tests that walk a self-test's bands."""

from __future__ import annotations

from uitweg.content.selftests import SelfTest


def answers_for(test: SelfTest, score: int) -> dict[str, str]:
    """Form fields (option indexes) whose points add up to `score`; AssertionError when the
    questions cannot give that score."""
    # reachable[i]: the scores questions[:i] can add up to, each with the choice that got there.
    reachable: list[dict[int, tuple[int, int]]] = [{0: (0, -1)}]
    for question in test.questions:
        step: dict[int, tuple[int, int]] = {}
        for before in reachable[-1]:
            for index, option in enumerate(question.options):
                step.setdefault(before + option.points, (before, index))
        reachable.append(step)
    assert score in reachable[-1], f"{test.slug} cannot score {score}"
    chosen: dict[str, str] = {}
    total = score
    for position in range(len(test.questions), 0, -1):
        before, index = reachable[position][total]
        chosen[test.questions[position - 1].field] = str(index)
        total = before
    return chosen
