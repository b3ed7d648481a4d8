"""Computation runs: who computed, when, on which inputs, and every unit's result. Never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit


STAGES = {"half_year": _("半年评估"), "year_end": _("年终考核")}


class Run(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("已计算")
        INVALID = "invalid", _("数据有误，未计算")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField(_("序号"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("计算人"))
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    fingerprint = models.CharField(_("输入指纹"), max_length=64)
    scenario = models.JSONField(_("输入场景"))
    warnings = models.JSONField(_("提示"), default=list)
    errors = models.JSONField(_("错误"), default=list)
    indicator_names = models.JSONField(default=dict)  # code -> name, as at the time of the run
    # 半年评估 or 年终考核: the half-year run is the one problems are found on.
    stage = models.CharField(_("阶段"), max_length=20, choices=list(STAGES.items()),
                             default="year_end")
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("公布人"))

    class Meta:
        ordering = ["-cycle", "-number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="run_number_unique_in_cycle")]
        verbose_name = _("计算")
        verbose_name_plural = _("计算")

    def __str__(self) -> str:
        return f"{self.cycle} 第{self.number}次计算"


class RunUnit(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="run_results")
    position = models.PositiveIntegerField()
    group = models.CharField(_("排名组"), max_length=120)
    main = models.FloatField(_("主线得分"))
    bonus_line = models.FloatField(_("1+N 加分线"))
    bonus = models.FloatField(_("加分"))
    deduction = models.FloatField(_("扣分"))
    total = models.FloatField(_("总分"))
    rank = models.PositiveIntegerField(_("名次"))
    group_size = models.PositiveIntegerField(_("组内单位数"))
    grade = models.CharField(_("等次"), max_length=40, blank=True)
    vetoed = models.BooleanField(_("一票否决"))
    advanced = models.BooleanField(_("先进单位"))
    lost = models.FloatField(_("失分"))
    scores = models.JSONField(_("各项得分"))

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="unit_once_per_run")]
