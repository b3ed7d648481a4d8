"""Writes to the bonus, deduction and veto register (加减分 / 一票否决 登记), each with its audit entry.

An approved entry becomes the engine's input: one indicators.Adjustment, removed again when the approval
is withdrawn. Caps (bonus_cap, deduction_cap) are applied by the engine, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.engine.numbers import round2
from kaohe.indicators import gates
from kaohe.indicators.models import Adjustment, Cycle
from kaohe.organisation.models import Unit
from kaohe.reporting.evidence import store_evidence_files
from kaohe.web import access
from kaohe.web.notices import notify, unit_users

from .models import Entry, ExpertScore

BONUS_SOURCES = (Entry.Source.INNOVATION, Entry.Source.AWARD)
PENALTY_SOURCES = (Entry.Source.LETTER, Entry.Source.SANCTION, Entry.Source.INCIDENT, Entry.Source.OTHER)


class EntryRefused(Exception):
    """A register change that is not allowed (by role or by the entry's state), with the reason for people."""


def _snap(entry: Entry) -> dict[str, Any]:
    return {"unit": entry.unit.code, "kind": entry.kind, "source": entry.source, "title": entry.title,
            "reason": entry.reason, "reference": entry.reference, "points_claimed": entry.points_claimed,
            "points": entry.points, "state": entry.state, "decision": entry.decision}


def _check_kind_and_source(kind: str, source: str) -> None:
    if kind not in Entry.Kind.values:
        raise EntryRefused(_("未知的类型“%(k)s”。") % {"k": kind})
    allowed = BONUS_SOURCES if kind == Entry.Kind.BONUS else PENALTY_SOURCES
    if source not in allowed:
        raise EntryRefused(_("“%(kind)s”的来源只能是：%(allowed)s。")
                           % {"kind": Entry.Kind(kind).label, "allowed": "、".join(str(Entry.Source(s).label)
                                                                                   for s in allowed)})


def _create(*, by, cycle: Cycle, unit: Unit, kind: str, source: str, title: str, reason: str, reference: str,
            points_claimed: float, uploads: Iterable[UploadedFile], how: str) -> Entry:
    if not cycle.units.filter(pk=unit.pk).exists():
        raise EntryRefused(_("%(unit)s 不是本周期的考核对象。") % {"unit": unit.name})
    _check_kind_and_source(kind, source)
    if not title.strip():
        raise EntryRefused(_("事项不能为空。"))
    if kind != Entry.Kind.BONUS and not reason.strip():
        raise EntryRefused(_("扣分和一票否决须写明事由。"))
    if points_claimed < 0:
        raise EntryRefused(_("分值不能为负数。"))
    if kind == Entry.Kind.VETO:
        points_claimed = 0  # a veto has no points: the engine only asks whether there is one
    entry = Entry.objects.create(cycle=cycle, unit=unit, kind=kind, source=source, title=title.strip(),
                                 reason=reason.strip(), reference=reference.strip(),
                                 points_claimed=round2(points_claimed), applied_by=by)
    # the unit owns the files even when the office uploads them, so the unit can read them
    files = store_evidence_files(by=by, cycle=cycle, unit=unit, uploads=uploads)
    if files:
        entry.evidence.add(*files)
    changes = {k: [None, v] for k, v in _snap(entry).items() if v not in ("", None)}
    if files:
        changes["evidence"] = [None, [f.name for f in files]]
    record(by=by, action="create", obj=entry, cycle_id=cycle.pk, changes=changes, reason=how)
    return entry


@transaction.atomic
def apply_entry(*, by, cycle: Cycle, unit: Unit, source: str, title: str, reason: str = "", reference: str = "",
                points_claimed: float = 0, uploads: Iterable[UploadedFile] = ()) -> Entry:
    """A unit applies for bonus points (创新创优 or 表彰奖励) for itself, with evidence."""
    own = access.own_unit(by)
    if not access.is_office(by) and (own is None or own.pk != unit.pk):
        raise EntryRefused(_("只能为本单位申报加分。"))
    return _create(by=by, cycle=cycle, unit=unit, kind=Entry.Kind.BONUS, source=source, title=title, reason=reason,
                   reference=reference, points_claimed=points_claimed, uploads=uploads, how=_("单位申报"))


@transaction.atomic
def record_entry(*, by, cycle: Cycle, unit: Unit, kind: str, source: str, title: str, reason: str = "",
                 reference: str = "", points_claimed: float = 0, uploads: Iterable[UploadedFile] = ()) -> Entry:
    """The office records a bonus, a deduction (两书一函, sanctions, incidents) or a veto for any unit."""
    if not access.is_office(by):
        raise EntryRefused(_("扣分和一票否决只能由考核办登记。"))
    return _create(by=by, cycle=cycle, unit=unit, kind=kind, source=source, title=title, reason=reason,
                   reference=reference, points_claimed=points_claimed, uploads=uploads, how=_("考核办登记"))


def _require_office(by) -> None:
    if not access.is_office(by):
        raise EntryRefused(_("只有考核办可以审定加减分事项。"))


@transaction.atomic
def add_expert_score(*, by, entry: Entry, expert: str, score: float) -> ExpertScore:
    """One expert's score for a 创新创优 item, while it awaits the decision."""
    _require_office(by)
    entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    expert = expert.strip()
    if not entry.needs_experts:
        raise EntryRefused(_("只有创新创优事项需要专家评审。"))
    if entry.state != Entry.State.APPLIED:
        raise EntryRefused(_("事项已审定，不能再录入专家评分；如需改动请先撤销审定。"))
    if not expert:
        raise EntryRefused(_("请填写专家姓名。"))
    if score < 0:
        raise EntryRefused(_("评分不能为负数。"))
    if entry.expert_scores.filter(expert=expert).exists():
        raise EntryRefused(_("专家“%(e)s”已评过分。") % {"e": expert})
    es = ExpertScore.objects.create(entry=entry, expert=expert, score=score, entered_by=by)
    record(by=by, action="expert_score", obj=entry, cycle_id=entry.cycle_id,
           changes={"expert": [None, expert], "score": [None, score]})
    return es


def expert_average(entry: Entry) -> float | None:
    scores = [s.score for s in entry.expert_scores.all()]
    return round2(sum(scores) / len(scores)) if scores else None


def _tell_unit(entry: Entry, text: str) -> None:
    link = reverse("register_detail", kwargs={"cycle": entry.cycle_id, "pk": entry.pk})
    notify(users=unit_users(entry.unit), text=text, link=link, cycle=entry.cycle)


@transaction.atomic
def decide_entry(*, by, entry: Entry, approve: bool, points: float | None = None, decision: str = "") -> Entry:
    """Approve (creating the engine's adjustment) or reject an applied entry; the unit is told.

    Innovation items need at least one expert score; their points default to the experts' average.
    After the year-end result is published a decision needs a written reason (the phase gate).
    """
    _require_office(by)
    entry = Entry.objects.select_for_update().select_related("unit", "cycle").get(pk=entry.pk)
    if entry.state != Entry.State.APPLIED:
        raise EntryRefused(_("该事项已审定（%(s)s）。") % {"s": entry.get_state_display()})
    decision = decision.strip()
    gates.require_reason_after_publication(entry.cycle, decision)
    before = _snap(entry)
    if approve:
        if entry.kind == Entry.Kind.VETO:
            points = 0.0
        else:
            if entry.needs_experts:
                if not entry.expert_scores.exists():
                    raise EntryRefused(_("创新创优事项须至少有一位专家评分后才能批准。"))
                if points is None:
                    points = expert_average(entry)
            if points is None or points <= 0:
                raise EntryRefused(_("批准的分值须大于 0。"))
            points = round2(points)
        entry.adjustment = Adjustment.objects.create(cycle=entry.cycle, unit=entry.unit, kind=entry.kind,
                                                     points=points, reason=entry.title[:300])
        entry.state, entry.points = Entry.State.APPROVED, points
    else:
        if not decision:
            raise EntryRefused(_("不予批准须写明理由。"))
        entry.state, entry.points = Entry.State.REJECTED, None
    entry.decision, entry.decided_by, entry.decided_at = decision, by, timezone.now()
    entry.save()
    changes = {k: v for k, v in {
        "state": [before["state"], entry.state], "points": [before["points"], entry.points],
        "decision": [before["decision"], entry.decision]}.items() if v[0] != v[1]}
    record(by=by, action="approve" if approve else "reject", obj=entry, cycle_id=entry.cycle_id, changes=changes,
           reason=decision)
    if approve:
        text = _("%(cycle)s：“%(title)s”已批准，核定%(kind)s %(points)s 分。") % {
            "cycle": entry.cycle.name, "title": entry.title, "kind": entry.get_kind_display(),
            "points": f"{entry.points:g}"}
        if entry.kind == Entry.Kind.VETO:
            text = _("%(cycle)s：“%(title)s”经审定为一票否决事项。") % {"cycle": entry.cycle.name, "title": entry.title}
    else:
        text = _("%(cycle)s：“%(title)s”未获批准。理由：%(why)s") % {"cycle": entry.cycle.name, "title": entry.title,
                                                                "why": decision}
    _tell_unit(entry, text)
    return entry


@transaction.atomic
def withdraw_entry(*, by, entry: Entry, reason: str) -> Entry:
    """Take an approval back: the adjustment goes, the entry waits for a new decision."""
    _require_office(by)
    entry = Entry.objects.select_for_update().select_related("unit", "cycle").get(pk=entry.pk)
    reason = reason.strip()
    if entry.state != Entry.State.APPROVED:
        raise EntryRefused(_("只有已批准的事项可以撤销审定。"))
    if not reason:
        raise EntryRefused(_("撤销审定须写明理由。"))
    gates.require_reason_after_publication(entry.cycle, reason)
    old = {"state": entry.state, "points": entry.points, "decision": entry.decision,
           "decided_by": entry.decided_by.get_username() if entry.decided_by_id else None,
           "decided_at": timezone.localtime(entry.decided_at).strftime("%Y-%m-%d %H:%M") if entry.decided_at else None}
    adjustment = entry.adjustment
    entry.adjustment = None
    entry.state, entry.points, entry.decision, entry.decided_by, entry.decided_at = (
        Entry.State.APPLIED, None, "", None, None)
    entry.save()
    if adjustment is not None:
        adjustment.delete()
    record(by=by, action="withdraw", obj=entry, cycle_id=entry.cycle_id, reason=reason,
           changes={k: [v, getattr(entry, k) if k in ("state", "points", "decision") else None]
                    for k, v in old.items()})
    _tell_unit(entry, _("%(cycle)s：“%(title)s”的审定已撤销，待重新审定。理由：%(why)s")
               % {"cycle": entry.cycle.name, "title": entry.title, "why": reason})
    return entry
