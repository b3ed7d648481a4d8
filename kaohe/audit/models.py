"""The append-only, hash-chained audit log: every change to a score, target, weight, value or result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人"), max_length=150)  # kept even if the account is removed
    action = models.CharField(_("操作"), max_length=32)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    cycle_id = models.BigIntegerField(_("考核周期"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("变更"), default=dict)  # {"field": [old, new]}
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: an entry, once written, is never rewritten through the ORM.
        if not self._state.adding:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)


class AuditHead(models.Model):
    """One row, locked while an entry is appended, so that two writers never fork the chain."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
