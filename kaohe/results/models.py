"""Computation runs: who computed, when, on which inputs, and every unit's result. Never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit


STAGES = {"half_year": _("半年评估"), "year_end": _("年终考核")}
PUBLICATION = {"draft": _("未公布"), "notice": _("公示中"), "final": _("正式公布")}


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
    # A version's life: computed (draft, seen by the office only) → public notice (公示, units may appeal)
    # → final (正式公布). From the notice on, its inputs and outputs never change (database triggers refuse).
    reason = models.CharField(_("本版说明"), max_length=300, blank=True)  # why this version (a correction, an appeal)
    notice_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    notice_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("公示人"))
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                   verbose_name=_("更正的版本"))
    published_at = models.DateTimeField(_("正式公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("公布人"))

    class Meta:
        ordering = ["-cycle", "-number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="run_number_unique_in_cycle")]
        verbose_name = _("计算")
        verbose_name_plural = _("计算")

    def __str__(self) -> str:
        return f"{self.cycle} 第{self.number}次计算"

    @property
    def public(self) -> bool:
        """In public notice or final: what units and leaders read, and never changed again."""
        return self.notice_at is not None

    @property
    def publication(self) -> str:
        if self.published_at:
            return "final"
        return "notice" if self.notice_at else "draft"

    def get_publication_display(self) -> str:
        return str(PUBLICATION[self.publication])


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


class Appeal(models.Model):
    """申诉: a unit contests a node of its score during public notice; the office decides."""

    class State(models.TextChoices):
        FILED = "filed", _("待处理")
        REJECTED = "rejected", _("驳回")
        ACCEPTED = "accepted", _("采纳")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appeals")
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("申诉的版本"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("单位"))
    indicator_code = models.CharField(_("指标编号"), max_length=40)  # a node of the version's indicator system
    indicator_name = models.CharField(_("指标"), max_length=200)
    reason = models.TextField(_("申诉理由"))
    evidence = models.ManyToManyField("reporting.Evidence", blank=True, related_name="appeals",
                                      verbose_name=_("佐证材料"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.FILED)
    decision = models.TextField(_("处理意见"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("申诉人"))
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    new_run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.PROTECT, related_name="resolved_appeals",
                                verbose_name=_("采纳后的新版本"))

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator_code} {self.indicator_name}"

from .models_export import CardExport  # noqa: E402,F401  (the report cards' batch export)
