"""Small openpyxl helpers shared by the workbook, template and report writers (write-only mode)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
LAST_ROW = 1048576
# Excel refuses these in sheet names, and names longer than 31 characters.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def safe(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as a cell: text that starts with = stays text (never a formula, whatever a unit
    is called), and characters Excel cannot store are dropped."""
    if value.__class__ is not str:
        return value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def styled(
    ws: WriteOnlyWorksheet,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    number_format: str | None = None,
    wrap: bool = False,
    comment: str | None = None,
) -> Cell:
    cell = safe(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, cell)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    if wrap:
        cell.alignment = WRAP
    if comment:
        note = Comment(comment, "Kaohe")
        note.width, note.height = 320, 140
        cell.comment = note
    return cell


def header(ws: WriteOnlyWorksheet, titles: Iterable[str], comments: Iterable[str | None] | None = None) -> None:
    """The bold first row; call after set_widths/freeze (write-only sheets need those first)."""
    notes = list(comments) if comments is not None else []
    ws.append(
        [
            styled(ws, title, font=HEADER_FONT, fill=HEADER_FILL, comment=notes[i] if i < len(notes) else None)
            for i, title in enumerate(titles)
        ]
    )


def set_widths(ws: WriteOnlyWorksheet, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def drop_down(ws: WriteOnlyWorksheet, cells: str, options: Iterable[str], *, strict: bool, what: str) -> None:
    """A list drop-down. Strict ones warn about other text but let the clerk keep it (the
    reader accepts English keys too); loose ones only offer the list."""
    options = list(options)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=strict,
        errorStyle="warning",
        errorTitle=what,
        error=f"{what}应为：{'、'.join(options)}（也可填英文名）",
    )
    validation.add(cells)
    ws.data_validations.append(validation)


def column_cells(index: int, first_row: int = 2) -> str:
    letter = get_column_letter(index)
    return f"{letter}{first_row}:{letter}{LAST_ROW}"


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unused sheet name made from `text` (Excel compares names case-insensitively)."""
    title = _BAD_SHEET_CHARS.sub("-", text).strip("'").strip() or "-"
    title = title[:31]
    candidate, n = title, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"~{n}"
        candidate = title[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate
