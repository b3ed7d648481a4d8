"""Reading an import sheet (first worksheet, header in row 1) into rows keyed by header, with their row numbers."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _

from kaohe.workbook.cells import cell_text


@dataclass(frozen=True)
class SheetProblem:
    row: int | None
    column: str | None
    message: str


class SheetInvalid(Exception):
    """A sheet refused as a whole; every problem with its row and column."""

    what = "sheet"

    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the {self.what}")


def read_rows(source: bytes | IO[bytes], *, headers: list[str], required: list[str],
              invalid: type[SheetInvalid] = SheetInvalid) -> list[dict[str, Any]]:
    """Raw cell values keyed by the known headers, "_row" the sheet's row number; blank rows skipped.

    Raises `invalid` when the file is not a workbook or a required column is missing."""
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else source.read()
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise invalid([SheetProblem(None, None, _("文件不是可读取的 Excel 工作簿 (.xlsx)"))]) from None
    try:
        it = book.worksheets[0].iter_rows(values_only=True)
        header = [cell_text(h) for h in next(it, ())]
        missing = [h for h in required if h not in header]
        if missing:
            raise invalid([SheetProblem(1, h, _("缺少“%(h)s”列") % {"h": h}) for h in missing])
        cols = {h: header.index(h) for h in headers if h in header}
        rows = []
        for n, raw in enumerate(it, start=2):
            row = {h: (raw[c] if c < len(raw) else None) for h, c in cols.items()}
            if all(cell_text(v) == "" for v in row.values()):
                continue
            row["_row"] = n
            rows.append(row)
        return rows
    finally:
        book.close()
