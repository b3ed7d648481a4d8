"""Forms of the survey office pages: they parse and check, the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Domain, Unit

from .models import Group, Question, Survey

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.Form):
    """A survey's settings: the new-survey form and the settings on its design page."""

    title = forms.CharField(label=_("测评名称"), max_length=200)
    intro = forms.CharField(label=_("说明（显示在答题页顶部）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label=_("开始时间"), required=False, widget=WHEN)
    closes_at = forms.DateTimeField(label=_("结束时间"), required=False, widget=WHEN)
    open_link = forms.BooleanField(label=_("启用公开链接（无需邀请码，按下列限制）"), required=False)
    limit_per_ip = forms.IntegerField(label=_("每个 IP 每小时最多答卷"), min_value=1, initial=20)
    limit_per_device = forms.IntegerField(label=_("每台设备最多答卷"), min_value=1, initial=1)
    burst_minutes = forms.IntegerField(label=_("集中提交判定时段（分钟）"), min_value=1, initial=10)
    burst_count = forms.IntegerField(label=_("同一地址时段内答卷超过此数即标记待复核"), min_value=1, initial=30)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-check-input" if name == "open_link" else "form-control"

    def clean(self):
        d = super().clean()
        if d.get("opens_at") and d.get("closes_at") and d["closes_at"] <= d["opens_at"]:
            self.add_error("closes_at", _("结束时间须晚于开始时间。"))
        return d

    @classmethod
    def of(cls, survey: Survey, data=None) -> SurveyForm:
        return cls(data, initial={name: getattr(survey, name) for name in cls.base_fields})


class GroupForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=20)
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("群体"), choices=Group.Kind.choices)
    channel = forms.ChoiceField(label=_("渠道"), choices=Group.Channel.choices)


class GroupEditForm(forms.Form):
    """A group's name, kind and channel (its code stays: invitation codes and imported files use it)."""

    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("群体"), choices=Group.Kind.choices)
    channel = forms.ChoiceField(label=_("渠道"), choices=Group.Channel.choices)

    @classmethod
    def of(cls, group: Group, data=None) -> GroupEditForm:
        return cls(data, prefix=f"g{group.pk}", initial={"name": group.name, "kind": group.kind,
                                                         "channel": group.channel})


class QuestionForm(forms.Form):
    """A question: an indicator of the cycle scored by satisfaction, the units rated, the groups answering.

    Whole domains may be ticked instead of every unit: their units of the cycle are added."""

    indicator = forms.ModelChoiceField(label=_("指标"), queryset=None, empty_label=None)
    direction = forms.ChoiceField(label=_("方向"), choices=Question.Direction.choices)
    text = forms.CharField(label=_("问题（留空则用指标名称）"), max_length=300, required=False)
    domains = forms.ModelMultipleChoiceField(label=_("整个领域的单位"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(label=_("被测评单位"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    groups = forms.ModelMultipleChoiceField(label=_("作答群体"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cycle: Cycle = survey.cycle
        self.cycle_units = cycle.units.select_related("domain").order_by("domain__order", "code")
        self.fields["indicator"].queryset = cycle.indicators.filter(method="satisfaction").order_by("order", "code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name}"
        self.fields["domains"].queryset = Domain.objects.filter(units__in=self.cycle_units).distinct().order_by(
            "order", "code")
        self.fields["units"].queryset = self.cycle_units
        self.fields["units"].label_from_instance = lambda u: u.name
        self.fields["groups"].queryset = survey.groups.all()

    def clean(self):
        d = super().clean()
        units = set(d.get("units") or [])
        domains = d.get("domains") or []
        if domains:
            units |= set(self.cycle_units.filter(domain__in=domains))
        if not units and not self.errors.get("units"):
            self.add_error("units", _("请选择被测评单位（或整个领域）。"))
        d["all_units"] = sorted(units, key=lambda u: (u.domain.order, u.code))
        return d

    @classmethod
    def of(cls, question: Question, data=None) -> QuestionForm:
        return cls(data, survey=question.survey, initial={
            "indicator": question.indicator_id, "direction": question.direction, "text": question.text,
            "units": [u.pk for u in question.units.all()], "groups": [g.pk for g in question.groups.all()]})


class QuestionTextForm(forms.Form):
    """Once a survey has started, only a question's wording may change."""

    text = forms.CharField(label=_("问题（留空则用指标名称）"), max_length=300, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Survey.Status.choices)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("有效，计入")), ("reject", _("无效，不计入"))])
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class IpReviewForm(ReviewForm):
    ip = forms.GenericIPAddressField(label=_("IP 地址"))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentFilter(forms.Form):
    """Filters of the comments list; a unit has only the state filter (its own comments)."""

    STATES = [("", _("全部")), ("open", _("未答复")), ("answered", _("已答复"))]
    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部"))
    group = forms.ModelChoiceField(label=_("群体"), queryset=Group.objects.none(), required=False,
                                   empty_label=_("全部"))

    def __init__(self, *args, survey: Survey, reads_all: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if reads_all:
            self.fields["unit"].queryset = survey.cycle.units.order_by("domain__order", "code")
            self.fields["group"].queryset = survey.groups.all()
        else:
            del self.fields["unit"], self.fields["group"]

    def apply(self, comments):
        if not self.is_valid():
            return comments
        d = self.cleaned_data
        if d.get("state") == "open":
            comments = comments.filter(reply="")
        elif d.get("state") == "answered":
            comments = comments.exclude(reply="")
        if d.get("unit"):
            comments = comments.filter(unit=d["unit"])
        if d.get("group"):
            comments = comments.filter(group=d["group"])
        return comments
