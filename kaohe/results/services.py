"""Computation: the cycle's data through the engine into a stored, never-edited run."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from kaohe.audit.services import record
from kaohe.engine import ScenarioInvalid, compute
from kaohe.indicators.models import Cycle
from kaohe.indicators.selectors import scenario_for
from kaohe.indicators.services import fingerprint
from kaohe.organisation.models import Unit

from .models import Run, RunUnit


@transaction.atomic
def compute_cycle(*, by, cycle: Cycle) -> Run:
    """Build the scenario from the database, run the engine, store every unit's result (or the errors)."""
    scenario = scenario_for(cycle)
    number = (cycle.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    names = {i["id"]: i.get("name", i["id"]) for i in scenario["indicators"]}
    fp = fingerprint(scenario)
    try:
        result = compute(scenario)
    except ScenarioInvalid as exc:
        run = Run.objects.create(cycle=cycle, number=number, status=Run.Status.INVALID, created_by=by,
                                 fingerprint=fp, scenario=scenario, errors=[e.to_dict() for e in exc.errors],
                                 indicator_names=names)
        record(by=by, action="compute", obj=run, cycle_id=cycle.pk,
               changes={"status": [None, run.status], "errors": [None, len(run.errors)], "fingerprint": [None, fp]})
        return run
    out = result.to_dict()
    run = Run.objects.create(cycle=cycle, number=number, status=Run.Status.OK, created_by=by, fingerprint=fp,
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
           changes={"status": [None, run.status], "units": [None, len(rows)], "fingerprint": [None, fp],
                    "warnings": [None, len(run.warnings)]})
    return run
