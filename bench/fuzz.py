"""Small random scenarios full of edge cases, for cross-checking the engine with the baseline.

Unlike `generate.py` (large and realistic), these are tiny and adversarial: integer data so
that ranks and totals tie, nested trees with and without own points, every param, negative
baselines, zero answers, vetoes, odd grade quotas, and now and then one data error of a
section 8 kind so that both sides must reject the scenario the same way.
"""

from __future__ import annotations

import random
from typing import Any

METHODS = ["completion", "efficacy", "rank", "external_rank", "threshold", "deduction",
           "binary", "manual", "growth_rank", "rating", "satisfaction"]
SPEC_CODES = frozenset({"missing_value", "bad_target", "duplicate_value", "duplicate_rating",
                        "zero_baseline", "manual_out_of_range", "rating_out_of_range",
                        "no_ratings", "unknown_choice", "no_responses"})
CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "unsatisfied"]


def _params(method: str, points: float, rng: random.Random, groups: list[str]
            ) -> dict[str, Any]:
    p: dict[str, Any] = {}

    def maybe(key: str, value: Any, prob: float = 0.5) -> None:
        if rng.random() < prob:
            p[key] = value

    if method in ("efficacy", "rank", "growth_rank", "satisfaction"):
        maybe("peer", rng.choice(["group", "domain", "all"]))
    if method == "completion":
        maybe("cap", rng.choice([1, 1.2, 1.5]))
        maybe("floor", rng.choice([0, 0.5, 0.8]))
    elif method == "efficacy":
        maybe("base", rng.choice([0, 50, 60]))
        maybe("best", rng.randint(0, 6), 0.3)
        maybe("worst", rng.randint(0, 6), 0.3)
    elif method == "rank":
        maybe("floor", rng.choice([0, 0.5, 0.6]))
    elif method == "external_rank":
        p["bar"] = rng.randint(1, 5)
        p["step"] = rng.choice([0.5, 1, points / 4])
        maybe("floor", rng.choice([0, 0.4]))
    elif method == "threshold":
        basis = rng.choice(["value", "rate"])
        if basis == "rate":
            p["basis"] = "rate"
            p["bands"] = [[1.0, 1.0], [0.8, 0.5], [0.5, 0.25]]
        else:
            p["bands"] = [[4, 1.0], [2, 0.6], [1, 0.3]]
        rng.shuffle(p["bands"])
    elif method == "deduction":
        p["per_item"] = rng.choice([0.5, 1, 2])
        maybe("floor", rng.choice([0, 0.25]))
    elif method == "binary":
        maybe("partial", rng.choice([0, 0.5]))
    elif method == "manual":
        maybe("cap", rng.choice([1, 1.2]))
    elif method == "growth_rank":
        maybe("floor", rng.choice([0, 0.6]))
        maybe("weights", rng.choice([{"increment": 0.5, "growth": 0.5, "gap": 0.0},
                                     {"increment": 0.2, "growth": 0.3, "gap": 0.5}]))
    elif method == "rating":
        maybe("trim_min", rng.randint(3, 6))
        if rng.random() < 0.4:
            p["groups"] = rng.sample(groups, k=rng.randint(1, len(groups)))
    elif method == "satisfaction":
        maybe("min_responses", rng.choice([1, 10, 40]))
    if method not in ("rating", "satisfaction") and rng.random() < 0.2:
        p["missing"] = "zero"
    return p


def fuzz_scenario(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    n_units = rng.randint(2, 12)
    units = [{"id": f"U{i}", "name": f"U{i}", "domain": rng.choice(["a", "b"]),
              "category": rng.choice(["", "x", "y"]),
              "leadership_excellent": rng.random() < 0.5} for i in range(n_units)]
    unit_ids = [u["id"] for u in units]
    groups = [f"g{k}" for k in range(rng.randint(1, 3))]
    rater_groups = [{"id": g, "name": g, "weight": rng.choice([0.2, 0.3, 0.5, 1])}
                    for g in groups]

    indicators: list[dict[str, Any]] = []
    serial = [0]

    def scope() -> dict[str, list[str]] | None:
        if rng.random() > 0.3:
            return None
        kind = rng.choice(["domains", "categories", "exclude_units", "units"])
        if kind == "domains":
            return {"domains": [rng.choice(["a", "b"])]}
        if kind == "categories":
            return {"categories": rng.sample(["", "x", "y"], k=rng.randint(1, 2))}
        return {kind: rng.sample(unit_ids, k=rng.randint(1, max(1, n_units // 2)))}

    def node(parent: str | None, depth: int) -> float:
        """Add a node and its subtree; returns its full points (for a points_mismatch mix)."""
        serial[0] += 1
        nid = f"N{serial[0]}"
        ind: dict[str, Any] = {"id": nid, "name": nid}
        if parent is None:
            ind["line"] = "bonus" if rng.random() < 0.2 else "main"
        else:
            ind["parent"] = parent
        at = scope()
        if at:
            ind["applies_to"] = at
        indicators.append(ind)
        if depth >= 3 or (parent is not None and rng.random() < 0.6):
            method = rng.choice(METHODS)
            points = rng.choice([1, 2, 2.5, 5, 10])
            ind.update(points=points, method=method)
            if rng.random() < 0.3:
                ind["direction"] = "lower"
            params = _params(method, points, rng, groups)
            if params:
                ind["params"] = params
            return points
        full = sum(node(nid, depth + 1) for _ in range(rng.randint(1, 4)))
        roll = rng.random()
        if roll < 0.4:
            ind["points"] = full
        elif roll < 0.7:
            ind["points"] = rng.choice([10, 20, 30])
        return ind.get("points", full)

    for _ in range(rng.randint(1, 3)):
        node(None, 1)

    by_id = {ind["id"]: ind for ind in indicators}
    parents = {ind.get("parent") for ind in indicators}
    leaves = [ind for ind in indicators if ind["id"] not in parents]

    def in_scope(ind: dict[str, Any], u: dict[str, Any]) -> bool:
        at = ind.get("applies_to") or {}
        return ((not at.get("domains") or u["domain"] in at["domains"])
                and (not at.get("categories") or u["category"] in at["categories"])
                and (not at.get("units") or u["id"] in at["units"])
                and u["id"] not in at.get("exclude_units", []))

    def applies(leaf: dict[str, Any], u: dict[str, Any]) -> bool:
        n: dict[str, Any] | None = leaf
        while n is not None:
            if not in_scope(n, u):
                return False
            n = by_id.get(n.get("parent", ""))
        return True

    values: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    for leaf in leaves:
        method, params, P = leaf["method"], leaf.get("params", {}), leaf["points"]
        lower = leaf.get("direction") == "lower"
        for u in units:
            # Data for units the leaf does not apply to now and then: it must be ignored.
            if not applies(leaf, u) and rng.random() < 0.7:
                continue
            if method == "rating":
                allowed = params.get("groups") or groups
                for g in groups:
                    if g not in allowed and rng.random() < 0.5:
                        continue
                    for r in range(rng.choice([0, 1, 2, 3, 5, 6])):
                        ratings.append({"indicator": leaf["id"], "unit": u["id"], "group": g,
                                        "rater": f"r{r}", "score": rng.randint(6, 10) * 10})
                if not any(x["unit"] == u["id"] and x["indicator"] == leaf["id"]
                           and x["group"] in allowed for x in ratings):
                    ratings.append({"indicator": leaf["id"], "unit": u["id"],
                                    "group": allowed[0], "rater": "r0", "score": 75})
                continue
            if method == "satisfaction":
                for c in CHOICES:
                    if rng.random() < 0.6:
                        responses.append({"indicator": leaf["id"], "unit": u["id"],
                                          "choice": c, "count": rng.choice([0, 1, 5, 20])})
                continue
            if "missing" in params and rng.random() < 0.3:
                continue
            row: dict[str, Any] = {"unit": u["id"], "indicator": leaf["id"],
                                   "actual": rng.randint(0, 5)}
            if method in ("completion", "binary", "growth_rank", "threshold"):
                row["target"] = rng.randint(1, 5)
                if method == "completion" and lower and rng.random() < 0.2:
                    row["target"] = rng.randint(-1, 0)
            if method == "growth_rank":
                row["baseline"] = rng.choice([-3, -1, 1, 2, 4])
            if method == "external_rank":
                row["actual"] = rng.randint(1, 8)
            if method == "manual":
                row["actual"] = rng.choice([0, P / 2, P, P * params.get("cap", 1)])
            if method == "efficacy" and rng.random() < 0.3:
                row["actual"] = 2.5
            values.append(row)

    adjustments: list[dict[str, Any]] = []
    for u in units:
        for kind in ("bonus", "deduction", "veto"):
            if rng.random() < (0.1 if kind == "veto" else 0.3):
                adjustments.append({"unit": u["id"], "kind": kind,
                                    "points": rng.choice([0.5, 1, 3]), "reason": "fuzz"})

    settings: dict[str, Any] = {}
    if rng.random() < 0.5:
        settings["bonus_cap"] = rng.choice([None, 1, 2])
    if rng.random() < 0.5:
        settings["deduction_cap"] = rng.choice([None, 1])
    if rng.random() < 0.3:
        settings["bonus_line_in_total"] = True
    if rng.random() < 0.5:
        settings["rank_by"] = rng.choice(["group", "domain"])
    if rng.random() < 0.5:
        settings["grade_scope"] = rng.choice(["group", "domain"])
    if rng.random() < 0.2:
        settings["choices"] = {"satisfied": 100, "fairly_satisfied": 70,
                               "basically_satisfied": 50, "unsatisfied": 10}
    if rng.random() < 0.8:
        grades: list[dict[str, Any]] = [{"name": "A", "top_share": rng.choice([0.2, 0.3, 0.5])}]
        if rng.random() < 0.5:
            grades[0]["min_total"] = rng.choice([1, 5, 10, 20])
        if rng.random() < 0.5:
            grades.append({"name": "B", "top_share": rng.choice([0.2, 0.29, 0.3])})
        grades.append({"name": "R", "rest": True})
        if rng.random() < 0.7:
            last: dict[str, Any] = {"name": "Z"}
            if rng.random() < 0.8:
                last["bottom_share"] = rng.choice([0, 0.1, 0.2, 0.34])
            if rng.random() < 0.5 or "bottom_share" not in last:
                last["below_total"] = rng.choice([2, 5, 10])
            grades.append(last)
        settings["grades"] = grades
        if rng.random() < 0.7:
            settings["advanced"] = {"grade": "A",
                                    "requires_leadership_excellent": rng.random() < 0.5}

    scenario: dict[str, Any] = {"units": units, "indicators": indicators, "values": values,
                                "rater_groups": rater_groups, "ratings": ratings,
                                "responses": responses, "adjustments": adjustments}
    if settings:
        scenario["settings"] = settings
    if rng.random() < 0.15:
        _inject_error(scenario, rng)
    return scenario


def _inject_error(scenario: dict[str, Any], rng: random.Random) -> None:
    """One data error of a section 8 kind, placed on a row that the scorer reads."""
    values, ratings, responses = scenario["values"], scenario["ratings"], scenario["responses"]
    kind = rng.choice(["drop", "duplicate", "rating", "dup_rating", "choice", "target"])
    if kind == "drop" and values:
        values.pop(rng.randrange(len(values)))
    elif kind == "duplicate" and values:
        values.append(dict(rng.choice(values)))
    elif kind == "rating" and ratings:
        rng.choice(ratings)["score"] = 101
    elif kind == "dup_rating" and ratings:
        ratings.append(dict(rng.choice(ratings)))
    elif kind == "choice" and responses:
        rng.choice(responses)["choice"] = "unheard_of"
    elif kind == "target" and values:
        row = rng.choice(values)
        if "target" in row:
            row["target"] = 0
        if "baseline" in row:
            row["baseline"] = 0
        row["actual"] = -1
