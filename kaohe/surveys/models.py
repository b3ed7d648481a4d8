"""Satisfaction surveys (满意度测评): design, one-time tokens, answers from the web and from imports, counts.

The engine's `satisfaction` method reads counts per (indicator, unit, choice). Web answers are written fast and
folded into `Count` rows incrementally (kaohe.surveys.services.fold_counts); imported answers are counted in
their import's transaction. Flagged submissions (a burst, a duplicate) wait for the office's review and are
counted only once accepted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Unit

# The cycle's choices (settings.choices, spec: satisfied 100 … unsatisfied 0) and how people read them.
CHOICE_LABELS = {"satisfied": _("满意"), "fairly_satisfied": _("比较满意"), "basically_satisfied": _("基本满意"),
                 "unsatisfied": _("不满意")}


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("设计中")
        OPEN = "open", _("测评中")
        CLOSED = "closed", _("已结束")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("考核周期"))
    title = models.CharField(_("测评名称"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # the open link (公开链接): anyone with it may answer, within the limits below
    open_slug = models.CharField(_("公开链接标识"), max_length=32, unique=True)
    open_link = models.BooleanField(_("启用公开链接"), default=False)
    limit_per_ip = models.PositiveIntegerField(_("公开链接每个IP每小时最多答卷"), default=20)
    limit_per_device = models.PositiveIntegerField(_("公开链接每台设备最多答卷"), default=1)
    # a burst: more than burst_count submissions from one address within burst_minutes are flagged for review
    burst_minutes = models.PositiveIntegerField(_("集中提交判定时段（分钟）"), default=10)
    burst_count = models.PositiveIntegerField(_("同一地址时段内答卷超过此数即标记"), default=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return self.title


class Group(models.Model):
    """A respondent group (测评群体) and the channel it answers through."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("群众")
        DEPUTIES = "deputies", _("人大代表、政协委员")
        SERVICE_USERS = "service_users", _("服务对象")
        UNITS = "units", _("单位")
        LEADERS = "leaders", _("领导")

    class Channel(models.TextChoices):
        INVITATION = "invitation", _("邀请链接")
        QR = "qr", _("二维码")
        SMS = "sms", _("短信")
        OPEN_LINK = "open_link", _("公开链接")
        IMPORT = "import", _("外部导入（电话调查等）")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("群体"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="survey_group_code_unique")]
        verbose_name = _("测评群体")
        verbose_name_plural = _("测评群体")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question: the respondents of its groups rate each of its units on one satisfaction indicator."""

    class Direction(models.TextChoices):
        TOP_DOWN = "top_down", _("上评下")
        BOTTOM_UP = "bottom_up", _("下评上")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("指标"))
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    text = models.CharField(_("问题"), max_length=300)
    order = models.PositiveIntegerField(_("排序"), default=0)
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("被测评单位"))
    groups = models.ManyToManyField(Group, related_name="questions", verbose_name=_("作答群体"))

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("测评问题")
        verbose_name_plural = _("测评问题")

    def __str__(self) -> str:
        return self.text


class Token(models.Model):
    """A one-time invitation (邀请码): one submission, then it is spent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(_("邀请码"), max_length=32, unique=True)
    sent_to = models.CharField(_("发送对象（已脱敏）"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")


class Submission(models.Model):
    """One respondent's answers from the web (答卷), with what is needed to spot stuffing."""

    class Status(models.TextChoices):
        COUNTED = "counted", _("有效")
        FLAGGED = "flagged", _("待复核")
        REJECTED = "rejected", _("复核无效")

    # every index is written once per answer sheet: the survey's is the first column of the composite ones below,
    # and a group's or a reviewer's submissions are looked up only when one is deleted (rare), so neither has its own
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions", db_index=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="submissions", db_index=False)
    token = models.OneToOneField(Token, null=True, blank=True, on_delete=models.SET_NULL, related_name="submission")
    channel = models.CharField(_("渠道"), max_length=12, choices=Group.Channel.choices)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    device = models.CharField(_("设备标识"), max_length=32, blank=True)
    fingerprint = models.CharField(_("答卷指纹"), max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.COUNTED)
    flag_reason = models.CharField(_("标记原因"), max_length=200, blank=True)
    folded = models.BooleanField(default=False)  # its answers are in Count (fold_counts)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["survey", "ip", "submitted_at"], name="submission_ip_time"),
            models.Index(fields=["survey", "device"], name="submission_device"),
            models.Index(fields=["survey", "fingerprint"], name="submission_fingerprint"),
            models.Index(fields=["survey", "submitted_at"], name="submission_time"),
            models.Index(fields=["folded"], condition=models.Q(folded=False), name="submission_unfolded"),
            # the review queue and the monitor's bursts read only the flagged few among millions
            models.Index(fields=["survey", "submitted_at"], condition=models.Q(status="flagged"),
                         name="submission_flagged"),
        ]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")


class Answer(models.Model):
    """One rating of one unit in a web submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    choice = models.CharField(_("选项"), max_length=24)


class ImportBatch(models.Model):
    """One file of answers collected elsewhere (telephone survey companies, statistics bureaus)."""

    class State(models.TextChoices):
        RUNNING = "running", _("导入中")
        DONE = "done", _("已导入")
        FAILED = "failed", _("未导入（有错误）")
        INTERRUPTED = "interrupted", _("已中断（未导入）")  # its process stopped mid-way: nothing was written

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("文件"), max_length=200)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RUNNING)
    rows_total = models.BigIntegerField(_("总行数"), default=0)
    rows_done = models.BigIntegerField(_("已处理"), default=0)
    problems = models.JSONField(_("错误"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("外部答卷导入")
        verbose_name_plural = _("外部答卷导入")

    @property
    def not_imported(self) -> bool:
        return self.state in (self.State.FAILED, self.State.INTERRUPTED)


class ImportedAnswer(models.Model):
    """One imported rating, loaded in bulk (PostgreSQL COPY): lean on purpose.

    What made a load of millions of rows slow is kept out of the table: no foreign-key constraints in the database
    (a trigger query per row and key) — the importer checks every id against the survey's design and holds that
    design locked (FOR KEY SHARE, as the constraints would) until it commits, and deletions still cascade or are
    refused through Django's on_delete; and no B-tree on the batch (millions of equal keys) — a batch's rows are
    copied together, so a BRIN index finds them (migration 0002; a plain index on SQLite)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False,
                              db_constraint=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    choice = models.CharField(max_length=24)
    respondent = models.CharField(max_length=40, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)


class Count(models.Model):
    """Answers per question, unit, group and choice: what the engine reads, kept up to date incrementally."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="counts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=24)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "unit", "group", "choice"], name="one_count_each")]


class Comment(models.Model):
    """A comment (意见建议) about a unit; the unit reads it masked and answers it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_comments", verbose_name=_("单位"))
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("原文"))  # the office's only: it may hold a phone number to call back
    masked = models.TextField(_("意见建议"))  # what the unit sees: phone and ID numbers masked
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["survey", "unit"], name="comment_survey_unit")]
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
