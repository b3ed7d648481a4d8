"""Reads of online rating: the rating leaves, each rater's sheet, completion, and the scores once sealed no more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kaohe.indicators.models import Cycle, Indicator, RaterGroup, Rating
from kaohe.indicators.selectors import _chains, _in_scope
from kaohe.organisation.models import Profile, Unit

from .models import Rater, RatingWindow, SheetScore


def window_of(cycle: Cycle) -> RatingWindow | None:
    return RatingWindow.objects.filter(cycle=cycle).first()


def closed_reason(window: RatingWindow | None, day: dt.date) -> str:
    """Why sheets cannot be filled on this day, or "" when the window is open."""
    if window is None:
        return _("考核办尚未设置评议时间，评议表暂不能填写。")
    if day < window.opens:
        return _("评议 %(d)s 才开始，届时可填写。") % {"d": window.opens}
    if day > window.closes:
        return _("评议已于 %(d)s 截止，评议表不能再修改或提交。") % {"d": window.closes}
    return ""


def sealed(cycle: Cycle, window: RatingWindow | None, day: dt.date) -> bool:
    """评分密封: nobody reads individual scores until the window has closed (with raters but no window: sealed too)."""
    if window is None:
        return Rater.objects.filter(cycle=cycle).exists()
    return day <= window.closes


def groups(cycle: Cycle) -> list[RaterGroup]:
    return list(RaterGroup.objects.filter(cycle=cycle).order_by("id"))


def rating_leaves(cycle: Cycle) -> list[Indicator]:
    return list(cycle.indicators.filter(method="rating").order_by("order", "id"))


def leaf_groups(leaf: Indicator, all_groups: list[RaterGroup]) -> list[RaterGroup]:
    """The groups a rating leaf uses: params.groups, or every group of the cycle."""
    used = (leaf.params or {}).get("groups")
    return [g for g in all_groups if used is None or g.code in used]


def rater_own_unit(*, user=None, unit: Unit | None = None) -> Unit | None:
    """The unit a rater belongs to, which they never rate: the rating unit itself, or the person's Profile.unit."""
    if unit is not None:
        return unit
    p = Profile.objects.filter(user=user).select_related("unit").first() if user is not None else None
    return p.unit if p else None


def own_unit_of(rater: Rater) -> Unit | None:
    return rater_own_unit(user=rater.user, unit=rater.unit)


@dataclass
class SheetRow:
    unit: Unit
    leaves: set[int] = field(default_factory=set)  # the columns that apply to this unit


def sheet(rater: Rater) -> tuple[list[Indicator], list[SheetRow]]:
    """A rater's sheet: the rating leaves their group scores (columns), each rated unit with the leaves that apply."""
    cycle = rater.cycle
    chains = _chains(cycle)
    leaves = [n for n in rating_leaves(cycle) if rater.group.code in ((n.params or {}).get("groups")
                                                                       or [rater.group.code])]
    own = own_unit_of(rater)
    rows = []
    for unit in (rater.rates.filter(cycles=cycle).exclude(pk=own.pk if own else None)
                 .select_related("domain", "category").order_by("domain__order", "code")):
        on = {n.pk for n in leaves if all(_in_scope(x, unit) for x in chains[n.pk])}
        rows.append(SheetRow(unit, on))
    used = set().union(*(r.leaves for r in rows)) if rows else set()
    return [n for n in leaves if n.pk in used], rows


def sheet_cells(rater: Rater) -> set[tuple[int, int]]:
    """The (indicator pk, unit pk) cells of a rater's sheet."""
    _leaves, rows = sheet(rater)
    return {(n, r.unit.pk) for r in rows for n in r.leaves}


@dataclass
class GroupProgress:
    group: RaterGroup
    submitted: int
    assigned: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def raters(cycle: Cycle) -> list[Rater]:
    return list(Rater.objects.filter(cycle=cycle).select_related("group", "user__profile", "unit", "submitted_by")
                .prefetch_related("rates").order_by("group_id", "code"))


def completion(cycle: Cycle, rows: list[Rater]) -> list[GroupProgress]:
    """Per group: raters who have submitted / raters assigned. Nothing about what they gave."""
    out = []
    for g in groups(cycle):
        mine = [r for r in rows if r.group_id == g.pk]
        out.append(GroupProgress(g, sum(r.submitted_at is not None for r in mine), len(mine)))
    return out


# ---- scores (only after the window has closed) ------------------------------------------------


def trimmed_mean(scores: list[float], trim_min: int) -> tuple[float, bool]:
    """Spec, method `rating`: with at least trim_min ratings drop one highest and one lowest, then the mean."""
    s = sorted(scores)
    if len(s) >= trim_min:
        s = s[1:-1]
        return sum(s) / len(s), True
    return sum(s) / len(s), False


@dataclass
class GroupCell:
    group: RaterGroup
    count: int
    mean: float | None
    trimmed: bool


@dataclass
class UnitScore:
    unit: Unit
    cells: list[GroupCell]
    combined: float | None
    score: float | None
    ratings: list[Rating]


@dataclass
class LeafScores:
    leaf: Indicator
    groups: list[RaterGroup]
    trim_min: int
    units: list[UnitScore]


def scores(cycle: Cycle) -> list[LeafScores]:
    """Per rating leaf and applicable unit: each group's count and (trimmed) mean, the weighted combination
    re-normalised over the groups that rated, and the leaf score P × combined / 100 (spec, method `rating`)."""
    all_groups = groups(cycle)
    chains = _chains(cycle)
    members = list(cycle.units.select_related("domain", "category").order_by("domain__order", "code"))
    by_cell: dict[tuple[int, int], list[Rating]] = {}
    # the reason a rater gave on the sheet (required below the threshold), read beside the score
    reasons = {(code, ind, unit): reason for code, ind, unit, reason in
               SheetScore.objects.filter(rater__cycle=cycle).exclude(reason="")
               .values_list("rater__code", "indicator_id", "unit_id", "reason")}
    for r in Rating.objects.filter(cycle=cycle).select_related("group").order_by("group_id", "rater"):
        r.reason = reasons.get((r.rater, r.indicator_id, r.unit_id), "")
        by_cell.setdefault((r.indicator_id, r.unit_id), []).append(r)
    out = []
    for leaf in rating_leaves(cycle):
        used = leaf_groups(leaf, all_groups)
        trim_min = int((leaf.params or {}).get("trim_min", 5))
        rows = []
        for unit in members:
            if not all(_in_scope(x, unit) for x in chains[leaf.pk]):
                continue
            given = [r for r in by_cell.get((leaf.pk, unit.pk), []) if r.group_id in {g.pk for g in used}]
            cells, wsum, wtot = [], 0.0, 0.0
            for g in used:
                mine = [r.score for r in given if r.group_id == g.pk]
                if mine:
                    mean, trimmed = trimmed_mean(mine, trim_min)
                    wsum += g.weight * mean
                    wtot += g.weight
                else:
                    mean, trimmed = None, False
                cells.append(GroupCell(g, len(mine), mean, trimmed))
            combined = wsum / wtot if wtot > 0 else None
            score = leaf.points * combined / 100 if combined is not None and leaf.points is not None else None
            rows.append(UnitScore(unit, cells, combined, score, given))
        out.append(LeafScores(leaf, used, trim_min, rows))
    return out
