"""Reads for the ranking tables (排名表) of a version and the leaders' dashboard (领导驾驶舱)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kaohe.indicators import gates
from kaohe.indicators.models import Cycle

from .models import STAGES, Run, RunUnit
from .selectors import group_names

VIEWS = ("group", "domain", "all")


def view_labels() -> dict[str, str]:
    return {"group": _("按排名组"), "domain": _("按领域"), "all": _("全部单位")}


# --- the grade rules of a version, as sentences ----------------------------------------------------------

def _share(x: float) -> str:
    return f"{round(x * 100, 4):g}%"


def _points(x: float) -> str:
    return f"{round(float(x), 2):g}"


def grade_rules(settings: dict[str, Any]) -> list[dict[str, str]]:
    """Each grade of the version's settings (best first) with its quota in words, e.g. 优秀：前 30%（且不低于 85 分）."""
    grades = settings.get("grades") or []
    rules = []
    for i, g in enumerate(grades):
        parts = []
        if g.get("top_share") is not None:
            text = _("前 %(share)s") % {"share": _share(g["top_share"])}
            if g.get("min_total") is not None:
                text += _("（且不低于 %(points)s 分）") % {"points": _points(g["min_total"])}
            parts.append(text)
        if g.get("bottom_share") is not None:
            parts.append(_("后 %(share)s") % {"share": _share(g["bottom_share"])})
        if g.get("below_total") is not None:
            parts.append(_("低于 %(points)s 分的单位") % {"points": _points(g["below_total"])})
        if g.get("rest"):
            parts.append(_("其余单位"))
        if i == len(grades) - 1:
            parts.append(_("一票否决的单位"))
        text = parts[0] if parts else ""
        if len(parts) > 1:
            text += _("，以及") + _("、").join(parts[1:])
        rules.append({"name": g.get("name", ""), "text": text})
    return rules


def scope_text(settings: dict[str, Any]) -> str:
    if settings.get("grade_scope") == "domain":
        return _("名额在每个领域内按单位数（含一票否决的单位）计算，名次相同的单位同进同出。")
    return _("名额在每个排名组（领域 + 类别）内按单位数（含一票否决的单位）计算，名次相同的单位同进同出。")


def advanced_rule(settings: dict[str, Any]) -> str:
    adv = settings.get("advanced") or {}
    if not settings.get("grades") or not adv.get("grade"):
        return _("本版未设先进单位。")
    if adv.get("requires_leadership_excellent"):
        return _("等次为“%(grade)s”且领导班子评为优秀的单位") % {"grade": adv["grade"]}
    return _("等次为“%(grade)s”的单位") % {"grade": adv["grade"]}


# --- the tables ----------------------------------------------------------------------------------------------

@dataclass
class TableRow:
    place: int  # in this table: the official rank in a ranking group, else the place by total
    row: RunUnit
    group: str = ""  # the ranking group's name (shown in the domain and whole-cycle tables)


@dataclass
class RankingTable:
    code: str
    name: str
    title: str
    rows: list[TableRow]
    grade_counts: list[tuple[str, int]] = field(default_factory=list)
    advanced: int = 0
    vetoed: int = 0


def _competition_places(rows: list[RunUnit]) -> list[int]:
    """1, 2, 2, 4 by the total rounded to 2 decimals (rows already sorted best first)."""
    places, last, place = [], None, 0
    for i, r in enumerate(rows, start=1):
        t = round(r.total, 2)
        if t != last:
            place, last = i, t
        places.append(place)
    return places


def _counts(settings: dict[str, Any], rows: list[RunUnit]) -> list[tuple[str, int]]:
    given = Counter(r.grade for r in rows if r.grade)
    names = [g.get("name", "") for g in settings.get("grades") or []]
    return [(n, given.get(n, 0)) for n in names] + [(n, c) for n, c in given.items() if n not in names]


def _rank_code(run: Run, row: RunUnit) -> str:
    by_domain = (run.scenario.get("settings") or {}).get("rank_by") == "domain"
    return row.group.split("/")[0] if by_domain else row.group


def unit_rows(run: Run, *, with_scores: bool = False) -> list[RunUnit]:
    qs = run.unit_results.select_related("unit").order_by("position")
    return list(qs if with_scores else qs.defer("scores"))


def ranking_tables(run: Run, by: str, rows: list[RunUnit] | None = None) -> list[RankingTable]:
    """The version's ranking tables: one per ranking group, one per domain, or one of every unit."""
    rows = unit_rows(run) if rows is None else rows
    settings = run.scenario.get("settings") or {}
    units = run.scenario.get("units", [])
    rank_codes = {r.pk: _rank_code(run, r) for r in rows}
    domain_codes = {r.pk: units[r.position].get("domain", r.group.split("/")[0]) for r in rows}
    buckets: dict[str, list[RunUnit]] = {}
    for r in rows:
        key = {"group": rank_codes[r.pk], "domain": domain_codes[r.pk]}.get(by, "all")
        buckets.setdefault(key, []).append(r)
    names = group_names(set(rank_codes.values()) | set(domain_codes.values()))
    tables = []
    for code, members in buckets.items():
        if by == "group":
            members.sort(key=lambda r: (r.rank, r.position))
            places = [r.rank for r in members]
            name = names[code]
            title = _("排名组：%(name)s") % {"name": name}
        else:
            members.sort(key=lambda r: (-round(r.total, 2), r.position))
            places = _competition_places(members)
            name = names[code] if by == "domain" else _("全部考核单位")
            title = _("领域：%(name)s") % {"name": name} if by == "domain" else name
        tables.append(RankingTable(
            code=code, name=name, title=title,
            rows=[TableRow(place=p, row=r, group=names[rank_codes[r.pk]]) for p, r in zip(places, members)],
            grade_counts=_counts(settings, members), advanced=sum(r.advanced for r in members),
            vetoed=sum(r.vetoed for r in members)))
    return tables


def table_context(run: Run, by: str) -> dict[str, Any]:
    settings = run.scenario.get("settings") or {}
    return {"tables": ranking_tables(run, by) if run.status == Run.Status.OK else [], "by": by,
            "by_label": view_labels()[by], "views": view_labels(), "rules": grade_rules(settings),
            "scope_text": scope_text(settings), "advanced_rule": advanced_rule(settings),
            "has_grades": bool(settings.get("grades")), "stage_label": STAGES.get(run.stage, run.stage)}


def tables_xlsx(run: Run, by: str) -> bytes:
    """One sheet per table: the quotas on top, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ctx = table_context(run, by)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for t in ctx["tables"]:
        name = "".join("_" if ch in '[]:*?/\\' else ch for ch in t.name)[:28] or "Sheet"
        base, n = name, 2
        while name in used:
            name, n = f"{base[:25]}-{n}", n + 1
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([f"{run.cycle.name} · {_('第 %(n)s 次计算') % {'n': run.number}} · {t.title}"])
        ws["A1"].font = Font(bold=True, size=13)
        for rule in ctx["rules"]:
            ws.append([f"{rule['name']}：{rule['text']}"])
        if ctx["has_grades"]:
            ws.append([ctx["scope_text"]])
            ws.append([_("本表实际评定：") + _("，").join(_("%(grade)s %(n)s 个") % {"grade": g, "n": c} for g, c in t.grade_counts)])
        ws.append([_("先进单位：") + ctx["advanced_rule"] + _("（本表 %(n)s 个）") % {"n": t.advanced}])
        ws.append([])
        head = [_("名次") if by == "group" else _("位次"), _("单位")]
        if by != "group":
            head += [_("排名组"), _("组内名次")]
        head += [_("主线得分"), _("加分"), _("扣分"), _("总分"), _("等次"), _("先进单位"), _("一票否决")]
        ws.append(head)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for tr in t.rows:
            r = tr.row
            line = [tr.place, r.unit.name]
            if by != "group":
                line += [tr.group, f"{r.rank}/{r.group_size}"]
            line += [round(r.main, 2), round(r.bonus, 2), round(r.deduction, 2), round(r.total, 2), r.grade or "",
                     _("是") if r.advanced else "", _("是") if r.vetoed else ""]
            ws.append(line)
        ws.column_dimensions["B"].width = 22
        if by != "group":
            ws.column_dimensions["C"].width = 22
    if not wb.sheetnames:
        wb.create_sheet(_("排名表")).append([_("这次计算数据有误，没有结果。")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_filename(run: Run, by: str, ext: str) -> str:
    return f"{run.cycle.name}-第{run.number}次计算-排名表（{view_labels()[by]}）.{ext}"


# --- the leaders' dashboard ----------------------------------------------------------------------------------

def dashboard_run(cycle: Cycle) -> tuple[Run | None, bool]:
    """The latest public year-end version; failing that the latest public one of any stage (second: True)."""
    run = gates.published_run(cycle)
    if run is not None:
        return run, False
    return cycle.runs.filter(notice_at__isnull=False, status=Run.Status.OK).order_by("-number").first(), True


def _lowest_indicators(run: Run, rows: list[RunUnit], n: int = 10) -> list[dict[str, Any]]:
    """The main-line leaves with the lowest average score rate (score / points) over the units they apply to."""
    indicators = run.scenario.get("indicators", [])
    parents = {i.get("parent") for i in indicators}
    leaves = {i["id"]: i for i in indicators if i["id"] not in parents and i.get("line", "main") != "bonus"}
    rates: dict[str, list[tuple[float, RunUnit]]] = {}
    for r in rows:
        for s in r.scores:
            code = s.get("indicator")
            if code in leaves and s.get("applicable") and s.get("points") and s.get("score") is not None:
                rates.setdefault(code, []).append((s["score"] / s["points"], r))
    out = []
    for code, vals in rates.items():
        worst = min(vals, key=lambda v: (v[0], v[1].position))
        rate = sum(v for v, _r in vals) / len(vals)
        out.append({"code": code, "name": leaves[code].get("name", code), "rate": rate, "pct": rate * 100,
                    "units": len(vals), "worst_unit": worst[1].unit.name, "worst_pct": worst[0] * 100})
    out.sort(key=lambda d: (d["rate"], d["code"]))
    return out[:n]


def _problems(cycle: Cycle) -> dict[str, Any]:
    from kaohe.reporting.models import Problem

    open_ = list(Problem.objects.filter(cycle=cycle).exclude(state=Problem.State.CLOSED).select_related("unit")
                 .only("state", "answer_by", "due", "unit__name", "unit__code"))
    day = gates.today()
    states = Counter(p.state for p in open_)
    per_unit = Counter((p.unit.pk, p.unit.name) for p in open_)
    late_units = Counter(p.unit.pk for p in open_ if p.overdue_on(day))
    return {"open": len(open_), "overdue": sum(late_units.values()),
            "states": [(label, states.get(value, 0)) for value, label in Problem.State.choices
                       if value != Problem.State.CLOSED],
            "units": [{"pk": pk, "name": name, "n": n, "late": late_units.get(pk, 0)}
                      for (pk, name), n in sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0][1]))[:5]]}


def _register(cycle: Cycle) -> dict[str, Any]:
    from kaohe.register.models import Entry

    got = {k: (n, pts or 0.0) for k, n, pts in Entry.objects.filter(cycle=cycle, state=Entry.State.APPROVED)
           .values("kind").annotate(n=Count("id"), pts=Sum("points")).values_list("kind", "n", "pts")}
    return {kind: {"label": label, "n": got.get(kind, (0, 0.0))[0], "points": got.get(kind, (0, 0.0))[1]}
            for kind, label in Entry.Kind.choices}


def dashboard(cycle: Cycle) -> dict[str, Any]:
    """Everything the leaders' dashboard shows, in a fixed number of queries however many units there are."""
    run, fallback = dashboard_run(cycle)
    ctx: dict[str, Any] = {"run": run, "fallback": fallback, "problems": _problems(cycle),
                           "register": _register(cycle)}
    if run is None:
        return ctx
    rows = unit_rows(run, with_scores=True)
    settings = run.scenario.get("settings") or {}
    groups = []
    for t in ranking_tables(run, "group", rows):
        top = t.rows[:3]
        bottom = t.rows[max(len(t.rows) - 3, len(top)):]
        groups.append({"title": t.name, "size": len(t.rows), "top": top, "bottom": bottom})
    counts = _counts(settings, rows)
    ungraded = sum(1 for r in rows if not r.grade)
    ctx.update(stage_label=STAGES.get(run.stage, run.stage), units=len(rows), groups=groups,
               grade_counts=counts, ungraded=ungraded if counts else 0,
               advanced=sum(r.advanced for r in rows), vetoed=sum(r.vetoed for r in rows),
               rules=grade_rules(settings), advanced_rule=advanced_rule(settings),
               lowest=_lowest_indicators(run, rows),
               chart={"grades": [{"name": g, "value": c} for g, c in counts]})
    # what the version counted, next to the register: imported adjustments count too, and the caps apply
    counted = {"bonus": (sum(r.bonus > 0 for r in rows), sum(r.bonus for r in rows)),
               "deduction": (sum(r.deduction > 0 for r in rows), sum(r.deduction for r in rows)),
               "veto": (sum(r.vetoed for r in rows), 0.0)}
    for kind, (units, points) in counted.items():
        if kind in ctx["register"]:
            ctx["register"][kind].update(units=units, counted=points)
    return ctx
