"""Compare the engine's results with the baseline's, field by field (spec section 9 rules).

    python bench/crosscheck.py                 # the vectors plus small generated scenarios
    python bench/crosscheck.py --units 429 --leaves 120 --seeds 1 2
    python bench/crosscheck.py --no-vectors --fuzz 2000   # small adversarial scenarios

Every disagreement is printed with the unit, the node and both values.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from baseline import BaselineInvalid, baseline_compute
from fuzz import SPEC_CODES, fuzz_scenario
from generate import generate

TOL = 0.005
NUMBERS = ("main", "bonus_line", "bonus", "deduction", "total")
EXACT = ("rank", "group_size", "group", "grade", "vetoed", "advanced")


def diff_results(engine: dict[str, Any], base: dict[str, Any], limit: int = 50) -> list[str]:
    """Readable lines for every difference between two section 7 result dicts."""
    out: list[str] = []
    e_units = {u["unit"]: u for u in engine["units"]}
    if [u["unit"] for u in engine["units"]] != [u["unit"] for u in base["units"]]:
        out.append("unit order or set differs")
    for b in base["units"]:
        uid = b["unit"]
        e = e_units.get(uid)
        if e is None:
            out.append(f"{uid}: missing from the engine's result")
            continue
        for k in NUMBERS:
            if abs(e[k] - b[k]) > TOL:
                out.append(f"{uid} {k}: engine {e[k]} baseline {b[k]}")
        for k in EXACT:
            if e[k] != b[k]:
                out.append(f"{uid} {k}: engine {e[k]!r} baseline {b[k]!r}")
        e_nodes = {s["indicator"]: s for s in e["scores"]}
        if [s["indicator"] for s in e["scores"]] != [s["indicator"] for s in b["scores"]]:
            out.append(f"{uid}: node order differs")
        for bs in b["scores"]:
            es = e_nodes.get(bs["indicator"])
            where = f"{uid} / {bs['indicator']}"
            if es is None:
                out.append(f"{where}: node missing from the engine's result")
                continue
            if es["applicable"] != bs["applicable"]:
                out.append(f"{where} applicable: engine {es['applicable']} "
                           f"baseline {bs['applicable']}")
                continue
            for k in ("score", "points", "lost"):
                ev, bv = es[k], bs[k]
                if (ev is None) != (bv is None) or (ev is not None and abs(ev - bv) > TOL):
                    out.append(f"{where} {k}: engine {ev} baseline {bv}")
        if len(out) > limit:
            out.append("... (more differences left out)")
            return out
    ew = {(w["code"], w["unit"], w["indicator"]) for w in engine["warnings"]}
    bw = {(w["code"], w["unit"], w["indicator"]) for w in base["warnings"]}
    for w in sorted(ew - bw, key=str):
        out.append(f"warning only from the engine: {w}")
    for w in sorted(bw - ew, key=str):
        out.append(f"warning only from the baseline: {w}")
    return out


def run_both(scenario: dict[str, Any]) -> tuple[Any, Any]:
    """(engine result dict or error set, baseline result dict or error set)."""
    from kaohe.engine import ScenarioInvalid, compute

    try:
        e: Any = compute(scenario).to_dict()
    except ScenarioInvalid as exc:
        e = {(i.code, i.unit, i.indicator) for i in exc.errors}
    try:
        b: Any = baseline_compute(scenario)
    except BaselineInvalid as exc:
        b = {(x["code"], x["unit"], x["indicator"]) for x in exc.errors}
    return e, b


def compare(name: str, scenario: dict[str, Any]) -> list[str]:
    e, b = run_both(scenario)
    if isinstance(e, set) or isinstance(b, set):
        if isinstance(e, set) and isinstance(b, set):
            # Section 8 fixes only these codes; the others are each side's own choice.
            e, b = ({x for x in s if x[0] in SPEC_CODES} for s in (e, b))
            if e == b:
                return []
            return [f"{name}: errors only from the engine {sorted(e - b, key=str)}, "
                    f"only from the baseline {sorted(b - e, key=str)}"]
        which = "engine" if isinstance(e, set) else "baseline"
        errors = e if isinstance(e, set) else b
        return [f"{name}: only the {which} rejects it: {sorted(errors, key=str)[:10]}"]
    return [f"{name}: {line}" for line in diff_results(e, b)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, nargs="*", default=[40, 60])
    ap.add_argument("--leaves", type=int, nargs="*", default=[30, 60])
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5])
    ap.add_argument("--no-vectors", action="store_true")
    ap.add_argument("--fuzz", type=int, default=0, help="also this many fuzz scenarios")
    args = ap.parse_args()
    problems: list[str] = []
    checked = 0
    if not args.no_vectors:
        vectors = Path(__file__).resolve().parents[1] / "tests" / "engine" / "vectors"
        for path in sorted(vectors.glob("*.json")):
            problems += compare(path.stem, json.loads(path.read_text(encoding="utf-8"))["scenario"])
            checked += 1
    for n_units, n_leaves in zip(args.units, args.leaves):
        for seed in args.seeds:
            problems += compare(f"generated {n_units}x{n_leaves} seed {seed}",
                                generate(n_units, n_leaves, seed))
            checked += 1
    for seed in range(args.fuzz):
        problems += compare(f"fuzz seed {seed}", fuzz_scenario(seed))
        checked += 1
    for line in problems:
        print("DISAGREE", line)
    print(f"{checked} scenarios compared, {len(problems)} disagreement(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
