"""Helpers shared by the engine tests: load the spec's vectors and compare results as spec section 9 says."""

from __future__ import annotations

import json
from pathlib import Path

VECTORS = Path(__file__).parent / "vectors"


def load_vectors() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(VECTORS.glob("*.json"))]


def mismatches(got: dict, expected: dict) -> list[str]:
    """Differences between engine output and an expected result, per spec section 9."""
    out: list[str] = []
    by_unit = {u["unit"]: u for u in got["units"]}
    for exp in expected["units"]:
        u = by_unit.get(exp["unit"])
        if u is None:
            out.append(f"{exp['unit']}: missing from results")
            continue
        for key in ("main", "bonus_line", "bonus", "deduction", "total"):
            if abs(u[key] - exp[key]) > 0.005:
                out.append(f"{exp['unit']}.{key}: {u[key]} != {exp[key]}")
        for key in ("rank", "group_size", "group", "grade", "vetoed", "advanced"):
            if u[key] != exp[key]:
                out.append(f"{exp['unit']}.{key}: {u[key]!r} != {exp[key]!r}")
        nodes = {s["indicator"]: s for s in u["scores"]}
        for es in exp["scores"]:
            s = nodes.get(es["indicator"])
            if s is None:
                out.append(f"{exp['unit']}/{es['indicator']}: node missing")
                continue
            if s["applicable"] != es["applicable"]:
                out.append(f"{exp['unit']}/{es['indicator']}.applicable: {s['applicable']} != {es['applicable']}")
            elif es["score"] is None:
                if s["score"] is not None:
                    out.append(f"{exp['unit']}/{es['indicator']}.score: {s['score']} != None")
            elif s["score"] is None or abs(s["score"] - es["score"]) > 0.005:
                out.append(f"{exp['unit']}/{es['indicator']}.score: {s['score']} != {es['score']}")
    warn = {(w["code"], w["unit"], w["indicator"]) for w in got["warnings"]}
    exp_warn = {(w["code"], w["unit"], w["indicator"]) for w in expected["warnings"]}
    if warn != exp_warn:
        out.append(f"warnings: {sorted(map(str, warn))} != {sorted(map(str, exp_warn))}")
    return out
