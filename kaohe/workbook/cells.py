"""Turning one cell into a scenario value (and back): numbers, yes/no, lists, parameters."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .layout import BOOL, ENUM, FALSE_WORDS, LIST, NUMBER, PARAMS, RAW, TEXT, TRUE_WORDS, Column, Vocabulary, canon

Cell = Any  # what a reader gives: str (stripped, never empty here), float, int, bool, date/time


class CellError(ValueError):
    """A cell that cannot become a value; the message says why, in the clerk's terms."""


def shown(value: Cell) -> str:
    """A cell's content as quoted in a message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        value = tidy_number(value)
    text = str(value)
    return f"“{text if len(text) <= 40 else text[:40] + '…'}”"


def tidy_number(x: float) -> int | float:
    """Integral floats become ints, so 90.0 from Excel and 90 from JSON read the same."""
    return int(x) if x.is_integer() else x


def tidy(value: Any) -> Any:
    """tidy_number through lists and objects (params, grades, choices)."""
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if isinstance(value, list):
        return [tidy(v) for v in value]
    if isinstance(value, dict):
        return {k: tidy(v) for k, v in value.items()}
    return value


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _number_from_text(text: str) -> int | float | None:
    # Numbers stored as text are common in exports; full-width digits come from Chinese IMEs.
    text = unicodedata.normalize("NFKC", text).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    x = float(text)
    return tidy_number(x) if math.isfinite(x) else None


def as_number(value: Cell) -> int | float:
    t = type(value)
    if t is float:
        return int(value) if value.is_integer() else value
    if t is int:
        return value
    if t is str:
        x = _number_from_text(value)
        if x is None:
            hint = "；百分数请填小数或去掉 %" if value.endswith(("%", "％")) else ""
            raise CellError(f"应为数字，实为{shown(value)}{hint}")
        return x
    if t is bool:
        raise CellError(f"应为数字，实为逻辑值 {shown(value)}")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError(f"应为数字，实为日期或时间{shown(value)}")
    raise CellError(f"应为数字，实为{shown(value)}")


def as_text(value: Cell) -> str:
    t = type(value)
    if t is str:
        return value
    if t is float:
        return str(tidy_number(value))
    if t is int:
        return str(value)
    if t is bool:
        raise CellError(f"应为文本，实为逻辑值 {shown(value)}")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ").removesuffix(" 00:00:00")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def as_bool(value: Cell) -> bool:
    if type(value) is bool:
        return value
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if type(value) is str:
        word = canon(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise CellError(f"应为 是/否（TRUE/FALSE、1/0），实为{shown(value)}")


_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


def as_list(value: Cell) -> list[str] | None:
    """The items of a list cell; None (as if blank) when it holds only separators."""
    if type(value) is str:
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()] or None
    return [as_text(value)]


def format_list(items: list[Any]) -> str:
    return "、".join(str(i) for i in items)


def enum_reader(vocabulary: Vocabulary) -> Callable[[Cell], str]:
    def read(value: Cell) -> str:
        key = vocabulary.lookup(as_text(value))
        if key is None:
            raise CellError(f"未知{vocabulary.what}{shown(value)}；可选：{vocabulary.describe()}")
        return key

    return read


# Parameters: either one JSON object, or name=value pairs separated by ; (also ；, , ， and
# line breaks). A value starting with [ { or " is JSON (lists, objects, quoted text); any
# other value is a number, true/false/null, or else plain text (peer=all).
_DECODER = json.JSONDecoder()
_PARAM_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=＝:：]\s*")
_PARAM_SEPARATORS = frozenset(";；,，\n")
_BARE_END = re.compile(r"[;；,，\n]")
_PARAMS_HINT = "应写成 名称=值，多个用分号隔开（如 cap=1.2; floor=0.5），列表用 JSON（如 bands=[[90,1],[75,0.8]]），或整格写一个 JSON 对象"
_BARE_TEXT = re.compile(r"[^\s;；,，\[\]{}\"=＝:：]+")


def _bare_value(raw: str) -> Any:
    word = raw.lower()
    if word in ("true", "false", "null"):
        return json.loads(word)
    number = _number_from_text(raw) if _NUMBER.fullmatch(raw) else None
    return raw if number is None else number


def parse_params(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            raise CellError(f"参数不是合法的 JSON（{e.msg}，第{e.pos + 1}个字符）；{_PARAMS_HINT}") from None
        if not isinstance(value, dict):
            raise CellError(f"参数应为 JSON 对象；{_PARAMS_HINT}")
        return tidy(value)
    params: dict[str, Any] = {}
    pos, end = 0, len(text)
    while True:
        while pos < end and (text[pos].isspace() or text[pos] in _PARAM_SEPARATORS):
            pos += 1
        if pos >= end:
            return params
        match = _PARAM_NAME.match(text, pos)
        if match is None:
            raise CellError(f"参数写法有误，在{shown(text[pos:])}处；{_PARAMS_HINT}")
        name, pos = match.group(1), match.end()
        if name in params:
            raise CellError(f"参数 {name} 写了两次")
        if pos < end and text[pos] in '[{"':
            try:
                value, pos = _DECODER.raw_decode(text, pos)
            except json.JSONDecodeError as e:
                raise CellError(f"参数 {name} 的值不是合法的 JSON（{e.msg}）；{_PARAMS_HINT}") from None
            rest = text[pos:].lstrip(" \t")
            if rest and rest[0] not in _PARAM_SEPARATORS:
                raise CellError(f"参数 {name} 的值后面多了{shown(rest)}；{_PARAMS_HINT}")
        else:
            stop = _BARE_END.search(text, pos)
            raw = text[pos : stop.start() if stop else end].strip()
            pos = stop.start() if stop else end
            if not raw:
                raise CellError(f"参数 {name} 没有值；{_PARAMS_HINT}")
            value = _bare_value(raw)
        params[name] = tidy(value)


def _format_param_value(value: Any) -> str:
    if isinstance(value, str) and _BARE_TEXT.fullmatch(value) and _bare_value(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def format_params(params: dict[str, Any]) -> str:
    """The clerk-friendly form (cap=1.2; floor=0.5) whenever parse_params reads it back the same."""
    if not all(isinstance(k, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) for k in params):
        return json.dumps(params, ensure_ascii=False)
    return "; ".join(f"{name}={_format_param_value(value)}" for name, value in params.items())


def as_params(value: Cell) -> dict[str, Any] | None:
    """The params of a cell; None (as if blank) when it holds none, such as "{}" or ";"."""
    if type(value) is not str:
        raise CellError(f"参数应为文本，实为{shown(value)}；{_PARAMS_HINT}")
    return parse_params(value) or None


def as_json(value: Cell) -> Any:
    try:
        return tidy(json.loads(as_text(value)))
    except json.JSONDecodeError as e:
        raise CellError(f"不是合法的 JSON（{e.msg}）") from None


def reader_for(column: Column) -> Callable[[Cell], Any]:
    """The function that turns a (non-blank) cell of this column into its value."""
    if column.kind == TEXT:
        return as_text
    if column.kind == NUMBER:
        return as_number
    if column.kind == BOOL:
        return as_bool
    if column.kind == ENUM:
        assert column.vocabulary is not None
        return enum_reader(column.vocabulary)
    if column.kind == LIST:
        return as_list
    if column.kind == PARAMS:
        return as_params
    if column.kind == RAW:
        return lambda value: value
    raise ValueError(f"unknown column kind {column.kind!r}")


def cell_text(value: Any) -> str:
    """A raw openpyxl cell of an import sheet as stripped text: empty for a blank, 90 for 90.0, a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_date(value: Any) -> dt.date | None:
    """A date cell, or text like 2026-08-31, 2026/8/31, 2026.8.31 or 2026年8月31日; None when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(x) for x in s.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        return None
