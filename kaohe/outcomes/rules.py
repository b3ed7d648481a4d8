"""结果运用 rules as pure functions over a unit's history of published results (no Django here).

A history is the unit's result in each cycle on record, oldest first, the last being the cycle the rule
belongs to. Each kind answers with the results that triggered it (and a detail such as the quota), or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

KINDS: dict[str, str] = {
    "grade_quota": "按等次给比例",
    "bottom_n": "排名末位",
    "core_missed": "核心指标失分",
    "top_n": "排名前列",
    "consecutive_grade": "连续若干年为某等次",
    "consecutive_top_n": "连续若干年排名前列（或第一等次）",
}


@dataclass(frozen=True)
class Result:
    """A unit's published year-end result in one cycle."""

    year: int
    cycle_id: int
    rank: int
    group_size: int
    grade: str
    total: float
    vetoed: bool = False
    advanced: bool = False
    lost_by_indicator: dict[str, float] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)  # code -> name, as at that run


@dataclass(frozen=True)
class Hit:
    triggers: tuple[Result, ...]
    detail: str = ""


class BadParams(ValueError):
    """A rule's parameters that cannot be evaluated, with the reason for people."""


def _int(params: dict[str, Any], key: str, minimum: int = 1) -> int:
    try:
        value = int(params[key])
    except (KeyError, TypeError, ValueError):
        raise BadParams(f"参数 {key} 应为整数") from None
    if value < minimum:
        raise BadParams(f"参数 {key} 不应小于 {minimum}")
    return value


def _current(history: Sequence[Result], cycle_id: int) -> Result | None:
    return history[-1] if history and history[-1].cycle_id == cycle_id else None


def _last_consecutive(history: Sequence[Result], cycle_id: int, k: int) -> tuple[Result, ...] | None:
    """The last k results, if they are this cycle's and the k-1 years before it, without a gap."""
    if _current(history, cycle_id) is None or len(history) < k:
        return None
    last = tuple(history[-k:])
    years = [r.year for r in last]
    if years != list(range(years[-1] - k + 1, years[-1] + 1)):
        return None
    return last


def grade_quota(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"quotas": {"优秀": 20, "良好": 10}}: a unit of a listed grade gets that quota (%)."""
    quotas = params.get("quotas") or {}
    if not isinstance(quotas, dict) or not quotas:
        raise BadParams("参数 quotas 应列出等次和比例")
    now = _current(history, cycle_id)
    if now is None or now.grade not in quotas:
        return None
    return Hit((now,), f"{float(quotas[now.grade]):g}%")


def bottom_n(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"n": 3}: the last n of the ranking group."""
    n = _int(params, "n")
    now = _current(history, cycle_id)
    if now is None or now.rank <= now.group_size - n:
        return None
    return Hit((now,), f"倒数第 {now.group_size - now.rank + 1} 名")


def core_missed(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"codes": ["A01", "A06"]}: points lost on any of the listed core indicators."""
    codes = params.get("codes") or []
    if not isinstance(codes, list) or not codes:
        raise BadParams("参数 codes 应列出核心指标编号")
    now = _current(history, cycle_id)
    if now is None:
        return None
    missed = [c for c in codes if now.lost_by_indicator.get(c, 0) > 0.005]
    if not missed:
        return None
    return Hit((now,), "、".join(f"{c} {now.indicator_names.get(c, '')} 失 {now.lost_by_indicator[c]:.2f} 分"
                                 .replace("  ", " ") for c in missed))


def top_n(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"n": 10}: ranked within the first n of its group."""
    n = _int(params, "n")
    now = _current(history, cycle_id)
    if now is None or now.rank > n:
        return None
    return Hit((now,), f"第 {now.rank} 名")


def consecutive_grade(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"k": 2, "grades": ["一般"]}: the last k years (this one included) all in the listed grades."""
    k = _int(params, "k")
    grades = params.get("grades") or []
    if not isinstance(grades, list) or not grades:
        raise BadParams("参数 grades 应列出等次")
    last = _last_consecutive(history, cycle_id, k)
    if last is None or not all(r.grade in grades for r in last):
        return None
    return Hit(last, f"连续 {k} 年{'/'.join(grades)}")


def consecutive_top_n(history: Sequence[Result], cycle_id: int, params: dict[str, Any]) -> Hit | None:
    """{"k": 3, "n": 5, "grade": "优秀"}: the last k years all within the first n, or (with grade) all that grade."""
    k, n = _int(params, "k"), _int(params, "n")
    grade = params.get("grade") or ""
    last = _last_consecutive(history, cycle_id, k)
    if last is None:
        return None
    if all(r.rank <= n for r in last):
        return Hit(last, f"连续 {k} 年前 {n} 名")
    if grade and all(r.grade == grade for r in last):
        return Hit(last, f"连续 {k} 年{grade}")
    return None


EVALUATORS: dict[str, Callable[[Sequence[Result], int, dict[str, Any]], Hit | None]] = {
    "grade_quota": grade_quota, "bottom_n": bottom_n, "core_missed": core_missed, "top_n": top_n,
    "consecutive_grade": consecutive_grade, "consecutive_top_n": consecutive_top_n,
}


def describe(kind: str, params: dict[str, Any]) -> str:
    """The parameters in words, for the rules page."""
    p = params or {}
    try:
        if kind == "grade_quota":
            return "，".join(f"{g} {float(v):g}%" for g, v in (p.get("quotas") or {}).items())
        if kind == "bottom_n":
            return f"组内倒数 {int(p['n'])} 名"
        if kind == "core_missed":
            return f"{'、'.join(p.get('codes') or [])} 任一失分"
        if kind == "top_n":
            return f"组内前 {int(p['n'])} 名"
        if kind == "consecutive_grade":
            return f"连续 {int(p['k'])} 年为{'或'.join(p.get('grades') or [])}"
        if kind == "consecutive_top_n":
            text = f"连续 {int(p['k'])} 年组内前 {int(p['n'])} 名"
            return text + (f"，或连续 {int(p['k'])} 年{p['grade']}" if p.get("grade") else "")
    except (KeyError, TypeError, ValueError):
        pass
    return "参数不全"


def evaluate(kind: str, params: dict[str, Any], history: Sequence[Result], cycle_id: int) -> Hit | None:
    if kind not in EVALUATORS:
        raise BadParams(f"未知的规则类型 {kind}")
    return EVALUATORS[kind](history, cycle_id, params)
