"""A stored run as the report workbook (ranking sheets, 得分明细, 警告)."""

from __future__ import annotations

import io
from typing import Any

from kaohe.workbook import write_report

from .models import Run


def results_dict(run: Run) -> dict[str, Any]:
    """The run's rows back in the engine's results form (spec section 7), in the engine's unit order."""
    # codes as at the run: the engine's unit order is the scenario's, and position is that order
    codes = [u["id"] for u in run.scenario.get("units", [])]
    units = [{"unit": codes[r.position], "group": r.group, "main": r.main, "bonus_line": r.bonus_line, "bonus": r.bonus,
              "deduction": r.deduction, "total": r.total, "rank": r.rank, "group_size": r.group_size,
              "grade": r.grade or None, "vetoed": r.vetoed, "advanced": r.advanced, "scores": r.scores}
             for r in run.unit_results.order_by("position")]
    return {"units": units, "warnings": list(run.warnings)}


def report_xlsx(run: Run) -> bytes:
    buf = io.BytesIO()
    write_report(run.scenario, results_dict(run), buf)
    return buf.getvalue()


def report_filename(run: Run) -> str:
    return f"{run.cycle.name}-第{run.number}次计算结果.xlsx"
