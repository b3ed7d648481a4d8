"""Reading an assessment workbook into a scenario: every problem is collected, then raised once."""

from __future__ import annotations

import io
import os
import zipfile
from typing import IO, Any, Protocol

import python_calamine
from openpyxl.utils import get_column_letter

from .cells import Cell, CellError, as_bool, as_json, as_number, as_text, enum_reader, reader_for, shown, tidy
from .layout import (
    BOOL,
    CHOICE_LABELS,
    CHOICES,
    DEFAULT_CHOICES,
    ENUM,
    GRADES,
    HELP_SHEET_NAMES,
    IGNORED_HEADERS,
    INDICATORS,
    LISTS,
    NUMBER,
    SETTINGS,
    SETTINGS_ROWS,
    SHEETS,
    TEXT,
    Column,
    Setting,
    Sheet,
    canon,
)
from .problems import WorkbookInvalid, WorkbookProblem
from .scenario import finish_item, normalise_settings

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

# A title row or two above the header is common in office sheets: the header is the first
# of these rows that holds a known column name.
_HEADER_SEARCH_ROWS = 10

# Which columns refer to which list (and its sheet, for the message).
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "values": (("unit", "units"), ("indicator", "indicators")),
    "ratings": (("indicator", "indicators"), ("unit", "units"), ("group", "rater_groups")),
    "responses": (("indicator", "indicators"), ("unit", "units")),
    "adjustments": (("unit", "units"),),
}
_WHAT = {"units": "单位", "indicators": "指标", "rater_groups": "评议组"}
_NO_CAP_WORDS = frozenset(canon(w) for w in ("无", "不封顶", "不限", "null", "none"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_workbook(source: Source) -> dict[str, Any]:
    """The scenario an assessment workbook (.xlsx) holds, in canonical form (see scenario.py).

    `source` is a path, the file's bytes, or a binary file object (an upload). Raises
    WorkbookInvalid with every problem found; OSError when a path cannot be opened."""
    data = _load(source)
    try:
        return _Reader(_CalamineBook(data)).read()
    except python_calamine.CalamineError as refused:
        # Rare files calamine refuses may still open in openpyxl (slower, but it reads them).
        try:
            book = _OpenpyxlBook(data)
            return _Reader(book).read()
        except WorkbookInvalid:
            raise
        except Exception:
            raise _file_problem(f"无法读取工作簿：{refused} (cannot read the workbook)") from None


# -- opening -----------------------------------------------------------------------------


class _Book(Protocol):
    names: list[str]

    def rows(self, name: str) -> list[list[Cell]]: ...


class _CalamineBook:
    def __init__(self, source: str | os.PathLike[str] | bytes):
        if isinstance(source, bytes):
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            self._book = python_calamine.CalamineWorkbook.from_path(source)
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        self.names = [m.name for m in self._book.sheets_metadata if m.typ == worksheet]

    def rows(self, name: str) -> list[list[Cell]]:
        sheet = self._book.get_sheet_by_name(name)
        # skip_empty_area=False keeps row and column positions as Excel numbers them.
        rows = sheet.to_python(skip_empty_area=False)
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ():
            # A merged cell (one unit over several data rows) counts for every row it covers.
            if r0 >= len(rows) or c0 >= len(rows[r0]):
                continue
            value = rows[r0][c0]
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                row = rows[r]
                for c in range(c0, min(c1, len(row) - 1) + 1):
                    row[c] = value
        return rows


class _OpenpyxlBook:
    """Used only when calamine refuses a file that openpyxl can still read."""

    def __init__(self, source: str | os.PathLike[str] | bytes):
        from openpyxl import load_workbook

        target = io.BytesIO(source) if isinstance(source, bytes) else source
        self._book = load_workbook(target, read_only=True, data_only=True)
        self.names = list(self._book.sheetnames)

    def rows(self, name: str) -> list[list[Cell]]:
        sheet = self._book[name]
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend([""] * (width - len(row)))
        return rows


def _file_problem(message: str) -> WorkbookInvalid:
    return WorkbookInvalid([WorkbookProblem("", None, None, message)])


def _not_xlsx(head: bytes, names: list[str] | None) -> str | None:
    """Why these contents are not an xlsx workbook, or None when they are one."""
    if names is not None:
        if "xl/workbook.xml" in names:
            return None
        if "xl/workbook.bin" in names:
            return "这是 .xlsb 二进制工作簿，不是 .xlsx；请在 Excel/WPS 中另存为 .xlsx (not an xlsx workbook)"
        if "content.xml" in names:
            return "这是 ODS（WPS/LibreOffice）表格，不是 .xlsx；请另存为 .xlsx (not an xlsx workbook)"
        return "这是 zip 压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）(not an xlsx workbook)"
    if not head:
        return "文件是空的，不是 Excel 工作簿（.xlsx）(empty file)"
    if head.startswith(_OLE_MAGIC):
        return "这是旧版 Excel（.xls）文件或加了密码的工作簿；请另存为 .xlsx（不设密码）后再上传 (not an xlsx workbook)"
    if head.startswith(b"PK"):
        return "文件已损坏：看似 zip 压缩包，但无法打开 (damaged file)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "不是 Excel 工作簿（.xlsx）文件 (not an xlsx workbook)"
    return "这是文本文件（如 CSV），不是 Excel 工作簿；请在 Excel/WPS 中另存为 .xlsx (not an xlsx workbook)"


def _zip_names(source: str | os.PathLike[str] | IO[bytes]) -> list[str] | None:
    try:
        with zipfile.ZipFile(source) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return None


def _load(source: Source) -> str | os.PathLike[str] | bytes:
    """The path or the bytes to read, once the contents are known to be an xlsx workbook."""
    data: str | os.PathLike[str] | bytes
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        data = source
    else:
        data = source.read()
        if not isinstance(data, bytes):
            raise TypeError("read_workbook needs a binary file object")
    if isinstance(data, bytes):
        head, names = data[:512], _zip_names(io.BytesIO(data))
    else:
        with open(data, "rb") as f:
            head = f.read(512)
        names = _zip_names(data)
    reason = _not_xlsx(head, names)
    if reason:
        raise _file_problem(reason)
    return data


# -- reading -----------------------------------------------------------------------------


class _Table:
    """One sheet's non-blank rows: Excel row numbers and the values by column key."""

    def __init__(self, sheet: Sheet, name: str):
        self.sheet = sheet
        self.name = name
        self.row_numbers: list[int] = []
        self.records: list[dict[str, Any]] = []
        self.columns: set[str] = set()  # keys of the columns that the sheet has


class _Reader:
    def __init__(self, book: _Book):
        self.book = book
        self.problems: list[WorkbookProblem] = []

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(WorkbookProblem(sheet, row, column, message))

    def read(self) -> dict[str, Any]:
        found = self._find_sheets()
        tables = {sheet.key: self._table(sheet, found.get(sheet.key)) for sheet in SHEETS}
        ids = {key: self._ids(tables[key]) for key in ("units", "indicators", "rater_groups")}
        self._check_indicator_references(tables["indicators"], ids, found)
        for key, references in _REFERENCES.items():
            self._check_references(tables[key], references, ids, found)
        settings = self._settings(tables["settings"], tables["choices"], tables["grades"])
        self._map_choices(tables["responses"], settings.get("choices", DEFAULT_CHOICES))
        scenario: dict[str, Any] = {key: [finish_item(key, r) for r in tables[key].records] for key in LISTS}
        scenario["settings"] = settings
        if self.problems:
            order = {s.key: i for i, s in enumerate(SHEETS)}
            by_name = {name: order[key] for key, name in found.items()}
            self.problems.sort(key=lambda p: (by_name.get(p.sheet, -1), p.row or 0))
            raise WorkbookInvalid(self.problems)
        return scenario

    def _find_sheets(self) -> dict[str, str]:
        """Workbook sheet name for each layout sheet found; unknown sheets with data are problems."""
        lookup = {form: sheet for sheet in SHEETS for form in sheet.name_forms()}
        found: dict[str, str] = {}
        for name in self.book.names:
            if name.startswith(("#", "_")) or canon(name) in HELP_SHEET_NAMES:
                continue
            sheet = lookup.get(canon(name))
            if sheet is None:
                if any(_filled(v) for row in self.book.rows(name) for v in row):
                    known = "、".join(s.name for s in SHEETS)
                    self.problem(
                        name, None, None,
                        f"未知工作表“{name}”；工作表应为 {known} 之一，说明用的工作表请命名为“说明”或以 # 开头",
                    )
            elif sheet.key in found:
                self.problem(name, None, None, f"与工作表“{found[sheet.key]}”重复（都是 {sheet.title}）")
            else:
                found[sheet.key] = name
        for sheet in SHEETS:
            if sheet.required and sheet.key not in found:
                self.problem(sheet.name, None, None, f"缺少工作表“{sheet.name}”({sheet.key})")
        return found

    def _table(self, sheet: Sheet, name: str | None) -> _Table:
        table = _Table(sheet, name or sheet.name)
        if name is None:
            return table
        rows = self.book.rows(name)
        header = _find_header(rows, sheet)
        if header is None:
            return table
        plan = self._header(table, rows, header)
        self._rows(table, rows, header, plan)
        return table

    def _header(self, table: _Table, rows: list[list[Cell]], header: int) -> list[tuple[int, Column]]:
        sheet, name = table.sheet, table.name
        lookup = {form: column for column in sheet.columns for form in column.header_forms()}
        plan: list[tuple[int, Column]] = []
        letters: dict[str, str] = {}
        for index, cell in enumerate(rows[header]):
            letter = get_column_letter(index + 1)
            text = as_text(cell).strip() if _filled(cell) and not isinstance(cell, bool) else ""
            if not text:
                row = next((r for r in range(header + 1, len(rows)) if _filled(rows[r][index])), None)
                if row is not None:
                    self.problem(name, row + 1, letter, "此列有数据但没有列名；请填写列名，或删去此列")
                continue
            if text.startswith("#") or canon(text) in IGNORED_HEADERS:
                continue
            column = lookup.get(canon(text))
            if column is None:
                known = "、".join(c.title for c in sheet.columns)
                self.problem(
                    name, header + 1, letter,
                    f"未知列名{shown(text)}；{sheet.name}表可用的列：{known}（备注列请以 # 开头）",
                )
            elif column.key in letters:
                self.problem(name, header + 1, letter, f"列名{shown(text)}与 {letters[column.key]} 列重复（都是{column.title}）")
            else:
                letters[column.key] = letter
                plan.append((index, column))
        for column in sheet.columns:
            if column.required and column.key not in letters:
                self.problem(name, header + 1, None, f"缺少必填列 {column.title}")
        table.columns = set(letters)
        return plan

    def _rows(self, table: _Table, rows: list[list[Cell]], header: int, plan: list[tuple[int, Column]]) -> None:
        name = table.name
        steps = [
            (index, column.key, reader_for(column), column.title, column.kind == TEXT, column.kind == NUMBER)
            for index, column in plan
        ]
        required = [(column.key, column.title, column.blank_when) for _, column in plan if column.required]
        row_numbers, records, problems = table.row_numbers, table.records, self.problems
        # The hot loop: 600,000 数据 rows go through here, so it stays plain.
        for r in range(header + 1, len(rows)):
            row = rows[r]
            record: dict[str, Any] = {}
            bad: set[str] | None = None
            for index, key, read, title, is_text, is_number in steps:
                value = row[index]
                cls = value.__class__
                # Plain text and numbers, nearly every cell, skip the converter call.
                if cls is str:
                    value = value.strip()
                    if not value:
                        continue
                    if is_text:
                        record[key] = value
                        continue
                elif cls is float and is_number:
                    record[key] = int(value) if value.is_integer() else value
                    continue
                try:
                    value = read(value)
                except CellError as e:
                    problems.append(WorkbookProblem(name, r + 1, title, str(e)))
                    bad = (bad or set()) | {key}
                    continue
                if value is not None:
                    record[key] = value
            if not record and bad is None:  # a blank row
                continue
            for key, title, blank_when in required:
                if key in record or (bad is not None and key in bad):
                    continue
                if blank_when is not None and record.get(blank_when[0]) == blank_when[1]:
                    continue
                problems.append(WorkbookProblem(name, r + 1, title, "必填，不能为空"))
            row_numbers.append(r + 1)
            records.append(record)

    def _ids(self, table: _Table) -> dict[str, int]:
        """Each id of a list sheet with its row; a second row with the same id is a problem."""
        seen: dict[str, int] = {}
        if "id" not in table.columns:
            return seen
        title = table.sheet.column("id").title
        for row, record in zip(table.row_numbers, table.records):
            key = record.get("id")
            if key is None:
                continue
            if key in seen:
                self.problem(table.name, row, title, f"编号{shown(key)}重复（第{seen[key]}行已有）")
            else:
                seen[key] = row
        return seen

    def _unknown(self, table: _Table, row: int, column: str, target: str, value: str) -> None:
        what = _WHAT[target]
        self.problem(table.name, row, table.sheet.column(column).title, f"未知{what}{shown(value)}（“{what}”表中没有此编号）")

    def _check_indicator_references(self, table: _Table, ids: dict[str, dict[str, int]], found: dict[str, str]) -> None:
        indicators, units = ids["indicators"], ids["units"]
        for row, record in zip(table.row_numbers, table.records):
            parent = record.get("parent")
            if parent is not None and parent not in indicators:
                self.problem(table.name, row, INDICATORS.column("parent").title, f"未知上级指标{shown(parent)}（“指标”表中没有此编号）")
            if "units" not in found:  # reported already as a missing sheet
                continue
            for column in ("units", "exclude_units"):
                for unit in record.get(column, ()):
                    if unit not in units:
                        self._unknown(table, row, column, "units", unit)

    def _check_references(
        self,
        table: _Table,
        references: tuple[tuple[str, str], ...],
        ids: dict[str, dict[str, int]],
        found: dict[str, str],
    ) -> None:
        for column, target in references:
            if column not in table.columns or not table.records:
                continue
            if target not in found:
                sheet = next(s for s in SHEETS if s.key == target)
                if not sheet.required:  # a missing required sheet is reported already
                    self.problem(
                        table.name, table.row_numbers[0], table.sheet.column(column).title,
                        f"工作簿中没有“{sheet.name}”表，无法核对{_WHAT[target]}编号",
                    )
                continue
            known = ids[target]
            for row, record in zip(table.row_numbers, table.records):
                value = record.get(column)
                if value is not None and value not in known:
                    self._unknown(table, row, column, target, value)

    def _map_choices(self, table: _Table, choices: dict[str, Any]) -> None:
        # "满意" may stand for the default key "satisfied" when that key is one of the choices.
        if not isinstance(choices, dict):
            return
        labels = {canon(label): key for key, label in CHOICE_LABELS.items() if key in choices}
        for record in table.records:
            choice = record.get("choice")
            if choice is not None and choice not in choices:
                record["choice"] = labels.get(canon(choice), choice)

    # -- settings, grades and choices ----------------------------------------------------

    def _settings(self, table: _Table, choices_table: _Table, grades_table: _Table) -> dict[str, Any]:
        lookup = {form: setting for setting in SETTINGS_ROWS for form in setting.name_forms()}
        key_title, value_title = SETTINGS.column("key").title, SETTINGS.column("value").title
        values: dict[str, Any] = {}
        rows: dict[str, int] = {}
        for row, record in zip(table.row_numbers, table.records):
            text = record.get("key")
            if text is None:
                continue
            setting = lookup.get(canon(text))
            if setting is None:
                known = "、".join(s.title for s in SETTINGS_ROWS)
                self.problem(table.name, row, key_title, f"未知设置项{shown(text)}；可用：{known}")
                continue
            if setting.key in rows:
                self.problem(table.name, row, key_title, f"设置项 {setting.title} 重复（第{rows[setting.key]}行已有）")
                continue
            rows[setting.key] = row
            if "value" not in record:
                continue
            try:
                value = _setting_value(setting, record["value"])
            except CellError as e:
                self.problem(table.name, row, value_title, f"{setting.title} {e}")
                continue
            if value is not None:
                values[setting.key] = value

        def conflict(key: str, other: str) -> None:
            self.problem(table.name, rows[key], key_title, f"{key} 与{other}只能填一处")

        choices = self._choices(choices_table)
        if choices and "choices" in values:
            conflict("choices", "“满意度选项”表")
        grades = self._grades(grades_table)
        if grades and "grades" in values:
            conflict("grades", "“等次”表")
        advanced = {k.removeprefix("advanced."): v for k, v in values.items() if k.startswith("advanced.")}
        if advanced and "advanced" in values:
            conflict("advanced", "先进单位等次等设置项")
        advanced = values.pop("advanced", advanced)
        if advanced and "grade" not in advanced and "advanced.requires_leadership_excellent" in rows:
            self.problem(
                table.name, rows["advanced.requires_leadership_excellent"], value_title,
                "填了先进单位须领导班子优秀，但没有填先进单位等次",
            )
        settings = {
            "bonus_cap": values.get("bonus_cap"),
            "deduction_cap": values.get("deduction_cap"),
            "bonus_line_in_total": values.get("bonus_line_in_total"),
            "rank_by": values.get("rank_by"),
            "choices": choices or values.get("choices"),
            "grades": grades or values.get("grades"),
            "grade_scope": values.get("grade_scope"),
            "advanced": advanced,
        }
        self._check_advanced(table, settings, rows)
        return normalise_settings(settings)

    def _check_advanced(self, table: _Table, settings: dict[str, Any], rows: dict[str, int]) -> None:
        grades, advanced = settings["grades"], settings["advanced"]
        if not (grades and isinstance(advanced, dict) and isinstance(grades, list)) or "grade" not in advanced:
            return
        names = [g.get("name") for g in grades if isinstance(g, dict)]
        if advanced["grade"] not in names:
            row = rows.get("advanced.grade", rows.get("advanced"))
            self.problem(
                table.name, row, SETTINGS.column("value").title,
                f"先进单位等次{shown(advanced['grade'])}不在等次中（可选：{'、'.join(map(str, names))}）",
            )

    def _choices(self, table: _Table) -> dict[str, Any]:
        choices: dict[str, Any] = {}
        rows: dict[str, int] = {}
        title = CHOICES.column("choice").title
        for row, record in zip(table.row_numbers, table.records):
            choice = record.get("choice")
            if choice is None:
                continue
            if choice in rows:
                self.problem(table.name, row, title, f"选项{shown(choice)}重复（第{rows[choice]}行已有）")
                continue
            rows[choice] = row
            if "value" in record:
                choices[choice] = record["value"]
        return choices

    def _grades(self, table: _Table) -> list[dict[str, Any]]:
        rows: dict[str, int] = {}
        title = GRADES.column("name").title
        for row, record in zip(table.row_numbers, table.records):
            name = record.get("name")
            if name is None:
                continue
            if name in rows:
                self.problem(table.name, row, title, f"等次{shown(name)}重复（第{rows[name]}行已有）")
            rows[name] = row
        return table.records


def _setting_value(setting: Setting, value: Cell) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if setting.kind == NUMBER:
        if isinstance(value, str) and canon(value) in _NO_CAP_WORDS:
            return None
        return as_number(value)
    if setting.kind == BOOL:
        return as_bool(value)
    if setting.kind == ENUM:
        assert setting.vocabulary is not None
        return enum_reader(setting.vocabulary)(value)
    if setting.kind == "json":
        parsed = as_json(value)
        wanted: type = list if setting.key == "grades" else dict
        if not isinstance(parsed, wanted):
            raise CellError("应为 JSON 列表" if wanted is list else "应为 JSON 对象")
        return tidy(parsed)
    return as_text(value)


def _filled(value: Cell) -> bool:
    return not (value.__class__ is str and not value.strip())


def _find_header(rows: list[list[Cell]], sheet: Sheet) -> int | None:
    """Index of the header row: the first of the top rows with a known column name, else the
    first non-blank row (whose unknown names then get reported); None for an empty sheet."""
    forms = {form for column in sheet.columns for form in column.header_forms()}
    top = rows[:_HEADER_SEARCH_ROWS]
    for index, row in enumerate(top):
        if any(isinstance(v, str) and canon(v) in forms for v in row):
            return index
    return next((index for index, row in enumerate(top) if any(_filled(v) for v in row)), None)

