"""Walking parent links: a node and everything beneath it."""

from __future__ import annotations

from collections.abc import Iterable


def subtree(edges: Iterable[tuple[int, int | None]], root: int) -> set[int]:
    """The ids of `root` and of every node below it, from (id, parent id) pairs."""
    kids: dict[int | None, list[int]] = {}
    for pk, parent in edges:
        kids.setdefault(parent, []).append(pk)
    out, stack = set(), [root]
    while stack:
        j = stack.pop()
        out.add(j)
        stack.extend(kids.get(j, []))
    return out
