"""结果运用: the rules the office defines per cycle; outcomes are derived from published results, never stored."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle

from .rules import KINDS, describe

# rules.py is pure Python; the labels it uses are marked here so that the English translation has them
KIND_LABELS = {
    "grade_quota": _("按等次给比例"),
    "bottom_n": _("排名末位"),
    "core_missed": _("核心指标失分"),
    "top_n": _("排名前列"),
    "consecutive_grade": _("连续若干年为某等次"),
    "consecutive_top_n": _("连续若干年排名前列（或第一等次）"),
}
assert KIND_LABELS.keys() == KINDS.keys()


class Rule(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outcome_rules")
    name = models.CharField(_("规则名称"), max_length=120)
    kind = models.CharField(_("规则类型"), max_length=30, choices=list(KIND_LABELS.items()))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    outcome = models.CharField(_("运用结果"), max_length=300)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["cycle", "order", "id"]
        verbose_name = _("结果运用规则")
        verbose_name_plural = _("结果运用规则")

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return describe(self.kind, self.params)
