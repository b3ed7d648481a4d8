"""The rule form: common fields plus the parameters of each kind, parsed into the params the rules read."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import KIND_LABELS

SPLIT = re.compile(r"[,，、;；\s]+")

# which parameter fields each kind reads (the page shows these next to the kind)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "grade_quota": ("quotas",), "bottom_n": ("n",), "core_missed": ("codes",), "top_n": ("n",),
    "consecutive_grade": ("k", "grades"), "consecutive_top_n": ("k", "n", "grade"),
}


class RuleForm(forms.Form):
    name = forms.CharField(label=_("规则名称"), max_length=120)
    kind = forms.ChoiceField(label=_("规则类型"), choices=list(KIND_LABELS.items()))
    outcome = forms.CharField(label=_("运用结果"), max_length=300)
    order = forms.IntegerField(label=_("排序"), min_value=0, required=False)
    n = forms.IntegerField(label=_("名次 n"), min_value=1, required=False)
    k = forms.IntegerField(label=_("连续年数 k"), min_value=1, max_value=20, required=False)
    grades = forms.CharField(label=_("等次（可多个，用逗号分隔）"), max_length=200, required=False)
    grade = forms.CharField(label=_("或全为此等次"), max_length=40, required=False)
    codes = forms.CharField(label=_("核心指标编号（用逗号分隔）"), max_length=500, required=False)
    quotas = forms.CharField(label=_("等次=比例%（如 优秀=20，良好=10）"), max_length=300, required=False)

    def clean_grades(self) -> list[str]:
        return [g for g in SPLIT.split(self.cleaned_data["grades"]) if g]

    def clean_codes(self) -> list[str]:
        return [c for c in SPLIT.split(self.cleaned_data["codes"]) if c]

    def clean_quotas(self) -> dict[str, float]:
        quotas: dict[str, float] = {}
        for part in SPLIT.split(self.cleaned_data["quotas"]):
            if not part:
                continue
            grade, sep, pct = part.replace("＝", "=").partition("=")
            try:
                value = float(pct.rstrip("%％"))
            except ValueError:
                value = -1
            if not sep or not grade or not 0 <= value <= 100:
                raise forms.ValidationError(_("请写成 等次=比例，比例在 0 到 100 之间，如 优秀=20，良好=10。"))
            quotas[grade] = value
        return quotas

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind not in KIND_FIELDS:
            return data
        params: dict[str, Any] = {}
        for name in KIND_FIELDS[kind]:
            value = data.get(name)
            if name == "grade":
                if value:
                    params[name] = value.strip()
                continue
            if value in (None, "", [], {}):
                self.add_error(name, _("这一类规则须填写此项。"))
            else:
                params[name] = value
        data["params"] = params
        data["order"] = data.get("order") or 0
        return data


def initial_for(rule) -> dict[str, Any]:
    """A stored rule back into the form's fields."""
    p = rule.params or {}
    return {"name": rule.name, "kind": rule.kind, "outcome": rule.outcome, "order": rule.order,
            "n": p.get("n"), "k": p.get("k"), "grade": p.get("grade", ""),
            "grades": "，".join(p.get("grades", [])), "codes": "，".join(p.get("codes", [])),
            "quotas": "，".join(f"{g}={v:g}" for g, v in (p.get("quotas") or {}).items())}
