"""Pairing two lists item by item, in stages: equal keys first, then the most alike
(`bptools.diff` pairs projects and indicators of two years so)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

Stage = Callable[[Sequence[Any], Sequence[Any]], list[tuple[int, int]]]


def match(
    left: Sequence[T], right: Sequence[T], stages: Sequence[Stage]
) -> tuple[list[tuple[int, int, int]], set[int], set[int]]:
    """Pair `left` with `right` stage by stage, each stage given what the earlier ones left.

    Returns the pairs as (stage, left index, right index) and the indices left unpaired on
    either side.
    """
    free_left, free_right = list(range(len(left))), list(range(len(right)))
    pairs: list[tuple[int, int, int]] = []
    for n, stage in enumerate(stages):
        if not (free_left and free_right):
            break
        found = stage([left[i] for i in free_left], [right[j] for j in free_right])
        pairs += [(n, free_left[a], free_right[b]) for a, b in found]
        taken_left, taken_right = {a for a, _ in found}, {b for _, b in found}
        free_left = [i for a, i in enumerate(free_left) if a not in taken_left]
        free_right = [j for b, j in enumerate(free_right) if b not in taken_right]
    return pairs, set(free_left), set(free_right)


def equal(key: Callable[[Any], Hashable]) -> Stage:
    """A stage pairing items of equal keys, in order (the first with the first)."""

    def stage(left: Sequence[Any], right: Sequence[Any]) -> list[tuple[int, int]]:
        waiting: dict[Hashable, deque[int]] = defaultdict(deque)
        for j, item in enumerate(right):
            waiting[key(item)].append(j)
        pairs = []
        for i, item in enumerate(left):
            if queue := waiting.get(key(item)):
                pairs.append((i, queue.popleft()))
        return pairs

    return stage


def best(score: Callable[[Any, Any], float | None]) -> Stage:
    """A stage pairing the most alike first: `score` says how alike two items are, None
    when they are not one."""

    def stage(left: Sequence[Any], right: Sequence[Any]) -> list[tuple[int, int]]:
        scored = []
        for i, a in enumerate(left):
            for j, b in enumerate(right):
                if (found := score(a, b)) is not None:
                    scored.append((-found, i, j))
        pairs, used_left, used_right = [], set(), set()
        for _, i, j in sorted(scored):
            if i not in used_left and j not in used_right:
                pairs.append((i, j))
                used_left.add(i)
                used_right.add(j)
        return pairs

    return stage
