"""Assessment cycles, the indicator system, targets and values, ratings, answers and adjustments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.engine import METHOD_LABELS
from kaohe.organisation.models import Unit


class Cycle(models.Model):
    """考核年度/周期. Settings hold the spec's section 6 (caps, ranking, grades, advanced units)."""

    year = models.PositiveIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=120)
    settings = models.JSONField(_("计分设置"), default=dict, blank=True)
    units = models.ManyToManyField(Unit, through="CycleUnit", related_name="cycles", verbose_name=_("考核对象"))
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("复制自"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    class Kind(models.TextChoices):
        LAUNCH = "launch", _("启动与指标发布")
        HALF_YEAR = "half_year", _("半年评估")
        YEAR_END = "year_end", _("年终考核")
        PUBLICATION = "publication", _("结果公布")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("阶段"), max_length=20, choices=Kind.choices)
    starts = models.DateField(_("开始"))
    ends = models.DateField(_("结束"))
    # 填报窗口: units fill in and submit their completion reports between these days (both included).
    report_opens = models.DateField(_("填报开始"), null=True, blank=True)
    report_closes = models.DateField(_("填报截止"), null=True, blank=True)

    class Meta:
        ordering = ["starts"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="one_phase_of_a_kind"),
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="phase_ends_after_start"),
            models.CheckConstraint(condition=models.Q(report_opens__isnull=True) | models.Q(report_closes__isnull=True)
                                   | models.Q(report_closes__gte=models.F("report_opens")),
                                   name="report_window_closes_after_it_opens"),
        ]
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts}–{self.ends}"

    def reporting_open_on(self, day) -> bool:
        return bool(self.report_opens and self.report_closes and self.report_opens <= day <= self.report_closes)


class CycleUnit(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    leadership_excellent = models.BooleanField(_("领导班子考核优秀"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="unit_once_per_cycle")]


METHOD_CHOICES = [(k, f"{v} {k}") for k, v in METHOD_LABELS.items()]


class Indicator(models.Model):
    """A node of the indicator tree: a paper (root), a group, or a leaf with a scoring method."""

    class Line(models.TextChoices):
        MAIN = "main", _("主线")
        BONUS = "bonus", _("1+N 加分线")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("编号"), max_length=40)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("上级指标"))
    name = models.CharField(_("名称"), max_length=200)
    points = models.FloatField(_("分值"), null=True, blank=True)
    line = models.CharField(_("主线/加分线"), max_length=10, choices=Line.choices, default=Line.MAIN)
    method = models.CharField(_("计分方法"), max_length=20, choices=METHOD_CHOICES, blank=True)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    applies_domains = models.JSONField(_("适用领域"), default=list, blank=True)
    applies_categories = models.JSONField(_("适用类别"), default=list, blank=True)
    applies_units = models.JSONField(_("适用单位"), default=list, blank=True)
    exclude_units = models.JSONField(_("排除单位"), default=list, blank=True)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="led_indicators",
                                  verbose_name=_("评分牵头单位"))
    lead_unit_text = models.CharField(_("牵头单位（文字）"), max_length=120, blank=True)
    responsible = models.CharField(_("责任人"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["cycle", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="indicator_code_unique_in_cycle")]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)


class Value(models.Model):
    """A unit's target, baseline and actual value on a leaf (目标值 / 基期值 / 实际值)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="values")
    target = models.FloatField(_("目标值"), null=True, blank=True)
    baseline = models.FloatField(_("基期值"), null=True, blank=True)
    actual = models.FloatField(_("实际值"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="one_value_per_unit_and_leaf")]
        verbose_name = _("数据")
        verbose_name_plural = _("数据")

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator.code}"


class RaterGroup(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="rater_groups")
    code = models.CharField(_("编号"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    weight = models.FloatField(_("权重"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="rater_group_code_unique")]
        verbose_name = _("评议组")
        verbose_name_plural = _("评议组")

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="ratings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ratings_received")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="ratings")
    rater = models.CharField(_("评分人"), max_length=60)
    score = models.FloatField(_("分数"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "group", "rater"], name="one_rating_each")]


class Response(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responses")
    choice = models.CharField(_("选项"), max_length=40)
    count = models.FloatField(_("人数"))


class Adjustment(models.Model):
    class Kind(models.TextChoices):
        BONUS = "bonus", _("加分")
        DEDUCTION = "deduction", _("扣分")
        VETO = "veto", _("一票否决")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    points = models.FloatField(_("分值"), default=0)
    reason = models.CharField(_("事由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")
