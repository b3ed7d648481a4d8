"""Make the benchmark modules (bench/baseline.py, bench/generate.py) importable from the repo root."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
