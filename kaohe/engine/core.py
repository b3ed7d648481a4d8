"""From a parsed scenario to results: applicability, leaf scores, the tree, totals, ranks, grades.

Everything runs over all units at once (one NumPy row per indicator node), so a province or a
whole country computes in well under a second.
"""

from __future__ import annotations

import numpy as np

from .issues import Issue, ScenarioInvalid
from .methods import DATA_METHOD_FUNCS, Explain, LeafInput, _n, _ns, _pcts
from .numbers import competition_rank, round2_array
from .result import Result
from .schema import NEEDS, Model, Node, parse


def _codes(*keys: list[str]) -> np.ndarray:
    table: dict[tuple[str, ...], int] = {}
    return np.fromiter((table.setdefault(k, len(table)) for k in zip(*keys)), np.int64, len(keys[0]))


class _Run:
    def __init__(self, model: Model, errors: list[Issue]):
        self.m = model
        self.errors = errors
        self.warnings: list[Issue] = []
        n, k = model.n_units, len(model.nodes)
        self.N, self.K = n, k
        self.group_code = _codes(model.domains, model.categories)
        self.domain_code = _codes(model.domains)
        self.app = np.zeros((k, n), dtype=bool)
        self.scores = np.full((k, n), np.nan)
        self.points = np.full((k, n), np.nan)
        self.explain: dict[int, tuple[np.ndarray, Explain]] = {}  # leaf -> (participant units, texts)
        self.zeroed: dict[int, np.ndarray] = {}  # leaf -> units scored 0 for a missing value
        self.child_sums: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # group -> (Σ child scores, Σ child points)

    def err(self, code: str, unit: int | None, node: Node | None, message: str) -> None:
        self.errors.append(Issue(code, self.m.unit_ids[unit] if unit is not None else None,
                                 node.id if node is not None else None, message))

    # ---- applicability (spec 1)
    def applicability(self) -> None:
        m = self.m
        unit_pos = {u: i for i, u in enumerate(m.unit_ids)}
        dom = np.array(m.domains, dtype=object)
        cat = np.array(m.categories, dtype=object)
        for j in reversed(m.order):  # parents before children
            node = m.nodes[j]
            scope = np.ones(self.N, dtype=bool)
            at = node.applies_to
            if at:
                if at["domains"]:
                    scope &= np.isin(dom, at["domains"])
                if at["categories"]:
                    scope &= np.isin(cat, at["categories"])
                if at["units"]:
                    only = np.zeros(self.N, dtype=bool)
                    only[[unit_pos[u] for u in at["units"] if u in unit_pos]] = True
                    scope &= only
                if at["exclude_units"]:
                    scope[[unit_pos[u] for u in at["exclude_units"] if u in unit_pos]] = False
            if node.parent >= 0:
                scope &= self.app[node.parent]
            self.app[j] = scope
        for j in m.order:  # children before parents: a group applies when one of its children does
            node = m.nodes[j]
            if not node.is_leaf:
                self.app[j] = self.app[node.children].any(axis=0)

    def peers(self, node: Node) -> np.ndarray:
        peer = node.param("peer", "group")
        if peer == "domain":
            return self.domain_code
        if peer == "all":
            return np.zeros(self.N, dtype=np.int64)
        return self.group_code

    # ---- leaves (spec 2)
    def data_leaves(self) -> None:
        m = self.m
        K, N = self.K, self.N
        applicable = self.app[m.v_node, m.v_unit]
        v_node, v_unit = m.v_node[applicable], m.v_unit[applicable]
        key = v_node * N + v_unit
        uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
        for k in np.flatnonzero(counts > 1):
            j, u = divmod(int(uniq[k]), N)
            self.err("duplicate_value", u, m.nodes[j], f"单位 {m.unit_ids[u]} 在指标 {m.nodes[j].id} 上有 "
                     f"{counts[k]} 行数据 (two values rows for the same unit and indicator)")
        has = np.zeros(K * N, dtype=bool)
        has[uniq] = True
        grids = {}
        for name, col in (("actual", m.v_actual), ("target", m.v_target), ("baseline", m.v_baseline)):
            g = np.full(K * N, np.nan)
            g[key[first]] = col[applicable][first]
            grids[name] = g.reshape(K, N)
        has = has.reshape(K, N)
        for node in m.nodes:
            if not node.is_leaf or node.broken or node.method not in DATA_METHOD_FUNCS:
                continue
            j = node.index
            mask = self.app[j]
            needs = NEEDS[node.method]
            if node.method == "threshold" and node.param("basis", "value") == "rate":
                needs = ("actual", "target")
            present = mask & has[j]
            for f in needs:
                present &= ~np.isnan(grids[f][j])
            missing = mask & ~present
            if missing.any():
                self._missing(node, missing, has[j], needs, grids)
            idx = np.flatnonzero(present)
            x = LeafInput(grids["actual"][j, idx], grids["target"][j, idx], grids["baseline"][j, idx],
                          self.peers(node)[idx])
            out = DATA_METHOD_FUNCS[node.method](node, node.points, x)
            for code, k, msg in out.errors:
                self.err(code, int(idx[k]), node, f"{node.id} {node.name}：{msg}")
            self.scores[j, idx] = out.scores
            self.explain[j] = (idx, out.explain)

    def _missing(self, node: Node, missing: np.ndarray, has: np.ndarray, needs: tuple[str, ...],
                 grids: dict[str, np.ndarray]) -> None:
        j = node.index
        units = np.flatnonzero(missing)
        if node.param("missing") == "zero":
            self.scores[j, units] = 0.0
            self.zeroed[j] = units
            for u in units:
                self.warnings.append(Issue("missing_value", self.m.unit_ids[u], node.id,
                                           f"{self.m.unit_names[u]} 缺少 {node.id} {node.name} 的数据，按 0 分计 (missing value scored 0)"))
            return
        for u in units:
            if not has[u]:
                what = "没有数据行 (no values row)"
            else:
                lacking = [f for f in needs if np.isnan(grids[f][j, u])]
                what = f"缺少 {', '.join(lacking)} (missing field)"
            self.err("missing_value", int(u), node, f"{self.m.unit_names[u]} 在指标 {node.id} {node.name} 上{what}")

    def rating_leaves(self) -> None:
        m = self.m
        group_ids = list(m.group_weights)
        weights = np.array([m.group_weights[g] for g in group_ids])
        G = len(group_ids)
        for node in m.nodes:
            if not node.is_leaf or node.broken or node.method != "rating":
                continue
            j = node.index
            sel = (m.r_node == j)
            sel[sel] = self.app[j, m.r_unit[sel]]
            unit, group, rater, score = m.r_unit[sel], m.r_group[sel], m.r_rater[sel], m.r_score[sel]
            used = node.param("groups")
            if used is not None:  # ratings from other groups are ignored, as if not given
                keep = np.isin(group, [group_ids.index(g) for g in used])
                unit, group, rater, score = unit[keep], group[keep], rater[keep], score[keep]
            # the same rater twice for the same unit and group
            n_raters = int(rater.max()) + 1 if len(rater) else 1
            uk, cnt = np.unique((unit * G + group) * n_raters + rater, return_counts=True)
            for k in np.flatnonzero(cnt > 1):
                u = int(uk[k] // (n_raters * G))
                self.err("duplicate_rating", u, node, f"同一评分人对 {m.unit_ids[u]} 在 {node.id} 上评了 {cnt[k]} 次")
            out = (score < 0) | (score > 100)
            for k in np.flatnonzero(out):
                self.err("rating_out_of_range", int(unit[k]), node, f"评分 {_n(score[k])} 不在 0–100 之间")
            given = np.bincount(unit, minlength=self.N) > 0  # an out-of-range rating is still a rating given
            unit, group, score = unit[~out], group[~out], score[~out]
            trim_min = int(node.param("trim_min", 5))
            order = np.lexsort((score, group, unit))
            unit, group, score = unit[order], group[order], score[order]
            cell = unit * G + group
            starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]]) if len(cell) else np.zeros(0, dtype=np.int64)
            ends = np.r_[starts[1:], len(cell)] if len(cell) else starts
            counts = ends - starts
            sums = np.add.reduceat(score, starts) if len(cell) else np.zeros(0)
            lo = score[starts] if len(cell) else np.zeros(0)
            hi = score[ends - 1] if len(cell) else np.zeros(0)
            trimmed = counts >= trim_min
            means = np.where(trimmed, (sums - lo - hi) / np.maximum(counts - 2, 1), sums / np.maximum(counts, 1))
            cu, cg = unit[starts], group[starts]
            wsum = np.bincount(cu, weights=weights[cg] * means, minlength=self.N)
            wtot = np.bincount(cu, weights=weights[cg], minlength=self.N)
            rated = np.bincount(cu, minlength=self.N) > 0
            mask = self.app[j]
            for u in np.flatnonzero(mask & ~(rated & (wtot > 0)) & ~(given & ~rated)):
                why = "没有任何评分" if not rated[u] else "只有权重为 0 的评议组评分"
                self.err("no_ratings", int(u), node, f"{m.unit_names[u]} 在评议指标 {node.id} {node.name} 上{why} (no ratings)")
            ok = mask & rated & (wtot > 0)
            combined = np.full(self.N, np.nan)
            combined[ok] = wsum[ok] / wtot[ok]
            self.scores[j, ok] = node.points * combined[ok] / 100
            idx = np.flatnonzero(ok)
            cells = (cu, cg, counts, means, trimmed)

            def explain(idx: np.ndarray = idx, cells: tuple = cells, combined: np.ndarray = combined,
                        P: float = node.points) -> list[str]:
                labels = [f"{m.group_names[g]}({{}}人{{}}) {{:.2f}} × 权重 {_n(m.group_weights[g])}" for g in group_ids]
                parts: dict[int, list[str]] = {}
                for u, g, c, mean, tr in zip(*(x.tolist() for x in cells)):
                    parts.setdefault(u, []).append(labels[g].format(c, "，去掉最高最低" if tr else "", mean))
                p_s = _n(P)
                return ["；".join(parts[u]) + f" → 加权 {combined[u]:.4f} × {p_s}/100 = {si:.2f}"
                        for u, si in zip(idx.tolist(), round2_array(P * combined[idx] / 100).tolist())]

            self.explain[j] = (idx, explain)

    def satisfaction_leaves(self) -> None:
        m = self.m
        for node in m.nodes:
            if not node.is_leaf or node.broken or node.method != "satisfaction":
                continue
            j = node.index
            sel = m.s_node == j
            sel[sel] = self.app[j, m.s_unit[sel]]
            unit, value, count = m.s_unit[sel], m.s_value[sel], m.s_count[sel]
            unknown = np.isnan(value)
            if unknown.any():
                known = "、".join(m.settings.choices)
                for u, row in zip(unit[unknown].tolist(), m.s_row[sel][unknown].tolist()):
                    self.err("unknown_choice", u, node, f"responses[{row}]: 未知选项 {m.s_choices[row]!r}；"
                             f"可选: {known} (unknown choice)")
                unit, value, count = unit[~unknown], value[~unknown], count[~unknown]
            total = np.bincount(unit, weights=count, minlength=self.N)
            wsum = np.bincount(unit, weights=count * value, minlength=self.N)
            approve = np.bincount(unit, weights=count * (value >= 60), minlength=self.N)
            mask = self.app[j]
            answered = mask & (total > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                mean = np.where(answered, wsum / np.where(answered, total, 1), np.nan)
                rate = np.where(answered, approve / np.where(answered, total, 1), np.nan)
            min_n = float(node.param("min_responses", 30))
            enough = answered & (total >= min_n)
            peers = self.peers(node)
            n_codes = int(peers.max()) + 1 if self.N else 1
            peer_sum = np.bincount(peers[enough], weights=mean[enough], minlength=n_codes)
            peer_cnt = np.bincount(peers[enough], minlength=n_codes)
            used = mean.copy()
            short = mask & ~enough
            fallback = np.zeros(self.N, dtype=bool)
            for u in np.flatnonzero(short):
                c = peer_cnt[peers[u]]
                if c > 0:
                    used[u] = peer_sum[peers[u]] / c
                    fallback[u] = True
                elif not answered[u]:
                    self.err("no_responses", int(u), node, f"{m.unit_names[u]} 在满意度指标 {node.id} 上没有答卷，"
                             f"同组也没有样本足够的单位可参照 (no answers and no peer to fall back on)")
                    continue
                self.warnings.append(Issue("insufficient_sample", m.unit_ids[u], node.id,
                                           f"{_n(total[u])} answers：样本不足 {_n(min_n)} 份，"
                                           + ("按同组单位平均满意度计分" if fallback[u] else "同组无可参照单位，按本单位样本计分")))
            ok = mask & ~np.isnan(used)
            self.scores[j, ok] = node.points * used[ok] / 100
            idx = np.flatnonzero(ok)
            P = node.points

            def explain(idx: np.ndarray = idx, total: np.ndarray = total, mean: np.ndarray = mean,
                        rate: np.ndarray = rate, used: np.ndarray = used, fallback: np.ndarray = fallback,
                        P: float = P) -> list[str]:
                out = []
                p_s = _n(P)
                for n_s, r_s, n, mu, fb, us, si in zip(
                        _ns(total[idx]), _pcts(rate[idx]), total[idx].tolist(), mean[idx].tolist(),
                        fallback[idx].tolist(), used[idx].tolist(), round2_array(P * used[idx] / 100).tolist()):
                    own = f"答卷 {n_s} 份，满意率 {r_s}，平均 {mu:.2f}" if n > 0 else "无答卷"
                    if fb:
                        out.append(f"{own}；样本不足，按同组平均 {us:.2f} × {p_s}/100 = {si:.2f}")
                    else:
                        out.append(f"{own} × {p_s}/100 = {si:.2f}")
                return out

            self.explain[j] = (idx, explain)

    # ---- the tree (spec 3)
    def aggregate(self) -> None:
        m = self.m
        for j in m.order:
            node = m.nodes[j]
            if node.is_leaf:
                self.points[j] = np.where(self.app[j], node.points, np.nan)
                continue
            ch = node.children
            app = self.app[ch]
            s_sum = np.where(app, self.scores[ch], 0.0).sum(axis=0)
            p_sum = np.where(app, self.points[ch], 0.0).sum(axis=0)
            self.child_sums[j] = (s_sum, p_sum)
            mine = self.app[j]
            if node.points is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    self.scores[j] = np.where(mine, s_sum * node.points / np.where(p_sum > 0, p_sum, 1), np.nan)
                self.points[j] = np.where(mine, node.points, np.nan)
            else:
                self.scores[j] = np.where(mine, s_sum, np.nan)
                self.points[j] = np.where(mine, p_sum, np.nan)

    def mismatches(self) -> None:
        nominal: dict[int, float] = {}
        for j in self.m.order:
            node = self.m.nodes[j]
            if node.is_leaf:
                nominal[j] = node.points or 0.0
                continue
            kids = sum(nominal[c] for c in node.children)
            nominal[j] = node.points if node.points is not None else kids
            if node.points is not None and abs(node.points - kids) > 1e-9:
                self.warnings.append(Issue("points_mismatch", None, node.id,
                                           f"children sum {_n(kids)} != {_n(node.points)}：指标 {node.id} {node.name} 的分值 "
                                           f"{_n(node.points)} 与下级分值之和 {_n(kids)} 不同，按比例折算"))

    # ---- totals, ranks, grades (spec 4–6)
    def totals(self) -> dict[str, np.ndarray]:
        m, N = self.m, self.N
        main = np.zeros(N)
        bonus_line = np.zeros(N)
        for node in m.nodes:
            if node.parent < 0:
                row = np.where(self.app[node.index], self.scores[node.index], 0.0)
                if node.line == "bonus":
                    bonus_line += row
                else:
                    main += row
        bonus = np.bincount(m.adj_unit[m.adj_kind == 0], weights=m.adj_points[m.adj_kind == 0], minlength=N)
        deduction = np.bincount(m.adj_unit[m.adj_kind == 1], weights=m.adj_points[m.adj_kind == 1], minlength=N)
        vetoed = np.bincount(m.adj_unit[m.adj_kind == 2], minlength=N) > 0
        st = m.settings
        if st.bonus_cap is not None:
            bonus = np.minimum(bonus, st.bonus_cap)
        if st.deduction_cap is not None:
            deduction = np.minimum(deduction, st.deduction_cap)
        total = main + bonus - deduction + (bonus_line if st.bonus_line_in_total else 0.0)
        rounded = round2_array(total)
        rank_codes = self.group_code if st.rank_by == "group" else self.domain_code
        rank, size = competition_rank(rounded, rank_codes)
        grade, advanced = self.grades(rounded, vetoed)
        return {"main": main, "bonus_line": bonus_line, "bonus": bonus, "deduction": deduction, "total": total,
                "rank": rank, "group_size": size, "vetoed": vetoed, "grade": grade, "advanced": advanced}

    def grades(self, total: np.ndarray, vetoed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        st = self.m.settings
        grade = np.full(self.N, -1, dtype=np.int64)
        if not st.grades:
            return grade, np.zeros(self.N, dtype=bool)
        scope = self.group_code if st.grade_scope == "group" else self.domain_code
        _, inv, counts = np.unique(scope, return_inverse=True, return_counts=True)
        n = counts[inv]  # vetoed units count in n
        ok = ~vetoed
        place = np.zeros(self.N, dtype=np.int64)
        rplace = np.zeros(self.N, dtype=np.int64)
        place[ok], _ = competition_rank(total[ok], scope[ok])
        rplace[ok], _ = competition_rank(-total[ok], scope[ok])
        last = len(st.grades) - 1
        grade[vetoed] = last
        bottom = st.grades[last]
        if bottom.is_bottom:
            take = np.zeros(self.N, dtype=bool)
            if bottom.bottom_share is not None:
                take |= rplace <= np.floor(bottom.bottom_share * n + 1e-9)
            if bottom.below_total is not None:
                take |= total < bottom.below_total
            grade[ok & (grade < 0) & take] = last
        cumulative = 0.0
        for i, g in enumerate(st.grades):
            if g.rest or g.is_bottom:
                continue
            free = ok & (grade < 0)
            if g.top_share is not None:
                cumulative += g.top_share
                free &= place <= np.floor(cumulative * n + 1e-9)
            if g.min_total is not None:
                free &= total >= g.min_total
            grade[free] = i
        rest = next(i for i, g in enumerate(st.grades) if g.rest)
        grade[grade < 0] = rest
        advanced = np.zeros(self.N, dtype=bool)
        if st.advanced_grade is not None:
            target = [g.name for g in st.grades].index(st.advanced_grade)
            advanced = grade == target
            if st.advanced_requires_leadership:
                advanced &= self.m.leadership
        return grade, advanced


def compute(scenario: dict) -> Result:
    """Compute a scenario (spec sections 1–7). Raises `ScenarioInvalid` with every error found."""
    model, errors = parse(scenario)
    if model is None or not model.tree_ok:
        raise ScenarioInvalid(errors)
    run = _Run(model, errors)
    run.applicability()
    run.data_leaves()
    run.rating_leaves()
    run.satisfaction_leaves()
    if run.errors:
        raise ScenarioInvalid(run.errors)
    run.mismatches()
    run.aggregate()
    totals = run.totals()
    return Result(model=model, app=run.app, scores=run.scores, points=run.points, explain=run.explain,
                  zeroed=run.zeroed, child_sums=run.child_sums, warnings=run.warnings, **totals)


def validate(scenario: dict) -> list[Issue]:
    """Every error in the scenario; an empty list when it computes."""
    try:
        compute(scenario)
    except ScenarioInvalid as exc:
        return exc.errors
    return []

