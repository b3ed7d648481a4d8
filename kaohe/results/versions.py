"""Versions side by side (what changed, and which inputs made it change) and appeals (申诉) during public notice."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kaohe.audit.services import record
from kaohe.engine.schema import DATA_METHODS
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator
from kaohe.indicators.services import save_values
from kaohe.organisation.models import Unit

from .models import Appeal, Run, RunUnit
from .selectors import TreeRow, score_tree, unit_names
from .services import NotPublishable, announce_run, compute_cycle

EPS = 1e-9
VALUE_FIELDS = ("actual", "target", "baseline")
INDICATOR_FIELDS = ("name", "points", "method", "params", "parent", "line", "direction", "applies_to")


# --- why two versions differ: their inputs, compared without the database -----------------------------

def _num_changed(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) > EPS
    return a != b


def _counts(rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r.get("unit", ""), r.get("indicator", ""))
        out[key] = out.get(key, 0) + 1
    return out


def _adjustment_key(a: dict[str, Any]) -> tuple:
    return (a.get("unit", ""), a.get("kind", ""), float(a.get("points") or 0), a.get("reason", ""))


def diff_scenarios(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The input differences between two versions' scenarios (Run.scenario): values, adjustments, ratings and
    responses, the indicator system, the settings and the units assessed. Pure: two dicts in, lists of rows out.
    """
    unit_name = {u["id"]: u.get("name", u["id"]) for u in before.get("units", []) + after.get("units", [])}
    ind_name = {i["id"]: i.get("name", i["id"]) for i in before.get("indicators", []) + after.get("indicators", [])}

    values: list[dict[str, Any]] = []
    old = {(v["unit"], v["indicator"]): v for v in before.get("values", [])}
    new = {(v["unit"], v["indicator"]): v for v in after.get("values", [])}
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, {}), new.get(key, {})
        for f in VALUE_FIELDS:
            if _num_changed(a.get(f), b.get(f)):
                values.append({"unit": key[0], "unit_name": unit_name.get(key[0], key[0]), "indicator": key[1],
                               "indicator_name": ind_name.get(key[1], key[1]), "field": f,
                               "before": a.get(f), "after": b.get(f)})

    adjustments: list[dict[str, Any]] = []
    old_adj = [_adjustment_key(a) for a in before.get("adjustments", [])]
    new_adj = [_adjustment_key(a) for a in after.get("adjustments", [])]
    remaining = list(new_adj)
    for k in old_adj:
        if k in remaining:
            remaining.remove(k)
        else:
            adjustments.append({"change": "removed", "unit": k[0], "unit_name": unit_name.get(k[0], k[0]),
                                "kind": k[1], "points": k[2], "reason": k[3]})
    for k in remaining:
        adjustments.append({"change": "added", "unit": k[0], "unit_name": unit_name.get(k[0], k[0]),
                            "kind": k[1], "points": k[2], "reason": k[3]})

    counts: list[dict[str, Any]] = []
    for kind in ("ratings", "responses"):
        a, b = _counts(before.get(kind, [])), _counts(after.get(kind, []))
        for key in sorted(set(a) | set(b)):
            if a.get(key, 0) != b.get(key, 0):
                counts.append({"kind": kind, "unit": key[0], "unit_name": unit_name.get(key[0], key[0]),
                               "indicator": key[1], "indicator_name": ind_name.get(key[1], key[1]),
                               "before": a.get(key, 0), "after": b.get(key, 0)})
        # the same number of sheets with other scores is a change too
        a_sum = {k: sorted((r.get("score", r.get("count")) for r in before.get(kind, [])
                            if (r.get("unit", ""), r.get("indicator", "")) == k), key=str) for k in a}
        b_sum = {k: sorted((r.get("score", r.get("count")) for r in after.get(kind, [])
                            if (r.get("unit", ""), r.get("indicator", "")) == k), key=str) for k in b}
        for key in sorted(set(a) & set(b)):
            if a[key] == b[key] and a_sum[key] != b_sum[key]:
                counts.append({"kind": kind, "unit": key[0], "unit_name": unit_name.get(key[0], key[0]),
                               "indicator": key[1], "indicator_name": ind_name.get(key[1], key[1]),
                               "before": a[key], "after": b[key], "scores_changed": True})

    indicators: list[dict[str, Any]] = []
    old_ind = {i["id"]: i for i in before.get("indicators", [])}
    new_ind = {i["id"]: i for i in after.get("indicators", [])}
    for code in [i["id"] for i in before.get("indicators", [])] + [c for c in new_ind if c not in old_ind]:
        a, b = old_ind.get(code), new_ind.get(code)
        if a is None or b is None:
            indicators.append({"indicator": code, "indicator_name": ind_name.get(code, code),
                               "field": "", "change": "added" if a is None else "removed",
                               "before": None, "after": None})
            continue
        for f in INDICATOR_FIELDS:
            if _num_changed(a.get(f), b.get(f)):
                indicators.append({"indicator": code, "indicator_name": ind_name.get(code, code), "field": f,
                                   "change": "changed", "before": a.get(f), "after": b.get(f)})

    settings: list[dict[str, Any]] = []
    sa, sb = before.get("settings") or {}, after.get("settings") or {}
    for key in sorted(set(sa) | set(sb)):
        if sa.get(key) != sb.get(key):
            settings.append({"key": key, "before": sa.get(key), "after": sb.get(key)})
    ga = {g["id"]: g for g in before.get("rater_groups", [])}
    gb = {g["id"]: g for g in after.get("rater_groups", [])}
    for key in sorted(set(ga) | set(gb)):
        if ga.get(key) != gb.get(key):
            settings.append({"key": f"rater_groups.{key}", "before": ga.get(key), "after": gb.get(key)})

    units: list[dict[str, Any]] = []
    ua = {u["id"]: u for u in before.get("units", [])}
    ub = {u["id"]: u for u in after.get("units", [])}
    for code in sorted(set(ua) | set(ub)):
        if ua.get(code) != ub.get(code):
            change = "added" if code not in ua else "removed" if code not in ub else "changed"
            fields = sorted(k for k in set(ua.get(code, {})) | set(ub.get(code, {}))
                            if ua.get(code, {}).get(k) != ub.get(code, {}).get(k)) if change == "changed" else []
            units.append({"unit": code, "unit_name": unit_name.get(code, code), "change": change, "fields": fields})

    return {"values": values, "adjustments": adjustments, "counts": counts, "indicators": indicators,
            "settings": settings, "units": units}


def diff_count(diff: dict[str, list]) -> int:
    return sum(len(v) for v in diff.values())


# --- what changed in the results --------------------------------------------------------------------------

@dataclass
class UnitChange:
    code: str
    name: str
    before: RunUnit | None
    after: RunUnit | None
    nodes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after.total - self.before.total, 2)

    @property
    def changed(self) -> bool:
        a, b = self.before, self.after
        if a is None or b is None:
            return True
        return (_num_changed(a.total, b.total) or a.rank != b.rank or a.grade != b.grade or a.advanced != b.advanced
                or a.vetoed != b.vetoed or bool(self.nodes))


def compare_results(a: Run, b: Run) -> list[UnitChange]:
    """Every unit of either version, with its two rows and the nodes whose score changed (before → after)."""
    names = unit_names(a) | unit_names(b)
    codes_a = [u["id"] for u in a.scenario.get("units", [])]
    codes_b = [u["id"] for u in b.scenario.get("units", [])]
    rows_a = {codes_a[r.position]: r for r in a.unit_results.select_related("unit")}
    rows_b = {codes_b[r.position]: r for r in b.unit_results.select_related("unit")}
    ind_names = a.indicator_names | b.indicator_names
    out = []
    for code in codes_a + [c for c in codes_b if c not in codes_a]:
        ra, rb = rows_a.get(code), rows_b.get(code)
        if ra is None and rb is None:
            continue
        change = UnitChange(code=code, name=names.get(code, code), before=ra, after=rb)
        sa = {s["indicator"]: s for s in (ra.scores if ra else [])}
        sb = {s["indicator"]: s for s in (rb.scores if rb else [])}
        for ind in list(sa) + [i for i in sb if i not in sa]:
            x, y = sa.get(ind, {}), sb.get(ind, {})
            if (_num_changed(x.get("score"), y.get("score")) or bool(x.get("applicable")) != bool(y.get("applicable"))):
                change.nodes.append({"indicator": ind, "name": ind_names.get(ind, ind),
                                     "before": x.get("score") if x.get("applicable") else None,
                                     "after": y.get("score") if y.get("applicable") else None,
                                     "explain_before": x.get("explain") or "", "explain_after": y.get("explain") or ""})
        out.append(change)
    return out


def default_pair(runs: QuerySet[Run]) -> tuple[Run | None, Run | None]:
    """The latest two versions (the earlier one first)."""
    latest = list(runs.order_by("-number")[:2])
    if len(latest) < 2:
        return None, (latest[0] if latest else None)
    return latest[1], latest[0]


FIELD_LABELS = {"actual": _lazy("实际值"), "target": _lazy("目标值"), "baseline": _lazy("基期值")}
ADJ_KINDS = {"bonus": _lazy("加分"), "deduction": _lazy("扣分"), "veto": _lazy("一票否决")}


def compare_xlsx(a: Run, b: Run, changes: list[UnitChange], diff: dict[str, list]) -> bytes:
    """The comparison as a workbook: results per unit, per node, and the input differences."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("单位得分变化")
    ws.append([_("单位"), _("编号"), f"{_('总分')}（{a.number}）", f"{_('总分')}（{b.number}）", _("变化"),
               f"{_('名次')}（{a.number}）", f"{_('名次')}（{b.number}）", f"{_('等次')}（{a.number}）",
               f"{_('等次')}（{b.number}）", f"{_('先进单位')}（{a.number}）", f"{_('先进单位')}（{b.number}）",
               f"{_('一票否决')}（{a.number}）", f"{_('一票否决')}（{b.number}）"])
    yes = {True: _("是"), False: ""}
    for c in changes:
        x, y = c.before, c.after
        ws.append([c.name, c.code, x.total if x else None, y.total if y else None, c.delta,
                   x.rank if x else None, y.rank if y else None, x.grade if x else None, y.grade if y else None,
                   yes[x.advanced] if x else None, yes[y.advanced] if y else None,
                   yes[x.vetoed] if x else None, yes[y.vetoed] if y else None])
    ws = wb.create_sheet(_("指标得分变化"))
    ws.append([_("单位"), _("指标编号"), _("指标"), _("原得分"), _("新得分"), _("原说明"), _("新说明")])
    for c in changes:
        for n in c.nodes:
            ws.append([c.name, n["indicator"], n["name"], n["before"], n["after"], n["explain_before"],
                       n["explain_after"]])
    ws = wb.create_sheet(_("输入变化"))
    ws.append([_("类别"), _("单位"), _("指标"), _("项目"), _("原来"), _("现在")])
    for v in diff["values"]:
        ws.append([_("数据"), v["unit_name"], f"{v['indicator']} {v['indicator_name']}",
                   str(FIELD_LABELS.get(v["field"], v["field"])), _cell(v["before"]), _cell(v["after"])])
    for adj in diff["adjustments"]:
        ws.append([_("加减分"), adj["unit_name"], "", f"{ADJ_KINDS.get(adj['kind'], adj['kind'])!s} {adj['points']} {adj['reason']}",
                   _("有") if adj["change"] == "removed" else _("无"), _("有") if adj["change"] == "added" else _("无")])
    for n in diff["counts"]:
        ws.append([_("评议份数") if n["kind"] == "ratings" else _("问卷"), n["unit_name"],
                   f"{n['indicator']} {n['indicator_name']}", _("分数改变") if n.get("scores_changed") else _("份数"),
                   n["before"], n["after"]])
    for n in diff["indicators"]:
        ws.append([_("指标体系"), "", f"{n['indicator']} {n['indicator_name']}", n["field"] or n["change"],
                   _cell(n["before"]), _cell(n["after"])])
    for s in diff["settings"]:
        ws.append([_("计分设置"), "", "", s["key"], _cell(s["before"]), _cell(s["after"])])
    for u in diff["units"]:
        ws.append([_("考核对象"), u["unit_name"], "", u["change"], "", ", ".join(u["fields"])])
    ws = wb.create_sheet(_("版本"))
    for r in (a, b):
        ws.append([_("第%(n)d次计算") % {"n": r.number}, r.get_stage_display(), r.get_publication_display(),
                   r.reason, _("更正第%(n)d次计算") % {"n": r.supersedes.number} if r.supersedes_id else ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, str)):
        return v
    import json

    return json.dumps(v, ensure_ascii=False, sort_keys=True)


# --- appeals --------------------------------------------------------------------------------------------

class AppealRefused(Exception):
    """An appeal that cannot be filed or decided, with the reason for people."""


def appeal_window(run: Run, day: dt.date | None = None) -> str:
    """Why a unit cannot appeal on this version now, or "" when it can."""
    day = day or gates.today()
    if run.stage != "year_end" or run.status != Run.Status.OK:
        return _("只能对公示中的年终考核结果申诉。")
    if run.publication != "notice":
        return (_("第%(n)d次计算已正式公布，不再受理申诉。") if run.publication == "final"
                else _("第%(n)d次计算尚未公示，不能申诉。")) % {"n": run.number}
    if run.notice_until is None or day > run.notice_until:
        return _("第%(n)d次计算的公示已于 %(until)s 结束，不再受理申诉。") % {"n": run.number, "until": run.notice_until}
    if gates.published_run(run.cycle) != run:
        return _("第%(n)d次计算已被更新的版本更正，请对公示中的最新版本申诉。") % {"n": run.number}
    return ""


def appealable_nodes(row: RunUnit) -> list[TreeRow]:
    """The nodes of the version's indicator tree that apply to the unit: what it may appeal on."""
    return [n for n in score_tree(row) if n.applicable]


def node_method(run: Run, code: str) -> str:
    for ind in run.scenario.get("indicators", []):
        if ind["id"] == code:
            return ind.get("method", "")
    return ""


def is_data_leaf(run: Run, code: str) -> bool:
    return node_method(run, code) in DATA_METHODS


@transaction.atomic
def file_appeal(*, by, run: Run, unit: Unit, indicator_code: str, reason: str, uploads: list | None = None) -> Appeal:
    """A unit contests a node of its own score in the version in public notice, with a reason and evidence."""
    from kaohe.reporting.evidence import EvidenceRefused, store_evidence_files

    run = Run.objects.select_related("cycle").get(pk=run.pk)  # its publication as it is now
    refusal = appeal_window(run)
    if refusal:
        raise AppealRefused(refusal)
    row = RunUnit.objects.select_related("run").filter(run=run, unit=unit).first()
    if row is None:
        raise AppealRefused(_("本单位不在这一版的考核结果中。"))
    nodes = {n.code: n for n in appealable_nodes(row)}
    if indicator_code not in nodes:
        raise AppealRefused(_("请选择本单位适用的指标。"))
    reason = (reason or "").strip()
    if not reason:
        raise AppealRefused(_("请填写申诉理由。"))
    if Appeal.objects.filter(run=run, unit=unit, indicator_code=indicator_code, state=Appeal.State.FILED).exists():
        raise AppealRefused(_("本单位对这项指标的申诉还在处理中。"))
    appeal = Appeal.objects.create(cycle=run.cycle, run=run, unit=unit, indicator_code=indicator_code,
                                   indicator_name=nodes[indicator_code].name[:200], reason=reason, filed_by=by)
    try:
        files = store_evidence_files(by=by, cycle=run.cycle, unit=unit, uploads=uploads or [])
    except EvidenceRefused as exc:
        raise AppealRefused(str(exc)) from exc
    appeal.evidence.add(*files)
    record(by=by, action="appeal", obj=appeal, cycle_id=run.cycle_id, reason=reason,
           changes={"run": [None, run.number], "indicator": [None, indicator_code], "state": [None, appeal.state],
                    "evidence": [None, [f.name for f in files]]})
    return appeal


@transaction.atomic
def decide_appeal(*, by, appeal: Appeal, accept: bool, decision: str, actual: float | None = None) -> Appeal:
    """The office rejects, or accepts an appeal. Accepting a data leaf's appeal sets the corrected actual value;
    for any other node the office has made the change elsewhere. Accepting computes a new version and announces it
    at once (same notice end), correcting the version appealed on; the old one stays readable. The unit is told.
    """
    from kaohe.web.notices import notify, unit_users

    appeal = Appeal.objects.select_for_update().select_related("run", "unit", "cycle").get(pk=appeal.pk)
    if appeal.state != Appeal.State.FILED:
        raise AppealRefused(_("这件申诉已经处理（%(state)s）。") % {"state": appeal.get_state_display()})
    decision = (decision or "").strip()
    if not decision:
        raise AppealRefused(_("请填写处理意见。"))
    cycle = appeal.cycle
    changes: dict[str, Any] = {"state": [appeal.state, None], "decision": [None, decision]}
    if accept:
        if is_data_leaf(appeal.run, appeal.indicator_code):
            if actual is None:
                raise AppealRefused(_("采纳数据类指标的申诉，须填写更正后的实际值。"))
            indicator = Indicator.objects.filter(cycle=cycle, code=appeal.indicator_code).first()
            if indicator is None or not indicator.is_leaf:
                raise AppealRefused(_("指标 %(code)s 已不在本周期的指标体系中，无法更正数据。") % {"code": appeal.indicator_code})
            before = indicator.values.filter(unit=appeal.unit).values_list("actual", flat=True).first()
            save_values(by=by, cycle=cycle, rows=[(indicator, appeal.unit, {"actual": actual})],
                        reason=f"申诉#{appeal.pk}：{decision}")
            changes["actual"] = [before, actual]
        new_run = compute_cycle(by=by, cycle=cycle, stage="year_end")
        if new_run.status != Run.Status.OK:
            raise AppealRefused(_("重新计算有错误（%(n)d 项），申诉未采纳；请先在计算结果中查看并改正。")
                                % {"n": len(new_run.errors)})
        until = max(appeal.run.notice_until or gates.today(), gates.today())
        try:
            announce_run(by=by, run=new_run, until=until, reason=f"采纳申诉#{appeal.pk}：{decision}"[:300])
        except NotPublishable as exc:
            raise AppealRefused(str(exc)) from exc
        appeal.state, appeal.new_run = Appeal.State.ACCEPTED, new_run
        changes["new_run"] = [None, new_run.number]
    else:
        appeal.state = Appeal.State.REJECTED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision, by, timezone.now()
    appeal.save(update_fields=["state", "decision", "decided_by", "decided_at", "new_run"])
    changes["state"][1] = appeal.state
    record(by=by, action="decide", obj=appeal, cycle_id=cycle.pk, reason=decision, changes=changes)
    if accept:
        text = (_("您单位对“%(node)s”的申诉已采纳：%(decision)s。更正后的第%(n)d次计算已公示。")
                % {"node": appeal.indicator_name, "decision": decision, "n": appeal.new_run.number})
    else:
        text = (_("您单位对“%(node)s”的申诉未采纳：%(decision)s。")
                % {"node": appeal.indicator_name, "decision": decision})
    notify(users=unit_users(appeal.unit), text=text, cycle=cycle, key=f"appeal-{appeal.pk}-decided",
           link=reverse("appeal_detail", args=[cycle.pk, appeal.pk]), subject=_("申诉处理结果"))
    return appeal


def appeals_for(user, cycle: Cycle) -> QuerySet[Appeal]:
    """The office and leaders read every appeal; a unit its own."""
    from kaohe.web import access

    qs = cycle.appeals.select_related("unit", "run", "new_run", "filed_by__profile", "decided_by__profile")
    if access.reads_everything(user):
        return qs
    unit = access.own_unit(user)
    return qs.filter(unit=unit) if unit else qs.none()


def appeal_history(appeal: Appeal) -> list:
    from kaohe.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(object_type="results.Appeal", object_id=str(appeal.pk))
                .select_related("actor__profile").order_by("id"))
