"""The bonus, deduction and veto register (加减分 / 一票否决 登记): applied, judged, and fed to the engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Adjustment, Cycle
from kaohe.organisation.models import Unit
from kaohe.reporting.models import Evidence


class Entry(models.Model):
    class Kind(models.TextChoices):
        BONUS = "bonus", _("加分")
        DEDUCTION = "deduction", _("扣分")
        VETO = "veto", _("一票否决")

    class Source(models.TextChoices):
        # bonus
        INNOVATION = "innovation", _("创新创优")
        AWARD = "award", _("表彰奖励")
        # deduction and veto
        LETTER = "letter", _("督查通报（两书一函）")
        SANCTION = "sanction", _("问责处分")
        INCIDENT = "incident", _("安全事故")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        APPLIED = "applied", _("待审定")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="register")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="register_entries", verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    title = models.CharField(_("事项"), max_length=200)
    reason = models.TextField(_("事由"), blank=True)
    reference = models.CharField(_("文号"), max_length=120, blank=True)  # the letter's or award's document number
    points_claimed = models.FloatField(_("申报分值"), default=0)
    points = models.FloatField(_("核定分值"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.APPLIED)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="register_entries", verbose_name=_("佐证材料"))
    decision = models.TextField(_("审定意见"), blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("申报人"))
    applied_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("审定人"))
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    # the engine's input made when approved; removed again if the approval is withdrawn
    adjustment = models.OneToOneField(Adjustment, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="entry")

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(points_claimed__gte=0), name="claimed_points_not_negative")]
        verbose_name = _("加减分事项")
        verbose_name_plural = _("加减分事项")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.title}"

    @property
    def needs_experts(self) -> bool:
        """创新创优 items are scored by an expert panel; the points are the panel's average."""
        return self.kind == self.Kind.BONUS and self.source == self.Source.INNOVATION


class ExpertScore(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="expert_scores")
    expert = models.CharField(_("评审专家"), max_length=60)
    score = models.FloatField(_("评分"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="one_score_per_expert"),
                       models.CheckConstraint(condition=models.Q(score__gte=0), name="expert_score_not_negative")]
