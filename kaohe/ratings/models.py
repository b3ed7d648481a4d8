"""Online rating (四位一体 评议): raters assigned to groups and to the units they rate, and their sheets.

A submitted sheet becomes the cycle's indicators.Rating rows, which the engine's `rating` method reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle, Indicator, RaterGroup
from kaohe.organisation.models import Unit


class RatingWindow(models.Model):
    """When raters may fill their sheets, and below which score a reason is required."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="rating_window")
    opens = models.DateField(_("评议开始"))
    closes = models.DateField(_("评议截止"))
    reason_below = models.FloatField(_("低于此分须说明理由"), default=60)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(closes__gte=models.F("opens")),
                                              name="rating_closes_after_it_opens")]

    def open_on(self, day) -> bool:
        return self.opens <= day <= self.closes


class Rater(models.Model):
    """A rater: a person (a leader, a deputy) or a unit (a peer unit, a township) in one rater group."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="raters")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="raters", verbose_name=_("评议组"))
    # the rater's id as the engine sees it (spec: rating.rater); unique in the cycle
    code = models.CharField(_("评议人编号"), max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rater_roles", verbose_name=_("评议人"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="rater_roles",
                             verbose_name=_("评议单位"))
    rates = models.ManyToManyField(Unit, related_name="rated_by", verbose_name=_("被评议单位"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("提交人"))

    class Meta:
        ordering = ["group_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="rater_code_unique_in_cycle"),
            # exactly one of person or unit
            models.CheckConstraint(condition=models.Q(user__isnull=True, unit__isnull=False)
                                   | models.Q(user__isnull=False, unit__isnull=True), name="rater_is_person_or_unit"),
        ]
        verbose_name = _("评议人")
        verbose_name_plural = _("评议人")

    def __str__(self) -> str:
        if self.unit_id:
            return self.unit.name
        p = getattr(self.user, "profile", None)
        return p.name if p else self.user.get_username()


class SheetScore(models.Model):
    """One cell of a rater's sheet: a unit rated on a rating indicator, 0–100."""

    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("分数"))
    reason = models.CharField(_("理由"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rater", "indicator", "unit"], name="one_score_per_sheet_cell"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="sheet_score_0_to_100"),
        ]
