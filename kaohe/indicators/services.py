"""Every write to cycles, the indicator system and its data, each with its audit entry."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import diff, record
from kaohe.organisation.models import Category, Domain, Unit

from . import gates
from .models import Adjustment, Cycle, CycleUnit, Indicator, Phase, RaterGroup, Rating, Response, Value


class NotAllowed(Exception):
    """The change is not permitted (by role or by the state of the cycle)."""


def fingerprint(scenario: dict) -> str:
    return hashlib.sha256(orjson.dumps(scenario, option=orjson.OPT_SORT_KEYS)).hexdigest()


@transaction.atomic
def create_cycle(*, by, year: int, name: str, settings: dict | None = None) -> Cycle:
    cycle = Cycle.objects.create(year=year, name=name, settings=settings or {})
    record(by=by, action="create", obj=cycle, cycle_id=cycle.pk, changes={"year": [None, year], "name": [None, name]})
    return cycle


def _unit_for(code: str, name: str, domain: str, category: str) -> Unit:
    dom, _ = Domain.objects.get_or_create(code=domain, defaults={"name": domain})
    cat = None
    if category:
        cat, _ = Category.objects.get_or_create(domain=dom, code=category, defaults={"name": category})
    unit, created = Unit.objects.get_or_create(code=code, defaults={"name": name, "domain": dom, "category": cat})
    if not created and (unit.domain_id != dom.pk or unit.category_id != (cat.pk if cat else None) or unit.name != name):
        unit.domain, unit.category, unit.name = dom, cat, name
        unit.save(update_fields=["domain", "category", "name"])
    return unit


@transaction.atomic
def import_scenario(*, by, cycle: Cycle, scenario: dict[str, Any], source: str = "", reason: str = "") -> dict[str, int]:
    """Replace the cycle's units, indicator system, targets, values, raters and adjustments with a scenario.

    All or nothing: the caller has checked the scenario (workbook reader); any database error rolls back.
    Refused (gates.PhaseClosed) once the cycle's work has begun on the platform: reports, rater sheets,
    register entries and problems hang on the indicator tree an import would replace.
    """
    gates.require_reason_after_publication(cycle, reason)
    gates.require_no_work_on_platform(cycle)
    old_fp = fingerprint(_current(cycle))
    Rating.objects.filter(cycle=cycle).delete()
    Response.objects.filter(cycle=cycle).delete()
    Value.objects.filter(cycle=cycle).delete()
    Adjustment.objects.filter(cycle=cycle).delete()
    RaterGroup.objects.filter(cycle=cycle).delete()
    Indicator.objects.filter(cycle=cycle).delete()
    CycleUnit.objects.filter(cycle=cycle).delete()

    units: dict[str, Unit] = {}
    for u in scenario["units"]:
        unit = _unit_for(u["id"], u.get("name", u["id"]), u["domain"], u.get("category", "") or "")
        units[u["id"]] = unit
    CycleUnit.objects.bulk_create([CycleUnit(cycle=cycle, unit=units[u["id"]],
                                             leadership_excellent=u.get("leadership_excellent", False))
                                   for u in scenario["units"]])
    by_name = {u.name: u for u in Unit.objects.all()}
    by_code = {u.code: u for u in by_name.values()}
    nodes: dict[str, Indicator] = {}
    parents: dict[str, str] = {}
    for order, d in enumerate(scenario["indicators"]):
        at = d.get("applies_to") or {}
        lead = d.get("lead_unit") or ""
        lead_unit = by_code.get(lead) or by_name.get(lead)
        nodes[d["id"]] = Indicator(
            cycle=cycle, code=d["id"], name=d.get("name", d["id"]), points=d.get("points"),
            line=d.get("line", "main"), method=d.get("method", ""), direction=d.get("direction", "higher"),
            params=d.get("params") or {}, applies_domains=at.get("domains", []),
            applies_categories=at.get("categories", []), applies_units=at.get("units", []),
            exclude_units=at.get("exclude_units", []), lead_unit=lead_unit,
            lead_unit_text="" if lead_unit else lead, responsible=d.get("responsible", ""), order=order)
        if d.get("parent"):
            parents[d["id"]] = d["parent"]
    Indicator.objects.bulk_create(nodes.values())
    for code, parent in parents.items():
        nodes[code].parent = nodes[parent]
    Indicator.objects.bulk_update([nodes[c] for c in parents], ["parent"])
    Value.objects.bulk_create([Value(cycle=cycle, indicator=nodes[v["indicator"]], unit=units[v["unit"]],
                                     actual=v.get("actual"), target=v.get("target"), baseline=v.get("baseline"),
                                     updated_by=by) for v in scenario.get("values", [])], batch_size=2000)
    groups = {g["id"]: RaterGroup.objects.create(cycle=cycle, code=g["id"], name=g.get("name", g["id"]),
                                                 weight=g["weight"]) for g in scenario.get("rater_groups", [])}
    Rating.objects.bulk_create([Rating(cycle=cycle, indicator=nodes[r["indicator"]], unit=units[r["unit"]],
                                       group=groups[r["group"]], rater=r["rater"], score=r["score"])
                                for r in scenario.get("ratings", [])], batch_size=2000)
    Response.objects.bulk_create([Response(cycle=cycle, indicator=nodes[r["indicator"]], unit=units[r["unit"]],
                                           choice=r["choice"], count=r["count"])
                                  for r in scenario.get("responses", [])], batch_size=2000)
    Adjustment.objects.bulk_create([Adjustment(cycle=cycle, unit=units[a["unit"]], kind=a["kind"],
                                               points=a.get("points", 0) or 0, reason=a.get("reason", ""))
                                    for a in scenario.get("adjustments", [])])
    old_settings = cycle.settings
    cycle.settings = scenario.get("settings", {}) or {}
    cycle.save(update_fields=["settings"])
    counts = {"units": len(units), "indicators": len(nodes), "values": len(scenario.get("values", [])),
              "ratings": len(scenario.get("ratings", [])), "responses": len(scenario.get("responses", [])),
              "adjustments": len(scenario.get("adjustments", []))}
    record(by=by, action="import", obj=cycle, cycle_id=cycle.pk, reason=reason or f"导入 {source}".strip(),
           changes={"fingerprint": [old_fp, fingerprint(scenario)], "settings": [old_settings, cycle.settings],
                    **{k: [None, n] for k, n in counts.items()}})
    return counts


def _current(cycle: Cycle) -> dict:
    from .selectors import scenario_for

    return scenario_for(cycle)


INDICATOR_FIELDS = ("code", "name", "points", "line", "method", "direction", "params", "applies_domains",
                    "applies_categories", "applies_units", "exclude_units", "lead_unit", "responsible")


def _snapshot(ind: Indicator) -> dict[str, Any]:
    d = {f: getattr(ind, f) for f in INDICATOR_FIELDS}
    d["lead_unit"] = ind.lead_unit.code if ind.lead_unit_id else ""
    d["parent"] = ind.parent.code if ind.parent_id else ""
    return d


@transaction.atomic
def save_indicator(*, by, cycle: Cycle, indicator: Indicator | None, data: dict[str, Any], reason: str = ""
                   ) -> Indicator:
    """Create (indicator None) or change an indicator; `data` is a form's cleaned data."""
    if indicator is None:
        indicator = Indicator(cycle=cycle, order=(cycle.indicators.count() + 1) * 10)
        before: dict[str, Any] = {}
        action = "create"
    else:
        before = _snapshot(indicator)
        action = "update"
    for key, value in data.items():
        setattr(indicator, key, value)
    after = _snapshot(indicator)
    changes = diff(before, after)
    if not changes:
        return indicator
    indicator.save()
    record(by=by, action=action, obj=indicator, cycle_id=cycle.pk, changes=changes, reason=reason)
    return indicator


@transaction.atomic
def delete_indicator(*, by, indicator: Indicator, reason: str = "") -> None:
    snap = _snapshot(indicator)
    codes = [indicator.code] + [c.code for c in indicator.children.all()]
    record(by=by, action="delete", obj=indicator, cycle_id=indicator.cycle_id,
           changes={k: [v, None] for k, v in snap.items()} | {"removed": [codes, None]}, reason=reason)
    indicator.delete()


VALUE_FIELDS = ("target", "baseline", "actual")


@transaction.atomic
def save_values(*, by, cycle: Cycle, rows: list[tuple[Indicator, Unit, dict[str, float | None]]],
                reason: str = "") -> int:
    """Set targets, baselines or actual values; one audit entry per changed cell row. Returns rows changed.

    Raises gates.PhaseClosed when the year-end result is published and no reason is given.
    """
    gates.require_reason_after_publication(cycle, reason)
    existing = {(v.indicator_id, v.unit_id): v for v in
                Value.objects.select_for_update().filter(cycle=cycle, indicator__in={r[0].pk for r in rows})}
    changed = 0
    for indicator, unit, fields in rows:
        v = existing.get((indicator.pk, unit.pk))
        before = {f: getattr(v, f) for f in VALUE_FIELDS} if v else {}
        if v is None:
            if all(fields.get(f) is None for f in VALUE_FIELDS):
                continue
            v = Value(cycle=cycle, indicator=indicator, unit=unit)
        for f, x in fields.items():
            setattr(v, f, x)
        after = {f: getattr(v, f) for f in VALUE_FIELDS}
        changes = diff({k: x for k, x in before.items() if x is not None}, {k: x for k, x in after.items() if x is not None})
        if not changes:
            continue
        v.updated_by = by
        v.save()
        record(by=by, action="update" if before else "create", obj=v, object_repr=f"{unit.name} · {indicator}",
               cycle_id=cycle.pk, changes=changes, reason=reason)
        changed += 1
    return changed


@transaction.atomic
def copy_cycle(*, by, source: Cycle, year: int, name: str) -> Cycle:
    """Start a new cycle from last year's: units, indicator system, targets and settings (not actual values)."""
    new = Cycle.objects.create(year=year, name=name, settings=source.settings, copied_from=source)
    CycleUnit.objects.bulk_create([CycleUnit(cycle=new, unit_id=m.unit_id, leadership_excellent=False)
                                   for m in CycleUnit.objects.filter(cycle=source)])
    mapping: dict[int, Indicator] = {}
    for n in source.indicators.order_by("order", "id"):
        old_pk, old_parent = n.pk, n.parent_id
        n.pk = None
        n.cycle = new
        n.parent = mapping.get(old_parent) if old_parent else None
        n.save()
        mapping[old_pk] = n
    Value.objects.bulk_create([Value(cycle=new, indicator=mapping[v.indicator_id], unit_id=v.unit_id,
                                     target=v.target, baseline=v.actual if v.actual is not None else v.baseline)
                               for v in Value.objects.filter(cycle=source)
                               if v.target is not None or v.actual is not None or v.baseline is not None])
    for g in RaterGroup.objects.filter(cycle=source):
        RaterGroup.objects.create(cycle=new, code=g.code, name=g.name, weight=g.weight)
    shift = year - source.year
    for p in source.phases.all():
        Phase.objects.create(cycle=new, kind=p.kind, starts=_shift_year(p.starts, shift), ends=_shift_year(p.ends, shift),
                             report_opens=p.report_opens and _shift_year(p.report_opens, shift),
                             report_closes=p.report_closes and _shift_year(p.report_closes, shift))
    record(by=by, action="copy", obj=new, cycle_id=new.pk, changes={"copied_from": [None, source.name]})
    return new


def _shift_year(day, years: int):
    """The same day so many years on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def save_settings(*, by, cycle: Cycle, settings: dict[str, Any], reason: str = "") -> None:
    if settings == cycle.settings:
        return
    record(by=by, action="update", obj=cycle, cycle_id=cycle.pk, changes={"settings": [cycle.settings, settings]},
           reason=reason)
    cycle.settings = settings
    cycle.save(update_fields=["settings"])


@transaction.atomic
def save_phases(*, by, cycle: Cycle, phases: dict[str, tuple[Any, ...] | None], reason: str = "") -> int:
    """Set each phase's dates, kind -> (starts, ends) or (starts, ends, report_opens, report_closes), or remove a
    phase (None). Returns phases changed."""
    existing = {p.kind: p for p in cycle.phases.all()}
    changed = 0
    for kind, dates in phases.items():
        p = existing.get(kind)
        before = [str(x) for x in (p.starts, p.ends, p.report_opens, p.report_closes) if x] if p else None
        dates = tuple(dates) + (None, None) if dates and len(dates) == 2 else dates
        after = [str(x) for x in dates if x] if dates else None
        if before == after:
            continue
        if dates is None:
            if p.reports.exists():
                raise gates.PhaseClosed(_("%(phase)s已有单位填报，不能删除该阶段。") % {"phase": p.get_kind_display()})
            p.delete()
        elif p is None:
            Phase.objects.create(cycle=cycle, kind=kind, starts=dates[0], ends=dates[1], report_opens=dates[2],
                                 report_closes=dates[3])
        else:
            p.starts, p.ends, p.report_opens, p.report_closes = dates
            p.save(update_fields=["starts", "ends", "report_opens", "report_closes"])
        record(by=by, action="update", obj=cycle, cycle_id=cycle.pk, changes={f"phase.{kind}": [before, after]},
               reason=reason)
        changed += 1
    return changed


class UnitHasData(Exception):
    """A unit cannot leave a cycle while the cycle holds its values, ratings, answers or adjustments."""

    def __init__(self, units: list[Unit]):
        self.units = units
        super().__init__("、".join(u.name for u in units))


@transaction.atomic
def set_cycle_units(*, by, cycle: Cycle, members: dict[int, bool], reason: str = "") -> int:
    """Make these units (pk -> leadership rated excellent) the cycle's assessed units. Returns changes made.

    A unit with data in the cycle is not removed (UnitHasData): its values would point at no one.
    """
    current = {m.unit_id: m for m in CycleUnit.objects.select_for_update().filter(cycle=cycle).select_related("unit")}
    leaving = [m.unit for pk, m in current.items() if pk not in members]
    with_data = [u for u in leaving if any(model.objects.filter(cycle=cycle, unit=u).exists()
                                           for model in (Value, Rating, Response, Adjustment))]
    if with_data:
        raise UnitHasData(with_data)
    changed = 0
    for unit in leaving:
        current[unit.pk].delete()
        record(by=by, action="update", obj=cycle, cycle_id=cycle.pk, reason=reason,
               changes={"unit": [unit.code, None]})
        changed += 1
    for pk, excellent in members.items():
        m = current.get(pk)
        if m is None:
            m = CycleUnit.objects.create(cycle=cycle, unit_id=pk, leadership_excellent=excellent)
            record(by=by, action="update", obj=cycle, cycle_id=cycle.pk, reason=reason,
                   changes={"unit": [None, m.unit.code], "leadership_excellent": [None, excellent]})
            changed += 1
        elif m.leadership_excellent != excellent:
            record(by=by, action="update", obj=cycle, cycle_id=cycle.pk, reason=reason,
                   changes={f"leadership_excellent.{m.unit.code}": [m.leadership_excellent, excellent]})
            m.leadership_excellent = excellent
            m.save(update_fields=["leadership_excellent"])
            changed += 1
    return changed
