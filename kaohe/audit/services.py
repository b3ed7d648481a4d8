"""Writing and checking the audit chain. Each entry holds the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _plain(v: Any) -> Any:
    if isinstance(v, Model):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def entry_hash(prev_hash: str, *, at: str, actor_name: str, action: str, object_type: str, object_id: str,
               object_repr: str, cycle_id: int | None, changes: dict, reason: str) -> str:
    body = json.dumps({"prev": prev_hash, "at": at, "actor": actor_name, "action": action, "type": object_type,
                       "id": object_id, "repr": object_repr, "cycle": cycle_id, "changes": changes,
                       "reason": reason}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _stamp(at) -> str:
    return at.astimezone(timezone.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(*, by, action: str, obj: Model | None = None, object_type: str = "", object_id: str = "",
           object_repr: str = "", changes: dict | None = None, reason: str = "", cycle_id: int | None = None
           ) -> AuditEntry:
    """Append one entry; call inside the transaction that makes the change, so both land or neither."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj.__class__.__name__}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    changes = _plain(changes or {})
    actor_name = (by.get_username() if by is not None else "system")[:150]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        at = timezone.now()
        h = entry_hash(head.last_hash, at=_stamp(at), actor_name=actor_name, action=action, object_type=object_type,
                       object_id=object_id, object_repr=object_repr, cycle_id=cycle_id, changes=changes,
                       reason=reason)
        entry = AuditEntry.objects.create(at=at, actor=by, actor_name=actor_name, action=action,
                                          object_type=object_type, object_id=object_id, object_repr=object_repr,
                                          cycle_id=cycle_id, changes=changes, reason=reason,
                                          prev_hash=head.last_hash, hash=h)
        head.last_hash = h
        head.save(update_fields=["last_hash"])
    return entry


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as {field: [old, new]}."""
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


@dataclass
class ChainReport:
    checked: int
    broken: AuditEntry | None
    why: str = ""


def verify_chain() -> ChainReport:
    """Walk the chain from the start; the first entry whose hash or link does not match is named."""
    prev = GENESIS
    n = 0
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        n += 1
        if e.prev_hash != prev:
            return ChainReport(n, e, "上一条的哈希不符 (link to the previous entry broken: an entry was removed or reordered)")
        expected = entry_hash(prev, at=_stamp(e.at), actor_name=e.actor_name, action=e.action,
                              object_type=e.object_type, object_id=e.object_id, object_repr=e.object_repr,
                              cycle_id=e.cycle_id, changes=e.changes, reason=e.reason)
        if expected != e.hash:
            return ChainReport(n, e, "内容与哈希不符 (content changed after it was written)")
        prev = e.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and n and head.last_hash != prev:
        return ChainReport(n, None, "日志末尾的记录被删除 (entries removed from the end of the log)")
    return ChainReport(n, None)
