"""The results workbook a person reads: one ranking sheet per ranking group, every score, warnings."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .cells import tidy_number
from .layout import NO, YES
from .writer import Target
from .xlsx import HEADER_FILL, HEADER_FONT, safe, set_widths, sheet_title, styled

_NUMBER = "0.00"
_RANKING = (
    ("名次", 7), ("单位编号", 12), ("单位名称", 22), ("总分", 10), ("主线得分", 10), ("加分", 8), ("扣分", 8),
    ("1+N加分线", 11), ("等次", 10), ("先进单位", 9), ("一票否决", 9), ("失分", 9),
)
_DETAIL_FIXED = (("单位编号", 12), ("单位名称", 22), ("分组", 16), ("总分", 10))
_WARNINGS = (("代码", 20), ("单位", 12), ("指标", 12), ("说明", 90))
DETAIL_SHEET = "得分明细"
WARNINGS_SHEET = "警告"


def write_report(scenario: dict[str, Any], results: dict[str, Any], path: Target) -> None:
    """Write the engine's `results` (spec section 7) for `scenario` as a workbook to read:
    sheets 排名-<ranking group> (sorted by rank), 得分明细 (units × indicators) and 警告."""
    units: dict[Any, dict[str, Any]] = {u.get("id"): u for u in scenario.get("units") or []}
    indicators = scenario.get("indicators") or []
    rank_by = (scenario.get("settings") or {}).get("rank_by") or "group"
    main_roots = {i.get("id") for i in indicators if not i.get("parent") and i.get("line", "main") == "main"}
    rows = results.get("units") or []

    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_ranking_group(row, units, rank_by), []).append(row)

    book = Workbook(write_only=True)
    taken = {DETAIL_SHEET.lower(), WARNINGS_SHEET.lower()}
    for group, members in groups.items():
        ws = book.create_sheet(sheet_title(f"排名-{group}", taken))
        _ranking_sheet(ws, members, units, main_roots)
    _detail_sheet(book.create_sheet(DETAIL_SHEET), rows, units, indicators)
    _warnings_sheet(book.create_sheet(WARNINGS_SHEET), results.get("warnings") or [])
    book.save(path)


def _ranking_group(row: dict[str, Any], units: dict[Any, dict[str, Any]], rank_by: str) -> str:
    group = str(row.get("group") or "")
    if rank_by != "domain":
        return group
    unit = units.get(row.get("unit"))
    return str(unit.get("domain")) if unit and unit.get("domain") is not None else group.split("/")[0]


def _round2(x: float) -> float:
    # Spec section 7: first to 9 decimals (drops binary noise), then halves away from zero.
    return float(Decimal(f"{x:.9f}").quantize(Decimal("0.01"), ROUND_HALF_UP))


def _lost_on_main(row: dict[str, Any], main_roots: set[Any]) -> float | None:
    lost = [
        s["lost"] for s in row.get("scores") or []
        if s.get("indicator") in main_roots and s.get("applicable", True) and s.get("lost") is not None
    ]
    return _round2(sum(lost)) if lost else None


def _yes_no(value: Any) -> str:
    return YES if value else NO


def _start(ws: WriteOnlyWorksheet, columns: Iterable[tuple[str, float]], freeze: str, tall: bool = False) -> None:
    columns = list(columns)
    set_widths(ws, [width for _, width in columns])
    ws.freeze_panes = freeze
    if tall:
        ws.row_dimensions[1].height = 48
    ws.append([styled(ws, title, font=HEADER_FONT, fill=HEADER_FILL, wrap=tall) for title, _ in columns])


def _number(ws: WriteOnlyWorksheet, value: Any) -> Any:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return styled(ws, value, number_format=_NUMBER)


def _ranking_sheet(ws: WriteOnlyWorksheet, members: list[dict[str, Any]], units: dict[Any, dict[str, Any]], main_roots: set[Any]) -> None:
    _start(ws, _RANKING, "D2")
    ordered = sorted(
        enumerate(members),
        key=lambda pair: (pair[1].get("rank") is None, pair[1].get("rank") or 0, pair[0]),
    )
    for _, row in ordered:
        unit = units.get(row.get("unit")) or {}
        cells = [
            row.get("rank"),
            row.get("unit"),
            unit.get("name"),
            *(_number(ws, row.get(key)) for key in ("total", "main", "bonus", "deduction", "bonus_line")),
            row.get("grade"),
            _yes_no(row.get("advanced")),
            _yes_no(row.get("vetoed")),
            _number(ws, _lost_on_main(row, main_roots)),
        ]
        ws.append([safe(ws, v) for v in cells])


def _nominal_points(indicators: list[dict[str, Any]]) -> dict[Any, float | int | None]:
    """Each node's points as the header shows them: its own, else the sum of its children's."""
    children: dict[Any, list[Any]] = {}
    own = {}
    for ind in indicators:
        own[ind.get("id")] = ind.get("points")
        if ind.get("parent") is not None:
            children.setdefault(ind["parent"], []).append(ind.get("id"))
    points: dict[Any, float | int | None] = {}

    def total(node: Any, path: frozenset[Any]) -> float | int | None:
        if node in points:
            return points[node]
        if own.get(node) is not None:
            value = own[node]
        else:
            # A cycle is the engine's error to report; here it only must not loop.
            parts = [total(c, path | {node}) for c in children.get(node, []) if c not in path]
            known = [p for p in parts if isinstance(p, (int, float))]
            value = tidy_number(float(_round2(sum(known)))) if known else None
        points[node] = value
        return value

    for ind in indicators:
        total(ind.get("id"), frozenset())
    return points


def _detail_sheet(ws: WriteOnlyWorksheet, rows: list[dict[str, Any]], units: dict[Any, dict[str, Any]], indicators: list[dict[str, Any]]) -> None:
    points = _nominal_points(indicators)
    columns = list(_DETAIL_FIXED)
    for ind in indicators:
        p = points.get(ind.get("id"))
        shown = f"（{tidy_number(float(p))}分）" if isinstance(p, (int, float)) else ""
        columns.append((f"{ind.get('id')} {ind.get('name', '')}{shown}", 16))
    _start(ws, columns, "E2", tall=True)
    ids = [ind.get("id") for ind in indicators]
    for row in rows:
        unit = units.get(row.get("unit")) or {}
        scores = {s.get("indicator"): s for s in row.get("scores") or []}
        cells = [row.get("unit"), unit.get("name"), row.get("group"), _number(ws, row.get("total"))]
        for node in ids:
            score = scores.get(node) or {}
            applicable = score.get("applicable", True) and score.get("score") is not None
            cells.append(_number(ws, score["score"]) if applicable else None)
        ws.append([safe(ws, v) for v in cells])


def _warnings_sheet(ws: WriteOnlyWorksheet, warnings: list[dict[str, Any]]) -> None:
    _start(ws, _WARNINGS, "A2")
    for warning in warnings:
        cells = [warning.get("code"), warning.get("unit"), warning.get("indicator"), styled(ws, warning.get("message") or "", wrap=True)]
        ws.append([safe(ws, v) for v in cells])
