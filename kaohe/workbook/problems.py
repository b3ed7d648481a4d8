"""What is wrong with a workbook, said so that a clerk finds the cell: sheet, row, column, message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem. `sheet` is "" for the file as a whole; `row` is the row number Excel shows;
    `column` is a column title such as "实际值(actual)", or a column letter such as "C" when the
    header itself is the problem."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            # A bare letter reads better as "C列" in a Chinese sentence.
            parts.append(f"{self.column}列" if self.column.isascii() and self.column.isalpha() else self.column)
        where = " ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class WorkbookInvalid(Exception):
    """The workbook cannot be read into a scenario; `problems` lists every problem found."""

    def __init__(self, problems: list[WorkbookProblem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f"; 另有 {len(problems) - 5} 个问题" if len(problems) > 5 else ""
        super().__init__(f"工作簿有 {len(problems)} 个问题 (workbook invalid): {shown}{more}")
