"""Benchmark the engine against the plain baseline and write docs/benchmarks.md (`make bench`).

For the province (429 units x 120 leaves) and national (3,000 x 200) scenarios: engine time
in-process, baseline time, whole CLI time, peak memory, the speed-up, and a check that the
engine and the baseline agree on every unit and node.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

import numpy as np

from baseline import baseline_compute
from crosscheck import compare, diff_results
from fuzz import fuzz_scenario
from generate import generate, sizes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
KAOHE = ROOT / ".venv" / "bin" / "kaohe"
REPORT = ROOT / "docs" / "benchmarks.md"
SCENARIOS = [("province", 429, 120), ("national", 3000, 200)]
# Targets from the project brief.
TARGET_ENGINE_S = 1.0
TARGET_CLI_S = 5.0
TARGET_SPEEDUP = 50.0


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times = []
    out = None
    for _ in range(repeat):
        out = None
        gc.collect()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def engine_figures(scenario: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kaohe.engine import compute

    compute_times, _ = timed(lambda: compute(scenario), repeat)
    full_times, result = timed(lambda: compute(scenario).to_dict(), repeat)
    gc.collect()
    tracemalloc.start()
    compute(scenario).to_dict()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"compute": compute_times, "full": full_times, "peak_mb": peak / 2**20,
            "result": result}


def cli_figures(path: Path, repeat: int) -> dict[str, Any]:
    """Wall clock and max RSS of `kaohe compute FILE --format json` (output discarded)."""
    times, rss, codes = [], [], []
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.Popen([str(KAOHE), "compute", str(path), "--format", "json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        codes.append(proc.returncode)
        rss.append(usage.ru_maxrss / 1024)
        if proc.returncode != 0:
            print(f"!!! CLI exited with {proc.returncode}: {stderr[:2000]}")
    return {"times": times, "rss_mb": max(rss), "codes": codes}


def baseline_figures(name: str, scenario: dict[str, Any], n_units: int, n_leaves: int,
                     subset: float | None) -> dict[str, Any]:
    """Time the baseline once on the whole scenario, or extrapolate from a subset."""
    if subset is None:
        gc.collect()
        t = time.perf_counter()
        result = baseline_compute(scenario)
        return {"time": time.perf_counter() - t, "extrapolated": False, "result": result}
    # The baseline's peer scans grow with the square of the units: scale quadratically
    # (an upper bound, since the per-unit parts only grow linearly).
    small_n = max(10, round(n_units * subset))
    small = generate(small_n, n_leaves, seed=1)
    t = time.perf_counter()
    baseline_compute(small)
    elapsed = time.perf_counter() - t
    print(f"  baseline on {small_n} units took {elapsed:.1f} s; extrapolating x{(n_units / small_n) ** 2:.1f}")
    return {"time": elapsed * (n_units / small_n) ** 2, "extrapolated": True, "result": None,
            "subset_units": small_n}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem,
            "python": platform.python_version(), "numpy": np.__version__,
            "os": f"{platform.system()} {platform.release()}",
            "date": dt.date.today().isoformat()}


def cross_check(fuzz: int) -> dict[str, Any]:
    """The vectors, small generated scenarios and fuzz scenarios through both sides."""
    problems: list[str] = []
    vectors = sorted((ROOT / "tests" / "engine" / "vectors").glob("*.json"))
    for path in vectors:
        problems += compare(path.stem, json.loads(path.read_text(encoding="utf-8"))["scenario"])
    for seed in range(1, 6):
        problems += compare(f"generated 40x30 seed {seed}", generate(40, 30, seed))
    for seed in range(fuzz):
        problems += compare(f"fuzz seed {seed}", fuzz_scenario(seed))
    return {"scenarios": len(vectors) + 5 + fuzz, "vectors": len(vectors), "fuzz": fuzz,
            "problems": problems}


def fmt(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def write_report(mach: dict[str, str], rows: list[dict[str, Any]],
                 check: dict[str, Any]) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`bench/run.py`); the figures below are from the last run.",
        "The baseline (`bench/baseline.py`) is a plain pure-Python reading of the scoring spec",
        "written independently of the engine: unit by unit, leaf by leaf, each unit's peers",
        "found by scanning the unit list. It is the yardstick for the speed-up and the oracle",
        "for the agreement checks.",
        "",
        "## Machine",
        "",
        f"- CPU: {mach['cpu']}, {mach['cores']} cores",
        f"- Memory: {mach['memory']}",
        f"- {mach['os']}, Python {mach['python']}, NumPy {mach['numpy']}",
        f"- Date: {mach['date']}",
        "",
        "## Scenarios",
        "",
        "Generated by `bench/generate.py` (seed 1; written to `bench/data/`, not committed).",
        "Every method, peer groups, applicability by domain and category, exclusions, missing",
        "values scored 0, rater groups with 5-8 raters per group, surveys, bonus, deduction",
        "and veto adjustments, a 1+N bonus line, four grades with quotas, advanced units.",
        "",
        "| scenario | units | leaves | nodes | values rows | ratings | response rows | answers | adjustments | JSON |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        s = r["sizes"]
        lines.append(f"| {r['name']} | {s['units']:,} | {s['leaves']:,} | {s['indicators']:,} | "
                     f"{s['values']:,} | {s['ratings']:,} | {s['responses']:,} | "
                     f"{s['answers']:,} | {s['adjustments']:,} | {r['json_mb']:.1f} MB |")
    lines += [
        "",
        "## Time",
        "",
        "Engine figures are in-process (`kaohe.engine.compute(scenario)`, then `.to_dict()`),",
        "best and median of 3. The CLI figure is the wall clock of",
        "`kaohe compute FILE.json --format json` with its output sent to /dev/null, best of 3:",
        "interpreter start, reading and parsing the file, computing and writing the JSON.",
        "The baseline runs once.",
        "",
        "| scenario | engine compute() | engine compute()+to_dict() | whole CLI | baseline | speed-up vs compute()+to_dict() | speed-up vs compute() |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        e, c, b = r["engine"], r["cli"], r["baseline"]
        label = " (extrapolated)" if b["extrapolated"] else ""
        lines.append(
            f"| {r['name']} | {fmt(min(e['compute']))} (median {fmt(statistics.median(e['compute']))}) "
            f"| {fmt(min(e['full']))} (median {fmt(statistics.median(e['full']))}) "
            f"| {fmt(min(c['times']))} (median {fmt(statistics.median(c['times']))}) "
            f"| {fmt(b['time'])}{label} | {r['speedup']:.0f}× "
            f"| {b['time'] / min(e['compute']):.0f}× |")
    nat = next((r for r in rows if r["name"] == "national"), None)
    if nat:
        e_best = min(nat["engine"]["full"])
        c_best = min(nat["cli"]["times"])
        lines += [
            "",
            "Targets (national scenario):",
            "",
            "| target | goal | measured | met |",
            "| --- | ---: | ---: | :---: |",
            f"| engine, compute() | < {TARGET_ENGINE_S:g} s | {fmt(min(nat['engine']['compute']))} | "
            f"{'yes' if min(nat['engine']['compute']) < TARGET_ENGINE_S else 'NO'} |",
            f"| output: compute()+to_dict() (the results as Python dicts with 10⁵–10⁶ explain texts; "
            f"part of the whole CLI below) | — | {fmt(e_best)} | — |",
            f"| whole CLI | < {TARGET_CLI_S:g} s | {fmt(c_best)} | "
            f"{'yes' if c_best < TARGET_CLI_S else 'NO'} |",
            f"| engine (compute()+to_dict()) vs baseline | ≥ {TARGET_SPEEDUP:g}× | {nat['speedup']:.0f}× | "
            f"{'yes' if nat['speedup'] >= TARGET_SPEEDUP else 'NO'} |",
        ]
    lines += [
        "",
        "## Memory",
        "",
        "Engine: tracemalloc peak of one `compute(scenario).to_dict()` in-process (Python and",
        "NumPy allocations; the scenario dict itself is not counted). CLI: the child's maximum",
        "resident set size (`ru_maxrss`), which includes the interpreter, NumPy and the parsed",
        "file.",
        "",
        "| scenario | engine peak (tracemalloc) | CLI max RSS |",
        "| --- | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['name']} | {r['engine']['peak_mb']:.0f} MB | {r['cli']['rss_mb']:.0f} MB |")
    lines += ["", "## Agreement with the baseline", ""]
    for r in rows:
        if r["agreement"] is None:
            lines.append(f"- {r['name']}: not checked (baseline extrapolated from a subset).")
        elif not r["agreement"]:
            lines.append(f"- {r['name']}: engine and baseline agree on every unit's main, "
                         "bonus line, bonus, deduction, total, rank, group size, grade, veto "
                         "and advanced flag, on every node's score, points, lost and "
                         "applicability (within 0.005), and on the warnings.")
        else:
            lines.append(f"- {r['name']}: **{len(r['agreement'])} disagreement(s)**, first ones:")
            lines += [f"  - `{p}`" for p in r["agreement"][:20]]
    n_prob = len(check["problems"])
    lines += [
        f"- Cross-check (`bench/crosscheck.py`): the {check['vectors']} spec vectors, 5 generated",
        f"  scenarios of 40 units × 30 leaves and {check['fuzz']} small adversarial fuzz scenarios",
        "  (`bench/fuzz.py`: tied integer data, nested trees, odd quotas, injected data errors;",
        "  for invalid ones only the error codes fixed by spec section 8 are compared):",
        f"  {'no disagreement' if not n_prob else f'{n_prob} disagreement(s)'}.",
    ]
    lines += [f"  - `{p}`" for p in check["problems"][:30]]
    if check["problems"]:
        lines += [
            "",
            "A difference that only concerns the error sets of scenarios both sides reject",
            "changes no published result; it shows where the two read the spec differently",
            "about data to ignore or errors that follow from another error. The baseline's",
            "readings are listed at the top of `bench/baseline.py`.",
        ]
    lines.append("")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-subset", type=float, default=None,
                    help="time the national baseline on this share of the units and "
                         "extrapolate (default: run it whole, a few minutes)")
    ap.add_argument("--fuzz", type=int, default=500, help="fuzz scenarios to cross-check")
    ap.add_argument("--no-report", action="store_true", help="print only, keep docs/ as is")
    args = ap.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    mach = machine()
    print(f"{mach['cpu']} ({mach['cores']} cores, {mach['memory']}), Python {mach['python']}, "
          f"NumPy {mach['numpy']}")
    rows = []
    for name, n_units, n_leaves in SCENARIOS:
        scenario = generate(n_units, n_leaves, seed=1)
        path = DATA / f"{name}.json"
        with path.open("w", encoding="utf-8") as f:
            json.dump(scenario, f, ensure_ascii=False, separators=(",", ":"))
        size = sizes(scenario)
        print(f"\n== {name}: {json.dumps(size)}")
        engine = engine_figures(scenario, args.repeat)
        print(f"  engine compute():           best {fmt(min(engine['compute']))}, "
              f"median {fmt(statistics.median(engine['compute']))}")
        print(f"  engine compute()+to_dict(): best {fmt(min(engine['full']))}, "
              f"median {fmt(statistics.median(engine['full']))}, "
              f"tracemalloc peak {engine['peak_mb']:.0f} MB")
        cli = cli_figures(path, args.repeat)
        print(f"  CLI:                        best {fmt(min(cli['times']))}, "
              f"median {fmt(statistics.median(cli['times']))}, max RSS {cli['rss_mb']:.0f} MB")
        subset = args.baseline_subset if name == "national" else None
        print("  baseline running...", flush=True)
        base = baseline_figures(name, scenario, n_units, n_leaves, subset)
        speedup = base["time"] / min(engine["full"])
        print(f"  baseline:                   {fmt(base['time'])}"
              f"{' (extrapolated)' if base['extrapolated'] else ''}; speed-up {speedup:.0f}x")
        agreement = None
        if base["result"] is not None:
            agreement = diff_results(engine["result"], base["result"], limit=200)
            if agreement:
                print(f"!!!!!! ENGINE AND BASELINE DISAGREE on {name}: "
                      f"{len(agreement)} difference(s)")
                for line in agreement[:40]:
                    print(f"!!!   {line}")
            else:
                print("  engine and baseline agree on every unit and node")
        rows.append({"name": name, "sizes": size, "json_mb": path.stat().st_size / 2**20,
                     "engine": engine, "cli": cli, "baseline": base, "speedup": speedup,
                     "agreement": agreement})
        del scenario, engine["result"]
        base["result"] = None
    print(f"\n== cross-check: vectors, 5 generated scenarios, {args.fuzz} fuzz scenarios")
    check = cross_check(args.fuzz)
    for line in check["problems"]:
        print(f"!!! DISAGREE {line}")
    print(f"  {check['scenarios']} scenarios, {len(check['problems'])} disagreement(s)")
    if not args.no_report:
        write_report(mach, rows, check)
        print(f"\nwrote {REPORT.relative_to(ROOT)}")
    disagree = any(r["agreement"] for r in rows)
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
