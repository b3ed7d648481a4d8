"""The plain baseline must reproduce every published spec vector (spec section 9)."""

import json
from pathlib import Path
from typing import Any

import pytest

from baseline import BaselineInvalid, baseline_compute

VECTORS = sorted((Path(__file__).resolve().parents[1] / "engine" / "vectors").glob("*.json"))
TOL = 0.005


def check_result(result: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Every difference section 9 cares about, as readable lines (empty when it passes)."""
    problems: list[str] = []
    got = {u["unit"]: u for u in result["units"]}
    for exp in expected["units"]:
        uid = exp["unit"]
        if uid not in got:
            problems.append(f"{uid}: missing from the result")
            continue
        u = got[uid]
        for key in ("main", "bonus_line", "bonus", "deduction", "total"):
            if abs(u[key] - exp[key]) > TOL:
                problems.append(f"{uid}.{key}: {u[key]} != {exp[key]}")
        for key in ("rank", "group_size", "group", "grade", "vetoed", "advanced"):
            if u[key] != exp[key]:
                problems.append(f"{uid}.{key}: {u[key]!r} != {exp[key]!r}")
        scores = {s["indicator"]: s for s in u["scores"]}
        for es in exp["scores"]:
            s = scores.get(es["indicator"])
            if s is None:
                problems.append(f"{uid}/{es['indicator']}: node missing")
                continue
            if s["applicable"] != es["applicable"]:
                problems.append(f"{uid}/{es['indicator']}.applicable: "
                                f"{s['applicable']} != {es['applicable']}")
            if es["score"] is None or s["score"] is None:
                if es["score"] != s["score"]:
                    problems.append(f"{uid}/{es['indicator']}.score: {s['score']} != None")
            elif abs(s["score"] - es["score"]) > TOL:
                problems.append(f"{uid}/{es['indicator']}.score: {s['score']} != {es['score']}")
    want = {(w["code"], w["unit"], w["indicator"]) for w in expected["warnings"]}
    have = {(w["code"], w["unit"], w["indicator"]) for w in result["warnings"]}
    if want != have:
        problems.append(f"warnings: extra {sorted(have - want, key=str)}, "
                        f"missing {sorted(want - have, key=str)}")
    return problems


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_baseline_reproduces_vector(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    if "expected_errors" in vector:
        with pytest.raises(BaselineInvalid) as caught:
            baseline_compute(vector["scenario"])
        found = {(e["code"], e["unit"], e["indicator"]) for e in caught.value.errors}
        for e in vector["expected_errors"]:
            assert (e["code"], e["unit"], e["indicator"]) in found
    else:
        problems = check_result(baseline_compute(vector["scenario"]), vector["expected"])
        assert not problems, "\n".join(problems)


def test_all_twenty_vectors_are_present() -> None:
    assert len(VECTORS) == 20
