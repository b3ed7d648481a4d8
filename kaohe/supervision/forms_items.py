"""Forms of the supervision item pages: they parse and check; kaohe.supervision.services writes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator
from kaohe.lib.uploads import check_size
from kaohe.organisation.models import Unit
from kaohe.register.forms import MultipleFileField
from kaohe.workbook.cells import cell_date

from .models import Item, Letter

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = forms.DateInput({"type": "date", **INPUT}, format="%Y-%m-%d")
CHECK = {"class": "form-check-input"}
# a milestone line: its name, then its date (2026-08-31, 2026/8/31, 2026年8月31日) after a space or a tab
MILESTONE_LINE = re.compile(r"^(?P<title>.+?)[\s\u3000]+(?P<due>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)$")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, u: Unit) -> str:
        return f"{u.code} {u.name}"


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, u: Unit) -> str:
        return f"{u.code} {u.name}"


def units() -> Any:
    """The units an item can name: every unit in use but the office itself."""
    return Unit.objects.filter(active=True).exclude(kind=Unit.Kind.OFFICE).order_by("domain__order", "code")


def year_cycle(year: int) -> Cycle | None:
    """The assessment cycle of a year (the latest made when there are several)."""
    return Cycle.objects.filter(year=year).order_by("-id").first()


def suggested_code(year: int) -> str:
    """The next free code of the form DB2026-001."""
    taken = set(Item.objects.filter(year=year).values_list("code", flat=True))
    n = len(taken) + 1
    while f"DB{year}-{n:03d}" in taken:
        n += 1
    return f"DB{year}-{n:03d}"


def parse_milestones(text: str) -> tuple[list[tuple[str, dt.date]], list[str]]:
    """Lines "节点名称 2026-08-31" into (title, date) pairs; the problems, one per bad line."""
    found, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = MILESTONE_LINE.match(line)
        due = cell_date(m.group("due")) if m else None
        if m is None or due is None:
            problems.append(str(_("第 %(n)d 行“%(line)s”：请写成“节点名称 2026-08-31”") % {"n": n, "line": line}))
            continue
        title = m.group("title").strip()
        if len(title) > 200:
            problems.append(str(_("第 %(n)d 行：节点名称不能超过 200 字") % {"n": n}))
            continue
        found.append((title, due))
    return found, problems


def milestone_lines(item: Item) -> str:
    return "\n".join(f"{m.title} {m.due:%Y-%m-%d}" for m in item.milestones.order_by("due", "id"))


def _indicator_choices(cycles: Any) -> list:
    """Indicators grouped by their cycle (an <optgroup> each), so one select works without script."""
    groups: dict[int, list] = {}
    for i in Indicator.objects.filter(cycle__in=cycles).select_related("cycle").order_by("cycle_id", "order", "code"):
        groups.setdefault(i.cycle_id, [i.cycle.name, []])[1].append((i.pk, f"{i.code} {i.name}"))
    return [("", "—")] + [(name, opts) for name, opts in groups.values()]


class ItemForm(forms.Form):
    """Registering an item (立项) and, without year and code, editing it."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    code = forms.CharField(label=_("编号"), max_length=40, widget=forms.TextInput(INPUT),
                           help_text=_("同一年度内不重复"))
    title = forms.CharField(label=_("事项"), max_length=300, widget=forms.TextInput(INPUT))
    source = forms.ChoiceField(label=_("来源"), choices=Item.Source.choices, widget=forms.Select(SELECT))
    source_ref = forms.CharField(label=_("来源文号"), max_length=120, required=False, widget=forms.TextInput(INPUT),
                                 help_text=_("如 市委批示〔2026〕3号、第12次常务会议"))
    description = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea({"rows": 3, **INPUT}))
    lead_leader = forms.CharField(label=_("牵头领导"), max_length=60, required=False,
                                  widget=forms.TextInput({"list": "kh-leaders", **INPUT}))
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=60, required=False,
                                         widget=forms.TextInput({"list": "kh-leaders", **INPUT}))
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), widget=forms.Select(SELECT))
    responsible_units = UnitsField(label=_("责任单位"), queryset=Unit.objects.none(), required=False,
                                   widget=forms.CheckboxSelectMultiple(CHECK),
                                   help_text=_("不选则由牵头单位负责报送进展"))
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    report_interval = forms.ChoiceField(label=_("报送周期"), choices=Item.Interval.choices, widget=forms.Select(SELECT))
    cycle = forms.ModelChoiceField(label=_("扣分计入的考核周期"), queryset=Cycle.objects.none(), required=False,
                                   empty_label=_("—（按年度自动选择）"), widget=forms.Select(SELECT),
                                   help_text=_("不选则用该年度的考核周期；督办文书的扣分计入这里"))
    indicator = forms.TypedChoiceField(label=_("所属考核指标"), coerce=int, empty_value=None, required=False,
                                       widget=forms.Select(SELECT), help_text=_("可空；须是上面考核周期中的指标"))
    milestones = forms.CharField(label=_("节点"), required=False,
                                 widget=forms.Textarea({"rows": 4, "placeholder": "完成方案编制 2026-05-31\n"
                                                        "主体工程开工 2026-07-31", **INPUT}),
                                 help_text=_("每行一个：节点名称、空格、节点时限，如“完成方案编制 2026-05-31”"))
    reason = forms.CharField(label=_("修改说明"), required=False, widget=forms.TextInput(INPUT),
                             help_text=_("写入办理记录"))

    def __init__(self, *args: Any, item: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["lead_unit"].queryset = units()
        self.fields["responsible_units"].queryset = units()
        this_year = gates.today().year
        oldest = min(this_year - 1, item.year if item else this_year)
        cycles = Cycle.objects.filter(Q(year__gte=oldest) | Q(pk=item.cycle_id if item else None)).order_by("-year",
                                                                                                         "-id")
        self.fields["cycle"].queryset = cycles
        self.fields["indicator"].choices = _indicator_choices(cycles)
        if item is not None:
            # the year and the code name the item; they stay
            del self.fields["year"]
            del self.fields["code"]
        else:
            del self.fields["reason"]

    def clean_milestones(self) -> list[tuple[str, dt.date]]:
        found, problems = parse_milestones(self.cleaned_data.get("milestones") or "")
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year", self.item.year if self.item else None)
        if year is None:
            return data
        cycle = data.get("cycle")
        if cycle is None:
            cycle = data["cycle"] = year_cycle(year)
        elif cycle.year != year:
            self.add_error("cycle", _("须是 %(y)d 年度的考核周期") % {"y": year})
        pk = data.get("indicator")
        data["indicator"] = None
        if pk is not None:
            indicator = Indicator.objects.filter(pk=pk).first()
            if indicator is None or cycle is None or indicator.cycle_id != cycle.pk:
                self.add_error("indicator", _("所属指标须是扣分计入的考核周期中的指标"))
            else:
                data["indicator"] = indicator
        deadline = data.get("deadline")
        if deadline:
            late = [t for t, due in data.get("milestones") or [] if due > deadline]
            if late:
                self.add_error("milestones", _("节点时限不能晚于完成时限：%(t)s") % {"t": "、".join(late)})
        return data


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea({"rows": 4, **INPUT}))
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100,
                                 widget=forms.NumberInput({"step": "1", **INPUT}))
    milestone = forms.ModelChoiceField(label=_("对应节点"), queryset=None, required=False, empty_label="—",
                                       widget=forms.Select(SELECT))
    milestone_done = forms.BooleanField(label=_("该节点已完成"), required=False, widget=forms.CheckboxInput(CHECK))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("可选多个文件：PDF、图片、Word、Excel、PowerPoint"))

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = item.milestones.order_by("due", "id")
        self.fields["milestone"].label_from_instance = lambda m: f"{m.title}（{m.due:%Y-%m-%d}）" + (
            str(_("，已完成")) if m.done_at else "")
        if item.cycle_id is None:
            del self.fields["files"]  # evidence is kept with a cycle; an item without one takes none

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        for f in files:
            check_size(f)
        return files

    def clean(self) -> dict:
        data = super().clean()
        if data.get("milestone_done") and not data.get("milestone"):
            self.add_error("milestone", _("勾选“该节点已完成”时请选择节点"))
        return data


class CompleteForm(forms.Form):
    text = forms.CharField(label=_("办结说明"), required=False, widget=forms.Textarea({"rows": 2, **INPUT}))


class CloseForm(forms.Form):
    # left optional here: the service refuses an empty record with the reason, which the page shows
    verification = forms.CharField(label=_("核验情况"), required=False, widget=forms.Textarea({"rows": 3, **INPUT}),
                                   help_text=_("销号须有核验记录：核验了什么、结论如何"))
    on_site = forms.BooleanField(label=_("实地核验"), required=False, widget=forms.CheckboxInput(CHECK))


class ReopenForm(forms.Form):
    verification = forms.CharField(label=_("回头看情况"), required=False, widget=forms.Textarea({"rows": 3, **INPUT}),
                                   help_text=_("回头看发现的问题反弹情况"))
    on_site = forms.BooleanField(label=_("实地核验"), required=False, widget=forms.CheckboxInput(CHECK))
    deadline = forms.DateField(label=_("新的完成时限"), required=False, widget=DATE,
                               help_text=_("不填则沿用原完成时限"))


class DecomposeForm(forms.Form):
    units = UnitsField(label=_("分解到的单位"), queryset=Unit.objects.none(), required=False,
                       widget=forms.CheckboxSelectMultiple(CHECK), help_text=_("每个单位生成一项子事项"))
    title = forms.CharField(label=_("子事项名称"), max_length=300, required=False, widget=forms.TextInput(INPUT),
                            help_text=_("不填则沿用原事项名称"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units()


class LetterForm(forms.Form):
    unit = UnitChoiceField(label=_("发往单位"), queryset=Unit.objects.none(), widget=forms.Select(SELECT))
    kind = forms.ChoiceField(label=_("文书类型"), choices=Letter.Kind.choices, widget=forms.Select(SELECT))
    failing = forms.ChoiceField(label=_("问题类型"), choices=Letter.Failing.choices, widget=forms.Select(SELECT))
    points = forms.FloatField(label=_("扣分"), min_value=0, max_value=100, required=False,
                              widget=forms.NumberInput({"step": "0.01", **INPUT}),
                              help_text=_("扣减年度目标绩效考核分；大于 0 时自动计入考核周期的加减分登记（已批准）"))
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea({"rows": 4, **INPUT}),
                           help_text=_("写入文书正文，如整改要求和期限"))

    def __init__(self, *args: Any, unit_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices

    def clean_points(self) -> float:
        return self.cleaned_data.get("points") or 0.0


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件 (.xlsx)"), widget=forms.ClearableFileInput({"accept": ".xlsx", **INPUT}))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    cycle = forms.ModelChoiceField(label=_("扣分计入的考核周期"), queryset=Cycle.objects.none(), required=False,
                                   empty_label=_("—（按年度自动选择）"), widget=forms.Select(SELECT),
                                   help_text=_("表中的指标编号在这个周期中查找"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.order_by("-year", "-id")

    def clean_file(self):
        return check_size(self.cleaned_data["file"])

    def clean(self) -> dict:
        data = super().clean()
        year, cycle = data.get("year"), data.get("cycle")
        if year is not None:
            if cycle is None:
                data["cycle"] = year_cycle(year)
            elif cycle.year != year:
                self.add_error("cycle", _("须是 %(y)d 年度的考核周期") % {"y": year})
        return data
