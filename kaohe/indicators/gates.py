"""The phase gate: what may change at which point of the cycle.

- A unit fills and submits completion reports only inside a phase's reporting window (填报窗口).
- Once a year-end run is published (public notice or final), a value changes only with a recorded reason, and the change
  leaves the published result out of date until a new computation is published.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cycle, Phase


class PhaseClosed(Exception):
    """A change the cycle's phase does not allow, with the reason for people."""


def today() -> dt.date:
    return timezone.localdate()


def open_reporting_phase(cycle: Cycle, day: dt.date | None = None) -> Phase | None:
    """The phase whose reporting window includes the day, if any."""
    day = day or today()
    return cycle.phases.filter(report_opens__lte=day, report_closes__gte=day).order_by("-report_opens").first()


def reporting_phases(cycle: Cycle) -> list[Phase]:
    return list(cycle.phases.filter(Q(report_opens__isnull=False) & Q(report_closes__isnull=False))
                .order_by("report_opens"))


def current_reporting_phase(cycle: Cycle, day: dt.date | None = None) -> Phase | None:
    """The window open today, or else the last one that has opened (its reports stay readable), or else the next."""
    day = day or today()
    phases = reporting_phases(cycle)
    opened = [p for p in phases if p.report_opens <= day]
    if opened:
        return opened[-1]
    return phases[0] if phases else None


def require_reporting_open(phase: Phase, day: dt.date | None = None) -> None:
    day = day or today()
    if not phase.reporting_open_on(day):
        if phase.report_opens and day < phase.report_opens:
            raise PhaseClosed(_("%(phase)s的填报窗口 %(opens)s 才开始。")
                              % {"phase": phase.get_kind_display(), "opens": phase.report_opens})
        raise PhaseClosed(_("%(phase)s的填报窗口已于 %(closes)s 截止，不能再修改或提交。")
                          % {"phase": phase.get_kind_display(), "closes": phase.report_closes})


def published_run(cycle: Cycle):
    """The latest year-end version made public (in notice or final), or None."""
    return cycle.runs.filter(stage="year_end", notice_at__isnull=False).order_by("-number").first()


def require_reason_after_publication(cycle: Cycle, reason: str) -> None:
    """After the year-end result is published, a value changes only with a recorded reason."""
    run = published_run(cycle)
    if run is not None and not (reason or "").strip():
        raise PhaseClosed(_("第%(n)d次计算的年终结果已于 %(at)s 公布：修改数据须填写理由，改后须重新计算并公布。")
                          % {"n": run.number, "at": timezone.localtime(run.notice_at).strftime("%Y-%m-%d %H:%M")})


def require_no_work_on_platform(cycle: Cycle) -> None:
    """A whole-cycle import replaces the indicator tree; refuse it once people have worked on that tree."""
    held = [(label, n) for label, n in (
        (_("完成情况填报"), cycle.reports.count()),
        (_("评议人"), cycle.raters.count()),
        (_("加减分登记"), cycle.register.count()),
        (_("整改问题"), cycle.problems.count()),
    ) if n]
    if held:
        raise PhaseClosed(_("本周期已在平台上开展工作（%(what)s），整体导入会替换指标体系，已拒绝。请改用逐项编辑，或新建周期导入。")
                          % {"what": "、".join(_("%(what)s %(n)d 条") % {"what": label, "n": n} for label, n in held)})
