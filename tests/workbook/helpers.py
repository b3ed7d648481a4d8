"""Shared by the workbook tests: vectors, a small scenario, and workbooks typed row by row as a clerk would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kaohe.workbook import WorkbookInvalid, WorkbookProblem, read_workbook

VECTORS = sorted((Path(__file__).parents[1] / "engine" / "vectors").glob("*.json"))

Rows = list[list[Any]]

UNITS: Rows = [
    ["编号", "名称", "领域", "类别"],
    ["U1", "甲县", "county", "平原"],
    ["U2", "乙县", "county", "平原"],
]
INDICATORS: Rows = [
    ["编号", "上级", "名称", "分值", "计分方法"],
    ["A", None, "高质量发展", None, None],
    ["A1", "A", "地区生产总值增速", 10, "完成率法"],
]


def vector_scenario(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["scenario"]


def make_workbook(path: Path, sheets: dict[str, Rows], *, minimal: bool = True) -> Path:
    """An .xlsx with these sheets; unless told otherwise the 单位 and 指标 sheets above are
    added when not given, so a test only types the sheet it is about."""
    if minimal:
        sheets = {"单位": UNITS, "指标": INDICATORS, **sheets}
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def problems_of(source: Path | bytes) -> list[WorkbookProblem]:
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(source)
    return caught.value.problems
