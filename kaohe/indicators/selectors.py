"""Reads of the indicator system; above all, the database as the engine's scenario."""

from __future__ import annotations

from typing import Any

from kaohe.lib.trees import subtree

from .models import Adjustment, Cycle, CycleUnit, Indicator, RaterGroup, Rating, Response, Value


def tree(cycle: Cycle) -> list[tuple[Indicator, int]]:
    """The indicators in reading order (each paper, then what lies beneath), with their depth."""
    nodes = list(cycle.indicators.select_related("lead_unit").order_by("order", "id"))
    kids: dict[int | None, list[Indicator]] = {}
    for n in nodes:
        kids.setdefault(n.parent_id, []).append(n)
    out: list[tuple[Indicator, int]] = []
    stack = [(n, 0) for n in reversed(kids.get(None, []))]
    while stack:
        n, d = stack.pop()
        out.append((n, d))
        stack.extend((c, d + 1) for c in reversed(kids.get(n.pk, [])))
    return out


def children_points(cycle: Cycle) -> dict[int, float]:
    """Each group's children's points added up (a child without points counts its own children)."""
    nodes = {n.pk: n for n in cycle.indicators.all()}
    kids: dict[int, list[int]] = {}
    for n in nodes.values():
        if n.parent_id:
            kids.setdefault(n.parent_id, []).append(n.pk)
    memo: dict[int, float] = {}

    def nominal(pk: int) -> float:
        if pk not in memo:
            n = nodes[pk]
            below = sum(nominal(c) for c in kids.get(pk, []))
            memo[pk] = n.points if n.points is not None else below
        return memo[pk]

    return {pk: sum(nominal(c) for c in cs) for pk, cs in kids.items()}


def scenario_for(cycle: Cycle) -> dict[str, Any]:
    """The cycle as a scenario of the spec (section 1), ready for the engine or a workbook."""
    members = (CycleUnit.objects.filter(cycle=cycle).select_related("unit__domain", "unit__category")
               .order_by("unit__domain__order", "unit__code"))
    units = [{"id": m.unit.code, "name": m.unit.name, "domain": m.unit.domain.code,
              "category": m.unit.category_code, "leadership_excellent": m.leadership_excellent} for m in members]
    indicators = []
    for n, _depth in tree(cycle):
        d: dict[str, Any] = {"id": n.code, "name": n.name}
        if n.parent_id:
            d["parent"] = n.parent.code
        elif n.line != Indicator.Line.MAIN:
            d["line"] = n.line
        if n.points is not None:
            d["points"] = n.points
        if n.method:
            d["method"] = n.method
            if n.direction != Indicator.Direction.HIGHER:
                d["direction"] = n.direction
            if n.params:
                d["params"] = n.params
        applies = {k: v for k, v in (("domains", n.applies_domains), ("categories", n.applies_categories),
                                     ("units", n.applies_units), ("exclude_units", n.exclude_units)) if v}
        if applies:
            d["applies_to"] = applies
        lead = n.lead_unit.name if n.lead_unit_id else n.lead_unit_text
        if lead:
            d["lead_unit"] = lead
        if n.responsible:
            d["responsible"] = n.responsible
        indicators.append(d)
    values = []
    for v in (Value.objects.filter(cycle=cycle).select_related("unit", "indicator")
              .order_by("indicator__order", "indicator_id", "unit__code")):
        row: dict[str, Any] = {"unit": v.unit.code, "indicator": v.indicator.code}
        for f in ("actual", "target", "baseline"):
            if getattr(v, f) is not None:
                row[f] = getattr(v, f)
        values.append(row)
    scenario: dict[str, Any] = {"units": units, "indicators": indicators, "values": values}
    groups = list(RaterGroup.objects.filter(cycle=cycle).order_by("id"))
    if groups:
        scenario["rater_groups"] = [{"id": g.code, "name": g.name, "weight": g.weight} for g in groups]
    ratings = [{"indicator": r.indicator.code, "unit": r.unit.code, "group": r.group.code, "rater": r.rater,
                "score": r.score}
               for r in Rating.objects.filter(cycle=cycle).select_related("indicator", "unit", "group").order_by("id")]
    if ratings:
        scenario["ratings"] = ratings
    # answers from the cycle's surveys (kaohe.surveys) replace imported counts for the indicators they cover
    from kaohe.surveys.selectors import responses_for_cycle

    surveyed, survey_rows = responses_for_cycle(cycle)
    responses = [{"indicator": r.indicator.code, "unit": r.unit.code, "choice": r.choice, "count": r.count}
                 for r in Response.objects.filter(cycle=cycle).exclude(indicator_id__in=surveyed)
                 .select_related("indicator", "unit").order_by("id")] + survey_rows
    if responses:
        scenario["responses"] = responses
    adjustments = []
    for a in Adjustment.objects.filter(cycle=cycle).select_related("unit").order_by("id"):
        row = {"unit": a.unit.code, "kind": a.kind, "points": a.points}
        if a.reason:
            row["reason"] = a.reason
        adjustments.append(row)
    if adjustments:
        scenario["adjustments"] = adjustments
    if cycle.settings:
        scenario["settings"] = cycle.settings
    return scenario


def _in_scope(n: Indicator, unit) -> bool:
    """Spec 1: a unit is in scope of a node's applies_to (empty lists mean every unit)."""
    if n.applies_domains and unit.domain.code not in n.applies_domains:
        return False
    if n.applies_categories and unit.category_code not in n.applies_categories:
        return False
    if n.applies_units and unit.code not in n.applies_units:
        return False
    return unit.code not in n.exclude_units


def ancestors(indicator: Indicator) -> list[Indicator]:
    """The node and every node above it, from the node up."""
    nodes = {n.pk: n for n in Indicator.objects.filter(cycle_id=indicator.cycle_id)}
    out = [indicator]
    j = indicator.parent_id
    while j and j in nodes and len(out) <= len(nodes):
        out.append(nodes[j])
        j = nodes[j].parent_id
    return out


def applicable_units(cycle: Cycle, indicator: Indicator) -> list:
    """The cycle's units to which the leaf applies: it and all its ancestors have them in scope."""
    chain = ancestors(indicator)
    members = cycle.units.select_related("domain", "category").order_by("domain__order", "code")
    return [u for u in members if all(_in_scope(n, u) for n in chain)]


def _chains(cycle: Cycle) -> dict[int, list[Indicator]]:
    """Each node with the nodes above it, from one read of the tree."""
    rows = tree(cycle)
    by_pk = {n.pk: n for n, _ in rows}
    out = {}
    for n, _depth in rows:
        chain, j = [n], n.parent_id
        while j and j in by_pk and len(chain) <= len(by_pk):
            chain.append(by_pk[j])
            j = by_pk[j].parent_id
        out[n.pk] = chain
    return out


def applicable_leaves(cycle: Cycle, unit) -> list[Indicator]:
    """The leaves that apply to one unit, in tree order."""
    return [chain[0] for chain in _chains(cycle).values()
            if chain[0].method and all(_in_scope(x, unit) for x in chain)]


def value_progress(cycle: Cycle, leaves: list[Indicator]) -> dict[int, tuple[int, int]]:
    """For each leaf: (units with an actual value, units to which it applies); a fixed number of queries."""
    filled: dict[int, set[int]] = {}
    for ind_id, unit_id in (Value.objects.filter(cycle=cycle, indicator__in=leaves, actual__isnull=False)
                            .values_list("indicator_id", "unit_id")):
        filled.setdefault(ind_id, set()).add(unit_id)
    chains = _chains(cycle)
    members = list(cycle.units.select_related("domain", "category"))
    out = {}
    for leaf in leaves:
        units = {u.pk for u in members if all(_in_scope(n, u) for n in chains[leaf.pk])}
        out[leaf.pk] = (len(filled.get(leaf.pk, set()) & units), len(units))
    return out


def cycle_counts(cycle: Cycle) -> dict[str, int]:
    return {"units": CycleUnit.objects.filter(cycle=cycle).count(),
            "indicators": cycle.indicators.count(),
            "leaves": cycle.indicators.exclude(method="").count(),
            "values": Value.objects.filter(cycle=cycle, actual__isnull=False).count()}


def descendants(cycle: Cycle, indicator: Indicator) -> set[int]:
    """The pks of the node and everything beneath it."""
    return subtree(cycle.indicators.values_list("pk", "parent_id"), indicator.pk)
