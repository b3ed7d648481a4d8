"""Reads for the analysis pages (指标分析 / 领域分析 / 趋势分析 / 责任人分析): figures from a stored version.

Everything is read from the version itself (its scenario and its RunUnit rows), so that an analysis of a
published version never changes when the cycle's indicators or units are edited afterwards. Pure reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from kaohe.indicators.gates import published_run
from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit
from kaohe.results.models import Run, RunUnit
from kaohe.results.selectors import group_names

# The bands of the score-rate histogram (score / points), lowest first; full marks is its own band.
BANDS = [(0.0, 0.6, "<60%"), (0.6, 0.7, "60–70%"), (0.7, 0.8, "70–80%"), (0.8, 0.9, "80–90%"),
         (0.9, 1.0, "90–100%")]
FULL_BAND = "满分"
LOW_RATE = 0.6  # below 60% of the points: an indicator the unit clearly missed
TOP_LOSERS = 10
# Leaves measured against a target: "completed" means the actual reached the target, not the points.
TARGET_METHODS = {"completion", "threshold"}


def runs_for(user_runs: QuerySet[Run]) -> list[Run]:
    """The versions with results a person may pick from, newest first (the scenario is not loaded)."""
    return list(user_runs.filter(status=Run.Status.OK).defer("scenario").order_by("-number"))


def default_run(cycle: Cycle, visible: QuerySet[Run]) -> Run | None:
    """The latest public year-end version; without one, the latest version with results this person sees."""
    run = published_run(cycle)
    if run is not None and run.status == Run.Status.OK:
        return run
    return visible.filter(status=Run.Status.OK).order_by("-number").first()


def rate(score: float | None, points: float | None) -> float | None:
    if score is None or not points:
        return None
    return score / points


def mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


@dataclass
class Cell:
    """One unit on one leaf of a version."""
    unit_id: int
    code: str
    name: str
    group: str  # domain/track key, "county" or "county/plain"
    points: float
    score: float
    lost: float
    rate: float | None
    actual: float | None
    target: float | None
    completed: bool
    explain: str


@dataclass
class Version:
    """A version read once: its indicator tree, units and every applicable (unit, node) score."""
    run: Run
    indicators: dict[str, dict[str, Any]]
    order: list[str]  # indicator codes in reading order
    children: dict[str | None, list[str]]
    leaves: list[str]
    rows: list[RunUnit]
    unit_code: dict[int, str]  # unit pk -> code at the run
    unit_name: dict[int, str]  # unit pk -> name at the run
    unit_track: dict[int, str]  # unit pk -> "domain" or "domain/category"
    scores: dict[tuple[int, str], dict[str, Any]]  # (unit pk, node) -> the engine's score dict, applicable only
    values: dict[tuple[str, str], dict[str, Any]]

    def name(self, code: str) -> str:
        return self.indicators.get(code, {}).get("name", code)

    def paper(self, code: str) -> str:
        ind = self.indicators[code]
        while ind.get("parent"):
            ind = self.indicators[ind["parent"]]
        return ind["id"]

    def cells(self, leaf: str) -> list[Cell]:
        ind = self.indicators[leaf]
        out = []
        for row in self.rows:
            s = self.scores.get((row.unit_id, leaf))
            if s is None:
                continue
            code = self.unit_code[row.unit_id]
            v = self.values.get((code, leaf), {})
            actual, target = v.get("actual"), v.get("target")
            out.append(Cell(unit_id=row.unit_id, code=code, name=self.unit_name[row.unit_id],
                            group=self.unit_track[row.unit_id], points=s["points"], score=s["score"], lost=s["lost"],
                            rate=rate(s["score"], s["points"]), actual=actual, target=target,
                            completed=completed(ind, s, actual, target), explain=s.get("explain") or ""))
        return out


def completed(ind: dict[str, Any], s: dict[str, Any], actual: Any, target: Any) -> bool:
    """A key-work indicator is completed (完成) when the unit reached its target: for completion and threshold
    leaves with a target, the actual reached it (≥, or ≤ when lower is better); for every other leaf, full marks."""
    if ind.get("method") in TARGET_METHODS and isinstance(target, (int, float)) and isinstance(actual, (int, float)):
        return actual <= target if ind.get("direction") == "lower" else actual >= target
    return s["score"] is not None and s["points"] is not None and s["score"] >= s["points"] - 1e-9


def read_version(run: Run) -> Version:
    scenario = run.scenario
    indicators = {i["id"]: i for i in scenario.get("indicators", [])}
    children: dict[str | None, list[str]] = {}
    for i in scenario.get("indicators", []):
        children.setdefault(i.get("parent"), []).append(i["id"])
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        order.append(code)
        stack.extend(reversed(children.get(code, [])))
    leaves = [c for c in order if c not in children and indicators[c].get("method")]
    units = scenario.get("units", [])
    rows = list(run.unit_results.select_related("unit").order_by("position"))
    unit_code, unit_name, unit_track, scores = {}, {}, {}, {}
    for row in rows:
        u = units[row.position]
        unit_code[row.unit_id] = u["id"]
        unit_name[row.unit_id] = u.get("name", u["id"])
        d, c = u.get("domain", ""), u.get("category", "")
        unit_track[row.unit_id] = f"{d}/{c}" if c else d
        for s in row.scores:
            if s.get("applicable"):
                scores[(row.unit_id, s["indicator"])] = s
    values = {(v["unit"], v["indicator"]): v for v in scenario.get("values", [])}
    return Version(run=run, indicators=indicators, order=order, children=children, leaves=leaves, rows=rows,
                   unit_code=unit_code, unit_name=unit_name, unit_track=unit_track, scores=scores, values=values)


# --- 指标分析 ----------------------------------------------------------------------------------------------

@dataclass
class LeafStats:
    code: str
    name: str
    paper: str
    points: float | None
    method: str
    units: int
    average: float | None  # average score rate
    completed: int
    full: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.units if self.units else None


def leaf_stats(v: Version, leaf: str) -> LeafStats:
    cells = v.cells(leaf)
    ind = v.indicators[leaf]
    return LeafStats(code=leaf, name=v.name(leaf), paper=v.paper(leaf), points=ind.get("points"),
                     method=ind.get("method", ""), units=len(cells),
                     average=mean([c.rate for c in cells if c.rate is not None]),
                     completed=sum(c.completed for c in cells),
                     full=sum(1 for c in cells if c.rate is not None and c.rate >= 1 - 1e-9), cells=cells)


def all_leaf_stats(v: Version) -> list[LeafStats]:
    return [leaf_stats(v, leaf) for leaf in v.leaves]


def bands(cells: list[Cell]) -> list[dict[str, Any]]:
    """How many units fall in each score-rate band (the histogram)."""
    counts = {label: 0 for _lo, _hi, label in BANDS} | {FULL_BAND: 0}
    for c in cells:
        if c.rate is None:
            continue
        if c.rate >= 1 - 1e-9:
            counts[FULL_BAND] += 1
            continue
        # the bands are in ascending order: the first whose upper bound lies above the rate (below 0 too)
        label = next(label for _lo, hi, label in BANDS if c.rate < hi)
        counts[label] += 1
    return [{"band": label, "units": n} for label, n in counts.items()]


def top_losers(cells: list[Cell], n: int = TOP_LOSERS) -> list[Cell]:
    """The units that lost most points on the leaf (none that lost nothing)."""
    return sorted([c for c in cells if c.lost and c.lost > 0], key=lambda c: (-c.lost, c.code))[:n]


@dataclass
class Completion:
    """Key-work completion (重点工作完成率): over all (unit, applicable leaf) pairs."""
    label: str
    pairs: int
    completed: int

    @property
    def rate(self) -> float | None:
        return self.completed / self.pairs if self.pairs else None

    @property
    def missed(self) -> int:
        return self.pairs - self.completed


def completion(v: Version, stats: list[LeafStats] | None = None) -> tuple[Completion, list[Completion]]:
    """The whole version's completion and one line per domain/track of the units."""
    stats = stats if stats is not None else all_leaf_stats(v)
    tracks = track_names(v)
    per: dict[str, list[int]] = {key: [0, 0] for key in tracks}
    for st in stats:
        for c in st.cells:
            per[c.group][0] += 1
            per[c.group][1] += c.completed
    total = Completion("", sum(p[0] for p in per.values()), sum(p[1] for p in per.values()))
    return total, [Completion(tracks[k], p[0], p[1]) for k, p in per.items()]


def track_names(v: Version) -> dict[str, str]:
    """domain/track key -> its name, in the order units appear in the version."""
    keys = list(dict.fromkeys(v.unit_track[r.unit_id] for r in v.rows))
    names = group_names(set(keys))
    return {k: names[k] for k in keys}


# --- 领域分析 ----------------------------------------------------------------------------------------------

@dataclass
class NodeRow:
    code: str
    name: str
    depth: int
    points: float | None
    rates: list[float | None]  # one per track, in track order
    units: list[int]


def domain_table(v: Version) -> tuple[dict[str, str], list[NodeRow]]:
    """Average score rate of every paper (top level) and group (second level) per domain/track of the units."""
    tracks = track_names(v)
    keys = list(tracks)
    rows = []
    for code in v.order:
        ind = v.indicators[code]
        depth = 0 if not ind.get("parent") else (1 if not v.indicators[ind["parent"]].get("parent") else 2)
        if depth > 1:
            continue
        per: dict[str, list[float]] = {k: [] for k in keys}
        for r in v.rows:
            s = v.scores.get((r.unit_id, code))
            x = rate(s["score"], s["points"]) if s else None
            if x is not None:
                per[v.unit_track[r.unit_id]].append(x)
        rows.append(NodeRow(code=code, name=v.name(code), depth=depth, points=ind.get("points"),
                            rates=[mean(per[k]) for k in keys], units=[len(per[k]) for k in keys]))
    return tracks, rows


# --- 责任人分析 --------------------------------------------------------------------------------------------

@dataclass
class PersonRow:
    person: str
    lead_unit: str
    indicators: list[tuple[str, str]]  # (code, name)
    pairs: int
    average: float | None
    low: int  # (unit, leaf) pairs below 60% of the points
    low_units: int  # distinct units with at least one such leaf


def people(v: Version, stats: list[LeafStats] | None = None) -> list[PersonRow]:
    """Per responsible person (实绩到人) and lead unit: their leaves and how the units did on them."""
    stats = stats if stats is not None else all_leaf_stats(v)
    groups: dict[tuple[str, str], list[LeafStats]] = {}
    for st in stats:
        ind = v.indicators[st.code]
        groups.setdefault((ind.get("responsible") or "", ind.get("lead_unit") or ""), []).append(st)
    out = []
    for (person, lead), sts in groups.items():
        cells = [c for st in sts for c in st.cells]
        low = [c for c in cells if c.rate is not None and c.rate < LOW_RATE]
        out.append(PersonRow(person=person, lead_unit=lead, indicators=[(s.code, s.name) for s in sts],
                             pairs=len(cells), average=mean([c.rate for c in cells if c.rate is not None]),
                             low=len(low), low_units=len({c.unit_id for c in low})))
    return sorted(out, key=lambda p: (p.average if p.average is not None else 2, p.person, p.lead_unit))


# --- 趋势分析 ----------------------------------------------------------------------------------------------

@dataclass
class TrendPoint:
    cycle: Cycle
    run: Run
    total: float
    rank: int
    group_size: int
    grade: str


def trend(unit: Unit, cycles: QuerySet[Cycle]) -> list[TrendPoint]:
    """For every cycle on record that assessed the unit, its result in that cycle's latest public year-end
    version, oldest first. Cycles without a public year-end version are left out."""
    out = []
    for cycle in cycles.filter(units=unit).distinct().order_by("year", "pk"):
        run = published_run(cycle)
        if run is None:
            continue
        row = RunUnit.objects.filter(run=run, unit=unit).defer("scores").first()
        if row is not None:
            out.append(TrendPoint(cycle=cycle, run=run, total=row.total, rank=row.rank, group_size=row.group_size,
                                  grade=row.grade))
    return out


@dataclass
class RadarRow:
    code: str
    name: str
    points: float | None
    score: float | None
    rate: float | None
    peer_average: float | None
    peers: int


def radar(v: Version, unit_pk: int) -> tuple[RunUnit | None, list[RadarRow]]:
    """The unit's score rate on each second-level node that applies to it, against the average of its ranking
    group (RunUnit.group) on that node. Peers are figures only: no name leaves this function."""
    own = next((r for r in v.rows if r.unit_id == unit_pk), None)
    if own is None:
        return None, []
    peers = [r for r in v.rows if r.group == own.group]
    out = []
    for code in v.order:
        parent = v.indicators[code].get("parent")
        if not parent or v.indicators[parent].get("parent"):
            continue
        s = v.scores.get((unit_pk, code))
        if s is None:
            continue
        rates = [x for r in peers if (ps := v.scores.get((r.unit_id, code))) and
                 (x := rate(ps["score"], ps["points"])) is not None]
        out.append(RadarRow(code=code, name=v.name(code), points=s["points"], score=s["score"],
                            rate=rate(s["score"], s["points"]), peer_average=mean(rates), peers=len(rates)))
    return own, out
