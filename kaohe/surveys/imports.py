"""Importing answers collected elsewhere (telephone survey companies, statistics bureaus): a CSV or .xlsx file
streamed through Polars in batches, every row checked against the survey's design, then loaded in ONE transaction
with the counts and the comments (PostgreSQL COPY; batched inserts on SQLite) — or, on any problem, not at all.

The file (first row the header; other columns are ignored):

  受访者编号  optional, up to 40 characters (the caller's own respondent number)
  群体        required: the code or the name of one of the survey's respondent groups
  单位        required: the code or the name of a unit of the cycle; the question must rate it
  指标        required: the CODE of the satisfaction indicator (e.g. S1); the row answers the survey's question on
              that indicator which the row's group answers (one per indicator and group, or the row is refused)
  选项        required: 满意 / 比较满意 / 基本满意 / 不满意, or the cycle's choice keys (satisfied, …)
  意见建议    optional: a comment about the unit, stored with phone and ID numbers masked for the unit
  时间        optional: when it was answered, 2026-05-01 10:30[:00] or 2026/5/1 (local time), or a date

Row numbers are those of the file as a spreadsheet shows it: the header is row 1, the first answer row 2 (a comment
spanning lines in quotes is one row); blank rows are skipped. CSV is UTF-8 (with or without BOM) or GB18030/GBK
(what Excel writes on a Chinese Windows), told apart from the bytes.

Progress is written to a small file next to the uploads while the import runs, outside the transaction, so the
polling page (another connection, another process) sees it; the batch row gets the final figures on commit. The
file is also touched every few seconds while the import lives: a batch still "导入中" whose file has gone quiet was
cut off with its process (a restart), its transaction rolled back, and the pages then show it as interrupted. An
uploaded file that was not imported (refused or interrupted) is deleted; an imported one is kept as the raw record.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import os
import queue
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.lib.sheets import SheetProblem
from kaohe.organisation.models import Unit

from .masking import mask
from .models import CHOICE_LABELS, Comment, Group, ImportBatch, ImportedAnswer, Question, Survey
from .services import COMMENT_MAX, SurveyRefused, _require_office, add_counts, choices_of

log = logging.getLogger(__name__)

RESPONDENT, GROUP, UNIT, INDICATOR, CHOICE, COMMENT, TIME = "受访者编号", "群体", "单位", "指标", "选项", "意见建议", "时间"
HEADERS = [RESPONDENT, GROUP, UNIT, INDICATOR, CHOICE, COMMENT, TIME]
REQUIRED = [GROUP, UNIT, INDICATOR, CHOICE]
RESPONDENT_MAX = 40
MAX_PROBLEMS = 200
SAMPLE_BYTES = 1 << 16
ROW_COL = "__row"  # the sheet row number, written by the .xlsx conversion
XLSX_WORKBOOK = "xl/workbook.xml"
AMBIGUOUS = -1

Progress = Callable[[int, int], None]  # (rows done, rows expected)


class ImportInvalid(Exception):
    """The file is refused: its first problems (row, column, message) and how many there are in all."""

    def __init__(self, problems: list[SheetProblem], total: int | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        super().__init__(f"{self.total} problem(s) in the answers file")


@dataclass(frozen=True)
class Outcome:
    rows: int
    comments: int
    counts: dict[str, int]  # answers added per choice


# ---- the file: kind, encoding, a UTF-8 CSV for Polars ------------------------------------------------------------


def kind_of(head: bytes) -> str:
    """"xlsx" for a zip (an Excel workbook), else "csv"."""
    return "xlsx" if head[:4] == b"PK\x03\x04" else "csv"


def csv_encoding(head: bytes) -> str | None:
    """utf-8 (a BOM, or bytes that decode), else gb18030 when they decode as that, else None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return enc
    return None


def check_upload(f: UploadedFile) -> str:
    """The upload's kind ("csv" or "xlsx") read from its content, or a message saying what is wrong with it."""
    f.seek(0)
    head = f.read(SAMPLE_BYTES)
    f.seek(0)
    if not head.strip():
        raise ImportInvalid([SheetProblem(None, None, _("文件是空的。"))])
    if kind_of(head) == "xlsx":
        try:
            with zipfile.ZipFile(f) as z:
                ok = XLSX_WORKBOOK in z.namelist()
        except zipfile.BadZipFile:
            ok = False
        f.seek(0)
        if not ok:
            raise ImportInvalid([SheetProblem(None, None, _("文件不是可读取的 Excel 工作簿 (.xlsx)。"))])
        return "xlsx"
    if b"\x00" in head or csv_encoding(head) is None:
        raise ImportInvalid([SheetProblem(None, None, _("文件不是 CSV 文本（应为 UTF-8 或 GB18030 编码），也不是 Excel 工作簿。"))])
    return "csv"


@dataclass
class Source:
    path: Path  # a UTF-8 CSV
    row_column: bool  # the rows carry their sheet row number (from .xlsx) rather than being counted
    expected: int  # rows expected (for the progress bar; exact at the end)
    temporary: bool

    def discard(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        while block := f.read(1 << 24):
            n += block.count(b"\n")
    return n


def prepare(path: Path) -> Source:
    """The file as a UTF-8 CSV Polars can scan: a UTF-8 CSV as it is; GB18030 transcoded; .xlsx converted."""
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
    if not head.strip():
        raise ImportInvalid([SheetProblem(None, None, _("文件是空的。"))])
    if kind_of(head) == "xlsx":
        return _xlsx_to_csv(path)
    enc = csv_encoding(head)
    if enc is None:
        raise ImportInvalid([SheetProblem(None, None, _("文件编码无法识别：请存为 UTF-8 或 GB18030（GBK）编码的 CSV。"))])
    if enc == "utf-8":
        return Source(path, False, max(_count_lines(path) - 1, 0), False)
    return _transcode(path, enc)


def _temp_csv() -> tuple[Any, Path]:
    fd, name = tempfile.mkstemp(prefix="kaohe-import-", suffix=".csv")
    return os.fdopen(fd, "wb"), Path(name)


def _transcode(path: Path, enc: str) -> Source:
    out, name = _temp_csv()
    decoder = codecs.getincrementaldecoder(enc)()
    lines, at = 0, 0
    try:
        with out, path.open("rb") as f:
            while block := f.read(1 << 22):
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError as exc:
                    raise ImportInvalid([SheetProblem(None, None, _(
                        "文件第 %(b)d 字节附近的内容无法按 GB18030 解码，请检查文件编码。") % {"b": at + exc.start + 1})]) from None
                at += len(block)
                data = text.encode("utf-8")
                lines += data.count(b"\n")
                out.write(data)
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        name.unlink(missing_ok=True)
        raise
    return Source(name, False, max(lines - 1, 0), True)


def _cell(value: Any) -> str:
    """An Excel cell as text: 101 for 101.0, a time as 2026-05-01 10:30:00."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") and hasattr(value, "date") else value.isoformat()
    return str(value).strip()


def _sheet_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(sheet row number, cells) of the first worksheet: calamine, else openpyxl in read-only mode."""
    try:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        first = (sheet.start or (0, 0))[0] + 1
        rows = sheet.iter_rows()
    except Exception:  # a workbook calamine cannot read: openpyxl may
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise ImportInvalid([SheetProblem(None, None, _("文件不是可读取的 Excel 工作簿 (.xlsx)。"))]) from None
        try:
            for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                yield n, list(row)
        finally:
            book.close()
        return
    for n, row in enumerate(rows, start=first):
        yield n, row


def _xlsx_to_csv(path: Path) -> Source:
    out, name = _temp_csv()
    n = 0
    try:
        with out:
            w = csv.writer(codecs.getwriter("utf-8")(out), lineterminator="\n")
            it = _sheet_rows(path)
            first = next(it, None)
            if first is None:
                raise ImportInvalid([SheetProblem(None, None, _("工作表是空的。"))])
            w.writerow([_cell(c) for c in first[1]] + [ROW_COL])
            for number, cells in it:
                texts = [_cell(c) for c in cells]
                if any(texts):
                    w.writerow(texts + [str(number)])
                    n += 1
    except BaseException:
        name.unlink(missing_ok=True)
        raise
    return Source(name, True, n, True)


# ---- the survey's design as lookup tables --------------------------------------------------------------------------


@dataclass
class Design:
    groups: dict[str, int]  # code or name → group id
    units: dict[str, int]  # code or name → unit id (the cycle's units)
    indicators: dict[str, int]  # indicator code → a small index
    questions: dict[int, int]  # indicator index << 32 | group id → question id (AMBIGUOUS when several)
    rated: list[int]  # question id << 32 | unit id, for the units each question rates
    choices: dict[str, str]  # label or key → choice key
    choice_labels: str


def _by_code_or_name(rows: list[tuple[int, str, str]]) -> dict[str, int]:
    """Codes first; a name only where it is unique and not some other row's code."""
    out = {code: pk for pk, code, _name in rows}
    names: dict[str, list[int]] = {}
    for pk, _code, name in rows:
        names.setdefault(name.strip(), []).append(pk)
    for name, pks in names.items():
        if name and len(pks) == 1 and name not in out:
            out[name] = pks[0]
    return out


def design_of(survey: Survey) -> Design:
    groups = _by_code_or_name(list(survey.groups.values_list("pk", "code", "name")))
    units = _by_code_or_name(list(survey.cycle.units.values_list("pk", "code", "name")))
    indicators: dict[str, int] = {}
    questions: dict[int, int] = {}
    rated: list[int] = []
    for q in survey.questions.select_related("indicator").prefetch_related("groups", "units"):
        i = indicators.setdefault(q.indicator.code, len(indicators))
        for g in q.groups.all():
            key = i << 32 | g.pk
            questions[key] = AMBIGUOUS if key in questions else q.pk
        rated.extend(q.pk << 32 | u.pk for u in q.units.all())
    keys = list(choices_of(survey.cycle))
    choices = {k: k for k in keys} | {str(CHOICE_LABELS[k]): k for k in keys if k in CHOICE_LABELS}
    labels = "/".join(str(CHOICE_LABELS.get(k, k)) for k in keys)
    return Design(groups, units, indicators, questions, rated, choices, labels)


# ---- checking: Polars over blocks of the file, a block at a time ---------------------------------------------------
#
# Polars' own streaming (scan_csv + collect_batches) runs ahead of a slow consumer and buffers the whole result, so
# the file is cut here into blocks of whole records (at a line end outside quotes) and each block is parsed and
# checked on its own; a thread prepares the next blocks while the database takes the current one, at most
# READ_AHEAD blocks ahead: memory stays at a few blocks whatever the size of the file.

BLOCK_BYTES = 8 << 20  # ~150,000 rows of a typical answers file; Polars needs ~30× a block while checking it
READ_AHEAD = 2
FLAGS = ["bad_group", "bad_unit", "bad_indicator", "bad_rated", "bad_choice", "bad_time", "bad_respondent"]


def _record_end(data: bytes, start: int = 0) -> int:
    """The offset just after the last line end of data that is outside quotes (data starts outside quotes); 0 when
    there is none. A quote byte never occurs inside a UTF-8 multi-byte character, so counting them is exact."""
    p = data.rfind(b"\n")
    while p >= start:
        if data.count(b'"', 0, p) % 2 == 0:
            return p + 1
        p = data.rfind(b"\n", start, p)
    return 0


def blocks(path: Path, size: int) -> Iterator[bytes]:
    """The file after its header line, in blocks of whole records."""
    rest = b""
    header_done = False
    with path.open("rb") as f:
        while True:
            block = f.read(size)
            data = rest + block
            if not header_done:
                end = _record_end(data[: data.find(b"\n") + 1]) if b"\n" in data else 0
                if not end:
                    if not block:
                        return
                    rest = data
                    continue
                data, header_done = data[end:], True
            if not block:
                if data.strip():
                    yield data
                return
            cut = _record_end(data)
            if cut:
                yield data[:cut]
                rest = data[cut:]
            else:
                rest = data


def _text(name: str, present: set[str]) -> pl.Expr:
    if name not in present:
        return pl.lit(None, dtype=pl.String).alias(name)
    x = pl.col(name).str.strip_chars()
    return pl.when(x == "").then(None).otherwise(x).alias(name)


def _timestamp(col: str) -> pl.Expr:
    t = pl.col(col).str.replace_all("/", "-", literal=True).str.replace("T", " ", literal=True)
    return pl.coalesce(
        t.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        t.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
        t.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
    )


def header_of(source: Source) -> list[str]:
    """The header's column names (stripped), refused when a required column is missing."""
    try:
        header = [c.strip() for c in pl.scan_csv(source.path, infer_schema=False).collect_schema().names()]
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise ImportInvalid([SheetProblem(1, None, _("无法读取表头：%(e)s") % {"e": str(exc)[:200]})]) from None
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ImportInvalid([SheetProblem(1, h, _("缺少“%(h)s”列") % {"h": h}) for h in missing])
    return header


def check(raw: pl.DataFrame, first_row: int, design: Design, *, sqlite: bool) -> pl.DataFrame:
    """A block's rows (every column text) with their row numbers, the ids of their group, unit and question, the
    choice key, the time as stored text, and one boolean column per kind of problem; blank rows dropped."""
    present = set(raw.columns)
    row = (pl.col(ROW_COL).cast(pl.Int64) if ROW_COL in present
           else pl.int_range(first_row, first_row + raw.height, dtype=pl.Int64))
    lf = raw.lazy().select(row.alias("row"), *(_text(h, present) for h in HEADERS))
    lf = lf.filter(~pl.all_horizontal(pl.col(h).is_null() for h in HEADERS))  # blank rows
    i64 = pl.Int64
    lf = lf.with_columns(
        pl.col(GROUP).replace_strict(design.groups, default=None, return_dtype=i64).alias("group_id"),
        pl.col(UNIT).replace_strict(design.units, default=None, return_dtype=i64).alias("unit_id"),
        pl.col(INDICATOR).replace_strict(design.indicators, default=None, return_dtype=i64).alias("ind"),
        pl.col(CHOICE).replace_strict(design.choices, default=None, return_dtype=pl.String).alias("choice"),
        _timestamp(TIME).alias("ts"),
    ).with_columns(
        ((pl.col("ind") * (1 << 32)) + pl.col("group_id"))
        .replace_strict(design.questions, default=None, return_dtype=i64).alias("question_id"),
    )
    utc = (pl.col("ts").dt.replace_time_zone(settings.TIME_ZONE, ambiguous="earliest", non_existent="null")
           .dt.convert_time_zone("UTC"))
    stored = utc.dt.strftime("%Y-%m-%d %H:%M:%S" if sqlite else "%Y-%m-%d %H:%M:%S+00")
    rated = pl.Series("rated", design.rated, dtype=i64).implode()
    return lf.with_columns(
        stored.alias("answered_at"),
        pl.col("group_id").is_null().alias("bad_group"),
        pl.col("unit_id").is_null().alias("bad_unit"),
        (pl.col("ind").is_null() | (pl.col("group_id").is_not_null()
                                    & (pl.col("question_id").is_null() | (pl.col("question_id") == AMBIGUOUS))))
        .alias("bad_indicator"),
        (pl.col("unit_id").is_not_null() & (pl.col("question_id") > 0)
         & ~((pl.col("question_id") * (1 << 32)) + pl.col("unit_id")).is_in(rated)).fill_null(False).alias("bad_rated"),
        pl.col("choice").is_null().alias("bad_choice"),
        (pl.col(TIME).is_not_null() & pl.col("ts").is_null()).alias("bad_time"),
        (pl.col(RESPONDENT).str.len_chars() > RESPONDENT_MAX).fill_null(False).alias("bad_respondent"),
    ).with_columns(pl.any_horizontal(FLAGS).alias("bad")).collect()


@dataclass
class Block:
    rows: pl.DataFrame  # checked rows
    read: int  # records read (blank ones included)
    bad: int  # rows with a problem
    copy: bytes | None  # the COPY data, when PostgreSQL and no row of the file so far has a problem


def checked_blocks(source: Source, design: Design, *, vendor: str, batch_id: int) -> Iterator[Block]:
    header = header_of(source)
    schema = {f"c{i}": pl.String for i in range(len(header))}
    names = dict(zip(schema, header))
    next_row, failing = 2, False
    for data in blocks(source.path, BLOCK_BYTES):
        raw = pl.read_csv(data, has_header=False, schema=schema, empty_string_is_null=True).rename(names)
        rows = check(raw, next_row, design, sqlite=vendor == "sqlite")
        bad = int(rows["bad"].sum())
        failing = failing or bad > 0
        copy = None
        if vendor == "postgresql" and not failing:
            copy = _load_rows(rows, batch_id).write_csv(include_header=False, null_value="").encode("utf-8")
        yield Block(rows, raw.height, bad, copy)
        next_row += raw.height


def read_ahead(items: Iterator[Any], depth: int = READ_AHEAD) -> Iterator[Any]:
    """The items of an iterator computed in a thread, at most `depth` ahead of the consumer (Polars releases the
    GIL, so the next blocks are parsed while the database loads this one). Errors are raised in the consumer."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(end)
        except BaseException as exc:  # handed to the consumer
            put(exc)

    thread = threading.Thread(target=work, daemon=True, name="survey-import-reader")
    thread.start()
    try:
        while True:
            item = q.get()
            if item is end:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _shown(v: Any) -> str:
    s = "" if v is None else str(v)
    return f"“{s if len(s) <= 40 else s[:40] + '…'}”"


def problems_of(bad: pl.DataFrame, design: Design, limit: int) -> list[SheetProblem]:
    """The messages for the first rows of a block that have problems (people read them, so a few hundred at most)."""
    out: list[SheetProblem] = []
    for r in bad.sort("row").head(limit).iter_rows(named=True):
        n = r["row"]
        if r["bad_group"]:
            out.append(SheetProblem(n, GROUP, _("不能为空") if r[GROUP] is None else
                                    _("本测评没有群体%(v)s（填群体代码或名称）") % {"v": _shown(r[GROUP])}))
        if r["bad_unit"]:
            out.append(SheetProblem(n, UNIT, _("不能为空") if r[UNIT] is None else
                                    _("本考核周期没有单位%(v)s（填单位编号或名称）") % {"v": _shown(r[UNIT])}))
        if r["bad_indicator"]:
            if r[INDICATOR] is None:
                msg = _("不能为空")
            elif r["ind"] is None:
                msg = _("本测评没有指标%(v)s的问题（填指标编号）") % {"v": _shown(r[INDICATOR])}
            elif r["question_id"] == AMBIGUOUS:
                msg = _("本测评中群体%(g)s作答的指标%(v)s的问题不止一个，无法区分") % {
                    "g": _shown(r[GROUP]), "v": _shown(r[INDICATOR])}
            else:
                msg = _("群体%(g)s不作答指标%(v)s的问题") % {"g": _shown(r[GROUP]), "v": _shown(r[INDICATOR])}
            out.append(SheetProblem(n, INDICATOR, msg))
        if r["bad_rated"]:
            out.append(SheetProblem(n, UNIT, _("指标%(v)s的问题不测评单位%(u)s") % {
                "v": _shown(r[INDICATOR]), "u": _shown(r[UNIT])}))
        if r["bad_choice"]:
            out.append(SheetProblem(n, CHOICE, _("不能为空") if r[CHOICE] is None else
                                    _("无效的选项%(v)s（应为 %(c)s）") % {"v": _shown(r[CHOICE]), "c": design.choice_labels}))
        if r["bad_time"]:
            out.append(SheetProblem(n, TIME, _("无法识别的时间%(v)s（如 2026-05-01 10:30）") % {"v": _shown(r[TIME])}))
        if r["bad_respondent"]:
            out.append(SheetProblem(n, RESPONDENT, _("超过 %(n)d 个字") % {"n": RESPONDENT_MAX}))
    return out


# ---- loading ----------------------------------------------------------------------------------------------------

LOAD_COLUMNS = ["batch_id", "question_id", "unit_id", "group_id", "choice", "respondent", "answered_at"]


def _load_rows(good: pl.DataFrame, batch_id: int) -> pl.DataFrame:
    return good.select(pl.lit(batch_id, dtype=pl.Int64).alias("batch_id"), "question_id", "unit_id", "group_id",
                       "choice", pl.col(RESPONDENT).fill_null("").alias("respondent"), "answered_at")


def _copy(data: bytes) -> None:
    """PostgreSQL: COPY a block given as CSV (an empty unquoted field is NULL; Polars quotes empty strings)."""
    table = ImportedAnswer._meta.db_table
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(LOAD_COLUMNS)}) FROM STDIN (FORMAT csv)") as cp:
            cp.write(data)


def _insert(rows: pl.DataFrame) -> None:
    """SQLite (and any other database): batched inserts."""
    table = ImportedAnswer._meta.db_table
    sql = f"INSERT INTO {table} ({', '.join(LOAD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(LOAD_COLUMNS))})"
    with connection.cursor() as cur:
        for part in rows.iter_slices(20_000):
            cur.executemany(sql, part.rows())


def _comments(good: pl.DataFrame, survey: Survey) -> int:
    rows = good.filter(pl.col(COMMENT).is_not_null()).select("question_id", "unit_id", "group_id", COMMENT)
    objs = []
    for q, u, g, text in rows.iter_rows():
        text = text[:COMMENT_MAX]
        objs.append(Comment(survey=survey, question_id=q, unit_id=u, group_id=g, text=text, masked=mask(text)))
    Comment.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def _lock_design(batch: ImportBatch, survey: Survey) -> None:
    """What a foreign key would do for each row, once: the survey's groups and questions and the cycle's units are
    locked FOR KEY SHARE until the import commits, so none can be deleted under the rows that name them."""
    unit_ids = list(survey.cycle.units.values_list("pk", flat=True))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {Group._meta.db_table} WHERE survey_id = %s FOR KEY SHARE", [survey.pk])
        cur.execute(f"SELECT id FROM {Question._meta.db_table} WHERE survey_id = %s FOR KEY SHARE", [survey.pk])
        cur.execute(f"SELECT id FROM {Unit._meta.db_table} WHERE id = ANY(%s) FOR KEY SHARE", [unit_ids])
        cur.execute(f"SELECT id FROM {ImportBatch._meta.db_table} WHERE id = %s FOR UPDATE", [batch.pk])


def load(batch: ImportBatch, source: Source, *, progress: Progress | None = None) -> Outcome:
    """Check every row and, while none has a problem, load it; call inside the import's transaction. Raises
    ImportInvalid (the first problems and their number) once the whole file has been read, when any row is wrong."""
    survey = batch.survey
    vendor = connection.vendor
    if vendor == "postgresql":
        _lock_design(batch, survey)
    design = design_of(survey)
    problems: list[SheetProblem] = []
    total_problems = read = rows = comments = 0
    tallies: list[pl.DataFrame] = []
    try:
        for block in read_ahead(checked_blocks(source, design, vendor=vendor, batch_id=batch.pk)):
            read += block.read
            rows += block.rows.height
            if block.bad:
                bad = block.rows.filter(pl.col("bad"))
                total_problems += int(bad.select(pl.sum_horizontal(FLAGS).sum()).item())
                if len(problems) < MAX_PROBLEMS:
                    problems += problems_of(bad, design, MAX_PROBLEMS - len(problems))
            elif not total_problems:
                if block.copy is not None:
                    _copy(block.copy)
                else:
                    _insert(_load_rows(block.rows, batch.pk))
                tallies.append(block.rows.group_by("question_id", "unit_id", "group_id", "choice").len())
                comments += _comments(block.rows, survey)
            if progress:
                progress(read, max(source.expected, read))
    except pl.exceptions.PolarsError as exc:
        raise ImportInvalid(problems + [SheetProblem(None, None, _("文件无法按 CSV 读取（在第 %(n)d 行之后）：%(e)s") % {
            "n": read + 1, "e": str(exc).splitlines()[0][:300]})], total_problems + 1) from None
    if total_problems:
        raise ImportInvalid(problems[:MAX_PROBLEMS], total_problems)
    if not rows:
        raise ImportInvalid([SheetProblem(2, None, _("文件没有答卷行。"))])
    counts = (pl.concat(tallies).group_by("question_id", "unit_id", "group_id", "choice").agg(pl.col("len").sum())
              .sort("question_id", "unit_id", "group_id", "choice"))
    add_counts((survey.pk, q, u, g, c, n) for q, u, g, c, n in counts.iter_rows())
    per_choice = counts.group_by("choice").agg(pl.col("len").sum()).sort("choice")
    return Outcome(rows, comments, {c: int(n) for c, n in per_choice.iter_rows()})


# ---- the batch: progress, the transaction, the audit entry -------------------------------------------------------


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _progress_path(batch_pk: int) -> Path:
    return import_dir() / f"progress-{batch_pk}.txt"


HEARTBEAT_SECONDS = 5
STOPPED_AFTER = dt.timedelta(minutes=2)  # no sign of life for this long: the import's process is gone


def write_progress(batch_pk: int, done: int, total: int) -> None:
    """Progress, outside the import's transaction: a small file replaced atomically."""
    path = _progress_path(batch_pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{done} {total}")
    tmp.replace(path)


@contextmanager
def _heartbeat(batch_pk: int) -> Iterator[None]:
    """Touch the progress file every few seconds while the import runs, also while a workbook is converted or
    the rows are counted and no progress is written."""
    path = _progress_path(batch_pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                path.touch()
            except OSError:  # the import is just ending and took its file away
                pass

    thread = threading.Thread(target=beat, daemon=True, name=f"survey-import-{batch_pk}-heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def progress_of(batch: ImportBatch) -> tuple[int, int]:
    """(rows done, rows expected): the running import's progress file, else what the batch row says."""
    if batch.state == ImportBatch.State.RUNNING:
        try:
            done, total = (int(x) for x in _progress_path(batch.pk).read_text().split())
            return done, total
        except (OSError, ValueError):
            pass
    return batch.rows_done, batch.rows_total


def _last_sign_of_life(batch: ImportBatch) -> dt.datetime:
    try:
        touched = dt.datetime.fromtimestamp(_progress_path(batch.pk).stat().st_mtime, tz=dt.UTC)
    except OSError:
        return batch.created_at  # its import has not started yet, or never will
    return max(touched, batch.created_at)


def settle_interrupted(survey: Survey) -> list[ImportBatch]:
    """The survey's batches still marked 导入中 whose import stopped with its process (a restart, a killed
    worker): marked not imported, with the reason, and their uploads deleted. Their transaction went with the
    process, so nothing of them was written."""
    stale = timezone.now() - STOPPED_AFTER
    settled = []
    for batch in survey.imports.filter(state=ImportBatch.State.RUNNING).select_related("survey", "created_by"):
        if _last_sign_of_life(batch) >= stale:
            continue
        with transaction.atomic():
            # on PostgreSQL a live import holds its batch row (FOR UPDATE, from the start of the load): a locked row
            # is alive whatever its progress file says, and the page never waits for it
            if not ImportBatch.objects.select_for_update(skip_locked=True).filter(
                    pk=batch.pk, state=ImportBatch.State.RUNNING).exists():
                continue
            reason = _("导入中断：服务器在导入过程中停止（重启或进程退出），未写入任何答卷。请重新上传该文件。")
            if not _fail(batch, [{"row": None, "column": None, "message": reason}], 1, interrupted=True):
                continue
        _discard_upload(batch.pk)
        _progress_path(batch.pk).unlink(missing_ok=True)
        settled.append(batch)
    return settled


def _check_survey(by, survey: Survey) -> None:
    _require_office(by)
    if survey.status == Survey.Status.DRAFT:
        raise SurveyRefused(_("测评尚在设计中，开始测评后才能导入答卷。"))
    if not survey.questions.exists():
        raise SurveyRefused(_("测评还没有问题，无法导入答卷。"))


@transaction.atomic
def create_batch(*, by, survey: Survey, filename: str) -> ImportBatch:
    """The batch row (导入中), committed before the import so that the office's page can show it at once."""
    _check_survey(by, survey)
    return ImportBatch.objects.create(survey=survey, filename=filename[:200], created_by=by)


def upload_path(batch: ImportBatch, kind: str) -> Path:
    return import_dir() / f"batch-{batch.pk}.{kind}"


def _discard_upload(batch_pk: int) -> None:
    for path in import_dir().glob(f"batch-{batch_pk}.*"):
        path.unlink(missing_ok=True)


@transaction.atomic
def start_import(*, by, survey: Survey, upload: UploadedFile, kind: str) -> ImportBatch:
    """Save the upload under MEDIA_ROOT/imports and, once the batch is committed, import it in a background thread
    (in the calling thread when settings.KAOHE_SURVEY_IMPORT_SYNC is true, as in the tests)."""
    batch = create_batch(by=by, survey=survey, filename=upload.name)
    path = upload_path(batch, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    if getattr(settings, "KAOHE_SURVEY_IMPORT_SYNC", False):
        transaction.on_commit(lambda: _import_upload(batch.pk, path))
    else:
        transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(batch.pk, path), daemon=True,
                                                       name=f"survey-import-{batch.pk}").start())
    return batch


def _import_upload(batch_pk: int, path: Path) -> None:
    """Import an uploaded file; a file that was refused is deleted (nothing of it was kept, and it may hold
    personal data), an imported one stays as the raw record until the office's retention period ends."""
    imported = False
    try:
        imported = run_import(batch_pk=batch_pk, path=path).state == ImportBatch.State.DONE
    finally:
        if not imported:
            path.unlink(missing_ok=True)


def _in_thread(batch_pk: int, path: Path) -> None:
    close_old_connections()
    try:
        _import_upload(batch_pk, path)
    finally:
        connection.close()  # the thread's own connection


def run_import(*, batch_pk: int, path: Path, progress: Progress | None = None) -> ImportBatch:
    """Import the file into the batch: all rows with their counts, comments and audit entry, or nothing (the
    batch then says failed, with its problems by row)."""
    batch = ImportBatch.objects.select_related("survey__cycle", "created_by").get(pk=batch_pk)
    started = time.monotonic()
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.5 or done >= total:
            last = now
            write_progress(batch_pk, done, total)
        if progress:
            progress(done, total)

    source: Source | None = None
    try:
        with _heartbeat(batch_pk):
            _check_survey(batch.created_by, batch.survey)
            source = prepare(path)
            report(0, source.expected)
            with transaction.atomic():
                outcome = load(batch, source, progress=report)
                if not ImportBatch.objects.filter(pk=batch_pk, state=ImportBatch.State.RUNNING).update(
                        state=ImportBatch.State.DONE, rows_total=outcome.rows, rows_done=outcome.rows, problems=[],
                        finished_at=timezone.now()):
                    # settled as interrupted meanwhile (its heartbeat was not seen): it must stay as it says
                    raise ImportInvalid([SheetProblem(None, None, _("该导入已被标记为中断，本次未写入。"))])
                record(by=batch.created_by, action="import_answers", obj=batch.survey,
                       cycle_id=batch.survey.cycle_id,
                       changes={"batch": [None, batch_pk], "file": [None, batch.filename],
                                "rows": [None, outcome.rows], "comments": [None, outcome.comments],
                                "counts_added": [None, outcome.counts],
                                "seconds": [None, round(time.monotonic() - started, 1)]})
    except (ImportInvalid, SurveyRefused) as exc:
        if isinstance(exc, SurveyRefused):
            exc = ImportInvalid([SheetProblem(None, None, str(exc))])
        problems = [{"row": p.row, "column": p.column, "message": p.message} for p in exc.problems]
        if exc.total > len(problems):
            problems.append({"row": None, "column": None, "message": _(
                "共发现 %(t)d 个问题，以上只列出前 %(n)d 个。") % {"t": exc.total, "n": len(exc.problems)}})
        _fail(batch, problems, exc.total)
    except Exception as exc:  # a fault of ours or of the database: the batch must not stay "running"
        log.exception("survey import %s failed", batch_pk)
        _fail(batch, [{"row": None, "column": None, "message": _("导入出错，未写入任何答卷：%(e)s") % {
            "e": f"{type(exc).__name__}: {exc}"[:500]}}], 1)
    finally:
        if source is not None:
            source.discard()
        _progress_path(batch_pk).unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def _fail(batch: ImportBatch, problems: list[dict[str, Any]], total: int, *, interrupted: bool = False) -> bool:
    """Mark a running batch failed or interrupted (not imported) with its problems; False when it had ended
    already."""
    state = ImportBatch.State.INTERRUPTED if interrupted else ImportBatch.State.FAILED
    if not ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.RUNNING).update(
            state=state, problems=problems, finished_at=timezone.now()):
        return False
    record(by=batch.created_by, action="import_answers_interrupted" if interrupted else "import_answers_failed",
           obj=batch.survey, cycle_id=batch.survey.cycle_id,
           changes={"batch": [None, batch.pk], "file": [None, batch.filename], "problems": [None, total]})
    return True


# ---- the template -----------------------------------------------------------------------------------------------


def template_csv(survey: Survey) -> bytes:
    """The header and one example row from the survey's own design, as UTF-8 with a BOM (Excel opens it right)."""
    q = survey.questions.select_related("indicator").prefetch_related("groups", "units").first()
    group = q.groups.first() if q else None
    unit = q.units.order_by("code").first() if q else None
    example = ["T0001", group.code if group else "public", unit.code if unit else "U01",
               q.indicator.code if q else "S1", str(CHOICE_LABELS["satisfied"]), "", "2026-05-01 10:30"]
    lines = [",".join(HEADERS), ",".join(example)]
    return codecs.BOM_UTF8 + ("\r\n".join(lines) + "\r\n").encode("utf-8")
