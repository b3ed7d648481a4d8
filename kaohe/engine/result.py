"""What a computation returns, and its JSON form (spec section 7)."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

import numpy as np

from .issues import Issue
from .methods import Explain, _n
from .numbers import round2_array
from .schema import Model


@dataclass
class Result:
    model: Model
    app: np.ndarray  # (nodes, units) bool
    scores: np.ndarray  # (nodes, units), NaN where not applicable
    points: np.ndarray  # (nodes, units): the points a node counts for that unit
    explain: dict[int, tuple[np.ndarray, Explain]]
    zeroed: dict[int, np.ndarray]
    child_sums: dict[int, tuple[np.ndarray, np.ndarray]]
    warnings: list[Issue]
    main: np.ndarray
    bonus_line: np.ndarray
    bonus: np.ndarray
    deduction: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    group_size: np.ndarray
    vetoed: np.ndarray
    grade: np.ndarray  # index into settings.grades, -1 for none
    advanced: np.ndarray

    def group_label(self, u: int) -> str:
        d, c = self.model.domains[u], self.model.categories[u]
        return f"{d}/{c}" if c else d

    def explain_texts(self) -> list[list[str | None]]:
        """The explain text of every (node, unit); None where the node does not apply."""
        m = self.model
        K, N = self.scores.shape
        texts: list[list[str | None]] = [[None] * N for _ in range(K)]
        for j, (idx, fn) in self.explain.items():
            row = texts[j]
            for u, t in zip(idx.tolist(), fn()):
                row[u] = t
        for j, units in self.zeroed.items():
            for u in units.tolist():
                texts[j][u] = "缺少数据，按 0 分计 (missing value scored 0)"
        for j, (s_sum, p_sum) in self.child_sums.items():
            node = m.nodes[j]
            row = texts[j]
            scores = round2_array(self.scores[j]).tolist()
            sums = round2_array(s_sum).tolist()
            for u in np.flatnonzero(self.app[j]).tolist():
                if node.points is None or abs(p_sum[u] - node.points) < 1e-9:
                    row[u] = f"下级得分合计 {sums[u]:.2f}"
                else:
                    row[u] = (f"下级得分合计 {sums[u]:.2f} ÷ 适用下级分值 {_n(p_sum[u])} × 本级分值 {_n(node.points)}"
                              f" = {scores[u]:.2f}")
        return texts

    def grade_name(self, u: int) -> str | None:
        g = int(self.grade[u])
        return self.model.settings.grades[g].name if g >= 0 else None

    def to_dict(self) -> dict[str, Any]:
        # Hundreds of thousands of small dicts and no cycles: the collector would only rescan them.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._to_dict()
        finally:
            if enabled:
                gc.enable()

    def _to_dict(self) -> dict[str, Any]:
        m = self.model
        scores = round2_array(self.scores).T.tolist()
        points = round2_array(self.points).T.tolist()
        lost = round2_array(self.points - self.scores).T.tolist()
        texts = list(zip(*self.explain_texts()))  # per unit
        app = self.app.T.tolist()
        ids = [n.id for n in m.nodes]
        cols = {k: round2_array(getattr(self, k)).tolist() for k in ("main", "bonus_line", "bonus", "deduction", "total")}
        rank, size = self.rank.tolist(), self.group_size.tolist()
        vetoed, advanced = self.vetoed.tolist(), self.advanced.tolist()
        units = []
        for u, uid in enumerate(m.unit_ids):
            node_rows = [
                {"indicator": nid, "score": s, "points": p, "lost": lo, "applicable": True, "explain": e} if a else
                {"indicator": nid, "score": None, "points": None, "lost": None, "applicable": False, "explain": None}
                for nid, s, p, lo, a, e in zip(ids, scores[u], points[u], lost[u], app[u], texts[u])
            ]
            units.append({
                "unit": uid, "group": self.group_label(u), "main": cols["main"][u], "bonus_line": cols["bonus_line"][u],
                "bonus": cols["bonus"][u], "deduction": cols["deduction"][u], "total": cols["total"][u],
                "rank": rank[u], "group_size": size[u], "grade": self.grade_name(u), "vetoed": vetoed[u],
                "advanced": advanced[u], "scores": node_rows,
            })
        return {"units": units, "warnings": [w.to_dict() for w in self.warnings]}
