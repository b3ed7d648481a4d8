"""Forms of the rating pages: they parse and normalise, they never write."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaohe.indicators.models import Cycle, RaterGroup
from kaohe.lib.uploads import check_size
from kaohe.organisation.models import Unit

from .models import RatingWindow

TEXT = {"class": "form-control"}


class GroupForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code = forms.SlugField(label=_l("编号"), max_length=40, widget=forms.TextInput(TEXT),
                           help_text=_l("字母、数字、- 或 _，如 leaders"))
    name = forms.CharField(label=_l("名称"), max_length=80, widget=forms.TextInput(TEXT))
    weight = forms.FloatField(label=_l("权重（%）"), min_value=0, max_value=100,
                              widget=forms.NumberInput(TEXT | {"step": "any"}))

    def clean_weight(self) -> float:
        # entered in percent, stored as a share (0.4 for 40%) like the workbook's rater groups
        return self.cleaned_data["weight"] / 100


class WindowForm(forms.Form):
    opens = forms.DateField(label=_l("评议开始"), widget=forms.DateInput(TEXT | {"type": "date"}, format="%Y-%m-%d"))
    closes = forms.DateField(label=_l("评议截止"), widget=forms.DateInput(TEXT | {"type": "date"}, format="%Y-%m-%d"))
    reason_below = forms.FloatField(label=_l("低于此分须说明理由"), min_value=0, max_value=100, initial=60,
                                    widget=forms.NumberInput(TEXT | {"step": "any"}))

    @staticmethod
    def initial_from(w: RatingWindow | None) -> dict:
        return {"opens": w.opens, "closes": w.closes, "reason_below": w.reason_below} if w else {"reason_below": 60}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("评议截止日期不能早于开始日期。"))
        return data


class _UnitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, u: Unit) -> str:
        return f"{u.name}（{u.code}）"


class RatesForm(forms.Form):
    rates = _UnitChoice(label=_l("被评议单位"), queryset=Unit.objects.none(), required=False,
                        widget=forms.CheckboxSelectMultiple)
    all_but_own = forms.BooleanField(label=_l("本周期全部考核对象（本单位除外）"), required=False)

    def __init__(self, *args, cycle: Cycle, own: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle, self.own = cycle, own
        self.fields["rates"].queryset = cycle.units.select_related("domain").order_by("domain__order", "code")

    def own_unit(self) -> Unit | None:
        return self.own

    def clean(self) -> dict:
        data = super().clean()
        if data.get("all_but_own"):
            own = self.own_unit()
            data["rates"] = [u for u in self.fields["rates"].queryset if own is None or u.pk != own.pk]
        elif "rates" in data and not data["rates"]:
            self.add_error("rates", _("请至少选择一个被评议单位。"))
        return data


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        p = getattr(user, "profile", None)
        if p is None:
            return user.get_username()
        where = f" · {p.unit.name}" if p.unit_id else ""
        return f"{p.name}（{p.get_role_display()}{where}）"


class RaterForm(RatesForm):
    group = forms.ModelChoiceField(label=_l("评议组"), queryset=RaterGroup.objects.none(),
                                   widget=forms.Select({"class": "form-select"}))
    kind = forms.ChoiceField(label=_l("评议人类型"), choices=[("person", _l("个人")), ("unit", _l("单位"))],
                             initial="person", widget=forms.RadioSelect)
    user = _PersonChoice(label=_l("评议人（个人）"), queryset=get_user_model().objects.none(), required=False,
                         widget=forms.Select({"class": "form-select"}))
    unit = forms.ModelChoiceField(label=_l("评议单位"), queryset=Unit.objects.none(), required=False,
                                  widget=forms.Select({"class": "form-select"}))
    code = forms.CharField(label=_l("评议人编号"), max_length=60, required=False, widget=forms.TextInput(TEXT),
                           help_text=_l("留空则自动生成（评议组编号-序号）；在本周期内唯一"))

    field_order = ["group", "kind", "user", "unit", "code", "rates", "all_but_own"]

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, cycle=cycle, **kwargs)
        self.fields["group"].queryset = RaterGroup.objects.filter(cycle=cycle).order_by("id")
        self.fields["user"].queryset = (get_user_model().objects.filter(is_active=True, profile__isnull=False)
                                        .select_related("profile__unit").order_by("profile__role", "profile__name"))
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("domain__order", "code")
        self.fields["unit"].label_from_instance = lambda u: f"{u.name}（{u.code}）"

    def own_unit(self) -> Unit | None:
        data = self.cleaned_data
        if data.get("kind") == "unit":
            return data.get("unit")
        user = data.get("user")
        p = getattr(user, "profile", None) if user is not None else None
        return p.unit if p else None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == "unit":
            data["user"] = None
            if not data.get("unit"):
                self.add_error("unit", _("请选择评议单位。"))
        else:
            data["unit"] = None
            if not data.get("user"):
                self.add_error("user", _("请选择评议人。"))
        data["code"] = (data.get("code") or "").strip()
        return data


def parse_score(text: str) -> float | None:
    """A score as typed: empty is None; a number with a comma decimal is accepted; anything else ValueError."""
    text = (text or "").strip().replace("，", ".").replace(",", ".")
    if not text:
        return None
    x = float(text)
    if not math.isfinite(x):
        raise ValueError(text)
    return x


class SheetGrid:
    """The cells of a rater's sheet as posted: s-<leaf>-<unit> the score, r-<leaf>-<unit> the reason."""

    def __init__(self, cells: set[tuple[int, int]]):
        self.cells = cells
        self.raw: dict[tuple[int, int], tuple[str, str]] = {}
        self.errors: dict[tuple[int, int], str] = {}
        self.parsed: dict[tuple[int, int], tuple[float | None, str]] = {}

    @staticmethod
    def names(key: tuple[int, int]) -> tuple[str, str]:
        return f"s-{key[0]}-{key[1]}", f"r-{key[0]}-{key[1]}"

    def fill_from(self, scores) -> None:
        for s in scores:
            self.raw[(s.indicator_id, s.unit_id)] = (f"{s.score:g}", s.reason)

    def bind(self, post) -> bool:
        for key in self.cells:
            s_name, r_name = self.names(key)
            text, reason = post.get(s_name, ""), post.get(r_name, "")[:300]
            self.raw[key] = (text, reason)
            try:
                self.parsed[key] = (parse_score(text), reason)
            except ValueError:
                self.errors[key] = _("请填写 0–100 的数字。")
        return not self.errors


class UploadForm(forms.Form):
    file = forms.FileField(label=_l("Excel 文件 (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}))

    def clean_file(self):
        return check_size(self.cleaned_data["file"])
