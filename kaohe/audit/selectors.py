"""Reads of the audit log, and its entries put the way a person reads them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

ACTIONS = {
    "create": _("新建"), "update": _("修改"), "delete": _("删除"), "import": _("导入"), "compute": _("计算"),
    "copy": _("复制"),
}


# Keys the services write that are not model fields (counts and summaries of a bulk change).
KEYS = {
    "fingerprint": _("输入指纹"), "units": _("单位数"), "indicators": _("指标数"), "values": _("数据条数"),
    "ratings": _("评分条数"), "responses": _("答卷条数"), "adjustments": _("加减分条数"), "warnings": _("提示条数"),
    "errors": _("错误条数"), "removed": _("删除的指标"), "copied_from": _("复制自"), "parent": _("上级指标"),
}
HEX = re.compile(r"[0-9a-f]{64}")


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def entries(*, cycle_id: int | None = None, action: str = "", object_type: str = "", actor: str = ""
            ) -> QuerySet[AuditEntry]:
    """Newest first, narrowed by whichever filters are given."""
    qs = AuditEntry.objects.select_related("actor__profile").order_by("-id")
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_name=actor)
    return qs


def history(object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return entries(object_type=object_type).filter(object_id=object_id)


@dataclass
class Change:
    field: str
    old: str
    new: str


def _show(v: Any, choices: dict | None = None) -> str:
    if v is None or v == "":
        return "—"
    if choices and isinstance(v, str) and v in choices:
        return str(choices[v])
    if isinstance(v, str) and HEX.fullmatch(v):
        return v[:12] + "…"  # a hash: the first digits tell two apart
    if isinstance(v, bool):
        return str(_("是") if v else _("否"))
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    return str(v)


def changes(entry: AuditEntry) -> list[Change]:
    """Each changed field with its label (the model's verbose name where there is one), old → new."""
    model = _model(entry.object_type)
    out = []
    for name, pair in (entry.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label, choices = str(KEYS.get(name, name)), None
        if model is not None and name not in KEYS:
            try:
                f = model._meta.get_field(name)
                label = str(getattr(f, "verbose_name", name))
                choices = dict(f.choices) if getattr(f, "choices", None) else None
            except FieldDoesNotExist:
                pass
        out.append(Change(label, _show(old, choices), _show(new, choices)))
    return out
