"""A batch export of every unit's report card (成绩单) of one version as PDFs in one zip."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CardExport(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    run = models.ForeignKey("results.Run", on_delete=models.CASCADE, related_name="card_exports",
                            verbose_name=_("版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("导出人"))
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(_("单位数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    error = models.TextField(_("错误"), blank=True)
    # set with each unit done: an export "running" whose heartbeat is old was cut off with its process
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # relative to MEDIA_ROOT ("exports/…zip"): outside the web root, served only through the download view
    file = models.CharField(_("文件"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("成绩单批量导出")
        verbose_name_plural = _("成绩单批量导出")

    def __str__(self) -> str:
        return f"{self.run} 成绩单导出 #{self.pk}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
