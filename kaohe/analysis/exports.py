"""The analysis tables as Excel workbooks: every chart's figures, as on the page."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors as s


def _pct(x: float | None) -> float | None:
    return None if x is None else round(x * 100, 2)


def _num(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for i, h in enumerate(header):
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = max(10, min(40, len(h) * 2 + 4))
    ws.freeze_panes = "A2"


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def indicators_xlsx(v: s.Version, st: s.LeafStats, stats: list[s.LeafStats]) -> bytes:
    wb = Workbook()
    _sheet(wb, "单位得分", ["单位编号", "单位", "实际值", "目标值", "分值", "得分", "得分率%", "失分", "是否完成", "计分说明"],
           [[c.code, c.name, c.actual, c.target, c.points, c.score, _pct(c.rate), c.lost, "是" if c.completed else "否",
             c.explain] for c in st.cells], first=True)
    _sheet(wb, "得分率分布", ["得分率", "单位数"], [[b["band"], b["units"]] for b in s.bands(st.cells)])
    _sheet(wb, "失分最多", ["序", "单位", "失分", "得分率%"],
           [[i + 1, c.name, c.lost, _pct(c.rate)] for i, c in enumerate(s.top_losers(st.cells))])
    _sheet(wb, "全部指标", ["编号", "指标", "考卷", "分值", "计分方法", "考核单位数", "平均得分率%", "满分单位数", "完成单位数", "完成率%"],
           [[x.code, x.name, x.paper, x.points, x.method, x.units, _pct(x.average), x.full, x.completed,
             _pct(x.completion_rate)] for x in stats])
    total, per = s.completion(v, stats)
    _sheet(wb, "完成情况", ["范围", "单位×指标数", "完成数", "完成率%"],
           [["全部", total.pairs, total.completed, _pct(total.rate)]]
           + [[c.label, c.pairs, c.completed, _pct(c.rate)] for c in per])
    return _bytes(wb)


def domains_xlsx(tracks: dict[str, str], rows: list[s.NodeRow]) -> bytes:
    wb = Workbook()
    names = list(tracks.values())
    _sheet(wb, "领域分析", ["编号", "指标", "层级", "分值"] + [f"{n} 平均得分率%" for n in names] + [f"{n} 单位数" for n in names],
           [[r.code, r.name, "考卷" if r.depth == 0 else "二级", r.points] + [_pct(x) for x in r.rates] + r.units
            for r in rows], first=True)
    return _bytes(wb)


def people_xlsx(rows: list[s.PersonRow]) -> bytes:
    wb = Workbook()
    _sheet(wb, "责任人分析", ["责任人", "牵头单位", "指标数", "指标", "单位×指标数", "平均得分率%", "低于60%的单位×指标数", "涉及单位数"],
           [[p.person or "（未指定）", p.lead_unit or "（未指定）", len(p.indicators),
             "、".join(f"{c} {n}" for c, n in p.indicators), p.pairs, _pct(p.average), p.low, p.low_units]
            for p in rows], first=True)
    return _bytes(wb)


def unit_xlsx(unit_name: str, points: list[s.TrendPoint], radar: list[s.RadarRow]) -> bytes:
    wb = Workbook()
    _sheet(wb, "历年结果", ["年度", "考核周期", "版本", "总分", "名次", "组内单位数", "等次"],
           [[p.cycle.year, p.cycle.name, f"第{p.run.number}次计算", _num(p.total), p.rank, p.group_size, p.grade]
            for p in points], first=True)
    _sheet(wb, "分项对比", ["编号", "指标", "分值", "得分", f"{unit_name} 得分率%", "同组平均得分率%", "同组单位数"],
           [[r.code, r.name, r.points, r.score, _pct(r.rate), _pct(r.peer_average), r.peers] for r in radar])
    return _bytes(wb)
