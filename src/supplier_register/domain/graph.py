"""Loops in the dependencies between suppliers: found before one is recorded, named when refused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def find_loop(edges: Iterable[tuple[K, K]], source: K, target: K) -> list[K] | None:
    """The loop that adding ``source`` -> ``target`` to ``edges`` would close, else None.

    Edges point from a supplier to the one it depends on.  The loop is given as
    the path ``[source, target, ..., source]`` (shortest first, found breadth
    first), so the message can name every supplier on it.
    """
    if source == target:
        return [source, source]
    onward: dict[K, list[K]] = defaultdict(list)
    for a, b in edges:
        onward[a].append(b)
    came_from: dict[K, K] = {target: target}
    frontier = [target]
    while frontier:
        following: list[K] = []
        for node in frontier:
            for nxt in onward.get(node, ()):
                if nxt in came_from:
                    continue
                came_from[nxt] = node
                if nxt == source:
                    path = [source]
                    while path[-1] != target:
                        path.append(came_from[path[-1]])
                    return [source, *reversed(path)]
                following.append(nxt)
        frontier = following
    return None


def loop_message(names: Sequence[str]) -> str:
    """The one line refusing a dependency that would close the loop through ``names``."""
    if len(names) == 2 and names[0] == names[1]:
        return "depends on: a supplier cannot depend on itself"
    chain = " → ".join(names)
    through = names[2:-1]
    via = f" through {', '.join(through)}" if through else ""
    return (
        f"depends on: {names[0]} cannot depend on {names[1]}, because {names[1]} already "
        f"depends on {names[0]}{via} ({chain}); dependencies cannot go round in a loop"
    )
