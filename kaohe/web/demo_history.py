"""The demo city's earlier years (2024, 2025): complete cycles, computed, announced and made final, so that
trends and the consecutive-year rules of 结果运用 have a real history to read.

They are demo history, labelled as such in their names: the indicator system is the example's, and each
year's values are the example's values with a small drift per unit and year, drawn from a generator seeded
by the year and the unit code (so every load gives the same figures):
- a data value the unit wants higher (completion, growth, efficacy, rank, threshold) is multiplied by
  1 + drift, one it wants lower divided by it; rater scores are multiplied by it (kept within 0–100);
- counts of incidents (deduction), external rankings and survey answers are the example's, unchanged;
- the drift is within ±4 %, except two pinned units, so the demo shows the rules at work: 明月县 (X06)
  at −6 % both years (the last county, grade 一般, two years running), 灵泉县 (X09) at +3 % (top three);
- the example's bonus, deduction and veto entries describe the current year, so the history has none.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User

from kaohe.indicators.models import Cycle, Phase
from kaohe.indicators.services import create_cycle, import_scenario, save_phases
from kaohe.outcomes.models import Rule
from kaohe.outcomes.services import save_rule
from kaohe.results.models import Run
from kaohe.results.services import announce_run, compute_cycle, finalize_run

YEARS = (2024, 2025)
DRIFT = 0.04
PINNED = {"X06": -0.06, "X09": 0.03}
SCALED = {"completion", "growth_rank", "efficacy", "rank", "threshold"}  # data methods whose value drifts


def history_name(year: int) -> str:
    return f"{year}年度目标绩效考核（遂宁式示例市·演示历史数据）"


def drift(year: int, unit: str) -> float:
    if unit in PINNED:
        return PINNED[unit]
    return random.Random(f"kaohe-demo-{year}-{unit}").uniform(-DRIFT, DRIFT)


def drifted(example: dict[str, Any], year: int) -> dict[str, Any]:
    """The example scenario as it might have been in an earlier year (see the module docstring)."""
    scenario = copy.deepcopy(example)
    nodes = {i["id"]: i for i in scenario["indicators"]}
    for v in scenario["values"]:
        node = nodes[v["indicator"]]
        if node.get("method") not in SCALED or v.get("actual") is None:
            continue
        f = 1 + drift(year, v["unit"])
        actual = v["actual"] * f if node.get("direction", "higher") == "higher" else v["actual"] / f
        v["actual"] = round(min(actual, 100.0) if node.get("method") == "threshold" else actual, 2)
    for r in scenario.get("ratings", []):
        r["score"] = round(max(0.0, min(100.0, r["score"] * (1 + drift(year, r["unit"])))), 1)
    scenario["adjustments"] = []
    return scenario


def history_phases(year: int) -> dict[str, tuple[dt.date, ...]]:
    d = dt.date
    return {
        Phase.Kind.LAUNCH: (d(year, 1, 10), d(year, 2, 28)),
        Phase.Kind.HALF_YEAR: (d(year, 6, 20), d(year, 7, 31), d(year, 6, 20), d(year, 7, 5)),
        Phase.Kind.YEAR_END: (d(year, 12, 1), d(year + 1, 1, 31), d(year, 12, 10), d(year + 1, 1, 10)),
        Phase.Kind.PUBLICATION: (d(year + 1, 2, 1), d(year + 1, 2, 28)),
    }


# The 结果运用 rules of the examples (Qingshen, Dazhou, Zhejiang), as the demo office would set them.
RULES: list[dict[str, Any]] = [
    {"name": "公务员年度考核优秀等次比例", "kind": "grade_quota", "params": {"quotas": {"优秀": 20, "良好": 10}},
     "outcome": "公务员年度考核优秀等次比例"},
    {"name": "排名末位约谈", "kind": "bottom_n", "params": {"n": 3}, "outcome": "约谈主要负责人"},
    {"name": "核心指标失分约谈", "kind": "core_missed", "params": {"codes": ["A01", "A06"]},
     "outcome": "约谈分管负责人"},
    {"name": "组内前三名可使用编制周转池", "kind": "top_n", "params": {"n": 3}, "outcome": "可使用编制周转池"},
    {"name": "连续两年一般取消试点资格", "kind": "consecutive_grade", "params": {"k": 2, "grades": ["一般"]},
     "outcome": "取消改革试点资格"},
    {"name": "连续两年组内前三名优先支持", "kind": "consecutive_top_n", "params": {"k": 2, "n": 3},
     "outcome": "项目和资金安排优先支持"},
    {"name": "连续三年前五名或优秀优先推荐", "kind": "consecutive_top_n",
     "params": {"k": 3, "n": 5, "grade": "优秀"}, "outcome": "领导班子成员优先推荐提拔使用"},
]


def add_rules(*, by: User, cycle: Cycle) -> list[Rule]:
    return [save_rule(by=by, cycle=cycle, order=n, **r) for n, r in enumerate(RULES, start=1)]


def build_history(*, office: User, example: dict[str, Any], today: dt.date) -> list[Run]:
    """Each earlier year: its cycle, the drifted scenario, the year-end run announced and made final."""
    runs = []
    for year in YEARS:
        cycle = create_cycle(by=office, year=year, name=history_name(year))
        save_phases(by=office, cycle=cycle, phases=history_phases(year), reason="演示历史数据")
        import_scenario(by=office, cycle=cycle, scenario=drifted(example, year), source="演示历史数据",
                        reason="演示历史数据")
        run = compute_cycle(by=office, cycle=cycle, stage="year_end")
        announce_run(by=office, run=run, until=today, reason=f"{year}年度考核结果公示（演示历史数据）")
        runs.append(finalize_run(by=office, run=run, reason="演示历史数据：往年结果，公示期已过"))
        if year == YEARS[-1]:
            add_rules(by=office, cycle=cycle)
    return runs
