"""The outcome list as an Excel workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Outcome

HEADER = ["单位编号", "单位", "规则", "运用结果", "依据（周期）", "年度", "名次", "组内单位数", "等次", "总分"]


def outcomes_xlsx(outcomes: list[Outcome]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "结果运用"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for o in outcomes:
        for name, r in o.trigger_rows:
            ws.append([o.unit.code, o.unit.name, o.rule.name, o.text, name, r.year, r.rank, r.group_size,
                       r.grade, round(r.total, 2)])
    for col, width in zip("ABCDEFGHIJ", (10, 18, 24, 36, 40, 8, 8, 10, 8, 10)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
