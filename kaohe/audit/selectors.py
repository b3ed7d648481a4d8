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
    # results and versions
    "announce": _("公示"), "publish": _("正式公布"), "appeal": _("申诉"), "decide": _("申诉处理"),
    # reporting problems, rating, the register
    "send": _("下发"), "answer": _("反馈整改"), "close": _("销号"), "reopen": _("重新整改"), "submit": _("提交评议表"),
    "remind": _("催办"), "approve": _("审定"), "withdraw": _("撤回"), "expert_score": _("专家评分"),
    # supervision
    "decompose": _("分解"), "progress": _("报送进展"), "complete": _("申请办结"), "letter": _("督办文书"),
    "overdue": _("逾期"), "quarter": _("季度投资与督查"), "funds": _("资金执行"), "plan": _("督查检查计划"),
    "schedule": _("安排督查检查"),
    # satisfaction surveys
    "group": _("作答群体"), "group_removed": _("删除作答群体"), "question": _("测评问题"),
    "question_removed": _("删除测评问题"), "status": _("测评状态"), "tokens": _("生成邀请码"), "review": _("复核答卷"),
    "reply": _("答复意见建议"), "import_answers": _("导入答卷"), "import_answers_failed": _("导入答卷未成功"),
    "import_answers_interrupted": _("导入答卷中断"),
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
