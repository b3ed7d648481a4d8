"""Reads of computation runs: ranking tables, a unit's score tree, the errors as things to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Category, Domain

from .models import Run, RunUnit

# Errors that are about the cycle's settings rather than one indicator: fixed on the settings page.
SETTINGS_CODES = {"bad_setting", "bad_grades"}


def runs_of(cycle: Cycle) -> QuerySet[Run]:
    # the stored scenario can be megabytes per run: the list never needs it
    return cycle.runs.select_related("created_by__profile").defer("scenario", "indicator_names").order_by("-number")


def unit_names(run: Run) -> dict[str, str]:
    """Unit code -> name as at the time of the run."""
    return {u["id"]: u.get("name", u["id"]) for u in run.scenario.get("units", [])}


@dataclass
class RankingGroup:
    code: str
    name: str
    rows: list[RunUnit]


def group_names(codes: set[str]) -> dict[str, str]:
    """A ranking group's code ("county/plain", or "county" when ranked by domain) -> its names."""
    domains = {d.code: d.name for d in Domain.objects.all()}
    categories = {(c.domain.code, c.code): c.name for c in Category.objects.select_related("domain")}
    out = {}
    for code in codes:
        d, _sep, c = code.partition("/")
        name = domains.get(d, d)
        out[code] = f"{name} · {categories.get((d, c), c)}" if c else name
    return out


def ranking(run: Run) -> list[RankingGroup]:
    """Every unit's row, one table per ranking group, each sorted by rank (ties in the engine's order).

    The rows carry "domain/category"; when the cycle ranks by domain (settings.rank_by), a domain is one
    table, as in the report workbook.
    """
    by_domain = (run.scenario.get("settings") or {}).get("rank_by") == "domain"
    groups: dict[str, list[RunUnit]] = {}
    for row in run.unit_results.select_related("unit").defer("scores").order_by("position"):
        groups.setdefault(row.group.split("/")[0] if by_domain else row.group, []).append(row)
    names = group_names(set(groups))
    return [RankingGroup(code, names[code], sorted(rows, key=lambda r: (r.rank, r.position)))
            for code, rows in groups.items()]


def group_name(run: Run, row: RunUnit) -> str:
    """The name of the group the unit was ranked in."""
    by_domain = (run.scenario.get("settings") or {}).get("rank_by") == "domain"
    code = row.group.split("/")[0] if by_domain else row.group
    return group_names({code})[code]


def chart_data(groups: list[RankingGroup]) -> list[dict[str, Any]]:
    """Totals per ranking group, for the bar chart (embedded with json_script, never as raw HTML)."""
    return [{"group": g.name, "units": [r.unit.name for r in g.rows], "totals": [r.total for r in g.rows]}
            for g in groups]


@dataclass
class ErrorRow:
    code: str
    unit: str
    indicator: str
    message: str
    fix_url: str = ""
    fix_label: str = ""


def errors_to_fix(run: Run) -> list[ErrorRow]:
    """The engine's errors with names and a link to where a clerk fixes each one.

    Indicators are looked up by code in the cycle as it is now: a leaf's data is fixed in its value
    grid, anything else about an indicator on its edit page.
    """
    rows = named_issues(run, run.errors)
    codes = {e.get("indicator") for e in run.errors if e.get("indicator")}
    current = {i.code: i for i in Indicator.objects.filter(cycle=run.cycle, code__in=codes)}
    for row, e in zip(rows, run.errors):
        ind = current.get(e.get("indicator") or "")
        if ind is not None and ind.is_leaf:
            row.fix_url, row.fix_label = reverse("value_grid", args=[run.cycle_id, ind.pk]), _("填报数据")
        elif ind is not None:
            row.fix_url, row.fix_label = reverse("indicator_edit", args=[run.cycle_id, ind.pk]), _("修改指标")
        elif row.code in SETTINGS_CODES:
            row.fix_url, row.fix_label = reverse("cycle_settings", args=[run.cycle_id]), _("计分设置")
    return rows


def named_issues(run: Run, issues: list[dict[str, Any]]) -> list[ErrorRow]:
    """Errors or warnings with the unit's and indicator's names as at the time of the run."""
    names = unit_names(run)
    out = []
    for e in issues:
        unit, code = e.get("unit"), e.get("indicator")
        out.append(ErrorRow(code=e.get("code", ""), message=e.get("message", ""),
                            unit=f"{names.get(unit, unit)}（{unit}）" if unit else "",
                            indicator=f"{code} {run.indicator_names.get(code, '')}".strip() if code else ""))
    return out


@dataclass
class TreeRow:
    code: str
    name: str
    depth: int
    is_leaf: bool
    applicable: bool
    points: float | None
    score: float | None
    lost: float | None
    explain: str
    line: str
    children: list[TreeRow] = field(default_factory=list)


def score_tree(row: RunUnit) -> list[TreeRow]:
    """The unit's scores as the indicator system stood at the run (from the run's own scenario), in
    reading order: each paper, then its groups and leaves. A node that does not apply is one line; its
    subtree is left out."""
    indicators = row.run.scenario.get("indicators", [])
    scores = {s["indicator"]: s for s in row.scores}
    kids: dict[str | None, list[dict[str, Any]]] = {}
    for ind in indicators:
        kids.setdefault(ind.get("parent"), []).append(ind)
    out: list[TreeRow] = []
    stack = [(ind, 0) for ind in reversed(kids.get(None, []))]
    while stack:
        ind, depth = stack.pop()
        s = scores.get(ind["id"], {})
        applicable = bool(s.get("applicable"))
        out.append(TreeRow(code=ind["id"], name=ind.get("name", ind["id"]), depth=depth,
                           is_leaf=ind["id"] not in kids, applicable=applicable, points=s.get("points"),
                           score=s.get("score"), lost=s.get("lost"), explain=s.get("explain") or "",
                           line=ind.get("line", "main")))
        if applicable:
            stack.extend((c, depth + 1) for c in reversed(kids.get(ind["id"], [])))
    return out


def warnings_for(run: Run, unit_code: str | None) -> list[ErrorRow]:
    """The run's warnings, named; for one unit, those about it and those about no unit in particular."""
    mine = run.warnings if unit_code is None else [w for w in run.warnings if w.get("unit") in (unit_code, None)]
    return named_issues(run, mine)


def publication(cycle: Cycle) -> dict[str, Any]:
    """The published year-end run, and whether the inputs changed since (then it needs a new computation)."""
    from kaohe.indicators.gates import published_run
    from kaohe.indicators.selectors import scenario_for
    from kaohe.indicators.services import fingerprint

    run = published_run(cycle)
    return {"published": run, "stale": bool(run and fingerprint(scenario_for(cycle)) != run.fingerprint)}


def problems_of(cycle: Cycle, unit) -> list:
    """The unit's half-year problems of the cycle that were sent to it (整改), for its report card."""
    from kaohe.indicators.gates import today
    from kaohe.reporting.models import Problem

    problems = list(Problem.objects.filter(cycle=cycle, unit=unit).exclude(state=Problem.State.RECORDED)
                    .select_related("indicator").order_by("id"))
    day = today()
    for p in problems:
        p.late = p.overdue_on(day)
    return problems
