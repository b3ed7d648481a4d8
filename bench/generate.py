"""Deterministic generator of large, valid assessment scenarios for the benchmark.

`generate(n_units, n_leaves, seed)` builds a province- or nation-sized scenario that uses
every method, peer groups, applicability, missing values, ratings, surveys, adjustments
and grades. Run as a script it writes the scenario as JSON:

    python bench/generate.py --units 3000 --leaves 200 -o bench/data/national.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path
from typing import Any

# (id, label, share of the units, categories). Counties are split mountain / non-mountain
# (山区/非山区), departments by line of work, the others have no category.
DOMAINS: list[tuple[str, str, float, list[str]]] = [
    ("county", "县(市、区)", 0.10, ["mountain", "non_mountain"]),
    ("township", "乡镇(街道)", 0.45, ["mountain", "non_mountain"]),
    ("dept", "市直部门", 0.30, ["party_mass", "economic", "social"]),
    ("enterprise", "市属国企", 0.08, [""]),
    ("institution", "事业单位", 0.07, [""]),
]
TERRITORIAL = ["county", "township"]
RATER_GROUPS = [
    {"id": "leaders", "name": "领导评议", "weight": 0.4},
    {"id": "peers", "name": "单位互评", "weight": 0.3},
    {"id": "public", "name": "服务对象评议", "weight": 0.3},
]
CHOICES = {"satisfied": 100, "fairly_satisfied": 80, "basically_satisfied": 60,
           "unsatisfied": 0}
LEAD_UNITS = ["市委组织部", "市发展改革委", "市统计局", "市财政局", "市生态环境局",
              "市应急管理局", "市教育局", "市卫生健康委", "市国资委", "市委宣传部"]
VALUE_METHODS = ["completion", "efficacy", "rank", "external_rank", "threshold",
                 "deduction", "binary", "manual", "growth_rank"]

# Sections of each paper: (paper, id, name, share of the paper's leaves, applies_to,
# method mix). The mixes follow what such sections use in practice: party building is
# scored by checks and deductions, development by rates and rankings.
SECTIONS: list[tuple[str, str, str, float, dict[str, list[str]] | None, dict[str, int]]] = [
    ("P", "P1", "党建共性指标", 0.55, None,
     {"deduction": 3, "binary": 2, "manual": 3, "threshold": 1}),
    ("P", "P2", "基层党建", 0.45, {"domains": TERRITORIAL},
     {"deduction": 2, "binary": 2, "manual": 2, "completion": 1, "external_rank": 1}),
    ("D", "D1", "共性发展指标", 0.25, None,
     {"completion": 3, "threshold": 2, "efficacy": 1, "rank": 1, "binary": 1}),
    ("D", "D2", "经济发展", 0.35, {"domains": TERRITORIAL},
     {"completion": 3, "growth_rank": 2, "efficacy": 2, "rank": 2, "external_rank": 1,
      "threshold": 1}),
    ("D", "D3", "部门职能 (百分制子表)", 0.25, {"domains": ["dept", "institution"]},
     {"completion": 2, "manual": 2, "external_rank": 2, "binary": 1, "deduction": 1}),
    ("D", "D4", "企业经营", 0.15, {"domains": ["enterprise"]},
     {"completion": 2, "growth_rank": 1, "efficacy": 1, "rank": 1}),
    ("N", "N1", "共性工作与职能工作 (1+N)", 1.0, None,
     {"manual": 2, "binary": 1, "deduction": 1, "threshold": 1}),
]
# Paper points in quarter points, so every sum is exact in binary floating point.
PAPERS = [("P", "党的建设", 20, "main"), ("D", "高质量发展绩效", 70, "main"),
          ("S", "满意度", 10, "main"), ("N", "共性工作与职能工作", 10, "bonus")]


def _allocate(total: int, weights: list[float], minimums: list[int]) -> list[int]:
    """Split an integer total in proportion to weights, each part at least its minimum."""
    spare = total - sum(minimums)
    if spare < 0:
        raise ValueError("total too small for the minimums")
    raw = [spare * w / sum(weights) for w in weights]
    parts = [math.floor(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) == spare:
            break
        parts[i] += 1
    return [p + m for p, m in zip(parts, minimums)]


def _uneven(total: int, n: int, rng: random.Random) -> list[int]:
    """Split total quarter points over n leaves, unevenly, each at least one quarter."""
    return _allocate(total, [rng.uniform(0.5, 2.0) for _ in range(n)], [1] * n)


def _make_units(n_units: int, rng: random.Random) -> list[dict[str, Any]]:
    counts = [max(1, round(n_units * d[2])) for d in DOMAINS]
    counts[1] += n_units - sum(counts)
    units = []
    serial = 0
    for (dom, label, _, cats), count in zip(DOMAINS, counts):
        for k in range(count):
            serial += 1
            units.append({"id": f"U{serial:05d}", "name": f"{label}{k + 1:03d}",
                          "domain": dom, "category": cats[k % len(cats)],
                          "leadership_excellent": rng.random() < 0.35})
    return units


def _in_scope(at: dict[str, list[str]] | None, u: dict[str, Any]) -> bool:
    if not at:
        return True
    return ((not at.get("domains") or u["domain"] in at["domains"])
            and (not at.get("categories") or u["category"] in at["categories"])
            and (not at.get("units") or u["id"] in at["units"])
            and u["id"] not in at.get("exclude_units", []))


def _params(method: str, points: float, rng: random.Random) -> tuple[dict[str, Any], str]:
    """Realistic params and direction for one leaf."""
    lower = False
    p: dict[str, Any] = {}
    if method == "completion":
        lower = rng.random() < 0.15  # energy intensity, incident counts...
        p["cap"] = rng.choice([1, 1, 1.1, 1.2])
        floor = rng.choice([0, 0, 0.5, 0.6])
        if floor:
            p["floor"] = floor
    elif method == "efficacy":
        lower = rng.random() < 0.2
        if rng.random() < 0.5:
            p["base"] = rng.choice([50, 60, 70])
        if rng.random() < 0.3:
            p["best"], p["worst"] = (20, 80) if lower else (80, 20)
        if rng.random() < 0.3:
            p["peer"] = rng.choice(["domain", "all"])
    elif method == "rank":
        lower = rng.random() < 0.2
        if rng.random() < 0.5:
            p["floor"] = rng.choice([0.5, 0.6, 0.7])
        if rng.random() < 0.3:
            p["peer"] = rng.choice(["domain", "all"])
    elif method == "external_rank":
        p["bar"] = rng.choice([5, 7, 10])
        p["step"] = rng.choice([0.1, 0.25, 0.5]) * points
        p["floor"] = rng.choice([0, 0.4])
    elif method == "threshold":
        kind = rng.choice(["value", "value", "lower", "rate", "rate"])
        if kind == "value":
            bands = [[90, 1.0], [80, 0.8], [70, 0.6], [60, 0.4]]
        elif kind == "lower":
            lower = True
            bands = [[0, 1.0], [2, 0.6], [5, 0.3]]
        else:
            p["basis"] = "rate"
            lower = rng.random() < 0.25
            bands = [[1.0, 1.0], [0.95, 0.8], [0.9, 0.6], [0.8, 0.3]]
        rng.shuffle(bands)  # the engine sorts them itself
        p["bands"] = bands
    elif method == "deduction":
        p["per_item"] = rng.choice([0.25, 0.5, 1.0]) * points / 2
        if rng.random() < 0.4:
            p["floor"] = 0.2
    elif method == "binary":
        lower = rng.random() < 0.2
        if rng.random() < 0.5:
            p["partial"] = 0.5
    elif method == "manual":
        if rng.random() < 0.15:
            p["cap"] = 1.1
    elif method == "growth_rank":
        lower = rng.random() < 0.15
        if rng.random() < 0.4:
            p["weights"] = {"increment": 0.5, "growth": 0.25, "gap": 0.25}
        if rng.random() < 0.3:
            p["peer"] = "domain"
    return p, ("lower" if lower else "higher")


def _value_row(leaf: dict[str, Any], u: dict[str, Any], z: float,
               rng: random.Random) -> dict[str, Any]:
    """One `values` row; z is the unit's latent quality, so performance correlates."""
    method, P = leaf["method"], leaf["points"]
    params = leaf.get("params", {})
    lower = leaf.get("direction") == "lower"
    sign = -1.0 if lower else 1.0
    row: dict[str, Any] = {"unit": u["id"], "indicator": leaf["id"]}
    if method == "completion" or (method == "threshold" and params.get("basis") == "rate"):
        target = round(rng.uniform(20, 2000), 2)
        ratio = max(0.0, rng.gauss(1.0 + sign * 0.04 * z, 0.1))
        actual = 0 if lower and rng.random() < 0.02 else round(target * ratio, 2)
        row.update(actual=actual, target=target)
    elif method == "efficacy":
        row["actual"] = round(50 + 10 * (0.6 * z * sign + rng.gauss(0, 1)), 2)
    elif method == "rank":
        row["actual"] = round(8 + 2 * (0.6 * z * sign + rng.gauss(0, 1)), 1)
    elif method == "external_rank":
        row["actual"] = max(1, min(21, round(8 - 4 * z + rng.gauss(0, 4))))
    elif method == "threshold":
        if lower:
            row["actual"] = max(0, round(rng.expovariate(0.4) - z))
        else:
            row["actual"] = round(rng.gauss(80 + 5 * z, 8), 1)
    elif method == "deduction":
        row["actual"] = max(0, round(rng.expovariate(0.8) - 0.5 * z))
    elif method == "binary":
        target = round(rng.uniform(10, 500), 1)
        actual = round(target * rng.gauss(1.0 + sign * (0.02 + 0.02 * z), 0.04), 1)
        row.update(actual=actual, target=target)
    elif method == "manual":
        top = P * params.get("cap", 1)
        share = min(max(rng.gauss(0.85 + 0.05 * z, 0.08), 0.0), 1.0)
        # Rounded down so that it never leaves [0, P x cap].
        row["actual"] = min(math.floor(top * share * 100) / 100, top)
    elif method == "growth_rank":
        baseline = round(rng.uniform(10, 1000), 2)
        growth = rng.gauss(0.06 + sign * 0.02 * z, 0.04)
        row.update(actual=round(baseline * (1 + growth), 2), baseline=baseline,
                   target=round(baseline * rng.uniform(1.03, 1.1), 2))
    return row


def generate(n_units: int, n_leaves: int, seed: int = 1) -> dict[str, Any]:
    """A valid scenario of n_units units and n_leaves leaves (at least 16)."""
    if n_leaves < 16 or n_units < 10:
        raise ValueError("need at least 10 units and 16 leaves to use every feature")
    rng = random.Random(seed)
    units = _make_units(n_units, rng)
    quality = {u["id"]: rng.gauss(0, 1) for u in units}

    # How many leaves go where: ratings and surveys are few but heavy on data.
    n_rating = max(2, min(4, n_leaves // 60))
    n_sat = max(1, round(n_leaves * 0.04))
    n_bonus = max(2, round(n_leaves * 0.05))
    n_rest = n_leaves - n_rating - n_sat - n_bonus
    n_party = max(4, round(n_rest * 0.27))
    n_dev = n_rest - n_party

    indicators: list[dict[str, Any]] = []
    for pid, name, pts, line in PAPERS:
        indicators.append({"id": pid, "name": name, "points": pts, "line": line})

    leaves: list[dict[str, Any]] = []
    paper_leaf_counts = {"P": n_party, "D": n_dev, "N": n_bonus}
    paper_quarters = {"P": 20 * 4, "D": 70 * 4, "N": 10 * 4}
    for paper in ("P", "D", "N"):
        secs = [s for s in SECTIONS if s[0] == paper]
        counts = _allocate(paper_leaf_counts[paper], [sec[3] for sec in secs], [1] * len(secs))
        # Quarter points follow the leaf counts, so every leaf can get at least a quarter.
        sec_quarters = _allocate(paper_quarters[paper], [float(c) for c in counts], counts)
        for (pap, sid, sname, _, at, mix), count, quarters in zip(secs, counts, sec_quarters):
            sec: dict[str, Any] = {"id": sid, "parent": pap, "name": sname}
            if at:
                sec["applies_to"] = at
            # D3 is a department's own 100-point sheet folded into the paper (the Dazhou
            # way): its own points differ from its children's on purpose.
            sheet = 400 if sid == "D3" else quarters
            if sid != "P1":  # P1 has no own points: it counts as the sum of its leaves
                sec["points"] = quarters / 4
            indicators.append(sec)
            leaf_quarters = _uneven(sheet, count, rng)
            methods = [m for m, w in mix.items() for _ in range(w)]
            for k in range(count):
                method = methods[k % len(methods)] if k < len(methods) else rng.choice(methods)
                lid = f"{sid}-{k + 1:02d}"
                leaves.append({"id": lid, "parent": sid, "method": method,
                               "points": leaf_quarters[k] / 4})

    # Every value method at least once, whatever the sizes: a missing one replaces a leaf
    # of the most used method (never D1's first leaf, the completion pilot below).
    for method in VALUE_METHODS:
        used = [lf["method"] for lf in leaves]
        if method in used:
            continue
        commonest = max(set(used), key=lambda m: (used.count(m), m))
        victim = [lf for lf in leaves if lf["method"] == commonest
                  and not (lf["parent"] == "D1" and lf["id"].endswith("-01"))][-1]
        victim["method"] = method

    for lf in leaves:
        params, direction = _params(lf["method"], lf["points"], rng)
        leaf = {"id": lf["id"], "parent": lf["parent"],
                "name": f"{lf['id']} {lf['method']}", "points": lf["points"],
                "method": lf["method"], "lead_unit": rng.choice(LEAD_UNITS)}
        if direction == "lower":
            leaf["direction"] = direction
        if params:
            leaf["params"] = params
        indicators.append(leaf)
    value_leaves = [ind for ind in indicators if ind.get("method") in VALUE_METHODS]

    # Applicability: mountain-only and plain-only leaves under the territorial sections,
    # 一单位一策 exclusions, and a pilot task for a handful of named units.
    for leaf in value_leaves:
        if leaf["parent"] in ("P2", "D2") and rng.random() < 0.25:
            leaf["applies_to"] = {"categories": [rng.choice(["mountain", "non_mountain"])]}
        elif rng.random() < 0.08:
            scope = [u for u in units if _in_scope(_section_scope(indicators, leaf), u)]
            picks = rng.sample(scope, k=min(len(scope) - 1, rng.randint(1, 3)))
            leaf["applies_to"] = {"exclude_units": [u["id"] for u in picks]}
    pilot = next((ind for ind in value_leaves if ind["parent"] == "D1"
                  and "applies_to" not in ind and ind["method"] == "completion"),
                 next(ind for ind in value_leaves if ind["parent"] == "D1"))
    pilot["applies_to"] = {"units": [u["id"] for u in rng.sample(units, k=min(12, n_units))]}

    # A few leaves tolerate missing data (scored 0 with a warning), and miss some.
    candidates = [ind for ind in value_leaves if ind["parent"] in ("D1", "P1")
                  and ind is not pilot and "applies_to" not in ind]
    missing_leaves = {ind["id"] for ind in rng.sample(candidates, k=min(3, len(candidates)))}
    for ind in value_leaves:
        if ind["id"] in missing_leaves:
            ind.setdefault("params", {})["missing"] = "zero"

    # Paper S: surveys of the public plus one rating by service users; ratings elsewhere
    # are the democratic appraisal of party building and the leaders' evaluation.
    rating_leaves = []
    for k in range(n_rating):
        parent = "S" if k == 0 else ("P1" if k % 2 else "D1")
        groups = [None, ["leaders"], ["peers", "public"], ["leaders", "peers"]][k % 4]
        leaf = {"id": f"R{k + 1}", "parent": parent, "name": f"评议 {k + 1}",
                "points": 2.0 if parent == "S" else 1.5, "method": "rating"}
        params: dict[str, Any] = {}
        if groups:
            params["groups"] = groups
        if k == 1:
            params["trim_min"] = 6
        if params:
            leaf["params"] = params
        indicators.append(leaf)
        rating_leaves.append(leaf)
    sat_quarters = _uneven(8 * 4, n_sat, rng)
    sat_leaves = []
    for k in range(n_sat):
        leaf = {"id": f"S{k + 1:02d}", "parent": "S", "name": f"群众满意度 {k + 1}",
                "points": sat_quarters[k] / 4, "method": "satisfaction",
                "params": {"min_responses": rng.choice([30, 50])}}
        if k % 3 == 1:
            leaf["params"]["peer"] = "domain"
        if k % 4 == 3:
            leaf["applies_to"] = {"domains": TERRITORIAL}
        indicators.append(leaf)
        sat_leaves.append(leaf)
    # Rating leaves added to P1 and D1 change those sections' sums: D1 has own points, so
    # keep it consistent by adding the rating's points to it (and to the paper D).
    for leaf in rating_leaves:
        if leaf["parent"] == "D1":
            _bump_points(indicators, "D1", leaf["points"])
            _bump_points(indicators, "D", leaf["points"])
        elif leaf["parent"] == "P1":
            _bump_points(indicators, "P", leaf["points"])

    by_id = {ind["id"]: ind for ind in indicators}

    def applies(leaf: dict[str, Any], u: dict[str, Any]) -> bool:
        node: dict[str, Any] | None = leaf
        while node is not None:
            if not _in_scope(node.get("applies_to"), u):
                return False
            node = by_id.get(node["parent"]) if node.get("parent") else None
        return True

    values: list[dict[str, Any]] = []
    for leaf in value_leaves:
        for u in units:
            if not applies(leaf, u):
                continue
            row = _value_row(leaf, u, quality[u["id"]], rng)
            if leaf["id"] in missing_leaves and rng.random() < 0.05:
                if "target" in row and rng.random() < 0.5:
                    del row["target"]  # a row without its target is missing too
                else:
                    continue
            values.append(row)

    ratings: list[dict[str, Any]] = []
    all_groups = [g["id"] for g in RATER_GROUPS]
    for leaf in rating_leaves:
        groups = leaf.get("params", {}).get("groups") or all_groups
        for u in units:
            if not applies(leaf, u):
                continue
            z = quality[u["id"]]
            skip = {g for g in groups if rng.random() < 0.03}
            if skip == set(groups):
                skip = set()  # every rated unit keeps at least one group
            for g in groups:
                if g in skip:
                    continue
                n = rng.randint(2, 4) if rng.random() < 0.05 else rng.randint(5, 8)
                for r in range(n):
                    score = min(100, max(0, round(rng.gauss(80 + 5 * z, 8))))
                    ratings.append({"indicator": leaf["id"], "unit": u["id"], "group": g,
                                    "rater": f"{g}-{r + 1}", "score": score})

    responses: list[dict[str, Any]] = []
    for leaf in sat_leaves:
        min_resp = leaf["params"]["min_responses"]
        peer = leaf["params"].get("peer", "group")
        answered: dict[str, float] = {}
        for u in units:
            if not applies(leaf, u):
                continue
            roll = rng.random()
            if roll < 0.01:
                n = 0
            elif roll < 0.06:
                n = rng.randint(3, min_resp - 1)
            else:
                n = rng.randint(min_resp + 10, 1500)
            answered[u["id"]] = n
        # Each peer group needs one unit with enough answers for small samples to lean on.
        peer_groups: dict[tuple[str, str], list[str]] = {}
        for u in units:
            if u["id"] in answered:
                key = ({"group": (u["domain"], u["category"]), "domain": (u["domain"], ""),
                        "all": ("", "")})[peer]
                peer_groups.setdefault(key, []).append(u["id"])
        for members in peer_groups.values():
            if not any(answered[m] >= min_resp for m in members):
                answered[members[0]] = min_resp + 20
        for u in units:
            n = answered.get(u["id"], 0)
            if not n:
                continue
            z = quality[u["id"]]
            good = min(0.95, max(0.3, 0.7 + 0.08 * z + rng.gauss(0, 0.05)))
            shares = [good, (1 - good) * 0.55, (1 - good) * 0.3, (1 - good) * 0.15]
            counts = [math.floor(n * s) for s in shares]
            counts[0] += n - sum(counts)
            for choice, c in zip(CHOICES, counts):
                if c == 0:
                    continue
                if c > 10 and rng.random() < 0.02:
                    # Two batches of the same answer: the engine adds them up.
                    half = c // 2
                    responses.append({"indicator": leaf["id"], "unit": u["id"],
                                      "choice": choice, "count": half})
                    c -= half
                responses.append({"indicator": leaf["id"], "unit": u["id"],
                                  "choice": choice, "count": c})

    adjustments: list[dict[str, Any]] = []
    for u in units:
        if rng.random() < 0.10:
            for _ in range(rng.randint(1, 2)):
                adjustments.append({"unit": u["id"], "kind": "bonus",
                                    "points": rng.choice([0.5, 1, 1.5, 2, 2.5]),
                                    "reason": "创新创优"})
        if rng.random() < 0.12:
            for _ in range(rng.randint(1, 3)):
                adjustments.append({"unit": u["id"], "kind": "deduction",
                                    "points": rng.choice([0.1, 0.2, 0.5, 1, 1.5]),
                                    "reason": "督办提醒函"})
    for u in rng.sample(units, k=max(1, n_units // 300)):
        adjustments.append({"unit": u["id"], "kind": "veto", "points": 0,
                            "reason": "安全生产一票否决"})

    settings = {
        "bonus_cap": 3, "deduction_cap": 5, "bonus_line_in_total": False,
        "rank_by": "group", "grade_scope": "domain" if seed % 2 == 0 else "group",
        "grades": [
            {"name": "优秀", "top_share": 0.15, "min_total": 85},
            {"name": "良好", "top_share": 0.3},
            {"name": "一般", "rest": True},
            {"name": "较差", "bottom_share": 0.05, "below_total": 60},
        ],
        "advanced": {"grade": "优秀", "requires_leadership_excellent": True},
    }
    return {"units": units, "indicators": _ordered(indicators), "values": values,
            "rater_groups": [dict(g) for g in RATER_GROUPS], "ratings": ratings,
            "responses": responses, "adjustments": adjustments, "settings": settings}


def _section_scope(indicators: list[dict[str, Any]], leaf: dict[str, Any]
                   ) -> dict[str, list[str]] | None:
    return next(ind for ind in indicators if ind["id"] == leaf["parent"]).get("applies_to")


def _bump_points(indicators: list[dict[str, Any]], iid: str, points: float) -> None:
    ind = next(ind for ind in indicators if ind["id"] == iid)
    ind["points"] += points


def _ordered(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Papers, then each section followed by its leaves: the order a workbook lists them."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for ind in indicators:
        children.setdefault(ind.get("parent"), []).append(ind)
    out: list[dict[str, Any]] = []

    def walk(ind: dict[str, Any]) -> None:
        out.append(ind)
        for child in children.get(ind["id"], []):
            walk(child)

    for root in children[None]:
        walk(root)
    return out


def sizes(scenario: dict[str, Any]) -> dict[str, int]:
    """The scenario's row counts, as the benchmark report lists them."""
    parents = {ind.get("parent") for ind in scenario["indicators"]}
    return {"units": len(scenario["units"]),
            "indicators": len(scenario["indicators"]),
            "leaves": sum(1 for ind in scenario["indicators"] if ind["id"] not in parents),
            "values": len(scenario["values"]), "ratings": len(scenario["ratings"]),
            "responses": len(scenario["responses"]),
            "answers": sum(r["count"] for r in scenario["responses"]),
            "adjustments": len(scenario["adjustments"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=429)
    ap.add_argument("--leaves", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    scenario = generate(args.units, args.leaves, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False, separators=(",", ":"))
    print(json.dumps(sizes(scenario)))


if __name__ == "__main__":
    main()
