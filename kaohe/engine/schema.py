"""The scenario's shape (spec section 1 and 6): keys, types, references, the indicator tree.

`parse` checks everything that does not need a computation and returns a `Model` that the
methods work on, plus every error found. Rows that cannot be read are dropped from the model,
so later checks still run on the rest and the clerk sees all problems in one go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np

from .issues import Issue

TOP_KEYS = {"units", "indicators", "values", "rater_groups", "ratings", "responses", "adjustments", "settings"}
UNIT_KEYS = {"id", "name", "domain", "category", "leadership_excellent"}
INDICATOR_KEYS = {
    "id", "parent", "name", "points", "line", "method", "direction", "params", "applies_to",
    "lead_unit", "responsible",
}
APPLIES_KEYS = {"domains", "categories", "units", "exclude_units"}
VALUE_KEYS = {"unit", "indicator", "actual", "target", "baseline"}
GROUP_KEYS = {"id", "name", "weight"}
RATING_KEYS = {"indicator", "unit", "group", "rater", "score"}
RESPONSE_KEYS = {"indicator", "unit", "choice", "count"}
ADJUSTMENT_KEYS = {"unit", "kind", "points", "reason"}
SETTINGS_KEYS = {
    "bonus_cap", "deduction_cap", "bonus_line_in_total", "rank_by", "grade_scope", "choices",
    "grades", "advanced",
}
GRADE_KEYS = {"name", "top_share", "min_total", "rest", "bottom_share", "below_total"}
ADVANCED_KEYS = {"grade", "requires_leadership_excellent"}

DEFAULT_CHOICES = {"satisfied": 100.0, "fairly_satisfied": 80.0, "basically_satisfied": 60.0, "unsatisfied": 0.0}

# Chinese labels as the interface shows them (spec section 2).
METHOD_LABELS = {
    "completion": "完成率法",
    "efficacy": "功效系数法",
    "rank": "排位法",
    "external_rank": "对标排位法",
    "threshold": "分档计分法",
    "deduction": "扣分法",
    "binary": "达标法",
    "manual": "直接评分",
    "growth_rank": "增量/增速/差值排位法",
    "rating": "评议法",
    "satisfaction": "满意度测评",
}
DATA_METHODS = {
    "completion", "efficacy", "rank", "external_rank", "threshold", "deduction", "binary",
    "manual", "growth_rank",
}
RELATIVE_METHODS = {"efficacy", "rank", "growth_rank", "satisfaction"}

# Params each method accepts; `missing` and `peer` where the spec gives them.
METHOD_PARAMS: dict[str, set[str]] = {
    "completion": {"cap", "floor", "missing"},
    "efficacy": {"base", "best", "worst", "peer", "missing"},
    "rank": {"floor", "peer", "missing"},
    "external_rank": {"bar", "step", "floor", "missing"},
    "threshold": {"bands", "basis", "missing"},
    "deduction": {"per_item", "floor", "missing"},
    "binary": {"partial", "missing"},
    "manual": {"cap", "missing"},
    "growth_rank": {"weights", "floor", "peer", "missing"},
    "rating": {"trim_min", "groups"},
    "satisfaction": {"min_responses", "peer"},
}
REQUIRED_PARAMS = {"external_rank": ("bar", "step"), "threshold": ("bands",), "deduction": ("per_item",)}

# Fields of a `values` row each data method needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "completion": ("actual", "target"),
    "efficacy": ("actual",),
    "rank": ("actual",),
    "external_rank": ("actual",),
    "threshold": ("actual",),
    "deduction": ("actual",),
    "binary": ("actual", "target"),
    "manual": ("actual",),
    "growth_rank": ("actual", "baseline", "target"),
}


def _is_num(v: Any) -> bool:
    return (v.__class__ is int or v.__class__ is float) and math.isfinite(v)


def _is_str(v: Any) -> bool:
    return isinstance(v, str) and v != ""


@dataclass
class Node:
    index: int
    id: str
    name: str
    parent: int  # -1 for a root
    points: float | None
    line: str
    method: str | None
    direction: str
    params: dict[str, Any]
    applies_to: dict[str, list[str]] | None
    lead_unit: str | None = None
    responsible: str | None = None
    children: list[int] = field(default_factory=list)
    broken: bool = False  # its own definition has errors: not computed

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def param(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass
class Grade:
    name: str
    top_share: float | None = None
    min_total: float | None = None
    rest: bool = False
    bottom_share: float | None = None
    below_total: float | None = None

    @property
    def is_bottom(self) -> bool:
        return self.bottom_share is not None or self.below_total is not None


@dataclass
class Settings:
    bonus_cap: float | None = None
    deduction_cap: float | None = None
    bonus_line_in_total: bool = False
    rank_by: str = "group"
    grade_scope: str = "group"
    choices: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CHOICES))
    grades: list[Grade] = field(default_factory=list)
    advanced_grade: str | None = None
    advanced_requires_leadership: bool = False


@dataclass
class Model:
    unit_ids: list[str]
    unit_names: list[str]
    domains: list[str]
    categories: list[str]
    leadership: np.ndarray  # bool per unit
    nodes: list[Node]
    order: list[int]  # nodes, children before parents
    settings: Settings
    group_weights: dict[str, float]
    group_names: dict[str, str]
    # data, row-aligned numpy columns (rows that failed their checks are dropped)
    v_unit: np.ndarray
    v_node: np.ndarray
    v_actual: np.ndarray
    v_target: np.ndarray
    v_baseline: np.ndarray
    r_node: np.ndarray
    r_unit: np.ndarray
    r_group: np.ndarray
    r_rater: np.ndarray
    r_score: np.ndarray
    s_node: np.ndarray
    s_unit: np.ndarray
    s_value: np.ndarray  # the choice's value, NaN for a choice not in settings.choices
    s_row: np.ndarray  # position in the scenario's `responses`, to name a bad row
    s_choices: list[Any]  # every response's choice as given
    s_count: np.ndarray
    adj_unit: np.ndarray
    adj_kind: np.ndarray  # 0 bonus, 1 deduction, 2 veto
    adj_points: np.ndarray
    tree_ok: bool

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)


class _Errors:
    def __init__(self) -> None:
        self.items: list[Issue] = []

    def add(self, code: str, message: str, unit: str | None = None, indicator: str | None = None) -> None:
        self.items.append(Issue(code, unit, indicator, message))


def _list(raw: dict, key: str, err: _Errors, required: bool = False) -> list:
    if key not in raw:
        if required:
            err.add("missing_key", f"场景缺少“{key}”列表 (the scenario has no '{key}' list)")
        return []
    v = raw[key]
    if not isinstance(v, list):
        err.add("bad_type", f"“{key}”应为列表 ('{key}' must be a list)")
        return []
    return v


def _check_keys(row: Any, allowed: set[str], where: str, err: _Errors, unit: str | None = None,
                indicator: str | None = None) -> bool:
    if not isinstance(row, dict):
        err.add("bad_type", f"{where}: 应为对象 (must be an object)", unit, indicator)
        return False
    extra = row.keys() - allowed
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        err.add("unknown_key", f"{where}: 未知字段 {names} (unknown key)", unit, indicator)
    return True


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def parse(raw: Any) -> tuple[Model | None, list[Issue]]:
    err = _Errors()
    if not isinstance(raw, dict):
        err.add("bad_type", "场景应为 JSON 对象 (the scenario must be a JSON object)")
        return None, err.items
    extra = raw.keys() - TOP_KEYS
    if extra:
        err.add("unknown_key", f"场景中有未知字段 {', '.join(sorted(map(str, extra)))} (unknown top-level key)")

    # ---- units
    unit_index: dict[str, int] = {}
    unit_ids: list[str] = []
    names: list[str] = []
    domains: list[str] = []
    categories: list[str] = []
    leaders: list[bool] = []
    for i, u in enumerate(_list(raw, "units", err, required=True)):
        uid = u.get("id") if isinstance(u, dict) else None
        where = f"units[{i}]" + (f" ({uid})" if isinstance(uid, str) else "")
        if not _check_keys(u, UNIT_KEYS, where, err):
            continue
        ok = True
        if not _is_str(uid):
            err.add("missing_key", f"{where}: 单位缺少编号 id (unit without an id)")
            continue
        if uid in unit_index:
            err.add("duplicate_id", f"单位编号 {uid} 重复 (duplicate unit id)", unit=uid)
            continue
        name = u.get("name", uid)
        if not isinstance(name, str):
            err.add("bad_type", f"{where}: 名称 name 应为文本", unit=uid)
            ok = False
        dom = u.get("domain")
        if not _is_str(dom):
            err.add("missing_key", f"{where}: 缺少领域 domain (unit without a domain)", unit=uid)
            ok = False
        cat = u.get("category", "")
        if cat is None:
            cat = ""
        if not isinstance(cat, str):
            err.add("bad_type", f"{where}: 类别 category 应为文本", unit=uid)
            ok = False
        le = u.get("leadership_excellent", False)
        if not isinstance(le, bool):
            err.add("bad_type", f"{where}: leadership_excellent 应为 true/false", unit=uid)
            ok = False
        unit_index[uid] = len(unit_ids)
        unit_ids.append(uid)
        names.append(name if isinstance(name, str) else uid)
        domains.append(dom if ok or _is_str(dom) else "")
        categories.append(cat if isinstance(cat, str) else "")
        leaders.append(le is True)

    # ---- rater groups (needed by indicator params)
    group_weights: dict[str, float] = {}
    group_names: dict[str, str] = {}
    for i, g in enumerate(_list(raw, "rater_groups", err)):
        gid = g.get("id") if isinstance(g, dict) else None
        where = f"rater_groups[{i}]" + (f" ({gid})" if isinstance(gid, str) else "")
        if not _check_keys(g, GROUP_KEYS, where, err):
            continue
        if not _is_str(gid):
            err.add("missing_key", f"{where}: 评议组缺少编号 id")
            continue
        if gid in group_weights:
            err.add("duplicate_id", f"评议组编号 {gid} 重复 (duplicate rater group id)")
            continue
        w = g.get("weight")
        if not _is_num(w) or w < 0:
            err.add("bad_weight", f"评议组 {gid} 的权重应为不小于 0 的数 (weight must be a number ≥ 0)")
            w = 0.0
        group_weights[gid] = float(w)
        nm = g.get("name", gid)
        group_names[gid] = nm if isinstance(nm, str) else gid

    # ---- settings (choices are needed to read responses)
    settings = _parse_settings(raw.get("settings", {}), err)

    # ---- indicators
    nodes, order, tree_ok = _parse_indicators(raw, err, unit_index, group_weights)
    node_index = {n.id: n.index for n in nodes}

    # ---- values
    rows = _list(raw, "values", err)
    v_unit, v_node, cols = _rows(rows, VALUE_KEYS, "values", ("actual", "target", "baseline"), unit_index,
                                 node_index, nodes, err)
    # ---- ratings
    rows = _list(raw, "ratings", err)
    r_unit, r_node, rcols = _rows(rows, RATING_KEYS, "ratings", ("score",), unit_index, node_index, nodes, err,
                                  extra=("group", "rater"), group_weights=group_weights)
    # ---- responses
    responses = rows = _list(raw, "responses", err)
    s_unit, s_node, scols = _rows(rows, RESPONSE_KEYS, "responses", ("count",), unit_index, node_index, nodes, err,
                                  extra=("choice",), choices=settings.choices)
    # ---- adjustments
    adj_unit: list[int] = []
    adj_kind: list[int] = []
    adj_points: list[float] = []
    kinds = {"bonus": 0, "deduction": 1, "veto": 2}
    for i, a in enumerate(_list(raw, "adjustments", err)):
        uid = a.get("unit") if isinstance(a, dict) else None
        where = f"adjustments[{i}]"
        if not _check_keys(a, ADJUSTMENT_KEYS, where, err, unit=uid if isinstance(uid, str) else None):
            continue
        if uid not in unit_index:
            err.add("unknown_reference", f"{where}: 未知单位 {uid!r} (unknown unit)", unit=uid if isinstance(uid, str) else None)
            continue
        kind = a.get("kind")
        if kind not in kinds:
            err.add("bad_adjustment", f"{where}: 类型应为 bonus/deduction/veto，实为 {kind!r}", unit=uid)
            continue
        pts = a.get("points")
        if pts is None and kind == "veto":  # a veto's points are ignored: it needs none
            pts = 0
        if not _is_num(pts) or pts < 0:
            err.add("bad_adjustment", f"{where}: 分值应为不小于 0 的数 (points are positive numbers)", unit=uid)
            continue
        reason = a.get("reason")
        if reason is not None and not isinstance(reason, str):
            err.add("bad_type", f"{where}: 事由 reason 应为文本", unit=uid)
        adj_unit.append(unit_index[uid])
        adj_kind.append(kinds[kind])
        adj_points.append(float(pts))

    if settings.advanced_grade is not None and settings.grades and \
            settings.advanced_grade not in {g.name for g in settings.grades}:
        err.add("unknown_reference", f"先进单位所需等次 {settings.advanced_grade!r} 不在等次中 (advanced.grade is not a grade)")

    model = Model(
        unit_ids=unit_ids, unit_names=names, domains=domains, categories=categories,
        leadership=np.array(leaders, dtype=bool), nodes=nodes, order=order, settings=settings,
        group_weights=group_weights, group_names=group_names,
        v_unit=v_unit, v_node=v_node, v_actual=cols[0], v_target=cols[1], v_baseline=cols[2],
        r_node=r_node, r_unit=r_unit, r_group=rcols[1], r_rater=rcols[2], r_score=rcols[0],
        s_node=s_node, s_unit=s_unit, s_value=scols[1], s_count=scols[0], s_row=scols[2],
        s_choices=[r.get("choice") if isinstance(r, dict) else None for r in responses],
        adj_unit=np.array(adj_unit, dtype=np.int64), adj_kind=np.array(adj_kind, dtype=np.int64),
        adj_points=np.array(adj_points, dtype=np.float64), tree_ok=tree_ok,
    )
    return model, err.items


def _ids(values: list, index: dict[str, int]) -> np.ndarray:
    """Positions of referenced ids (-1 where unknown), at C speed for the clean case."""
    try:
        return np.fromiter(map(index.get, values, repeat(-1, len(values))), np.int64, len(values))
    except TypeError:  # an unhashable value (a list, an object) where an id should be
        return np.array([index.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=np.int64)


_NUMERIC_TYPES = {int, float, type(None)}


def _rows(rows: list, allowed: set[str], name: str, numeric: tuple[str, ...], unit_index: dict[str, int],
          node_index: dict[str, int], nodes: list[Node], err: _Errors, extra: tuple[str, ...] = (),
          group_weights: dict[str, float] | None = None,
          choices: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Columns of a data list, with every bad row named; rows that fail a check are dropped.

    Lists run to hundreds of thousands of rows, so the checks work on whole columns and a
    row-by-row pass only happens when a column shows something wrong.
    """
    n = len(rows)
    keep = np.ones(n, dtype=bool)
    clean = n == 0 or (set(map(type, rows)) == {dict} and set().union(*rows) <= allowed)
    if not clean:
        for i, r in enumerate(rows):
            if not _check_keys(r, allowed, f"{name}[{i}]", err):
                keep[i] = False
        rows = [r if isinstance(r, dict) else {} for r in rows]
    get = {k: [r.get(k) for r in rows] for k in ("unit", "indicator") + numeric + extra}
    units, inds = get["unit"], get["indicator"]

    def label(v: Any) -> str | None:
        return v if isinstance(v, str) else None

    u_idx = _ids(units, unit_index)
    n_idx = _ids(inds, node_index)
    for key, col, found, what in (("unit", units, u_idx, "单位 unit"), ("indicator", inds, n_idx, "指标 indicator")):
        for i in np.flatnonzero(keep & (found < 0)):
            if col[i] is None:
                err.add("missing_key", f"{name}[{i}]: 缺少{what} (missing key)", unit=label(units[i]),
                        indicator=label(inds[i]))
            else:
                err.add("unknown_reference", f"{name}[{i}]: 未知{what} {col[i]!r}", unit=label(units[i]),
                        indicator=label(inds[i]))
    keep &= (u_idx >= 0) & (n_idx >= 0)
    cols: list[np.ndarray] = []
    for key in numeric:
        col = get[key]
        if not set(map(type, col)) <= _NUMERIC_TYPES:
            for i, v in enumerate(col):
                if v.__class__ not in _NUMERIC_TYPES:
                    if keep[i]:
                        err.add("bad_type", f"{name}[{i}]: {key} 应为数字，实为 {v!r} (must be a number)",
                                unit=label(units[i]), indicator=label(inds[i]))
                    col[i] = None
                    keep[i] = False
        arr = np.array(col, dtype=np.float64) if n else np.zeros(0)
        inf = np.isinf(arr)
        for i in np.flatnonzero(inf & keep):
            err.add("bad_type", f"{name}[{i}]: {key} 不是有限数字 (not a finite number)", unit=label(units[i]),
                    indicator=label(inds[i]))
        keep &= ~inf
        cols.append(arr)
    if name == "ratings":
        assert group_weights is not None
        g_idx = _ids(get["group"], {g: i for i, g in enumerate(group_weights)})
        for i in np.flatnonzero(keep & (g_idx < 0)):
            err.add("unknown_reference", f"ratings[{i}]: 未知评议组 {get['group'][i]!r} (unknown rater group)",
                    unit=label(units[i]), indicator=label(inds[i]))
        keep &= g_idx >= 0
        raters = get["rater"]
        r_codes = {r: k for k, r in enumerate(dict.fromkeys(r for r in raters if isinstance(r, str) and r))}
        r_idx = _ids(raters, r_codes)
        for i in np.flatnonzero(keep & (r_idx < 0)):
            err.add("bad_type", f"ratings[{i}]: 评分人 rater 应为非空文本", unit=label(units[i]), indicator=label(inds[i]))
        keep &= r_idx >= 0
        for i in np.flatnonzero(keep & np.isnan(cols[0])):
            err.add("missing_key", f"ratings[{i}]: 缺少分数 score", unit=label(units[i]), indicator=label(inds[i]))
        keep &= ~np.isnan(cols[0])
        cols.append(g_idx)
        cols.append(r_idx)
    if name == "responses":
        assert choices is not None
        ch = get["choice"]
        # An unknown choice is reported only where the leaf applies (other rows are ignored):
        # its value is NaN here and the satisfaction method names it.
        c_idx = _ids(ch, {c: k for k, c in enumerate(choices)})
        cnt = cols[0]
        bad = keep & (np.isnan(cnt) | (cnt < 0))
        for i in np.flatnonzero(bad):
            err.add("bad_count", f"responses[{i}]: 人数 count 应为不小于 0 的数", unit=label(units[i]), indicator=label(inds[i]))
        keep &= ~bad
        cols.append(np.r_[np.array(list(choices.values()), dtype=np.float64), np.nan][c_idx])
        cols.append(np.arange(n))
    # a row on a group node would never be used: say so rather than drop it silently
    is_group = np.array([not nd.is_leaf for nd in nodes] + [False], dtype=bool)[n_idx]
    for i in np.flatnonzero(keep & is_group):
        err.add("not_a_leaf", f"{name}[{i}]: 指标 {inds[i]} 有下级指标，不能直接填报 (not a leaf)", unit=label(units[i]),
                indicator=label(inds[i]))
    keep &= ~is_group
    return u_idx[keep], n_idx[keep], [c[keep] for c in cols]


def _parse_settings(s: Any, err: _Errors) -> Settings:
    out = Settings()
    if s is None:
        return out
    if not isinstance(s, dict):
        err.add("bad_type", "settings 应为对象 (settings must be an object)")
        return out
    extra = s.keys() - SETTINGS_KEYS
    if extra:
        err.add("unknown_key", f"settings: 未知设置 {', '.join(sorted(map(str, extra)))} (unknown setting)")
    for key in ("bonus_cap", "deduction_cap"):
        v = s.get(key)
        if v is not None:
            if not _is_num(v) or v < 0:
                err.add("bad_setting", f"settings.{key} 应为不小于 0 的数或 null")
            else:
                setattr(out, key, float(v))
    v = s.get("bonus_line_in_total", False)
    if not isinstance(v, bool):
        err.add("bad_setting", "settings.bonus_line_in_total 应为 true/false")
    else:
        out.bonus_line_in_total = v
    for key in ("rank_by", "grade_scope"):
        v = s.get(key, "group")
        if v not in ("group", "domain"):
            err.add("bad_setting", f"settings.{key} 应为 group 或 domain，实为 {v!r}")
        else:
            setattr(out, key, v)
    if "choices" in s:
        c = s["choices"]
        if not isinstance(c, dict) or not c or not all(isinstance(k, str) and _is_num(x) for k, x in c.items()):
            err.add("bad_setting", "settings.choices 应为 {选项: 分值} 对象 (an object of choice: value)")
        else:
            out.choices = {k: float(x) for k, x in c.items()}
    grades = s.get("grades")
    if grades is not None:
        out.grades = _parse_grades(grades, err)
    adv = s.get("advanced")
    if adv is not None:
        if not isinstance(adv, dict):
            err.add("bad_setting", "settings.advanced 应为对象")
        else:
            extra = adv.keys() - ADVANCED_KEYS
            if extra:
                err.add("unknown_key", f"settings.advanced: 未知字段 {', '.join(sorted(map(str, extra)))}")
            g = adv.get("grade")
            if not _is_str(g):
                err.add("bad_setting", "settings.advanced.grade 应为等次名称")
            else:
                out.advanced_grade = g
            r = adv.get("requires_leadership_excellent", False)
            if not isinstance(r, bool):
                err.add("bad_setting", "settings.advanced.requires_leadership_excellent 应为 true/false")
            else:
                out.advanced_requires_leadership = r
    return out


def _share(v: Any) -> bool:
    return _is_num(v) and 0 <= v <= 1


def _parse_grades(grades: Any, err: _Errors) -> list[Grade]:
    if not isinstance(grades, list):
        err.add("bad_grades", "settings.grades 应为列表 (grades must be a list)")
        return []
    if not grades:  # an empty list: no grades, as when the key is absent
        return []
    out: list[Grade] = []
    ok = True
    for i, g in enumerate(grades):
        where = f"settings.grades[{i}]"
        if not isinstance(g, dict):
            err.add("bad_grades", f"{where}: 应为对象")
            ok = False
            continue
        extra = g.keys() - GRADE_KEYS
        if extra:
            err.add("unknown_key", f"{where}: 未知字段 {', '.join(sorted(map(str, extra)))}")
            ok = False
        if not _is_str(g.get("name")):
            err.add("bad_grades", f"{where}: 等次缺少名称 name")
            ok = False
            continue
        grade = Grade(name=g["name"])
        for key in ("top_share", "bottom_share"):
            if g.get(key) is not None:
                if not _share(g[key]):
                    err.add("bad_grades", f"{where}: {key} 应在 0 到 1 之间")
                    ok = False
                else:
                    setattr(grade, key, float(g[key]))
        for key in ("min_total", "below_total"):
            if g.get(key) is not None:
                if not _is_num(g[key]):
                    err.add("bad_grades", f"{where}: {key} 应为数字")
                    ok = False
                else:
                    setattr(grade, key, float(g[key]))
        rest = g.get("rest", False)
        if not isinstance(rest, bool):
            err.add("bad_grades", f"{where}: rest 应为 true/false")
            ok = False
        grade.rest = rest is True
        kinds = sum([grade.rest, grade.is_bottom, grade.top_share is not None or grade.min_total is not None])
        if kinds > 1:
            err.add("bad_grades", f"{where}: 等次 {grade.name} 只能是前比例、其余或后比例中的一种")
            ok = False
        out.append(grade)
    names = [g.name for g in out]
    if len(set(names)) != len(names):
        err.add("bad_grades", "settings.grades: 等次名称重复 (duplicate grade name)")
        ok = False
    rests = sum(g.rest for g in out)
    if rests != 1:
        err.add("bad_grades", f"settings.grades: 必须恰有一个 rest 等次，现有 {rests} 个 (exactly one rest grade)")
        ok = False
    bottoms = [i for i, g in enumerate(out) if g.is_bottom]
    if len(bottoms) > 1 or (bottoms and bottoms[0] != len(out) - 1):
        err.add("bad_grades", "settings.grades: 至多一个后比例等次，且须排在最后 (at most one bottom grade, and last)")
        ok = False
    return out if ok else []


def _parse_indicators(raw: dict, err: _Errors, unit_index: dict[str, int],
                      group_weights: dict[str, float]) -> tuple[list[Node], list[int], bool]:
    nodes: list[Node] = []
    index: dict[str, int] = {}
    parents: list[Any] = []
    tree_ok = True
    for i, d in enumerate(_list(raw, "indicators", err, required=True)):
        iid = d.get("id") if isinstance(d, dict) else None
        where = f"indicators[{i}]" + (f" ({iid})" if isinstance(iid, str) else "")
        if not _check_keys(d, INDICATOR_KEYS, where, err, indicator=iid if isinstance(iid, str) else None):
            tree_ok = False
            continue
        if not _is_str(iid):
            err.add("missing_key", f"{where}: 指标缺少编号 id")
            tree_ok = False
            continue
        if iid in index:
            err.add("duplicate_id", f"指标编号 {iid} 重复 (duplicate indicator id)", indicator=iid)
            tree_ok = False
            continue
        node = Node(index=len(nodes), id=iid, name=d.get("name", iid) if isinstance(d.get("name", iid), str) else iid,
                    parent=-1, points=None, line="main", method=d.get("method"), direction="higher",
                    params={}, applies_to=None)
        if "name" in d and not isinstance(d["name"], str):
            err.add("bad_type", f"{where}: 名称 name 应为文本", indicator=iid)
        pts = d.get("points")
        if pts is not None:
            if not _is_num(pts) or pts <= 0:
                err.add("bad_points", f"指标 {iid} 的分值应为大于 0 的数，实为 {pts!r} (points must be > 0)", indicator=iid)
                node.broken = True
            else:
                node.points = float(pts)
        direction = d.get("direction", "higher")
        if direction not in ("higher", "lower"):
            err.add("bad_direction", f"指标 {iid} 的方向应为 higher 或 lower，实为 {direction!r}", indicator=iid)
            node.broken = True
        else:
            node.direction = direction
        params = d.get("params", {})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            err.add("bad_param", f"指标 {iid} 的参数 params 应为对象", indicator=iid)
            node.broken = True
            params = {}
        node.params = params
        for key in ("lead_unit", "responsible"):
            v = d.get(key)
            if v is not None and not isinstance(v, str):
                err.add("bad_type", f"{where}: {key} 应为文本", indicator=iid)
            elif v is not None:
                setattr(node, key, v)
        at = d.get("applies_to")
        if at is not None:
            if not isinstance(at, dict):
                err.add("bad_type", f"指标 {iid} 的 applies_to 应为对象", indicator=iid)
                node.broken = True
            else:
                extra = at.keys() - APPLIES_KEYS
                if extra:
                    err.add("unknown_key", f"指标 {iid} 的 applies_to 有未知字段 {', '.join(sorted(map(str, extra)))}",
                            indicator=iid)
                clean: dict[str, list[str]] = {}
                for key in APPLIES_KEYS:
                    v = at.get(key, [])
                    if v is None:
                        v = []
                    if not _str_list(v):
                        err.add("bad_type", f"指标 {iid} 的 applies_to.{key} 应为文本列表", indicator=iid)
                        node.broken = True
                        v = []
                    clean[key] = v
                for key in ("units", "exclude_units"):
                    for u in clean[key]:
                        if u not in unit_index:
                            err.add("unknown_reference", f"指标 {iid} 的 applies_to.{key} 中有未知单位 {u!r}",
                                    unit=u, indicator=iid)
                node.applies_to = clean
        line = d.get("line")
        if line is not None and line not in ("main", "bonus"):
            err.add("bad_line", f"指标 {iid} 的 line 应为 main 或 bonus，实为 {line!r}", indicator=iid)
        elif line is not None:
            node.line = line
        index[iid] = node.index
        nodes.append(node)
        parents.append(d.get("parent"))

    for node, p in zip(nodes, parents):
        if p is None:
            continue
        if p not in index:
            err.add("unknown_reference", f"指标 {node.id} 的上级 {p!r} 不存在 (unknown parent)", indicator=node.id)
            tree_ok = False
            continue
        node.parent = index[p]
        nodes[node.parent].children.append(node.index)

    # cycles: walk up from each node
    order: list[int] = []
    if tree_ok:
        state = [0] * len(nodes)  # 0 new, 1 on path, 2 done
        for start in range(len(nodes)):
            path = []
            j = start
            while j >= 0 and state[j] == 0:
                state[j] = 1
                path.append(j)
                j = nodes[j].parent
            if j >= 0 and state[j] == 1:
                err.add("cycle", f"指标 {nodes[j].id} 的上下级关系成环 (cycle in the indicator tree)", indicator=nodes[j].id)
                tree_ok = False
                break
            for k in path:
                state[k] = 2
        if tree_ok:
            # children before parents: depth-first post-order from the roots
            def visit(k: int) -> None:
                stack = [(k, False)]
                while stack:
                    j, done = stack.pop()
                    if done:
                        order.append(j)
                        continue
                    stack.append((j, True))
                    for c in reversed(nodes[j].children):
                        stack.append((c, False))
            for n in nodes:
                if n.parent < 0:
                    visit(n.index)

    # `line` only means something on a root; below it the root's line decides.
    for node in nodes:
        if node.is_leaf:
            _check_leaf(node, err, group_weights)
        elif node.method is not None:
            err.add("bad_method", f"指标 {node.id} 有下级指标，不能设计分方法 (a group has no method)", indicator=node.id)
            node.broken = True
    return nodes, order, tree_ok


def _check_leaf(node: Node, err: _Errors, group_weights: dict[str, float]) -> None:
    iid = node.id
    if node.points is None and not node.broken:
        err.add("missing_points", f"末级指标 {iid} 缺少分值 points (a leaf needs points)", indicator=iid)
        node.broken = True
    m = node.method
    if m is None:
        err.add("missing_method", f"末级指标 {iid} 缺少计分方法 method (a leaf needs a method)", indicator=iid)
        node.broken = True
        return
    if m not in METHOD_PARAMS:
        err.add("unknown_method", f"指标 {iid} 的计分方法 {m!r} 未知；可用: {', '.join(METHOD_PARAMS)}", indicator=iid)
        node.broken = True
        return
    p = node.params
    extra = p.keys() - METHOD_PARAMS[m]
    if extra:
        err.add("unknown_param", f"指标 {iid} ({METHOD_LABELS[m]}) 有未知参数 {', '.join(sorted(map(str, extra)))}；"
                f"可用: {', '.join(sorted(METHOD_PARAMS[m]))}", indicator=iid)
        node.broken = True
    for key in REQUIRED_PARAMS.get(m, ()):
        if key not in p:
            err.add("missing_param", f"指标 {iid} ({METHOD_LABELS[m]}) 缺少参数 {key}", indicator=iid)
            node.broken = True

    def bad(msg: str) -> None:
        err.add("bad_param", f"指标 {iid} ({METHOD_LABELS[m]}): {msg}", indicator=iid)
        node.broken = True

    def num(key: str, lo: float | None = None, hi: float | None = None, positive: bool = False) -> None:
        if key not in p:
            return
        v = p[key]
        if not _is_num(v) or (lo is not None and v < lo) or (hi is not None and v > hi) or (positive and v <= 0):
            rng = f"[{lo}, {hi}]" if lo is not None and hi is not None else ("> 0" if positive else f"≥ {lo}")
            bad(f"参数 {key} 应为数字 {rng}，实为 {v!r}")

    if "missing" in p and p["missing"] not in ("zero", "error"):
        bad(f"参数 missing 只能是 \"zero\"，实为 {p['missing']!r}")
    if "peer" in p and p["peer"] not in ("group", "domain", "all"):
        bad(f"参数 peer 应为 group/domain/all，实为 {p['peer']!r}")
    if m in ("completion", "manual"):
        num("cap", positive=True)
    if m in ("completion", "rank", "external_rank", "deduction", "growth_rank"):
        num("floor", 0, 1)
    if m == "binary":
        num("partial", 0, 1)
    if m == "efficacy":
        num("base", 0, 100)
        num("best")
        num("worst")
    if m == "external_rank":
        num("bar", 0)
        num("step", 0)
    if m == "deduction":
        num("per_item", 0)
    if m == "threshold":
        basis = p.get("basis", "value")
        if basis not in ("value", "rate"):
            bad(f"参数 basis 应为 value 或 rate，实为 {basis!r}")
        bands = p.get("bands")
        if bands is not None and not (isinstance(bands, list) and bands and all(
                isinstance(b, list) and len(b) == 2 and _is_num(b[0]) and _is_num(b[1]) for b in bands)):
            bad("参数 bands 应为 [[界值, 得分比例], …] 的非空列表")
    if m == "growth_rank":
        w = p.get("weights")
        if w is not None:
            keys = {"increment", "growth", "gap"}
            if not isinstance(w, dict) or w.keys() != keys or not all(_is_num(x) and x >= 0 for x in w.values()):
                bad("参数 weights 应含 increment、growth、gap 三个非负权重")
            elif abs(sum(w.values()) - 1) > 1e-9:
                err.add("bad_weights", f"指标 {iid} 的增量/增速/差值权重之和应为 1，实为 {sum(w.values()):g}", indicator=iid)
                node.broken = True
    if m == "rating":
        if "trim_min" in p and (p["trim_min"].__class__ is not int or p["trim_min"] < 3):
            bad(f"参数 trim_min 应为不小于 3 的整数，实为 {p['trim_min']!r}")
        if "groups" in p:
            g = p["groups"]
            if not _str_list(g) or not g:
                bad("参数 groups 应为评议组编号列表")
            else:
                for gid in g:
                    if gid not in group_weights:
                        err.add("unknown_reference", f"指标 {iid} 引用了未知评议组 {gid!r}", indicator=iid)
                        node.broken = True
    if m == "satisfaction":
        num("min_responses", 0)
