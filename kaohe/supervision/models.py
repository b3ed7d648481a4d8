"""Supervision (督查督办): decided work followed to closure, and the escalation (两书一函) that feeds the assessment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Unit
from kaohe.reporting.models import Evidence

# An item is "at risk" when its deadline is this close and the latest progress is below AT_RISK_PERCENT.
AT_RISK_DAYS = 7
AT_RISK_PERCENT = 80


class State(models.TextChoices):
    """The state people see: computed from the stored status, milestones, progress and dates (see item_state)."""

    NOT_STARTED = "not_started", _("未开始")
    ON_TRACK = "on_track", _("正常推进")
    AT_RISK = "at_risk", _("有风险")
    OVERDUE = "overdue", _("逾期")
    COMPLETED = "completed", _("已完成待核验")
    CLOSED = "closed", _("已销号")
    REOPENED = "reopened", _("重新整改")


def item_state(*, status: str, deadline: dt.date, day: dt.date, latest_percent: int | None,
               milestones: list[tuple[dt.date, bool]]) -> State:
    """The state of an item on a day; overdue and at-risk are computed, never typed in.

    In order, the first rule that applies:
    1. status closed → 已销号 (closed, on a verification record);
    2. status reopened → 重新整改 (a look-back check 回头看 found the problem back), until the unit marks it
       completed again (then rule 3);
    3. status completed → 已完成待核验 (the unit says it is done; the office has not verified yet);
    4. past the deadline (day > deadline) → 逾期 (overdue);
    5. a milestone past its due date and not done, or the deadline within AT_RISK_DAYS (7) days and the
       latest progress below AT_RISK_PERCENT (80 %, or no progress at all) → 有风险 (at risk);
    6. no progress reported yet → 未开始 (not started);
    7. otherwise → 正常推进 (on track).
    `milestones` are (due, done) pairs; `latest_percent` is the percent of the latest progress, or None.
    """
    if status == Item.Status.CLOSED:
        return State.CLOSED
    if status == Item.Status.REOPENED:
        return State.REOPENED
    if status == Item.Status.COMPLETED:
        return State.COMPLETED
    if day > deadline:
        return State.OVERDUE
    if any(due < day and not done for due, done in milestones):
        return State.AT_RISK
    if (deadline - day).days <= AT_RISK_DAYS and (latest_percent or 0) < AT_RISK_PERCENT:
        return State.AT_RISK
    if latest_percent is None:
        return State.NOT_STARTED
    return State.ON_TRACK


class Item(models.Model):
    """A supervision item (督办事项) with its four-party responsibility and deadline."""

    class Source(models.TextChoices):
        INSTRUCTION = "instruction", _("领导批示")
        STANDING_COMMITTEE = "standing_committee", _("常委会")
        EXECUTIVE_MEETING = "executive_meeting", _("常务会")
        WORK_REPORT = "work_report", _("政府工作报告")
        DEPLOYMENT = "deployment", _("重大部署")
        KEY_PROJECT = "key_project", _("重点项目")
        LIVELIHOOD = "livelihood", _("民生实事")
        COMPLAINT = "complaint", _("外部平台投诉")
        INSPECTION = "inspection", _("督查检查")

    class Interval(models.TextChoices):
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")

    class Status(models.TextChoices):
        """What people decided; the state shown (State) is computed from it with the dates."""

        OPEN = "open", _("办理中")
        COMPLETED = "completed", _("已完成待核验")
        CLOSED = "closed", _("已销号")
        REOPENED = "reopened", _("重新整改")

    year = models.PositiveSmallIntegerField(_("年度"))
    cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervision_items",
                              verbose_name=_("扣分计入的考核周期"))
    code = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("事项"), max_length=300)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    source_ref = models.CharField(_("来源文号"), max_length=120, blank=True)
    description = models.TextField(_("具体内容"), blank=True)
    lead_leader = models.CharField(_("牵头领导"), max_length=60, blank=True)
    responsible_leader = models.CharField(_("责任领导"), max_length=60, blank=True)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_led",
                                  verbose_name=_("牵头单位"))
    responsible_units = models.ManyToManyField(Unit, blank=True, related_name="supervision_items",
                                               verbose_name=_("责任单位"))
    deadline = models.DateField(_("完成时限"))
    report_interval = models.CharField(_("报送周期"), max_length=10, choices=Interval.choices,
                                       default=Interval.MONTHLY)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("所属考核指标"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("上级事项"))
    status = models.CharField(_("办理状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # set by the daily job on the first day past the deadline (the state itself is computed, see item_state)
    overdue_since = models.DateField(_("逾期日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="supervision_code_unique_per_year")]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def latest_progress(self) -> Progress | None:
        return self.progress.order_by("-reported_at", "-id").first()

    def state_on(self, day: dt.date) -> State:
        """The computed state on a day (rules in item_state)."""
        latest = self.latest_progress()
        return item_state(status=self.status, deadline=self.deadline, day=day,
                          latest_percent=latest.percent if latest else None,
                          milestones=[(m.due, m.done_at is not None) for m in self.milestones.all()])


class Milestone(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("节点时限"))
    done_at = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("节点")
        verbose_name_plural = _("节点")

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """A responsible unit's report of progress (进展), against a milestone when it says so."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="progress",
                                  verbose_name=_("节点"))
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="supervision_progress",
                                      verbose_name=_("佐证材料"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_percent_at_most_100")]
        verbose_name = _("进展")
        verbose_name_plural = _("进展")


class Verification(models.Model):
    """The office's verification: the record an item is closed on (销号), or a look-back check (回头看)."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("销号核验")
        LOOKBACK = "lookback", _("回头看")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("核验情况"))
    on_site = models.BooleanField(_("实地核验"), default=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["verified_at", "id"]
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")


class Letter(models.Model):
    """An escalation (两书一函 and interviews) sent to a unit, numbered, printed, and its deduction registered."""

    class Kind(models.TextChoices):
        REMINDER_NOTICE = "reminder_notice", _("提醒通知")
        REMINDER_LETTER = "reminder_letter", _("督办函")
        RECTIFICATION_NOTICE = "rectification_notice", _("整改通知书")
        INTERVIEW = "interview", _("约谈")

    class Failing(models.TextChoices):
        OVERDUE = "overdue", _("逾期未完成")
        LAGGING = "lagging", _("进度滞后")
        NOT_REPORTED = "not_reported", _("未按时报送进展")
        FALSE_REPORT = "false_report", _("报送不实")
        RECTIFICATION_FAILED = "rectification_failed", _("整改不到位")
        REPEATED_COMPLAINT = "repeated_complaint", _("重复投诉")
        RELAPSE = "relapse", _("回头看发现反弹")
        BUCK_PASSING = "buck_passing", _("推诿扯皮")
        INSTRUCTION_IGNORED = "instruction_ignored", _("未落实领导批示")
        LOW_SATISFACTION = "low_satisfaction", _("群众满意度低")
        OTHER = "other", _("其他")

    # the character of each kind's number: 督字〔2026〕7号
    NUMBER_PREFIX = {Kind.REMINDER_NOTICE: "督提", Kind.REMINDER_LETTER: "督字", Kind.RECTIFICATION_NOTICE: "督改",
                     Kind.INTERVIEW: "督谈"}

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="letters")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_letters",
                             verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=40, unique=True)
    failing = models.CharField(_("问题类型"), max_length=24, choices=Failing.choices)
    text = models.TextField(_("内容"), blank=True)
    points = models.FloatField(_("扣分"), default=0)
    pdf = models.FileField(upload_to="supervision/letters/%Y/", max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    entry = models.OneToOneField("register.Entry", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="supervision_letter", verbose_name=_("扣分登记"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "serial"], name="letter_serial_unique"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="letter_points_not_negative"),
        ]
        verbose_name = _("督办文书")
        verbose_name_plural = _("督办文书")

    def __str__(self) -> str:
        return self.number


class SupervisionReminder(models.Model):
    """A reminder the daily job sent, once per item, unit, kind and day."""

    class Kind(models.TextChoices):
        PROGRESS_DUE = "progress_due", _("进展报送提醒")
        DEADLINE_NEAR = "deadline_near", _("临近时限提醒")
        OVERDUE = "overdue", _("逾期提醒")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "unit", "kind", "day"],
                                               name="one_supervision_reminder_a_day")]


# ---- key projects, livelihood projects and the inspection plan ----------------------------------------------

MONEY = {"max_digits": 14, "decimal_places": 2}


class KeyProject(models.Model):
    """A key project (重点项目): the year's investment plan by quarter, what was completed, the inspection scores."""

    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="key_projects",
                                  verbose_name=_("责任单位"))
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY)
    item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_project",
                                verbose_name=_("督办事项"))

    class Meta:
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="key_project_code_unique_per_year")]
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectQuarter(models.Model):
    """One quarter of a key project: planned and completed investment (万元) and the quarter's inspection score."""

    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="quarters")
    quarter = models.PositiveSmallIntegerField(_("季度"))
    planned = models.DecimalField(_("计划投资（万元）"), **MONEY, default=0)
    completed = models.DecimalField(_("完成投资（万元）"), **MONEY, null=True, blank=True)
    score = models.FloatField(_("督查评分"), null=True, blank=True)
    note = models.CharField(_("督查意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["project", "quarter"], name="one_row_per_project_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                                   name="inspection_score_0_to_100"),
        ]
        verbose_name = _("季度投资与督查")
        verbose_name_plural = _("季度投资与督查")


class LivelihoodProject(models.Model):
    """A livelihood project (民生实事): budget, funds issued and paid (万元), progress through its item."""

    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="livelihood_projects",
                                  verbose_name=_("责任单位"))
    budget = models.DecimalField(_("预算资金（万元）"), **MONEY)
    issued = models.DecimalField(_("已下达资金（万元）"), **MONEY, default=0)
    paid = models.DecimalField(_("已支付资金（万元）"), **MONEY, default=0)
    item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="livelihood_project", verbose_name=_("督办事项"))

    class Meta:
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="livelihood_code_unique_per_year"),
            models.CheckConstraint(condition=models.Q(budget__gt=0, issued__gte=0, paid__gte=0),
                                   name="livelihood_funds_not_negative"),
        ]
        verbose_name = _("民生实事")
        verbose_name_plural = _("民生实事")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectionPlan(models.Model):
    """The year's supervision plan: how many inspections (督查检查) are allowed (Suining: 26)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    allowed = models.PositiveSmallIntegerField(_("计划督查检查次数"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("督查检查计划")
        verbose_name_plural = _("督查检查计划")

    def __str__(self) -> str:
        return f"{self.year} {self.allowed}"


class Inspection(models.Model):
    """A scheduled inspection; beyond the plan's number it needs an approval, recorded with it."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合督查")
        SPECIAL = "special", _("专项督查")
        UNANNOUNCED = "unannounced", _("暗访")
        KEY_PROJECTS = "key_projects", _("重点项目季度督查")

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("督查检查"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("日期"))
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("被检查单位"))
    in_plan = models.BooleanField(_("计划内"), default=True)
    approval = models.CharField(_("计划外审批（批准人、文号）"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "day", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(in_plan=True) | ~models.Q(approval=""),
                                              name="inspection_beyond_plan_needs_approval")]
        verbose_name = _("督查检查")
        verbose_name_plural = _("督查检查")

    def __str__(self) -> str:
        return f"{self.day} {self.title}"
