"""Completion reports (目标完成填写) with evidence, their review (审核), and half-year problems (整改)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle, Indicator, Phase
from kaohe.organisation.models import Unit


class Evidence(models.Model):
    """An uploaded file (佐证材料), checked by content, kept under KAOHE_MEDIA and served only through a view."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("所属单位"))
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    mime = models.CharField(_("类型"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """One unit's completion report on one leaf in one reporting window."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已采纳")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reports")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="reports", verbose_name=_("阶段"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports", verbose_name=_("指标"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("单位"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    actual = models.FloatField(_("完成值"), null=True, blank=True)
    account = models.TextField(_("完成情况说明"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="reports", verbose_name=_("佐证材料"))
    # what the review decided: the assessed value (the reported one, or the lead unit's correction)
    assessed = models.FloatField(_("审定值"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("提交人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("审核人"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__order", "indicator_id", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["phase", "indicator", "unit"], name="one_report_per_window")]
        verbose_name = _("完成情况填报")
        verbose_name_plural = _("完成情况填报")

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator.code}"

    @property
    def corrected(self) -> bool:
        return self.state == self.State.ACCEPTED and self.assessed != self.actual


class Reminder(models.Model):
    """A reminder sent to a unit that had not submitted (催报), once per unit, window and day."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    missing = models.PositiveIntegerField(_("未提交项数"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # null when the daily job sent it
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "unit", "day"], name="one_reminder_a_day")]


class Problem(models.Model):
    """A problem found at the half-year evaluation, sent to the unit, rectified, verified and closed."""

    class State(models.TextChoices):
        RECORDED = "recorded", _("待下发")
        SENT = "sent", _("待整改")
        ANSWERED = "answered", _("待核验")
        CLOSED = "closed", _("已销号")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="problems")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="problems", verbose_name=_("单位"))
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
                                  verbose_name=_("指标"))
    run = models.ForeignKey("results.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
                            verbose_name=_("所据计算"))
    text = models.TextField(_("问题"))
    answer_by = models.DateField(_("反馈期限"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RECORDED)
    measures = models.TextField(_("整改措施"), blank=True)
    due = models.DateField(_("整改完成时限"), null=True, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="problems", verbose_name=_("佐证材料"))
    verification = models.TextField(_("核验意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["unit__code", "id"]
        verbose_name = _("整改问题")
        verbose_name_plural = _("整改问题")

    def __str__(self) -> str:
        return f"{self.unit} · {self.text[:40]}"

    def overdue_on(self, day) -> bool:
        """Overdue: sent and not answered by the answer date, or answered and not done by the unit's own date."""
        if self.state == self.State.SENT:
            return bool(self.answer_by and day > self.answer_by)
        if self.state == self.State.ANSWERED:
            return bool(self.due and day > self.due)
        return False
