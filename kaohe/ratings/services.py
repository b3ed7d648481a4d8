"""Every write of online rating (四位一体 评议): groups, the window, raters, sheets, submission, reminders.

Each change is recorded in the audit log in its own transaction. A submitted sheet becomes the cycle's
indicators.Rating rows (rater = the rater's code), which the engine's `rating` method reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import diff, record
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, RaterGroup, Rating
from kaohe.organisation.models import Unit
from kaohe.web import notices
from kaohe.workbook.cells import cell_text

from . import selectors
from .models import Rater, RatingWindow, SheetScore


class RatingError(Exception):
    """A change to rating that is refused, with the reason for people; field names what was wrong, where known."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class OwnUnit(RatingError):
    """A rater never rates their own unit."""


class AlreadySubmitted(RatingError):
    """A sheet is submitted once; afterwards it does not change."""


class RatingClosed(RatingError):
    """Sheets are filled only while the rating window is open."""


class GroupInUse(RatingError):
    """A group with raters, ratings or leaves using it cannot go."""


class SheetInvalid(RatingError):
    """Cells of a sheet that cannot be saved: {(indicator pk, unit pk): message}. Nothing was saved."""

    def __init__(self, errors: dict[tuple[int, int], str]):
        self.errors = errors
        super().__init__(_("有 %(n)d 个格子填写有误（已标红），全部未保存。") % {"n": len(errors)})


# ---- groups and the window --------------------------------------------------------------------


def _group_snapshot(g: RaterGroup) -> dict:
    return {"code": g.code, "name": g.name, "weight": g.weight}


@transaction.atomic
def save_group(*, by, cycle: Cycle, group: RaterGroup | None, code: str, name: str, weight: float) -> RaterGroup:
    """Add a rater group (group None) or change one. Weight is a share (0.4 for 40%)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise RatingError(_("评议组的编号和名称都要填写。"))
    if weight < 0:
        raise RatingError(_("权重不能为负数。"))
    clash = RaterGroup.objects.filter(cycle=cycle, code=code)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise RatingError(_("本周期已有编号为 %(code)s 的评议组。") % {"code": code})
    if group is None:
        group = RaterGroup(cycle=cycle)
        before: dict = {}
    else:
        before = _group_snapshot(group)
        if code != group.code and _group_used(group):
            raise GroupInUse(_("评议组 %(name)s 已有评议人、评分或指标引用，编号不能再改。") % {"name": group.name})
    group.code, group.name, group.weight = code, name, weight
    changes = diff(before, _group_snapshot(group))
    if not changes:
        return group
    group.save()
    record(by=by, action="update" if before else "create", obj=group, cycle_id=cycle.pk, changes=changes)
    return group


def _group_used(group: RaterGroup) -> list[str]:
    """What holds on to a group: its raters, its ratings, leaves naming it in params.groups."""
    held = []
    if group.raters.exists():
        held.append(_("评议人 %(n)d 个") % {"n": group.raters.count()})
    if group.ratings.exists():
        held.append(_("评分 %(n)d 条") % {"n": group.ratings.count()})
    leaves = [n.code for n in selectors.rating_leaves(group.cycle) if group.code in (n.params or {}).get("groups", [])]
    if leaves:
        held.append(_("指标 %(codes)s") % {"codes": "、".join(leaves)})
    return held


@transaction.atomic
def delete_group(*, by, group: RaterGroup) -> None:
    held = _group_used(group)
    if held:
        raise GroupInUse(_("评议组 %(name)s 不能删除：已有%(what)s。") % {"name": group.name, "what": "、".join(held)})
    record(by=by, action="delete", obj=group, cycle_id=group.cycle_id,
           changes={k: [v, None] for k, v in _group_snapshot(group).items()})
    group.delete()


@transaction.atomic
def save_window(*, by, cycle: Cycle, opens: dt.date, closes: dt.date, reason_below: float) -> RatingWindow:
    if closes < opens:
        raise RatingError(_("评议截止日期不能早于开始日期。"))
    if not 0 <= reason_below <= 100:
        raise RatingError(_("须说明理由的分数线应在 0–100 之间。"))
    window = RatingWindow.objects.filter(cycle=cycle).first()
    before = {"opens": str(window.opens), "closes": str(window.closes),
              "reason_below": window.reason_below} if window else {}
    window = window or RatingWindow(cycle=cycle)
    window.opens, window.closes, window.reason_below = opens, closes, reason_below
    changes = diff(before, {"opens": str(opens), "closes": str(closes), "reason_below": reason_below})
    if not changes:
        return window
    window.save()
    record(by=by, action="update" if before else "create", obj=cycle, object_type="ratings.RatingWindow",
           object_id=str(window.pk), object_repr=_("%(cycle)s 评议时间") % {"cycle": cycle.name},
           cycle_id=cycle.pk, changes=changes)
    return window


# ---- raters -----------------------------------------------------------------------------------


def _check_rates(cycle: Cycle, own: Unit | None, rates: Iterable[Unit]) -> list[Unit]:
    rates = list(rates)
    if own is not None and any(u.pk == own.pk for u in rates):
        raise OwnUnit(_("评议人不能评议本单位（%(unit)s）：请从被评议单位中去掉它。") % {"unit": own.name}, "rates")
    members = set(cycle.units.values_list("pk", flat=True))
    strangers = [u.name for u in rates if u.pk not in members]
    if strangers:
        raise RatingError(_("以下单位不是本周期的考核对象：%(names)s") % {"names": "、".join(strangers)}, "rates")
    if not rates:
        raise RatingError(_("请至少选择一个被评议单位。"), "rates")
    return rates


def next_code(cycle: Cycle, group: RaterGroup) -> str:
    """A fresh rater code for the group: group code + a running number, unused in the cycle and its ratings."""
    used = set(Rater.objects.filter(cycle=cycle).values_list("code", flat=True))
    used |= set(Rating.objects.filter(cycle=cycle).values_list("rater", flat=True))
    n = Rater.objects.filter(cycle=cycle, group=group).count() + 1
    while f"{group.code}-{n:02d}" in used:
        n += 1
    return f"{group.code}-{n:02d}"


def _rater_snapshot(r: Rater, rates: Iterable[Unit]) -> dict:
    return {"group": r.group.code, "code": r.code, "user": r.user.get_username() if r.user_id else None,
            "unit": r.unit.code if r.unit_id else None, "rates": sorted(u.code for u in rates)}


@transaction.atomic
def add_rater(*, by, cycle: Cycle, group: RaterGroup, rates: Iterable[Unit], user=None, unit: Unit | None = None,
              code: str = "") -> Rater:
    """Assign a person or a unit to a group and to the units they rate (never their own unit)."""
    if (user is None) == (unit is None):
        raise RatingError(_("评议人须是一个人或一个单位（二选一）。"))
    if group.cycle_id != cycle.pk:
        raise RatingError(_("评议组不属于本周期。"))
    rates = _check_rates(cycle, selectors.rater_own_unit(user=user, unit=unit), rates)
    code = code.strip() or next_code(cycle, group)
    if Rater.objects.filter(cycle=cycle, code=code).exists():
        raise RatingError(_("评议人编号 %(code)s 在本周期已被使用。") % {"code": code}, "code")
    if Rating.objects.filter(cycle=cycle, rater=code).exists():
        raise RatingError(_("评议人编号 %(code)s 已用于导入的评分，请换一个。") % {"code": code}, "code")
    same = Rater.objects.filter(cycle=cycle, group=group, user=user, unit=unit)
    if same.exists():
        raise RatingError(_("%(who)s 已是本组的评议人（%(code)s），请修改其被评议单位。")
                          % {"who": same.first(), "code": same.first().code})
    rater = Rater.objects.create(cycle=cycle, group=group, code=code, user=user, unit=unit)
    rater.rates.set(rates)
    record(by=by, action="create", obj=rater, cycle_id=cycle.pk,
           changes={k: [None, v] for k, v in _rater_snapshot(rater, rates).items()})
    return rater


def _unsubmitted(rater: Rater) -> Rater:
    rater = Rater.objects.select_for_update().get(pk=rater.pk)
    if rater.submitted_at is not None:
        raise AlreadySubmitted(_("%(who)s 的评议表已于 %(at)s 提交，不能再修改。")
                               % {"who": rater, "at": timezone.localtime(rater.submitted_at).strftime("%Y-%m-%d %H:%M")})
    return rater


@transaction.atomic
def update_rater(*, by, rater: Rater, rates: Iterable[Unit]) -> bool:
    """Change the units a rater rates (not after submission). Cells for units no longer rated go."""
    rater = _unsubmitted(rater)
    rates = _check_rates(rater.cycle, selectors.own_unit_of(rater), rates)
    before = sorted(rater.rates.values_list("code", flat=True))
    after = sorted(u.code for u in rates)
    if before == after:
        return False
    rater.rates.set(rates)
    dropped = rater.scores.exclude(unit__in=rates)
    n = dropped.count()
    dropped.delete()
    changes = {"rates": [before, after]} | ({"cells_removed": [n, None]} if n else {})
    record(by=by, action="update", obj=rater, cycle_id=rater.cycle_id, changes=changes)
    return True


@transaction.atomic
def delete_rater(*, by, rater: Rater) -> None:
    rater = _unsubmitted(rater)
    record(by=by, action="delete", obj=rater, cycle_id=rater.cycle_id,
           changes={k: [v, None] for k, v in _rater_snapshot(rater, rater.rates.all()).items()}
           | {"cells": [rater.scores.count(), None]})
    rater.delete()


# ---- sheets -----------------------------------------------------------------------------------


def require_open(cycle: Cycle, day: dt.date | None = None) -> RatingWindow:
    window = RatingWindow.objects.filter(cycle=cycle).first()
    reason = selectors.closed_reason(window, day or gates.today())
    if reason:
        raise RatingClosed(reason)
    return window


Cells = dict[tuple[int, int], tuple[float | None, str]]


def _check_cells(rater: Rater, window: RatingWindow, cells: Cells) -> dict[tuple[int, int], str]:
    """Each cell: on the rater's sheet (not their own unit), 0–100, a reason below the window's line."""
    allowed = selectors.sheet_cells(rater)
    own = selectors.own_unit_of(rater)
    errors: dict[tuple[int, int], str] = {}
    for key, (score, reason) in cells.items():
        if own is not None and key[1] == own.pk:
            raise OwnUnit(_("评议人不能评议本单位（%(unit)s），未保存。") % {"unit": own.name})
        if key not in allowed:
            errors[key] = _("该单位或指标不在您的评议表上。")
        elif score is None:
            continue
        elif not 0 <= score <= 100:
            errors[key] = _("分数应在 0–100 之间。")
        elif score < window.reason_below and not reason.strip():
            errors[key] = _("低于 %(line)s 分须说明理由。") % {"line": f"{window.reason_below:g}"}
    return errors


def _write_cells(rater: Rater, cells: Cells) -> list[str]:
    existing = {(s.indicator_id, s.unit_id): s for s in rater.scores.all()}
    names = {n.pk: n.code for n in rater.cycle.indicators.filter(pk__in={k[0] for k in cells})}
    units = dict(Unit.objects.filter(pk__in={k[1] for k in cells}).values_list("pk", "code"))
    changed = []
    for (ind, unit), (score, reason) in sorted(cells.items()):
        reason = reason.strip()[:300]
        s = existing.get((ind, unit))
        if score is None:
            if s is not None:
                s.delete()
                changed.append(f"{names[ind]}/{units[unit]}: {s.score:g} → —")
            continue
        if s is not None and s.score == score and s.reason == reason:
            continue
        changed.append(f"{names[ind]}/{units[unit]}: {f'{s.score:g}' if s else '—'} → {score:g}")
        if s is None:
            SheetScore.objects.create(rater=rater, indicator_id=ind, unit_id=unit, score=score, reason=reason)
        else:
            s.score, s.reason = score, reason
            s.save(update_fields=["score", "reason"])
    return changed


@transaction.atomic
def save_sheet(*, by, rater: Rater, cells: Cells) -> int:
    """Save a draft: cells {(indicator pk, unit pk): (score or None for empty, reason)}. Returns cells changed.

    All or nothing: any invalid cell raises SheetInvalid and nothing is saved.
    """
    rater = _unsubmitted(rater)
    window = require_open(rater.cycle)
    errors = _check_cells(rater, window, cells)
    if errors:
        raise SheetInvalid(errors)
    changed = _write_cells(rater, cells)
    if changed:
        # the scores themselves stay out of the log while rating is open: who changed how many cells is enough
        record(by=by, action="update", obj=rater, cycle_id=rater.cycle_id, changes={"cells": [None, len(changed)]})
    return len(changed)


@transaction.atomic
def submit_sheet(*, by, rater: Rater, cells: Cells | None = None) -> int:
    """Save the last cells, check that every cell is filled, write the Rating rows and lock the sheet.

    Returns the number of ratings written. A second submission raises AlreadySubmitted and changes nothing.
    """
    rater = _unsubmitted(rater)
    window = require_open(rater.cycle)
    if cells:
        errors = _check_cells(rater, window, cells)
        if errors:
            raise SheetInvalid(errors)
        _write_cells(rater, cells)
    allowed = selectors.sheet_cells(rater)
    scores = {(s.indicator_id, s.unit_id): s for s in rater.scores.all()}
    own = selectors.own_unit_of(rater)
    if own is not None and any(k[1] == own.pk for k in scores):
        raise OwnUnit(_("评议表中有对本单位（%(unit)s）的评分，不能提交。") % {"unit": own.name})
    # cells left over from before the office changed the sheet (units rated, leaves, groups) are not submitted
    stale = [k for k in scores if k not in allowed]
    if stale:
        rater.scores.filter(pk__in=[scores.pop(k).pk for k in stale]).delete()
    errors = {k: _("提交前每一格都要打分。") for k in allowed if k not in scores}
    for k, s in scores.items():
        if s.score < window.reason_below and not s.reason.strip():
            errors[k] = _("低于 %(line)s 分须说明理由。") % {"line": f"{window.reason_below:g}"}
    if errors:
        raise SheetInvalid(errors)
    if not allowed:
        raise RatingError(_("评议表上没有要打分的格子，无需提交。"))
    clash = Rating.objects.filter(cycle=rater.cycle, rater=rater.code, group=rater.group)
    if clash.exists():
        raise RatingError(_("评议人编号 %(code)s 已有评分记录（可能来自导入），不能重复提交。") % {"code": rater.code})
    Rating.objects.bulk_create([Rating(cycle=rater.cycle, indicator_id=s.indicator_id, unit_id=s.unit_id,
                                       group=rater.group, rater=rater.code, score=s.score)
                                for k, s in sorted(scores.items())])
    rater.submitted_at, rater.submitted_by = timezone.now(), by
    rater.save(update_fields=["submitted_at", "submitted_by"])
    record(by=by, action="submit", obj=rater, cycle_id=rater.cycle_id,
           changes={"submitted_at": [None, rater.submitted_at], "ratings": [None, len(scores)]}
           | ({"stale_cells_dropped": [len(stale), None]} if stale else {}))
    return len(scores)


# ---- reminders --------------------------------------------------------------------------------


def _people(rater: Rater) -> list:
    if rater.user_id:
        return [rater.user] if rater.user.is_active else []
    return notices.unit_users(rater.unit)


@transaction.atomic
def remind_raters(*, by, cycle: Cycle) -> int:
    """Leave a notice (and a mail) for each rater who has not submitted; once per rater and day. Returns people told."""
    day = gates.today()
    window = RatingWindow.objects.filter(cycle=cycle).first()
    until = _("，截止 %(d)s") % {"d": window.closes} if window else ""
    told = 0
    waiting = list(Rater.objects.filter(cycle=cycle, submitted_at__isnull=True).select_related("user", "unit", "group"))
    for rater in waiting:
        text = (_("请填写并提交%(cycle)s的评议表（%(group)s）%(until)s。")
                % {"cycle": cycle.name, "group": rater.group.name, "until": until})
        told += notices.notify(users=_people(rater), text=text, cycle=cycle,
                               link=reverse("rating_sheet", kwargs={"cycle": cycle.pk, "pk": rater.pk}),
                               key=f"rating-remind-{rater.pk}-{day}", subject=_("评议提醒"))
    record(by=by, action="remind", obj=cycle, cycle_id=cycle.pk, object_repr=_("%(cycle)s 评议提醒") % {"cycle": cycle.name},
           changes={"raters": [None, len(waiting)], "told": [None, told]})
    return told


# ---- bulk assignment from Excel ---------------------------------------------------------------

SHEET_COLUMNS = ("评议组", "评议人账号", "评议单位编号", "被评议单位编号", "评议人编号")


@dataclass
class SheetProblem:
    row: int | None
    column: str | None
    message: str


class RaterSheetInvalid(RatingError):
    """The rater sheet has problems (row, column, message); nothing was imported."""

    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__(_("评议人表有 %(n)d 个问题，未导入任何内容。") % {"n": len(problems)})



def read_rater_sheet(source: bytes) -> list[dict[str, str]]:
    """The rows of a rater sheet (first sheet, header in row 1), each with its row number under "_row"."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(source), read_only=True, data_only=True)
    except Exception:
        raise RaterSheetInvalid([SheetProblem(None, None, _("文件不是可读取的 Excel 工作簿 (.xlsx)"))]) from None
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    if not rows:
        raise RaterSheetInvalid([SheetProblem(1, None, _("工作表是空的"))])
    header = [cell_text(h) for h in rows[0]]
    problems = [SheetProblem(1, name, _("缺少“%(c)s”列") % {"c": name}) for name in ("评议组", "被评议单位编号")
                if name not in header]
    if "评议人账号" not in header and "评议单位编号" not in header:
        problems.append(SheetProblem(1, "评议人账号", _("须有“评议人账号”或“评议单位编号”列")))
    if problems:
        raise RaterSheetInvalid(problems)
    cols = {name: header.index(name) for name in SHEET_COLUMNS if name in header}
    out = []
    for i, raw in enumerate(rows[1:], start=2):
        row = {name: cell_text(raw[c]) if c < len(raw) else "" for name, c in cols.items()}
        if any(row.values()):
            out.append(row | {"_row": str(i)})
    if not out:
        raise RaterSheetInvalid([SheetProblem(2, None, _("表头下面没有数据行"))])
    return out


@transaction.atomic
def import_raters(*, by, cycle: Cycle, rows: list[dict[str, str]]) -> int:
    """Add a rater for each row; all or nothing, every problem by row and column. Returns raters added."""
    from django.contrib.auth import get_user_model

    groups = {}
    for g in RaterGroup.objects.filter(cycle=cycle):
        groups[g.code] = groups[g.name] = g
    users = {u.get_username(): u for u in get_user_model().objects.filter(
        username__in=[r.get("评议人账号", "") for r in rows])}
    units = {u.code: u for u in Unit.objects.all()}
    problems: list[SheetProblem] = []
    parsed = []
    for r in rows:
        n = int(r["_row"])
        before = len(problems)
        group = groups.get(r.get("评议组", ""))
        if group is None:
            problems.append(SheetProblem(n, "评议组", _("本周期没有评议组“%(g)s”；可用：%(all)s")
                                         % {"g": r.get("评议组", ""),
                                            "all": "、".join(sorted({g.code for g in groups.values()}))}))
        account, unit_code = r.get("评议人账号", ""), r.get("评议单位编号", "")
        user = unit = None
        if bool(account) == bool(unit_code):
            problems.append(SheetProblem(n, "评议人账号", _("“评议人账号”和“评议单位编号”须填且只填一个")))
        elif account:
            user = users.get(account)
            if user is None or not user.is_active:
                problems.append(SheetProblem(n, "评议人账号", _("没有在用的账号“%(a)s”") % {"a": account}))
        else:
            unit = units.get(unit_code)
            if unit is None:
                problems.append(SheetProblem(n, "评议单位编号", _("没有编号为“%(c)s”的单位") % {"c": unit_code}))
        rates = []
        for code in [c.strip() for c in r.get("被评议单位编号", "").replace("，", ",").replace("、", ",").split(",")]:
            if not code:
                continue
            u = units.get(code)
            if u is None:
                problems.append(SheetProblem(n, "被评议单位编号", _("没有编号为“%(c)s”的单位") % {"c": code}))
            else:
                rates.append(u)
        if not r.get("被评议单位编号"):
            problems.append(SheetProblem(n, "被评议单位编号", _("不能为空")))
        if len(problems) == before:
            parsed.append((n, group, user, unit, rates, r.get("评议人编号", "")))
    if problems:
        raise RaterSheetInvalid(problems)
    for n, group, user, unit, rates, code in parsed:
        try:
            with transaction.atomic():
                add_rater(by=by, cycle=cycle, group=group, user=user, unit=unit, rates=rates, code=code)
        except RatingError as exc:
            column = {"rates": "被评议单位编号", "code": "评议人编号"}.get(
                exc.field, "评议人账号" if user else "评议单位编号")
            problems.append(SheetProblem(n, column, str(exc)))
    if problems:
        raise RaterSheetInvalid(problems)
    return len(parsed)
