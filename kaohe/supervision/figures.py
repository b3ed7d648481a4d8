"""The supervision figures, pure (no Django): execution rates of funds, investment completion, the bulletin lists.

Rates are percentages rounded half up to two decimals, as an office writes them in a bulletin
(Suining 2023: budget 32.14, issued 34.17 → 106.32 %; paid 32.4 → 100.81 %).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The bulletin's lists (通报): red list (红榜) and laggards (进度滞后), on the quarter's inspection score and the
# investment completed to date against the plan to date.
RED_LIST_SCORE = 90.0
RED_LIST_RATE = Decimal(100)
LAGGARD_SCORE = 70.0
LAGGARD_RATE = Decimal(80)

CENT = Decimal("0.01")


def rate(part: Decimal | float | int | None, whole: Decimal | float | int | None) -> Decimal | None:
    """part / whole as a percentage with two decimals (half up); None when there is no whole to divide by."""
    if part is None or whole is None or Decimal(str(whole)) == 0:
        return None
    return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yi(amount: Decimal) -> Decimal:
    """万元 → 亿元, two decimals, as the totals are reported."""
    return (Decimal(amount) / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class QuarterFigures:
    """A project's figures in a quarter: to date (quarters 1..q) and the quarter's own inspection score."""

    planned_to_date: Decimal
    completed_to_date: Decimal
    completion_rate: Decimal | None
    score: float | None


def quarter_figures(quarters: Iterable[tuple[int, Decimal, Decimal | None, float | None]], q: int) -> QuarterFigures:
    """From (quarter, planned, completed, score) rows: the figures to date at quarter q (missing completed = 0)."""
    planned = completed = Decimal(0)
    score = None
    for n, p, c, s in quarters:
        if n <= q:
            planned += Decimal(p or 0)
            completed += Decimal(c or 0)
        if n == q:
            score = s
    return QuarterFigures(planned, completed, rate(completed, planned), score)


def on_red_list(f: QuarterFigures) -> bool:
    """红榜: scored at least 90 this quarter and completed at least the plan to date."""
    return (f.score is not None and f.score >= RED_LIST_SCORE and f.completion_rate is not None
            and f.completion_rate >= RED_LIST_RATE)


def lagging(f: QuarterFigures) -> bool:
    """进度滞后: below 80 % of the plan to date, or scored below 70 this quarter."""
    return ((f.completion_rate is not None and f.completion_rate < LAGGARD_RATE)
            or (f.score is not None and f.score < LAGGARD_SCORE))


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_to_date(year: int, day: dt.date) -> int:
    """The quarter a year's figures run to on a day: 4 for a past year, 1 for a future one, else day's quarter."""
    if year < day.year:
        return 4
    if year > day.year:
        return 1
    return quarter_of(day)


def bulletin_number(year: int, quarter: int) -> str:
    """The quarterly key-project bulletin's number: one issue a quarter, 督查通报〔2026〕第3期."""
    return f"督查通报〔{year}〕第{quarter}期"


def ranks(scores: Sequence[float | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) by score, highest first; None for a project not scored."""
    out: list[int | None] = []
    for s in scores:
        out.append(None if s is None else 1 + sum(1 for other in scores if other is not None and other > s))
    return out
