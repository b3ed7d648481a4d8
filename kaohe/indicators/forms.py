"""Forms of the cycle pages. They parse and check (with the engine's own rules); they never write."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.engine import METHOD_LABELS
from kaohe.engine import schema as engine_schema
from kaohe.lib.uploads import check_size
from kaohe.organisation.models import Category, Domain, Unit

from .models import Cycle, Indicator, Phase, RaterGroup
from .selectors import descendants

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    name = forms.CharField(label=_("名称"), max_length=120, widget=forms.TextInput(INPUT),
                           help_text=_("例如：2026年度目标绩效考核"))


class PhasesForm(forms.Form):
    """Four phases, each with a start and an end date and, optionally, a reporting window (填报窗口)."""

    REPORTING = (Phase.Kind.HALF_YEAR, Phase.Kind.YEAR_END)  # the phases in which units report completion

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date = forms.DateInput({"type": "date", **INPUT})
        for kind, label in Phase.Kind.choices:
            for f in ("starts", "ends") + (("report_opens", "report_closes") if kind in self.REPORTING else ()):
                self.fields[f"{kind}_{f}"] = forms.DateField(label=label, required=False, widget=date)

    def rows(self) -> list[tuple[str, Any, Any, Any, Any]]:
        return [(label, self[f"{kind}_starts"], self[f"{kind}_ends"],
                 self[f"{kind}_report_opens"] if kind in self.REPORTING else None,
                 self[f"{kind}_report_closes"] if kind in self.REPORTING else None)
                for kind, label in Phase.Kind.choices]

    def clean(self) -> dict:
        data = super().clean()
        out: dict[str, tuple | None] = {}
        for kind, _label in Phase.Kind.choices:
            s, e = data.get(f"{kind}_starts"), data.get(f"{kind}_ends")
            ro, rc = data.get(f"{kind}_report_opens"), data.get(f"{kind}_report_closes")
            if (s is None) != (e is None):
                self.add_error(f"{kind}_ends" if s else f"{kind}_starts", _("开始和结束日期须同时填写或同时留空"))
            elif s and e and e < s:
                self.add_error(f"{kind}_ends", _("结束日期不能早于开始日期"))
            elif (ro is None) != (rc is None):
                self.add_error(f"{kind}_report_closes" if ro else f"{kind}_report_opens",
                               _("填报开始和截止日期须同时填写或同时留空"))
            elif ro and not s:
                self.add_error(f"{kind}_report_opens", _("先填写该阶段的起止日期，再设填报窗口"))
            elif ro and rc < ro:
                self.add_error(f"{kind}_report_closes", _("填报截止日期不能早于开始日期"))
            else:
                out[kind] = ((s, e, ro, rc) if ro else (s, e)) if s else None
        data["phases"] = out
        return data


def _opt_float(label, help_text="", **kw) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=help_text,
                            widget=forms.NumberInput({"step": "any", **INPUT}), **kw)


class SettingsForm(forms.Form):
    bonus_cap = _opt_float(_("加分上限"), _("留空为不设上限"), min_value=0)
    deduction_cap = _opt_float(_("减分上限"), _("留空为不设上限"), min_value=0)
    bonus_line_in_total = forms.BooleanField(label=_("1+N 加分线计入总分和排名"), required=False,
                                             widget=forms.CheckboxInput({"class": "form-check-input"}))
    rank_by = forms.ChoiceField(label=_("排名范围"), choices=[("group", _("同领域同类别（赛道）")), ("domain", _("同领域")),
                                                          ("all", _("全部单位"))], widget=forms.Select(SELECT))
    grade_scope = forms.ChoiceField(label=_("等次比例计算范围"), choices=[("group", _("同领域同类别（赛道）")),
                                                                  ("domain", _("同领域"))], widget=forms.Select(SELECT))
    advanced_grade = forms.CharField(label=_("先进单位所需等次"), required=False, widget=forms.TextInput(INPUT),
                                     help_text=_("填写等次名称；留空为不评先进单位"))
    requires_leadership_excellent = forms.BooleanField(
        label=_("先进单位还须领导班子考核优秀"), required=False, widget=forms.CheckboxInput({"class": "form-check-input"}))


class GradeForm(forms.Form):
    name = forms.CharField(label=_("等次名称"), max_length=40, required=False, widget=forms.TextInput(INPUT))
    top_share = _opt_float(_("前比例"), min_value=0, max_value=1)
    min_total = _opt_float(_("最低总分"))
    rest = forms.BooleanField(label=_("其余"), required=False, widget=forms.CheckboxInput({"class": "form-check-input"}))
    bottom_share = _opt_float(_("后比例"), min_value=0, max_value=1)
    below_total = _opt_float(_("低于总分"))

    def clean(self) -> dict:
        data = super().clean()
        used = [k for k in ("top_share", "min_total", "bottom_share", "below_total") if data.get(k) is not None]
        if (used or data.get("rest")) and not data.get("name"):
            self.add_error("name", _("请填写等次名称"))
        return data

    def grade(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("name"):
            return None
        g: dict[str, Any] = {"name": d["name"]}
        for k in ("top_share", "min_total", "bottom_share", "below_total"):
            if d.get(k) is not None:
                g[k] = d[k]
        if d.get("rest"):
            g["rest"] = True
        return g


GradeFormSet = forms.formset_factory(GradeForm, extra=2)


def settings_from(form: SettingsForm, grades: GradeFormSet, old: dict) -> dict:
    """The cycle settings (spec 6) the two forms describe; keys this page does not edit (choices) are kept."""
    d = form.cleaned_data
    out: dict[str, Any] = {k: v for k, v in old.items() if k not in engine_schema.SETTINGS_KEYS or k == "choices"}
    if d["bonus_cap"] is not None:
        out["bonus_cap"] = d["bonus_cap"]
    if d["deduction_cap"] is not None:
        out["deduction_cap"] = d["deduction_cap"]
    if d["bonus_line_in_total"]:
        out["bonus_line_in_total"] = True
    if d["rank_by"] != "group":
        out["rank_by"] = d["rank_by"]
    if d["grade_scope"] != "group":
        out["grade_scope"] = d["grade_scope"]
    rows = [g for g in (f.grade() for f in grades.forms if f.cleaned_data) if g]
    if rows:
        out["grades"] = rows
    if d["advanced_grade"]:
        out["advanced"] = {"grade": d["advanced_grade"],
                           "requires_leadership_excellent": d["requires_leadership_excellent"]}
    return out


def settings_problems(settings: dict) -> list[str]:
    """What the engine would reject in these settings (its own parser, on an otherwise empty scenario)."""
    _model, issues = engine_schema.parse({"units": [], "indicators": [], "settings": settings})
    return [i.message for i in issues]


def settings_initial(settings: dict) -> tuple[dict, list[dict]]:
    adv = settings.get("advanced") or {}
    initial = {"bonus_cap": settings.get("bonus_cap"), "deduction_cap": settings.get("deduction_cap"),
               "bonus_line_in_total": settings.get("bonus_line_in_total", False),
               "rank_by": settings.get("rank_by", "group"), "grade_scope": settings.get("grade_scope", "group"),
               "advanced_grade": adv.get("grade", ""),
               "requires_leadership_excellent": adv.get("requires_leadership_excellent", False)}
    return initial, list(settings.get("grades") or [])


# ---- the indicator editor -----------------------------------------------------------------

PEER = [("", _("默认：同领域同类别")), ("group", _("同领域同类别")), ("domain", _("同领域")), ("all", _("全部适用单位"))]
MISSING = [("", _("缺数据报错（默认）")), ("zero", _("缺数据记 0 分并提示"))]


def _param_float(label, placeholder, help_text="") -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=help_text,
                            widget=forms.NumberInput({"step": "any", "placeholder": placeholder, **INPUT}))


def _peer() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("比较范围"), choices=PEER, required=False, widget=forms.Select(SELECT))


def _missing() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("缺少数据时"), choices=MISSING, required=False, widget=forms.Select(SELECT))


def _param_fields(method: str, groups: list[RaterGroup]) -> dict[str, forms.Field]:
    """The fields of one method's params, with the spec's defaults as placeholders (spec section 2)."""
    f: dict[str, forms.Field] = {}
    if method == "completion":
        f["cap"] = _param_float(_("封顶系数 cap"), "1", _("完成率最高按此计；1.2 即超额 20% 可多得分（超额激励）"))
        f["floor"] = _param_float(_("起评线 floor"), "0", _("完成率低于此值得 0 分"))
    elif method == "efficacy":
        f["base"] = _param_float(_("基础分 base"), "60", _("最差单位得 base% 的分值，0–100"))
        f["best"] = _param_float(_("满意值 best"), _("默认：比较范围内最好值"))
        f["worst"] = _param_float(_("不允许值 worst"), _("默认：比较范围内最差值"))
        f["peer"] = _peer()
    elif method == "rank":
        f["floor"] = _param_float(_("末位得分比例 floor"), "0.6", _("最后一名得分值 × floor，0–1"))
        f["peer"] = _peer()
    elif method == "external_rank":
        f["bar"] = _param_float(_("标杆名次 bar（必填）"), "7", _("名次在此以内得满分，如全省前 7"))
        f["step"] = _param_float(_("每落后一名扣分 step（必填）"), "1")
        f["floor"] = _param_float(_("最低得分比例 floor"), "0", _("0–1"))
    elif method == "threshold":
        f["bands"] = forms.CharField(
            label=_("分档 bands（必填）"), widget=forms.Textarea({"rows": 4, "placeholder": "100, 1\n90, 0.8\n80, 0.5",
                                                              **INPUT}),
            help_text=_("每行一档：界值, 得分比例。越高越好时取“不低于界值”的第一档；越低越好且按数值时取“不高于界值”"),
            required=False)
        f["basis"] = forms.ChoiceField(label=_("分档依据 basis"), required=False, widget=forms.Select(SELECT),
                                       choices=[("", _("实际值（默认）")), ("value", _("实际值")), ("rate", _("完成率"))])
    elif method == "deduction":
        f["per_item"] = _param_float(_("每项扣分 per_item（必填）"), "5", _("每发生一项扣的分数"))
        f["floor"] = _param_float(_("最低得分比例 floor"), "0", _("0–1"))
    elif method == "binary":
        f["partial"] = _param_float(_("未达标得分比例 partial"), "0", _("0–1"))
    elif method == "manual":
        f["cap"] = _param_float(_("封顶系数 cap"), "1", _("评分最高可到 分值 × cap"))
    elif method == "growth_rank":
        f["w_increment"] = _param_float(_("增量排位权重"), "0.4")
        f["w_growth"] = _param_float(_("增速排位权重"), "0.3")
        f["w_gap"] = _param_float(_("目标差值排位权重"), "0.3", _("三个权重同时填写或同时留空，合计为 1"))
        f["floor"] = _param_float(_("末位得分比例 floor"), "0.6", _("0–1"))
        f["peer"] = _peer()
    elif method == "rating":
        f["trim_min"] = forms.IntegerField(
            label=_("去高去低的最少评分数 trim_min"), required=False, help_text=_("某组评分不少于此数时去掉一个最高分和一个最低分；至少 3"),
            widget=forms.NumberInput({"placeholder": "5", **INPUT}))
        f["groups"] = forms.MultipleChoiceField(
            label=_("参与的评议组 groups"), required=False, choices=[(g.code, f"{g.name}（{g.weight:g}）") for g in groups],
            widget=forms.CheckboxSelectMultiple, help_text=_("都不选 = 全部评议组"))
    elif method == "satisfaction":
        f["min_responses"] = _param_float(_("最少有效问卷数 min_responses"), "30",
                                          _("不足时按比较范围内样本充足单位的平均满意度计分，并提示"))
        f["peer"] = _peer()
    if method in engine_schema.DATA_METHODS:
        f["missing"] = _missing()
    return f


class ParamsForm(forms.Form):
    """One scoring method's params; `params` in cleaned_data is what the engine reads."""

    def __init__(self, *args: Any, method: str, groups: list[RaterGroup] = (), **kwargs: Any) -> None:
        super().__init__(*args, prefix="p", **kwargs)
        self.method = method
        self.fields.update(_param_fields(method, list(groups)))

    @staticmethod
    def initial_from(params: dict) -> dict:
        initial = dict(params)
        if isinstance(params.get("bands"), list):
            initial["bands"] = "\n".join(f"{a:g}, {b:g}" for a, b in params["bands"] if _num(a) and _num(b))
        if isinstance(params.get("weights"), dict):
            for k in ("increment", "growth", "gap"):
                initial[f"w_{k}"] = params["weights"].get(k)
        return initial

    def clean_bands(self) -> list | None:
        text = self.cleaned_data.get("bands") or ""
        bands = []
        for n, line in enumerate(text.replace("，", ",").replace("\t", ",").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            try:
                a, b = (float(p.rstrip("%")) / (100 if p.endswith("%") else 1) for p in parts)
            except ValueError:
                raise forms.ValidationError(_("第 %(n)d 行应为“界值, 得分比例”两个数字") % {"n": n}) from None
            bands.append([a, b])
        return bands or None

    def clean(self) -> dict:
        data = super().clean()
        params: dict[str, Any] = {}
        for key, value in data.items():
            if key.startswith("w_") or value in (None, "", []):
                continue
            params[key] = int(value) if key == "trim_min" else value
        ws = [data.get(f"w_{k}") for k in ("increment", "growth", "gap")]
        if any(w is not None for w in ws):
            if any(w is None for w in ws):
                self.add_error("w_gap", _("三个权重须同时填写"))
            else:
                params["weights"] = dict(zip(("increment", "growth", "gap"), ws))
        if self.method == "threshold" and "bands" not in params and not self.errors.get("bands"):
            self.add_error("bands", _("分档计分法至少要有一档"))
        data["params"] = params
        return data


def leaf_problems(*, code: str, method: str, points: float | None, params: dict,
                  groups: list[RaterGroup]) -> list[str]:
    """The engine's own checks of one leaf (schema._check_leaf), as messages for the form."""
    err = engine_schema._Errors()
    node = engine_schema.Node(index=0, id=code or "?", name="", parent=-1, points=points, line="main",
                              method=method, direction="higher", params=params, applies_to=None)
    engine_schema._check_leaf(node, err, {g.code: g.weight for g in groups})
    return [i.message for i in err.items]


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200, widget=forms.TextInput(INPUT))
    code = forms.CharField(label=_("编号"), max_length=40, widget=forms.TextInput(INPUT),
                           help_text=_("本周期内唯一，如 A1、B2.3"))
    parent = forms.ModelChoiceField(label=_("上级指标"), queryset=Indicator.objects.none(), required=False,
                                    empty_label=_("（无，作为考卷）"), widget=forms.Select(SELECT))
    points = forms.FloatField(label=_("分值"), required=False, widget=forms.NumberInput({"step": "any", **INPUT}),
                              help_text=_("末级指标必填；上级指标可留空，按下级合计"))
    line = forms.ChoiceField(label=_("主线/加分线"), choices=Indicator.Line.choices, widget=forms.Select(SELECT),
                             help_text=_("仅对考卷（无上级）有效：1+N 加分线的分数不参与排名"))
    method = forms.ChoiceField(label=_("计分方法"), required=False, widget=forms.Select(SELECT),
                               choices=[("", _("（无，作为分组）"))] + [(k, v) for k, v in METHOD_LABELS.items()])
    direction = forms.ChoiceField(label=_("方向"), choices=Indicator.Direction.choices, widget=forms.Select(SELECT))
    lead_unit = forms.ModelChoiceField(label=_("评分牵头单位"), queryset=Unit.objects.none(), required=False,
                                       empty_label=_("（未指定）"), widget=forms.Select(SELECT),
                                       help_text=_("该单位的人员可为所有单位录入此指标的数据"))
    responsible = forms.CharField(label=_("责任人"), max_length=60, required=False, widget=forms.TextInput(INPUT))
    applies_domains = forms.MultipleChoiceField(label=_("适用领域"), required=False,
                                                widget=forms.SelectMultiple({"size": 4, **SELECT}))
    applies_categories = forms.MultipleChoiceField(label=_("适用类别"), required=False,
                                                   widget=forms.SelectMultiple({"size": 4, **SELECT}))
    applies_units = forms.MultipleChoiceField(label=_("仅适用于这些单位"), required=False,
                                              widget=forms.SelectMultiple({"size": 6, **SELECT}))
    exclude_units = forms.MultipleChoiceField(label=_("排除单位（一单位一策）"), required=False,
                                              widget=forms.SelectMultiple({"size": 6, **SELECT}))
    reason = forms.CharField(label=_("修改理由"), max_length=300, required=False, widget=forms.TextInput(INPUT),
                             help_text=_("记入审计日志"))

    def __init__(self, *args: Any, cycle: Cycle, indicator: Indicator | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle, self.indicator = cycle, indicator
        nodes = cycle.indicators.all()
        if indicator is not None:
            nodes = nodes.exclude(pk__in=descendants(cycle, indicator))
        self.fields["parent"].queryset = nodes.filter(method="")
        self.fields["parent"].label_from_instance = lambda n: f"{n.code} {n.name}"
        self.fields["lead_unit"].queryset = Unit.objects.filter(active=True).order_by("domain__order", "code")
        self.fields["lead_unit"].label_from_instance = lambda u: f"{u.name}（{u.code}）"
        self.fields["applies_domains"].choices = [(d.code, d.name) for d in Domain.objects.all()]
        self.fields["applies_categories"].choices = sorted(
            {(c.code, f"{c.name}（{c.code}）") for c in Category.objects.select_related("domain")})
        members = [(u.code, f"{u.name}（{u.code}）") for u in cycle.units.order_by("domain__order", "code")]
        self.fields["applies_units"].choices = members
        self.fields["exclude_units"].choices = members

    @staticmethod
    def initial_from(n: Indicator) -> dict:
        points = int(n.points) if n.points is not None and float(n.points).is_integer() else n.points
        return {"name": n.name, "code": n.code, "parent": n.parent_id, "points": points, "line": n.line,
                "method": n.method, "direction": n.direction, "lead_unit": n.lead_unit_id,
                "responsible": n.responsible, "applies_domains": n.applies_domains,
                "applies_categories": n.applies_categories, "applies_units": n.applies_units,
                "exclude_units": n.exclude_units}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = self.cycle.indicators.filter(code=code)
        if self.indicator is not None:
            taken = taken.exclude(pk=self.indicator.pk)
        if taken.exists():
            raise forms.ValidationError(_("编号 %(code)s 在本周期已被使用") % {"code": code})
        return code

    def clean_points(self) -> float | None:
        p = self.cleaned_data.get("points")
        if p is not None and (not math.isfinite(p) or p <= 0):
            raise forms.ValidationError(_("分值应为大于 0 的数"))
        return p

    def clean(self) -> dict:
        data = super().clean()
        method = data.get("method") or ""
        if method and self.indicator is not None and self.indicator.children.exists():
            self.add_error("method", _("此指标有下级指标，是分组，不能设计分方法"))
        if method and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", _("末级指标须填写分值"))
        return data

    def data_for_service(self, params: dict) -> dict:
        d = self.cleaned_data
        method = d.get("method") or ""
        return {"name": d["name"], "code": d["code"], "parent": d["parent"], "points": d["points"],
                "line": d["line"] if d["parent"] is None else Indicator.Line.MAIN, "method": method,
                "direction": d["direction"], "params": params if method else {},
                "lead_unit": d["lead_unit"], "lead_unit_text": "" if d["lead_unit"] else
                (self.indicator.lead_unit_text if self.indicator else ""),
                "responsible": d["responsible"], "applies_domains": d["applies_domains"],
                "applies_categories": d["applies_categories"], "applies_units": d["applies_units"],
                "exclude_units": d["exclude_units"]}


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除理由"), max_length=300, widget=forms.TextInput(INPUT),
                             help_text=_("必填，记入审计日志"))


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("考核工作簿 (.xlsx)"),
                           widget=forms.ClearableFileInput({"accept": ".xlsx", "class": "form-control"}))
    reason = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.TextInput(INPUT))

    def clean_file(self):
        return check_size(self.cleaned_data["file"])


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("上传 Excel"), widget=forms.ClearableFileInput({"accept": ".xlsx", "class": "form-control"}),
                           help_text=_("第一行为表头：单位、实际值，可加 目标值、基期值"))

    def clean_file(self):
        return check_size(self.cleaned_data["file"])


# ---- the values grid -------------------------------------------------------------------------

VALUE_LABELS = {"actual": _("实际值"), "target": _("目标值"), "baseline": _("基期值")}


def grid_fields(leaf: Indicator) -> tuple[list[str], list[str]]:
    """(fields the leaf's method reads, fields shown only for reference): target is always shown."""
    needs = list(engine_schema.NEEDS.get(leaf.method, ()))
    if leaf.method == "threshold" and (leaf.params or {}).get("basis") == "rate":
        needs.append("target")
    order = [f for f in ("actual", "target", "baseline") if f in needs]
    reference = [] if "target" in order else ["target"]
    return order, reference


def _parse_number(text: str) -> float:
    t = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    v = float(t)
    if not math.isfinite(v):
        raise ValueError(text)
    return v


def check_cell(leaf: Indicator, field: str, v: float, row: dict[str, float | None]) -> str | None:
    """The lead unit's entry rules for one cell (the engine's rules, said before a computation)."""
    m = leaf.method
    if field == "actual":
        if m == "manual":
            cap = (leaf.params or {}).get("cap", 1)
            top = (leaf.points or 0) * cap
            if not 0 <= v <= top:
                return str(_("直接评分应在 0 到 %(top)g 之间") % {"top": top})
        if m == "external_rank" and (v < 1 or not float(v).is_integer()):
            return str(_("名次应为不小于 1 的整数"))
        if m == "deduction" and v < 0:
            return str(_("扣分项数不能为负"))
    if field == "target" and v <= 0 and leaf.direction == Indicator.Direction.HIGHER and (
            m == "completion" or (m == "threshold" and (leaf.params or {}).get("basis") == "rate")):
        return str(_("完成率法（越高越好）的目标值须大于 0"))
    return None


class ValueGrid:
    """The posted (or pasted) cells of one leaf's grid: `raw` text per cell, `errors` per cell, `rows` parsed."""

    def __init__(self, leaf: Indicator, units: list[Unit], editable: list[str]):
        self.leaf, self.units, self.editable = leaf, units, editable
        self.raw: dict[tuple[int, str], str] = {}
        self.errors: dict[tuple[int, str], str] = {}
        self.rows: list[tuple[Unit, dict[str, float | None]]] = []

    @staticmethod
    def name(unit_pk: int, field: str) -> str:
        return f"v-{unit_pk}-{field}"

    def fill_from(self, values: dict[int, Any]) -> None:
        for u in self.units:
            v = values.get(u.pk)
            for f in ("actual", "target", "baseline"):
                x = getattr(v, f) if v is not None else None
                self.raw[(u.pk, f)] = "" if x is None else f"{x:g}" if abs(x) < 1e15 else str(x)

    def keep(self, data: Any) -> None:
        """Take what the clerk has typed so far, unchecked (before a paste or upload adds to it)."""
        for u in self.units:
            for f in self.editable:
                name = self.name(u.pk, f)
                if name in data:
                    self.raw[(u.pk, f)] = (data.get(name) or "").strip()

    def bind(self, data: Any) -> bool:
        """Parse posted cells; True when every cell is valid."""
        for u in self.units:
            fields: dict[str, float | None] = {}
            for f in self.editable:
                text = (data.get(self.name(u.pk, f)) or "").strip()
                self.raw[(u.pk, f)] = text
                if not text:
                    fields[f] = None
                    continue
                try:
                    fields[f] = _parse_number(text)
                except ValueError:
                    self.errors[(u.pk, f)] = str(_("请填写数字"))
            for f, x in fields.items():
                if x is not None and (u.pk, f) not in self.errors:
                    msg = check_cell(self.leaf, f, x, fields)
                    if msg:
                        self.errors[(u.pk, f)] = msg
            self.rows.append((u, fields))
        return not self.errors

    def paste(self, rows: list[tuple[int, list[str]]], where: str) -> tuple[int, list[str]]:
        """Fill cells from rows "unit, actual[, target[, baseline]]"; returns rows used and problems (unknown units)."""
        by_key: dict[str, Unit] = {}
        for u in self.units:
            by_key[u.code] = u
            by_key.setdefault(u.name, u)
        problems: list[str] = []
        used = 0
        for n, cells in rows:
            key = cells[0].strip() if cells else ""
            if not key:
                continue
            unit = by_key.get(key)
            if unit is None:
                problems.append(str(_("%(where)s第 %(n)s 行：“%(key)s”不是本指标适用的单位") %
                                    {"where": where, "n": n, "key": key}))
                continue
            used += 1
            for f, text in zip(("actual", "target", "baseline"), cells[1:4]):
                text = (text or "").strip()
                if text and f in self.editable:
                    self.raw[(unit.pk, f)] = text
        return used, problems


def paste_rows(text: str) -> list[tuple[int, list[str]]]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            sep = "\t" if "\t" in line else ","
            out.append((n, line.split(sep)))
    return out


def sheet_rows(data: bytes, leaf_code: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Rows (unit, actual, target, baseline) of an uploaded sheet: a plain 单位/实际值/目标值/基期值 sheet,
    or an assessment workbook's 数据 sheet (its rows for this leaf)."""
    from io import BytesIO

    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return [], [str(_("文件不是可读取的 Excel 工作簿 (.xlsx)"))]
    sheet = book["数据"] if "数据" in book.sheetnames else book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    if not rows:
        return [], [str(_("工作表是空的"))]
    header = ["" if h is None else str(h).strip() for h in rows[0]]

    def col(*words: str) -> int | None:
        for w in words:
            for i, h in enumerate(header):
                if h.startswith(w):
                    return i
        return None

    c_unit, c_ind = col("单位编号", "单位"), col("指标编号", "指标")
    cs = [col("实际"), col("目标"), col("基期", "基数")]
    if c_unit is None or all(c is None for c in cs):
        return [], [str(_("表头须有“单位”列和“实际值”“目标值”“基期值”中的至少一列"))]

    def text(row: tuple, c: int | None) -> str:
        if c is None or c >= len(row) or row[c] is None:
            return ""
        v = row[c]
        return f"{v:g}" if isinstance(v, float) else str(v)

    out = []
    for n, row in enumerate(rows[1:], start=2):
        if c_ind is not None and text(row, c_ind).strip() not in ("", leaf_code):
            continue
        out.append((n, [text(row, c_unit)] + [text(row, c) for c in cs]))
    return out, []
