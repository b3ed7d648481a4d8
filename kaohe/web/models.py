"""In-app notices (站内通知): what a person is told to do, with a link to where to do it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    cycle = models.ForeignKey("indicators.Cycle", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # what sent it, so that a job run twice does not say the same thing twice (e.g. "remind:phase7:unit3:2026-01-10")
    key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="notice_once_per_user_and_key")]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.text
