"""Analysis pages of a cycle's results: indicators, domains and tracks, a unit's trend, responsible people.

Leaders read public versions only and the office any version (access.runs_visible); the default is the
latest public year-end version. A unit reads its own trend page and nothing else here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kaohe.indicators.models import Cycle
from kaohe.lib.downloads import xlsx_response
from kaohe.organisation.models import Unit
from kaohe.web import access

from . import exports, selectors


def _version(request: HttpRequest, cycle: Cycle) -> dict[str, Any]:
    """The version asked for (?run=) among those this person sees, else the default; read once."""
    visible = access.runs_visible(request.user, cycle)
    run = None
    if request.GET.get("run", "").isdigit():
        run = get_object_or_404(visible.filter(status="ok"), pk=int(request.GET["run"]))
    else:
        run = selectors.default_run(cycle, visible)
    return {"cycle": cycle, "run": run, "runs": selectors.runs_for(visible),
            "version": selectors.read_version(run) if run is not None else None}


def _reader(request: HttpRequest, cycle: int) -> Cycle:
    """Pages about every unit: the office and leaders (a unit never sees other units' figures)."""
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    return cycle_obj


def _unit_for_user(request: HttpRequest, cycle: Cycle, pk: int) -> Unit:
    """A unit assessed in the cycle: any for the office and leaders, its own for a unit; others look missing."""
    if not access.reads_everything(request.user):
        own = access.own_unit(request.user)
        if own is None or own.pk != pk:
            raise Http404
    return get_object_or_404(cycle.units, pk=pk)


def _pct(x: float | None) -> float | None:
    return None if x is None else round(x * 100, 2)


@login_required
def analysis_index(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    ctx: dict[str, Any] = {"cycle": cycle_obj, "full": access.reads_everything(request.user)}
    if ctx["full"]:
        ctx |= _version(request, cycle_obj)
        ctx["units"] = cycle_obj.units.order_by("domain__order", "code")
        if ctx["version"] is not None:
            ctx["total"], ctx["per_track"] = selectors.completion(ctx["version"])
    else:
        unit = access.own_unit(request.user)
        ctx["own_unit"] = unit if unit and cycle_obj.units.filter(pk=unit.pk).exists() else None
    return render(request, "analysis/index.html", ctx)


def _indicators(request: HttpRequest, cycle: int) -> dict[str, Any]:
    ctx = _version(request, _reader(request, cycle))
    v = ctx["version"]
    if v is None or not v.leaves:
        return ctx
    stats = selectors.all_leaf_stats(v)
    wanted = request.GET.get("indicator") or v.leaves[0]
    st = next((x for x in stats if x.code == wanted), None)
    if st is None:
        raise Http404
    ctx |= {"stats": stats, "leaf": st, "bands": selectors.bands(st.cells), "losers": selectors.top_losers(st.cells)}
    ctx["total"], ctx["per_track"] = selectors.completion(v, stats)
    return ctx


@login_required
def analysis_indicators(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _indicators(request, cycle)
    if "leaf" in ctx:
        ctx["chart"] = {"bands": [b["band"] for b in ctx["bands"]], "units": [b["units"] for b in ctx["bands"]],
                        "losers": [c.name for c in ctx["losers"]], "lost": [c.lost for c in ctx["losers"]], "units_label": _("单位数")}
    return render(request, "analysis/indicators.html", ctx)


@login_required
def analysis_indicators_xlsx(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _indicators(request, cycle)
    if "leaf" not in ctx:
        raise Http404
    data = exports.indicators_xlsx(ctx["version"], ctx["leaf"], ctx["stats"])
    return xlsx_response(data, f"indicator-analysis-{ctx['cycle'].year}-v{ctx['run'].number}-{ctx['leaf'].code}.xlsx")


def _domains(request: HttpRequest, cycle: int) -> dict[str, Any]:
    ctx = _version(request, _reader(request, cycle))
    if ctx["version"] is not None:
        ctx["tracks"], ctx["rows"] = selectors.domain_table(ctx["version"])
    return ctx


@login_required
def analysis_domains(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _domains(request, cycle)
    if ctx["version"] is not None:
        papers = [r for r in ctx["rows"] if r.depth == 0]
        ctx["chart"] = {"papers": [f"{r.code} {r.name}" for r in papers],
                        "series": [{"name": name, "rates": [_pct(r.rates[i]) for r in papers]}
                                   for i, name in enumerate(ctx["tracks"].values())]}
    return render(request, "analysis/domains.html", ctx)


@login_required
def analysis_domains_xlsx(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _domains(request, cycle)
    if ctx["version"] is None:
        raise Http404
    return xlsx_response(exports.domains_xlsx(ctx["tracks"], ctx["rows"]),
                         f"domain-analysis-{ctx['cycle'].year}-v{ctx['run'].number}.xlsx")


def _people(request: HttpRequest, cycle: int) -> dict[str, Any]:
    ctx = _version(request, _reader(request, cycle))
    if ctx["version"] is not None:
        ctx["people"] = selectors.people(ctx["version"])
    return ctx


@login_required
def analysis_people(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _people(request, cycle)
    if ctx["version"] is not None:
        ctx["chart"] = {"names": [f"{p.person or '—'}（{p.lead_unit or '—'}）" for p in ctx["people"]],
                        "rates": [_pct(p.average) for p in ctx["people"]]}
    return render(request, "analysis/people.html", ctx)


@login_required
def analysis_people_xlsx(request: HttpRequest, cycle: int) -> HttpResponse:
    ctx = _people(request, cycle)
    if ctx["version"] is None:
        raise Http404
    return xlsx_response(exports.people_xlsx(ctx["people"]),
                         f"people-analysis-{ctx['cycle'].year}-v{ctx['run'].number}.xlsx")


def _unit(request: HttpRequest, cycle: int, unit: int) -> dict[str, Any]:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    unit_obj = _unit_for_user(request, cycle_obj, unit)
    ctx = _version(request, cycle_obj) | {"unit": unit_obj,
                                          "trend": selectors.trend(unit_obj, access.cycles_for(request.user)),
                                          "full": access.reads_everything(request.user)}
    ctx["row"], ctx["radar"] = (selectors.radar(ctx["version"], unit_obj.pk) if ctx["version"] is not None
                                else (None, []))
    return ctx


@login_required
def analysis_unit(request: HttpRequest, cycle: int, unit: int) -> HttpResponse:
    ctx = _unit(request, cycle, unit)
    top = max([100.0] + [_pct(x) or 0 for r in ctx["radar"] for x in (r.rate, r.peer_average)])
    ctx["chart"] = {
        "years": [f"{p.cycle.year}" for p in ctx["trend"]], "totals": [round(p.total, 2) for p in ctx["trend"]],
        "ranks": [p.rank for p in ctx["trend"]], "grades": [p.grade for p in ctx["trend"]],
        "sizes": [p.group_size for p in ctx["trend"]],
        # one scale on every axis (at least 100%), so that a longer spoke is always a higher rate
        "axes": [{"name": r.code, "max": top} for r in ctx["radar"]],
        "names": [f"{r.code} {r.name}" for r in ctx["radar"]],
        "own": [_pct(r.rate) for r in ctx["radar"]], "peers": [_pct(r.peer_average) for r in ctx["radar"]],
        "labels": {"total": _("总分"), "rank": _("名次"), "own": _("本单位"), "peers": _("同组平均")}}
    if ctx["full"]:
        ctx["units"] = ctx["cycle"].units.order_by("domain__order", "code")
    return render(request, "analysis/unit.html", ctx)


@login_required
def analysis_unit_xlsx(request: HttpRequest, cycle: int, unit: int) -> HttpResponse:
    ctx = _unit(request, cycle, unit)
    return xlsx_response(exports.unit_xlsx(ctx["unit"].name, ctx["trend"], ctx["radar"]),
                         f"unit-trend-{ctx['cycle'].year}-{ctx['unit'].code}.xlsx")
