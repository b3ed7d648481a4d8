"""Hypothesis strategies: small but complete, valid scenarios using every method."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

DATA_METHODS = ["completion", "efficacy", "rank", "external_rank", "threshold", "deduction", "binary", "manual",
                "growth_rank"]
ALL_METHODS = DATA_METHODS + ["rating", "satisfaction"]

# Values on a 0.5 grid keep ties frequent (ties are where ranking rules bite).
value = st.integers(min_value=1, max_value=200).map(lambda x: x / 2)


@st.composite
def leaf_params(draw: st.DrawFn, method: str, points: float, direction: str = "higher") -> dict[str, Any]:
    p: dict[str, Any] = {}
    if method in ("efficacy", "rank", "growth_rank", "satisfaction") and draw(st.booleans()):
        p["peer"] = draw(st.sampled_from(["group", "domain", "all"]))
    if method == "completion":
        if draw(st.booleans()):
            p["cap"] = draw(st.sampled_from([1, 1.1, 1.2, 1.5]))
        if draw(st.booleans()):
            p["floor"] = draw(st.sampled_from([0, 0.5, 0.8]))
    elif method == "efficacy":
        if draw(st.booleans()):
            p["base"] = draw(st.sampled_from([40, 50, 60]))
        if draw(st.booleans()):
            # 满意值/不允许值 follow the direction: for lower-is-better the best is the small one
            p["best"], p["worst"] = (90, 10) if direction == "higher" else (10, 90)
    elif method == "rank":
        if draw(st.booleans()):
            p["floor"] = draw(st.sampled_from([0, 0.5, 0.6]))
    elif method == "external_rank":
        p["bar"] = draw(st.integers(1, 10))
        p["step"] = draw(st.sampled_from([0.25, 0.5, 1]))
        if draw(st.booleans()):
            p["floor"] = 0.4
    elif method == "threshold":
        # for lower-is-better the value bands are upper bounds: the smaller the value, the better the share
        p["bands"] = [[80, 1.0], [50, 0.6], [20, 0.3]] if direction == "higher" else [[20, 1.0], [50, 0.6], [80, 0.3]]
        if draw(st.booleans()):
            p["basis"] = "rate"
            p["bands"] = [[1.0, 1.0], [0.8, 0.7], [0.5, 0.4]]
    elif method == "deduction":
        p["per_item"] = draw(st.sampled_from([0.5, 1, 2]))
        if draw(st.booleans()):
            p["floor"] = 0.2
    elif method == "binary":
        if draw(st.booleans()):
            p["partial"] = 0.5
    elif method == "growth_rank":
        if draw(st.booleans()):
            p["weights"] = {"increment": 0.5, "growth": 0.25, "gap": 0.25}
    elif method == "rating":
        if draw(st.booleans()):
            p["trim_min"] = draw(st.integers(3, 6))
    elif method == "satisfaction":
        p["min_responses"] = draw(st.sampled_from([0, 5, 30]))
    return p


@st.composite
def scenarios(draw: st.DrawFn, methods: list[str] | None = None, max_units: int = 8) -> dict[str, Any]:
    methods = methods or ALL_METHODS
    n = draw(st.integers(2, max_units))
    domains = ["county", "dept"]
    units = []
    for i in range(n):
        units.append({"id": f"U{i}", "name": f"单位{i}", "domain": draw(st.sampled_from(domains)),
                      "category": draw(st.sampled_from(["", "mountain"])),
                      "leadership_excellent": draw(st.booleans())})
    indicators: list[dict[str, Any]] = [{"id": "A", "name": "主线", "points": draw(st.sampled_from([None, 100]))}]
    if indicators[0]["points"] is None:
        del indicators[0]["points"]
    if draw(st.booleans()):
        indicators.append({"id": "N", "name": "1+N", "line": "bonus"})
    values: list[dict] = []
    ratings: list[dict] = []
    responses: list[dict] = []
    n_leaves = draw(st.integers(1, 5))
    for k in range(n_leaves):
        method = draw(st.sampled_from(methods))
        points = float(draw(st.sampled_from([2, 5, 10, 20])))
        roots = [r["id"] for r in indicators if "parent" not in r]
        parent = "A" if k == 0 else draw(st.sampled_from(roots))
        leaf: dict[str, Any] = {"id": f"L{k}", "name": f"指标{k}", "parent": parent, "points": points, "method": method}
        if method not in ("rating", "satisfaction", "external_rank", "deduction", "manual") and draw(st.booleans()):
            leaf["direction"] = "lower"
        params = draw(leaf_params(method, points, leaf.get("direction", "higher")))
        if params:
            leaf["params"] = params
        if draw(st.integers(0, 4)) == 0:
            leaf["applies_to"] = {"exclude_units": [draw(st.sampled_from([u["id"] for u in units]))]}
        indicators.append(leaf)
        for u in units:
            if method == "rating":
                for g in ("leaders", "peers"):
                    for r in range(draw(st.integers(1 if g == "leaders" else 0, 6))):
                        ratings.append({"indicator": leaf["id"], "unit": u["id"], "group": g, "rater": f"{g}{r}",
                                        "score": draw(st.integers(0, 100))})
            elif method == "satisfaction":
                for c in draw(st.sets(st.sampled_from(["satisfied", "fairly_satisfied", "basically_satisfied",
                                                       "unsatisfied"]), min_size=1)):
                    responses.append({"indicator": leaf["id"], "unit": u["id"], "choice": c,
                                      "count": draw(st.integers(1, 40))})
            elif method == "manual":
                values.append({"unit": u["id"], "indicator": leaf["id"],
                               "actual": draw(st.integers(0, int(points * 2))) / 2})
            elif method == "external_rank":
                values.append({"unit": u["id"], "indicator": leaf["id"], "actual": draw(st.integers(1, 30))})
            elif method == "deduction":
                values.append({"unit": u["id"], "indicator": leaf["id"], "actual": draw(st.integers(0, 12))})
            else:
                values.append({"unit": u["id"], "indicator": leaf["id"], "actual": draw(value),
                               "target": draw(value), "baseline": draw(value)})
    used = {i.get("parent") for i in indicators}
    indicators = [i for i in indicators if "parent" in i or i["id"] in used]
    scenario: dict[str, Any] = {"units": units, "indicators": indicators, "values": values}
    if ratings:
        scenario["rater_groups"] = [{"id": "leaders", "name": "领导评议", "weight": 0.6},
                                    {"id": "peers", "name": "单位互评", "weight": 0.4}]
        scenario["ratings"] = ratings
    if responses:
        scenario["responses"] = responses
    adjustments = []
    for u in units:
        if draw(st.integers(0, 5)) == 0:
            adjustments.append({"unit": u["id"], "kind": draw(st.sampled_from(["bonus", "deduction", "veto"])),
                                "points": draw(st.sampled_from([0.5, 1, 2, 4])), "reason": "测试"})
    if adjustments:
        scenario["adjustments"] = adjustments
    settings: dict[str, Any] = {}
    if draw(st.booleans()):
        settings["bonus_cap"] = 3
    if draw(st.booleans()):
        settings["rank_by"] = "domain"
    if draw(st.booleans()):
        settings["grade_scope"] = "domain"
    if draw(st.booleans()):
        settings["grades"] = [
            {"name": "一等次", "top_share": draw(st.sampled_from([0.2, 0.3, 0.5]))},
            {"name": "二等次", "rest": True},
            {"name": "三等次", "bottom_share": draw(st.sampled_from([0, 0.1, 0.25]))},
        ]
        if draw(st.booleans()):
            settings["grades"][0]["min_total"] = 5
        settings["advanced"] = {"grade": "一等次", "requires_leadership_excellent": draw(st.booleans())}
    if settings:
        scenario["settings"] = settings
    return scenario
