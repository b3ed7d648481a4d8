"""Satisfaction figures from counts, pure (no Django), by the spec's `satisfaction` rule.

mean = Σ count × value / Σ count over the cycle's choices (default satisfied 100, fairly 80, basically 60,
unsatisfied 0); approval rate (满意率) = share of answers whose choice is worth at least 60; below
`min_responses` answers (default 30) the sample is insufficient (样本不足) and the engine scores the unit with
its peers' average — these figures say so, they do not score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_CHOICES = {"satisfied": 100.0, "fairly_satisfied": 80.0, "basically_satisfied": 60.0, "unsatisfied": 0.0}
APPROVAL_AT = 60.0
DEFAULT_MIN_RESPONSES = 30


@dataclass(frozen=True)
class Satisfaction:
    answers: int
    mean: float | None  # 满意度 (0–100)
    approval: float | None  # 满意率 (%)
    enough: bool  # at least min_responses answers


def satisfaction(counts: Mapping[str, int], choices: Mapping[str, float] | None = None,
                 min_responses: int = DEFAULT_MIN_RESPONSES) -> Satisfaction:
    """The figures of one unit (or unit and group) from its counts per choice; unknown choices are not counted."""
    choices = choices or DEFAULT_CHOICES
    n = sum(int(c) for k, c in counts.items() if k in choices)
    if n == 0:
        return Satisfaction(0, None, None, False)
    total = sum(int(c) * float(choices[k]) for k, c in counts.items() if k in choices)
    approved = sum(int(c) for k, c in counts.items() if k in choices and float(choices[k]) >= APPROVAL_AT)
    return Satisfaction(n, total / n, 100.0 * approved / n, n >= min_responses)
