"""The `kaohe` command line: compute, validate, explain, convert, template, and audit verify (web database).

Bad input always ends with exit status 2 and messages a clerk can act on, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any, NoReturn

import orjson

from . import __version__
from .engine import Issue, ScenarioInvalid, compute
from .engine.result import Result

EXIT_INVALID = 2


class InputError(Exception):
    """Input that cannot be used; `lines` are the messages, `errors` the JSON form."""

    def __init__(self, lines: list[str], errors: list[dict[str, Any]]):
        self.lines = lines
        self.errors = errors
        super().__init__("\n".join(lines))


def _fail(msg: str, code: str = "bad_input") -> NoReturn:
    raise InputError([msg], [{"code": code, "unit": None, "indicator": None, "message": msg}])


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def load_scenario(name: str) -> dict:
    """A scenario from a JSON file or an assessment workbook, told apart by content, not by name."""
    path = Path(name)
    if not path.is_file():
        _fail(f"找不到文件 {name} (no such file)", "no_such_file")
    if _is_xlsx(path):
        from .workbook import WorkbookInvalid, read_workbook

        try:
            return read_workbook(path)
        except WorkbookInvalid as exc:
            lines = [str(p) for p in exc.problems]
            errors = [{"code": "workbook", "unit": None, "indicator": None, "message": str(p), "sheet": p.sheet,
                       "row": p.row, "column": p.column} for p in exc.problems]
            raise InputError(lines, errors) from None
    data = path.read_bytes()
    try:
        scenario = orjson.loads(data)
        # The input lives until the end: keep the collector from rescanning it (national files hold ~10⁶ objects).
        gc.freeze()
    except orjson.JSONDecodeError as exc:
        _fail(f"{name} 不是有效的 JSON 或 xlsx 文件: {exc} (malformed JSON)", "malformed_json")
    if not isinstance(scenario, dict):
        _fail(f"{name}: 场景应为 JSON 对象 (the scenario must be a JSON object)", "bad_type")
    return scenario


def _issue_line(e: Issue, kind: str = "错误") -> str:
    where = " ".join(x for x in (f"单位 {e.unit}" if e.unit else "", f"指标 {e.indicator}" if e.indicator else "") if x)
    return f"{kind} [{e.code}]{' ' + where if where else ''}: {e.message}"


def compute_or_fail(scenario: dict) -> Result:
    try:
        return compute(scenario)
    except ScenarioInvalid as exc:
        raise InputError([_issue_line(e) for e in exc.errors], [e.to_dict() for e in exc.errors]) from None


# ---- output formats

def results_csv(scenario: dict, result: dict) -> str:
    names = {u["id"]: u.get("name", u["id"]) for u in scenario["units"]}
    nodes = [(i["id"], i.get("name", i["id"])) for i in scenario["indicators"]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["单位编号 unit", "单位名称 name", "排名组 group", "名次 rank", "组内单位数 group_size", "总分 total",
                "主线得分 main", "1+N加分线 bonus_line", "加分 bonus", "扣分 deduction", "等次 grade",
                "一票否决 vetoed", "先进单位 advanced"] + [f"{i} {n}" for i, n in nodes])
    for u in result["units"]:
        scores = {s["indicator"]: s["score"] for s in u["scores"]}
        w.writerow([u["unit"], names.get(u["unit"], ""), u["group"], u["rank"], u["group_size"], f"{u['total']:.2f}",
                    f"{u['main']:.2f}", f"{u['bonus_line']:.2f}", f"{u['bonus']:.2f}", f"{u['deduction']:.2f}",
                    u["grade"] or "", "是" if u["vetoed"] else "", "是" if u["advanced"] else ""]
                   + ["" if scores[i] is None else f"{scores[i]:.2f}" for i, _ in nodes])
    return buf.getvalue()


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int, right: bool = False) -> str:
    gap = " " * max(n - _width(s), 0)
    return gap + s if right else s + gap


def _clip(s: str, n: int) -> str:
    out, w = "", 0
    for c in s:
        cw = _width(c)
        if w + cw > n - 1:
            return out + "…"
        out, w = out + c, w + cw
    return out


def report_card(scenario: dict, result: Result, unit_id: str) -> str:
    m = result.model
    if unit_id not in m.unit_ids:
        close = [u for u in m.unit_ids if unit_id.lower() in u.lower() or unit_id in m.unit_names[m.unit_ids.index(u)]]
        hint = f"；是否要找: {', '.join(close[:8])}" if close else ""
        _fail(f"场景中没有单位 {unit_id} (no such unit){hint}", "unknown_unit")
    u = m.unit_ids.index(unit_id)
    out = result.to_dict()["units"][u]
    texts = result.explain_texts()
    lines = [
        f"{m.unit_names[u]} ({unit_id})  排名组 {out['group']}",
        f"总分 {out['total']:.2f}  第 {out['rank']}/{out['group_size']} 名"
        + (f"  等次 {out['grade']}" if out["grade"] else "")
        + ("  先进单位" if out["advanced"] else "") + ("  一票否决" if out["vetoed"] else ""),
        f"主线 {out['main']:.2f}  1+N加分线 {out['bonus_line']:.2f}  加分 {out['bonus']:.2f}  扣分 {out['deduction']:.2f}",
        "",
    ]
    # the tree as a clerk reads it: each paper, then its groups and indicators beneath
    depth = [0] * len(m.nodes)
    tree: list[int] = []
    stack = [n.index for n in reversed(m.nodes) if n.parent < 0]
    while stack:
        j = stack.pop()
        tree.append(j)
        for c in reversed(m.nodes[j].children):
            depth[c] = depth[j] + 1
            stack.append(c)
    name_w = min(max(_width("  " * depth[j] + f"{n.id} {n.name}") for j, n in enumerate(m.nodes)) + 2, 44)
    lines.append(_pad("指标 indicator", name_w) + _pad("分值", 8, True) + _pad("得分", 9, True) + _pad("失分", 9, True)
                 + "  计算 how")
    lines.append("-" * (name_w + 26 + 30))
    for j in tree:
        node = m.nodes[j]
        s = out["scores"][j]
        label = _clip("  " * depth[j] + f"{node.id} {node.name}", name_w - 1)
        if not s["applicable"]:
            if node.parent >= 0 and not out["scores"][node.parent]["applicable"]:
                continue  # the whole branch does not apply: one line for it is enough
            lines.append(_pad(label, name_w) + _pad("—", 8, True) + _pad("不适用", 9, True) + _pad("", 9, True))
            continue
        lines.append(_pad(label, name_w) + _pad(f"{s['points']:g}", 8, True) + _pad(f"{s['score']:.2f}", 9, True)
                     + _pad(f"{s['lost']:.2f}", 9, True) + "  " + (texts[j][u] or ""))
    mine = [w for w in result.warnings if w.unit in (unit_id, None)]
    if mine:
        lines.append("")
        lines.extend(_issue_line(w, "提示") for w in mine)
    adjustments = [a for a in scenario.get("adjustments", []) if a.get("unit") == unit_id]
    if adjustments:
        lines.append("")
        kinds = {"bonus": "加分", "deduction": "扣分", "veto": "一票否决"}
        for a in adjustments:
            lines.append(f"{kinds.get(a.get('kind'), a.get('kind'))} {a.get('points', 0):g}：{a.get('reason', '')}")
    return "\n".join(lines) + "\n"


# ---- commands

def _write(out: str | None, data: str | bytes) -> None:
    if out in (None, "-"):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    path = Path(out)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        # A BOM lets Excel open a Chinese CSV correctly; JSON stays plain UTF-8.
        path.write_text(data, encoding="utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8")


def cmd_compute(args: argparse.Namespace) -> int:
    fmt = args.format or _format_from_name(args.output) or "json"
    if fmt == "xlsx" and args.output in (None, "-"):
        _fail("xlsx 结果需要用 -o 指定输出文件 (xlsx output needs -o FILE)", "bad_arguments")
    scenario = load_scenario(args.file)
    result = compute_or_fail(scenario)
    data = result.to_dict()
    if fmt == "json":
        _write(args.output, orjson.dumps(data, option=orjson.OPT_INDENT_2 if args.pretty else 0) + b"\n")
    elif fmt == "csv":
        _write(args.output, results_csv(scenario, data))
    else:
        from .workbook import write_report

        write_report(scenario, data, args.output)
        print(f"已写出结果工作簿 {args.output} (results workbook written)", file=sys.stderr)
    return 0


def _format_from_name(name: str | None) -> str | None:
    if not name or name == "-":
        return None
    return {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}.get(Path(name).suffix.lower())


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    result = compute_or_fail(scenario)
    m = result.model
    leaves = sum(1 for n in m.nodes if n.is_leaf)
    if args.format == "json":
        print(orjson.dumps({"valid": True, "units": m.n_units, "indicators": len(m.nodes), "leaves": leaves,
                            "warnings": [w.to_dict() for w in result.warnings]}).decode())
        return 0
    print(f"有效 (valid): {m.n_units} 个单位, {len(m.nodes)} 个指标节点 ({leaves} 个末级指标)")
    for w in result.warnings:
        print(_issue_line(w, "提示"))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    result = compute_or_fail(scenario)
    sys.stdout.write(report_card(scenario, result, args.unit))
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    fmt = _format_from_name(args.output)
    if fmt not in ("json", "xlsx"):
        _fail("输出文件名应以 .json 或 .xlsx 结尾 (-o FILE.json or FILE.xlsx)", "bad_arguments")
    scenario = load_scenario(args.file)
    if fmt == "json":
        Path(args.output).write_bytes(orjson.dumps(scenario, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        from .workbook import write_workbook

        write_workbook(scenario, args.output)
    print(f"已写出 {args.output} (written)", file=sys.stderr)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .workbook import write_template

    write_template(args.output)
    print(f"已写出空白考核工作簿 {args.output} (blank workbook written)", file=sys.stderr)
    return 0


def _django() -> str | None:
    """Set up the web app's Django like manage.py does; the reason it cannot, or None."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImportError as exc:
        return f"找不到 Django 设置模块 {os.environ['DJANGO_SETTINGS_MODULE']}: {exc} (settings module not found)"
    except ImproperlyConfigured as exc:
        return f"Django 设置不全: {exc} (settings incomplete: set SECRET_KEY, or DEBUG=True for development)"
    return None


def cmd_audit_verify(args: argparse.Namespace) -> int:
    problem = _django()
    if problem is None:
        from django.db import DatabaseError
        from django.utils import timezone

        from .audit.services import verify_chain

        try:
            report = verify_chain()
        except DatabaseError as exc:
            problem = f"无法读取审计日志: {exc} (database unavailable or not migrated: run manage.py migrate)"
    if problem is not None:
        print(f"未能检查审计日志 (audit log not checked): {problem}", file=sys.stderr)
        return EXIT_INVALID
    if report.broken is None and not report.why:
        print(f"审计链完整：已检查 {report.checked} 条记录 ({report.checked} entries checked; chain intact)")
        return 0
    print(f"审计链已被破坏：已检查 {report.checked} 条记录 ({report.checked} entries checked; chain BROKEN)")
    e = report.broken
    if e is not None:
        at = timezone.localtime(e.at).isoformat(timespec="seconds")
        print(f"  第 {report.checked} 条 (#{e.pk})  时间 {at}  操作人 {e.actor_name}  操作 {e.action}  "
              f"对象 {e.object_type} {e.object_id} {e.object_repr}")
    print(f"  原因: {report.why}")
    return 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kaohe", description="考核 Kaohe: 计算考核场景的得分、排名和等次 (compute assessment results)")
    p.add_argument("--version", action="version", version=f"kaohe {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("compute", help="计算结果 compute results (JSON, CSV or a report workbook)")
    c.add_argument("file", help="场景 JSON 或考核工作簿 .xlsx")
    c.add_argument("--format", choices=["json", "csv", "xlsx"], help="输出格式 (default json, or from -o's suffix)")
    c.add_argument("-o", "--output", help="输出文件 (default stdout)")
    c.add_argument("--pretty", action="store_true", help="缩进的 JSON (indented JSON)")
    c.set_defaults(func=cmd_compute)

    v = sub.add_parser("validate", help="检查场景，列出全部错误 list every error")
    v.add_argument("file")
    v.add_argument("--format", choices=["text", "json"], default="text")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("explain", help="在终端显示一个单位的成绩单 a unit's report card")
    e.add_argument("file")
    e.add_argument("--unit", required=True, help="单位编号 unit id")
    e.set_defaults(func=cmd_explain)

    cv = sub.add_parser("convert", help="工作簿与 JSON 互转 convert between .xlsx and .json")
    cv.add_argument("file")
    cv.add_argument("-o", "--output", required=True)
    cv.set_defaults(func=cmd_convert)

    t = sub.add_parser("template", help="写出空白考核工作簿 write a blank workbook")
    t.add_argument("-o", "--output", required=True)
    t.set_defaults(func=cmd_template)

    a = sub.add_parser("audit", help="审计日志 the web platform's audit log (needs its database settings)")
    asub = a.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    av = asub.add_parser("verify", help="检查审计日志的哈希链 check the hash chain; exit 1 if broken")
    av.set_defaults(func=cmd_audit_verify)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        if getattr(args, "format", None) == "json":
            sys.stdout.write(orjson.dumps({"errors": exc.errors}, option=orjson.OPT_INDENT_2).decode() + "\n")
        n = len(exc.lines)
        print(f"输入有 {n} 处问题，未计算 ({n} problem(s); nothing computed):", file=sys.stderr)
        for line in exc.lines:
            print(f"  {line}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # `kaohe compute … | head` closes the pipe early; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"无法读写文件: {exc.filename or ''} {exc.strerror or exc} (file error)", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
