"""Writing the assessment workbook: a scenario's data, or an empty template, in one layout."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import format_list, format_params, tidy_number
from .help import write_help
from .layout import (
    APPLIES_TO,
    BOOL,
    CHOICES,
    ENUM,
    GRADES,
    HELP_SHEET,
    LIST,
    LISTS,
    NO,
    PARAMS,
    SETTINGS,
    SETTINGS_ROWS,
    SHEETS,
    TEXT,
    YES,
    Column,
    Setting,
    Sheet,
)
from .xlsx import column_cells, drop_down, header, safe, set_widths

Target = str | os.PathLike[str] | IO[bytes]

_SETTINGS_KEYS = {"bonus_cap", "deduction_cap", "bonus_line_in_total", "rank_by", "grade_scope", "choices", "grades", "advanced"}
_ADVANCED_KEYS = {"grade", "requires_leadership_excellent"}
_NOTE_TITLE = "说明"  # third column of 设置: for people, never read


def write_workbook(scenario: dict[str, Any], path: Target) -> None:
    """Write `scenario` as an assessment workbook; read_workbook gives back normalise(scenario).

    Raises ValueError when the scenario has keys the workbook has no place for (the spec
    forbids unknown keys, and dropping them silently would lose data)."""
    _check_keys(scenario)
    _write(scenario, path)


def write_template(path: Target) -> None:
    """An empty assessment workbook: every sheet with its header, drop-downs and the 说明 help."""
    _write(None, path)


def _write(scenario: dict[str, Any] | None, path: Target) -> None:
    # Write-only mode streams rows, so a scenario with 600,000 data rows fits in memory.
    book = Workbook(write_only=True)
    write_help(book.create_sheet(HELP_SHEET))
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        _start(ws, sheet)
        for row in _rows(sheet, scenario):
            ws.append([safe(ws, value) for value in row])
    book.save(path)


def _start(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    widths = [column.width + 2 for column in sheet.columns]
    titles = [column.label for column in sheet.columns]
    notes: list[str | None] = [f"{c.label} ({c.key})\n{c.help_zh}\n{c.help_en}" for c in sheet.columns]
    if sheet is SETTINGS:
        widths[0] = 46
        widths.append(80)
        titles.append(_NOTE_TITLE)
        notes.append("给人看的说明，不读取 (notes, not read)")
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    header(ws, titles, notes)
    for index, column in enumerate(sheet.columns, start=1):
        if column.drop_down:
            drop_down(ws, column_cells(index), column.drop_down, strict=column.strict, what=column.label)
    if sheet is SETTINGS:
        for row, setting in enumerate(_written_settings(), start=2):
            if setting.kind == BOOL:
                drop_down(ws, f"B{row}", (YES, NO), strict=True, what=setting.label)
            elif setting.kind == ENUM and setting.vocabulary is not None:
                drop_down(ws, f"B{row}", setting.vocabulary.labels.values(), strict=True, what=setting.label)
            elif setting.key == "advanced.grade":
                # Offers the names typed in 等次, whatever they are.
                validation = DataValidation(type="list", formula1=f"'{GRADES.name}'!$A$2:$A$100", allow_blank=True)
                validation.add(f"B{row}")
                ws.data_validations.append(validation)


def _written_settings() -> list[Setting]:
    return [s for s in SETTINGS_ROWS if s.written]


def _cell(column: Column | Setting, value: Any) -> Any:
    """A scenario value as the clerk sees it in the cell (labels, 是/否, a, b lists, cap=1.2)."""
    if value is None:
        return None
    if column.kind == TEXT:
        if isinstance(value, float):
            value = tidy_number(value)
        return value if isinstance(value, str) else str(value)
    if column.kind == BOOL and isinstance(value, bool):
        return YES if value else NO
    if column.kind == ENUM and isinstance(value, str) and column.vocabulary is not None:
        return column.vocabulary.label(value)
    if column.kind == LIST and isinstance(value, list):
        return format_list(value)
    if column.kind == PARAMS and isinstance(value, dict):
        return format_params(value) or None
    return value


def _rows(sheet: Sheet, scenario: dict[str, Any] | None) -> Iterator[list[Any]]:
    if sheet is SETTINGS:
        yield from _settings_rows((scenario or {}).get("settings") or {})
        return
    if scenario is None:
        return
    settings = scenario.get("settings") or {}
    if sheet is CHOICES:
        for choice, value in (settings.get("choices") or {}).items():
            yield [choice, value]
        return
    items = (settings.get("grades") or []) if sheet is GRADES else (scenario.get(sheet.key) or [])
    columns = sheet.columns
    for item in items:
        if sheet.key == "indicators" and item.get("applies_to"):
            item = {**item, **item["applies_to"]}
        yield [_cell(column, item.get(column.key)) for column in columns]


def _settings_rows(settings: dict[str, Any]) -> Iterator[list[Any]]:
    advanced = settings.get("advanced") or {}
    for setting in _written_settings():
        if setting.key.startswith("advanced."):
            value = advanced.get(setting.key.removeprefix("advanced."))
        else:
            value = settings.get(setting.key)
        yield [setting.title, _cell(setting, value), f"{setting.help_zh}（{setting.help_en}）"]


def _check_keys(scenario: dict[str, Any]) -> None:
    wrong: list[str] = []

    def check(where: str, item: Any, allowed: set[str]) -> None:
        if not isinstance(item, dict):
            wrong.append(f"{where} is not an object")
            return
        wrong.extend(f"{where}.{key}" for key in item if key not in allowed)

    check("scenario", scenario, {*LISTS, "settings"})
    for key, sheet in LISTS.items():
        allowed = {column.key for column in sheet.columns}
        if key == "indicators":
            allowed = (allowed - set(APPLIES_TO)) | {"applies_to"}
        for index, item in enumerate(scenario.get(key) or []):
            check(f"{key}[{index}]", item, allowed)
            if key == "indicators" and isinstance(item, dict) and item.get("applies_to") is not None:
                check(f"{key}[{index}].applies_to", item["applies_to"], set(APPLIES_TO))
    settings = scenario.get("settings") or {}
    check("settings", settings, _SETTINGS_KEYS)
    if isinstance(settings, dict):
        for index, grade in enumerate(settings.get("grades") or []):
            check(f"settings.grades[{index}]", grade, {column.key for column in GRADES.columns})
        if settings.get("advanced") is not None:
            check("settings.advanced", settings["advanced"], _ADVANCED_KEYS)
    if wrong:
        shown = ", ".join(wrong[:10]) + (f" and {len(wrong) - 10} more" if len(wrong) > 10 else "")
        raise ValueError(f"the workbook has no place for: {shown}")
