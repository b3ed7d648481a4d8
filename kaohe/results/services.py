"""Computation: the cycle's data through the engine into a stored, never-edited run."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.db.models import Max

from kaohe.audit.services import record
from kaohe.engine import ScenarioInvalid, compute
from kaohe.indicators import gates
from kaohe.indicators.gates import published_run
from kaohe.indicators.models import Cycle
from kaohe.indicators.selectors import scenario_for
from kaohe.indicators.services import fingerprint
from kaohe.organisation.models import Unit

from .models import STAGES, Run, RunUnit


class NotPublishable(Exception):
    """A run that cannot be published, with the reason for people."""


@transaction.atomic
def compute_cycle(*, by, cycle: Cycle, stage: str = "year_end") -> Run:
    """Build the scenario from the database, run the engine, store every unit's result (or the errors).

    stage is "half_year" (半年评估: problems are found on it) or "year_end" (年终考核: the one published).
    """
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    scenario = scenario_for(cycle)
    number = (cycle.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    names = {i["id"]: i.get("name", i["id"]) for i in scenario["indicators"]}
    fp = fingerprint(scenario)
    try:
        result = compute(scenario)
    except ScenarioInvalid as exc:
        run = Run.objects.create(cycle=cycle, number=number, status=Run.Status.INVALID, created_by=by, stage=stage,
                                 fingerprint=fp, scenario=scenario, errors=[e.to_dict() for e in exc.errors],
                                 indicator_names=names)
        record(by=by, action="compute", obj=run, cycle_id=cycle.pk,
               changes={"stage": [None, stage], "status": [None, run.status], "errors": [None, len(run.errors)], "fingerprint": [None, fp]})
        return run
    out = result.to_dict()
    run = Run.objects.create(cycle=cycle, number=number, status=Run.Status.OK, created_by=by, stage=stage, fingerprint=fp,
                             scenario=scenario, warnings=out["warnings"], indicator_names=names)
    units = {u.code: u for u in Unit.objects.filter(code__in=[u["unit"] for u in out["units"]])}
    main_roots = {i["id"] for i in scenario["indicators"] if "parent" not in i and i.get("line", "main") == "main"}
    rows = []
    for pos, u in enumerate(out["units"]):
        lost = sum(s["lost"] for s in u["scores"] if s["indicator"] in main_roots and s["applicable"])
        rows.append(RunUnit(run=run, unit=units[u["unit"]], position=pos, group=u["group"], main=u["main"],
                            bonus_line=u["bonus_line"], bonus=u["bonus"], deduction=u["deduction"], total=u["total"],
                            rank=u["rank"], group_size=u["group_size"], grade=u["grade"] or "", vetoed=u["vetoed"],
                            advanced=u["advanced"], lost=round(lost, 2), scores=u["scores"]))
    RunUnit.objects.bulk_create(rows, batch_size=500)
    record(by=by, action="compute", obj=run, cycle_id=cycle.pk,
           changes={"stage": [None, stage], "status": [None, run.status], "units": [None, len(rows)], "fingerprint": [None, fp],
                    "warnings": [None, len(run.warnings)]})
    return run


@transaction.atomic
def announce_run(*, by, run: Run, until, reason: str = "") -> Run:
    """Publish a year-end version for public notice (公示) until a date: units and leaders read it, units may
    appeal, and from now on neither its inputs nor its results change. A version that corrects an earlier
    public one needs the reason, and keeps the link to it; both stay readable.
    """
    run = Run.objects.select_for_update().select_related("cycle").get(pk=run.pk)
    if run.notice_at is not None:
        raise NotPublishable(_("第%(n)d次计算已经公示。") % {"n": run.number})
    if run.status != Run.Status.OK:
        raise NotPublishable(_("第%(n)d次计算有错误，没有结果，不能公布。") % {"n": run.number})
    if until is None or until < gates.today():
        raise NotPublishable(_("请填写公示截止日期（不早于今天）。"))
    # a half-year run is made public as feedback to the units (通报); only the year-end one is corrected and final
    earlier = published_run(run.cycle) if run.stage == "year_end" else None
    reason = reason.strip()
    if earlier is not None and not reason:
        raise NotPublishable(_("第%(n)d次计算已公布，再公布新的版本须填写更正理由。") % {"n": earlier.number})
    if earlier is not None and earlier.number > run.number:
        raise NotPublishable(_("第%(n)d次计算比这一版新，且已公布；请公布更新的计算。") % {"n": earlier.number})
    run.notice_at, run.notice_by, run.notice_until = timezone.now(), by, until
    run.supersedes, run.reason = earlier, reason or run.reason
    run.save(update_fields=["notice_at", "notice_by", "notice_until", "supersedes", "reason"])
    record(by=by, action="announce", obj=run, cycle_id=run.cycle_id, reason=reason,
           changes={"notice_at": [None, run.notice_at.isoformat()], "notice_until": [None, str(until)],
                    "supersedes": [None, earlier.number if earlier else None]})
    return run


@transaction.atomic
def finalize_run(*, by, run: Run, reason: str = "") -> Run:
    """正式公布: the version in notice becomes the final result (after the notice, appeals decided)."""
    run = Run.objects.select_for_update().select_related("cycle").get(pk=run.pk)
    if run.notice_at is None:
        raise NotPublishable(_("先公示，公示期满后再正式公布。"))
    if run.published_at is not None:
        raise NotPublishable(_("第%(n)d次计算已经正式公布。") % {"n": run.number})
    if run.stage != "year_end":
        raise NotPublishable(_("半年评估结果只作通报，不正式公布；正式公布的是年终考核结果。"))
    reason = reason.strip()
    if run.notice_until and gates.today() <= run.notice_until and not reason:
        raise NotPublishable(_("公示期至 %(until)s；期满前正式公布须填写理由。") % {"until": run.notice_until})
    if published_run(run.cycle) != run:
        raise NotPublishable(_("已有更新的版本公示，这一版不能再正式公布。"))
    # appeals still open on this version or on the ones it corrects
    open_appeals = run.cycle.appeals.filter(state="filed", run__number__lte=run.number).count()
    if open_appeals:
        raise NotPublishable(_("还有 %(n)d 件申诉未处理，处理完再正式公布。") % {"n": open_appeals})
    run.published_at, run.published_by = timezone.now(), by
    run.save(update_fields=["published_at", "published_by"])
    record(by=by, action="publish", obj=run, cycle_id=run.cycle_id, reason=reason,
           changes={"published_at": [None, run.published_at.isoformat()]})
    return run
