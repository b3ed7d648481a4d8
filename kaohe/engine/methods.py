"""The eleven leaf methods of spec section 2, each over all participating units of one leaf at once.

A method gets the leaf, its points and the participants' inputs as arrays (the units to which
the leaf applies and that have the data), and returns the scores, the problems per unit (as
positions into the participant arrays) and a function that writes the explain texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .numbers import competition_rank, place_share, round2_array
from .schema import Node

Explain = Callable[[], list[str]]


@dataclass
class LeafInput:
    actual: np.ndarray
    target: np.ndarray
    baseline: np.ndarray
    peers: np.ndarray  # peer-group code of each participant


@dataclass
class LeafOutput:
    scores: np.ndarray
    explain: Explain
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (code, position, message)


def _n(x: float) -> str:
    """One number for an explain text, as short as it reads: 96, 6.3, 0.125."""
    return _ns(np.array([x]))[0]


def _ns(a: np.ndarray) -> list[str]:
    """Numbers for explain texts, a whole column at a time (texts run to hundreds of thousands)."""
    return [s[:-2] if s.endswith(".0") else s for s in map(repr, np.round(a, 6).tolist())]


def _f2(a: np.ndarray) -> list[str]:
    """Scores as shown: rounded as the spec rounds them, two decimals."""
    return [f"{v:.2f}" for v in round2_array(a).tolist()]


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def _pcts(a: np.ndarray) -> list[str]:
    return [f"{v:.2f}%" for v in (a * 100).tolist()]


def _groups(codes: np.ndarray) -> tuple[np.ndarray, int]:
    uniq, inv = np.unique(codes, return_inverse=True)
    return inv, len(uniq)


def completion(node: Node, P: float, x: LeafInput) -> LeafOutput:
    cap = float(node.param("cap", 1))
    floor = float(node.param("floor", 0))
    a, t = x.actual, x.target
    errors: list[tuple[str, int, str]] = []
    if node.direction == "higher":
        bad = t <= 0
        for k in np.flatnonzero(bad):
            errors.append(("bad_target", int(k), f"目标值为 {_n(t[k])}，完成率法(越高越好)的目标值必须大于 0 (target must be > 0)"))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(bad, 0.0, a / np.where(bad, 1.0, t))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(a <= 0, cap, t / np.where(a <= 0, 1.0, a))
    s = P * np.minimum(r, cap)
    s = np.where((r < floor) | (r < 0), 0.0, s)

    def explain() -> list[str]:
        higher = node.direction == "higher"
        cap_s, floor_s, p_s = _pct(cap), _pct(floor), _n(P)
        out = []
        for ai, As, Ts, ri, rs, si in zip(a.tolist(), _ns(a), _ns(t), r.tolist(), _pcts(r), _f2(s)):
            if not higher and ai <= 0:
                rate = f"实际 {As} ≤ 0，完成率按封顶 {cap_s} 计"
            else:
                rate = f"完成率 {rs} ({As} / {Ts})" if higher else f"完成率 {rs} ({Ts} / {As})"
            if ri < floor or ri < 0:
                out.append(f"{rate}，低于下限 {floor_s}，得 0")
            else:
                out.append(f"{rate}{'，封顶 ' + cap_s if ri > cap else ''} × {p_s} = {si}")
        return out

    return LeafOutput(s, explain, errors)


def efficacy(node: Node, P: float, x: LeafInput) -> LeafOutput:
    base = float(node.param("base", 60))
    a = x.actual
    inv, g = _groups(x.peers)
    gmax = np.full(g, -np.inf)
    gmin = np.full(g, np.inf)
    np.maximum.at(gmax, inv, a)
    np.minimum.at(gmin, inv, a)
    higher = node.direction == "higher"
    best = np.full(a.shape, float(node.param("best"))) if node.param("best") is not None else (gmax if higher else gmin)[inv]
    worst = np.full(a.shape, float(node.param("worst"))) if node.param("worst") is not None else (gmin if higher else gmax)[inv]
    same = best == worst
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.clip((a - worst) / np.where(same, 1.0, best - worst), 0.0, 1.0)
    s = np.where(same, P, P * (base + (100 - base) * d) / 100)

    def explain() -> list[str]:
        tail = f"{_n(P)} × ({_n(base)} + {_n(100 - base)} × d) / 100"
        return [f"满意值与不允许值相同 ({bi})，得满分 {si}" if sm else
                f"功效系数 d = ({ai} − {wi}) / ({bi} − {wi}) = {di:.4f}；{tail} = {si}"
                for ai, bi, wi, di, si, sm in zip(_ns(a), _ns(best), _ns(worst), d.tolist(), _f2(s), same.tolist())]

    return LeafOutput(s, explain)


def rank(node: Node, P: float, x: LeafInput) -> LeafOutput:
    floor = float(node.param("floor", 0.6))
    a = x.actual
    r, n = competition_rank(a if node.direction == "higher" else -a, x.peers)
    s = P * place_share(r, n, floor)

    def explain() -> list[str]:
        p_s, f_s = _n(P), _n(1 - floor)
        return [f"实际 {ai}，组内第 {ri}/{ni} 名 → {p_s} × (1 − {f_s} × {ri - 1}/{ni - 1}) = {si}"
                if ni > 1 else f"实际 {ai}，组内仅 1 个单位，得满分 {si}"
                for ai, ri, ni, si in zip(_ns(a), r.tolist(), n.tolist(), _f2(s))]

    return LeafOutput(s, explain)


def external_rank(node: Node, P: float, x: LeafInput) -> LeafOutput:
    bar = float(node.param("bar"))
    step = float(node.param("step"))
    floor = float(node.param("floor", 0))
    a = x.actual
    errors = [("bad_value", int(k), f"外部排名应为不小于 1 的整数，实为 {_n(a[k])} (an outside place is an integer ≥ 1)")
              for k in np.flatnonzero((a < 1) | (a != np.floor(a)))]
    s = np.where(a <= bar, P, np.maximum(P - step * (a - bar), P * floor))

    def explain() -> list[str]:
        bar_s, step_s, p_s, low_s = _n(bar), _n(step), _n(P), _n(P * floor)
        return [f"外部排名第 {As} 名，在前 {bar_s} 名内，得满分 {si}" if ai <= bar else
                f"外部排名第 {As} 名，超出前 {bar_s} 名 {Os} 位 × {step_s} 分 → max({p_s} − {Ds}, {low_s}) = {si}"
                for ai, As, Os, Ds, si in zip(a.tolist(), _ns(a), _ns(a - bar), _ns(step * (a - bar)), _f2(s))]

    return LeafOutput(s, explain, errors)


def threshold(node: Node, P: float, x: LeafInput) -> LeafOutput:
    bands = [(float(b), float(sh)) for b, sh in node.param("bands")]
    basis = node.param("basis", "value")
    a, t = x.actual, x.target
    errors: list[tuple[str, int, str]] = []
    first = np.zeros(a.shape, dtype=bool)  # lower-is-better rate with actual ≤ 0: the best band
    if basis == "rate":
        if node.direction == "higher":
            bad = t <= 0
            for k in np.flatnonzero(bad):
                errors.append(("bad_target", int(k), f"目标值为 {_n(t[k])}，按完成率分档(越高越好)时目标值必须大于 0"))
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(bad, 0.0, a / np.where(bad, 1.0, t))
        else:
            first = a <= 0
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(first, np.inf, t / np.where(first, 1.0, a))
        ascending = False
    else:
        v = a
        ascending = node.direction == "lower"
    # The engine orders the bands itself; of two bands with the same edge the better share wins.
    ordered = sorted(bands, key=lambda b: (b[0], -b[1])) if ascending else sorted(bands, reverse=True)
    share = np.zeros(a.shape)
    hit_band = np.full(a.shape, -1)
    for i, (edge, sh) in enumerate(ordered):
        hit = (hit_band < 0) & ((v <= edge) if ascending else (v >= edge))
        share[hit] = sh
        hit_band[hit] = i
    if first.any():
        share[first] = ordered[0][1]
        hit_band[first] = 0
    s = P * share

    def explain() -> list[str]:
        what = "完成率" if basis == "rate" else "实际"
        rel = "≤" if ascending else "≥"
        bands_s = [(_pct(edge) if basis == "rate" else _n(edge), _pct(sh)) for edge, sh in ordered]
        shown = _pcts(v) if basis == "rate" else _ns(v)
        p_s = _n(P)
        return [f"{what} {vs} 未达到任何档次，得 0" if bi < 0 else
                f"{what} {vs} {rel} {bands_s[bi][0]} 档，得分比例 {bands_s[bi][1]} × {p_s} = {si}"
                for vs, bi, si in zip(shown, hit_band.tolist(), _f2(s))]

    return LeafOutput(s, explain, errors)


def deduction(node: Node, P: float, x: LeafInput) -> LeafOutput:
    per = float(node.param("per_item"))
    floor = float(node.param("floor", 0))
    a = x.actual
    errors = [("bad_value", int(k), f"问题数量应不小于 0，实为 {_n(a[k])} (a count of failings is ≥ 0)")
              for k in np.flatnonzero(a < 0)]
    s = np.maximum(P - per * a, floor * P)

    def explain() -> list[str]:
        per_s, p_s, low_s = _n(per), _n(P), _n(floor * P)
        return [f"{ai} 项 × 每项扣 {per_s} 分：max({p_s} − {di}, {low_s}) = {si}"
                for ai, di, si in zip(_ns(a), _ns(per * a), _f2(s))]

    return LeafOutput(s, explain, errors)


def binary(node: Node, P: float, x: LeafInput) -> LeafOutput:
    partial = float(node.param("partial", 0))
    a, t = x.actual, x.target
    ok = a >= t if node.direction == "higher" else a <= t
    s = np.where(ok, P, P * partial)

    def explain() -> list[str]:
        rel = "≥" if node.direction == "higher" else "≤"
        part_s, p_s = _pct(partial), _n(P)
        return [f"实际 {ai} {rel} 目标 {ti}，达标，得 {si}" if oi else f"实际 {ai} 未达目标 {ti}，得 {part_s} × {p_s} = {si}"
                for ai, ti, oi, si in zip(_ns(a), _ns(t), ok.tolist(), _f2(s))]

    return LeafOutput(s, explain)


def manual(node: Node, P: float, x: LeafInput) -> LeafOutput:
    cap = float(node.param("cap", 1))
    a = x.actual
    top = P * cap
    errors = [("manual_out_of_range", int(k), f"直接评分 {_n(a[k])} 超出 [0, {_n(top)}] (score out of range)")
              for k in np.flatnonzero((a < 0) | (a > top + 1e-9))]
    s = a.copy()

    def explain() -> list[str]:
        p_s = _n(P)
        return [f"牵头单位直接评分 {si} (满分 {p_s})" for si in _f2(s)]

    return LeafOutput(s, explain, errors)


DEFAULT_GROWTH_WEIGHTS = {"increment": 0.4, "growth": 0.3, "gap": 0.3}


def growth_rank(node: Node, P: float, x: LeafInput) -> LeafOutput:
    floor = float(node.param("floor", 0.6))
    w = node.param("weights") or DEFAULT_GROWTH_WEIGHTS
    a, b, t = x.actual, x.baseline, x.target
    zero = b == 0
    errors = [("zero_baseline", int(k), "基期值为 0，无法计算增速 (baseline 0)") for k in np.flatnonzero(zero)]
    sign = 1.0 if node.direction == "higher" else -1.0
    inc = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(zero, 0.0, inc / np.where(zero, 1.0, np.abs(b)))
    gap = a - t
    r_inc, n = competition_rank(sign * inc, x.peers)
    r_gro, _ = competition_rank(sign * growth, x.peers)
    r_gap, _ = competition_rank(sign * gap, x.peers)
    q_inc, q_gro, q_gap = (place_share(r, n, floor) for r in (r_inc, r_gro, r_gap))
    s = P * (w["increment"] * q_inc + w["growth"] * q_gro + w["gap"] * q_gap)

    def explain() -> list[str]:
        p_s, wi, wg, wd = _n(P), _n(w["increment"]), _n(w["growth"]), _n(w["gap"])
        return [f"增量 {ii} 第{ri}名、增速 {gi} 第{rg}名、目标差值 {di} 第{rd}名 (共{ni}个)；"
                f"{p_s} × ({wi}×{qi:.4f} + {wg}×{qg:.4f} + {wd}×{qd:.4f}) = {si}"
                for ii, gi, di, ri, rg, rd, ni, qi, qg, qd, si in zip(
                    _ns(inc), _pcts(growth), _ns(gap), r_inc.tolist(), r_gro.tolist(), r_gap.tolist(),
                    n.tolist(), q_inc.tolist(), q_gro.tolist(), q_gap.tolist(), _f2(s))]

    return LeafOutput(s, explain, errors)


DATA_METHOD_FUNCS: dict[str, Callable[[Node, float, LeafInput], LeafOutput]] = {
    "completion": completion,
    "efficacy": efficacy,
    "rank": rank,
    "external_rank": external_rank,
    "threshold": threshold,
    "deduction": deduction,
    "binary": binary,
    "manual": manual,
    "growth_rank": growth_rank,
}
