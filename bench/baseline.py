"""A second, deliberately plain implementation of the binding scoring spec (scoring.md).

It scores unit by unit and leaf by leaf, finding each unit's peers by scanning the unit
list, with no NumPy. `bench/run.py` times it against the engine and uses it as an oracle.

Readings chosen where the spec leaves room (each one kept consistent with the vectors):

1. `missing: "zero"` is a param of the data-based methods only (those reading `values`).
   On `rating` and `satisfaction` it is an unknown param (`unknown_param`): their
   "no data" cases have their own error codes (`no_ratings`, `no_responses`).
2. "Values, ratings and responses for a leaf that does not apply to the unit are ignored"
   is read as ignored entirely: no `duplicate_value`, `rating_out_of_range`,
   `duplicate_rating` or `unknown_choice` for them. The same goes for data a leaf's method
   does not read (values on a rating leaf, ratings on a completion leaf, ratings from a
   group outside the leaf's `groups`). Their references must still resolve.
3. A value field given as JSON null counts as missing.
4. A unit scored 0 under `missing: "zero"` is left out of the peer group entirely, so the
   peer group size `n` of rank/growth_rank counts only units with a usable value
   (vector 09 scores it 0 and warns; the peers' side is the spec's own words).
5. A non-leaf without its own points reports, per unit, the sum of its applicable
   children's points (vector 06: the root shows 6 for U1 and 10 for U4).
6. `points_mismatch` is raised only for non-leaves with their own points, with a
   tolerance of 1e-9 so that 0.1 + 0.2 style sums do not warn.
7. `efficacy` with only one of `best`/`worst` given takes the other from the peer group.
8. `completion` lower-is-better with `target <= 0` is not an error: r = target/actual <= 0
   gives 0. `threshold` on a rate, lower, `actual <= 0` takes the best band's share.
9. `threshold` bands with equal bounds: the better share wins, so the band order given in
   the scenario never matters (the spec says the engine sorts the bands itself).
10. `satisfaction`: every unit with fewer than `min_responses` answers (zero included) is
    warned `insufficient_sample`; it takes the plain average of the means of the units in
    its peer group (same `peer` param as the relative methods) that have enough answers.
    `no_responses` only when it has no answer and no such peer exists (vector 12).
11. `rating`: groups with a weight of 0 still count as having rated; when the weights of
    all groups that rated a unit sum to 0 the scenario is invalid (`zero_weights`).
12. Grades: the bottom quota uses the same `+ 1e-9` as the top quotas; reverse places and
    places count only non-vetoed units of the grade scope, while `n` counts all of them
    (vector 16). A vetoed unit gets the last grade listed, whether or not that grade has a
    `bottom_share`. A grade listed with neither `top_share`, `rest`, `bottom_share` nor
    `below_total` is invalid (`bad_grades`); an empty `grades` list means no grades.
13. `advanced` follows the letter of the spec: grade equal to `advanced.grade` (and
    leadership excellent when required); nothing special is done for vetoed units, which
    can only matter if `advanced.grade` is the last grade.
14. `external_rank` actual must be an integer >= 1 and `deduction` actual a count >= 0,
    else `bad_value`; a negative response count or adjustment points is `bad_value` too.
15. Structural errors in units or the indicator tree (duplicate ids, unknown parents,
    cycles) stop before data checks, since data cannot be matched to a broken tree;
    every other error is collected together with all data errors.

Error codes of this module's choosing (section 8 leaves them open): `bad_json`
(scenario is not an object / a list is not a list), `unknown_key`, `missing_field`,
`bad_value`, `duplicate_id`, `unknown_reference`, `cycle`, `leaf_without_points`,
`leaf_without_method`, `method_on_non_leaf`, `unknown_method`, `unknown_param`,
`missing_param`, `bad_param`, `bad_weights`, `bad_grades`, `zero_weights`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

METHODS = frozenset({
    "completion", "efficacy", "rank", "external_rank", "threshold", "deduction",
    "binary", "manual", "growth_rank", "rating", "satisfaction",
})
VALUE_METHODS = METHODS - {"rating", "satisfaction"}
METHOD_PARAMS: dict[str, frozenset[str]] = {
    "completion": frozenset({"cap", "floor", "missing"}),
    "efficacy": frozenset({"base", "best", "worst", "peer", "missing"}),
    "rank": frozenset({"floor", "peer", "missing"}),
    "external_rank": frozenset({"bar", "step", "floor", "missing"}),
    "threshold": frozenset({"bands", "basis", "missing"}),
    "deduction": frozenset({"per_item", "floor", "missing"}),
    "binary": frozenset({"partial", "missing"}),
    "manual": frozenset({"cap", "missing"}),
    "growth_rank": frozenset({"weights", "floor", "peer", "missing"}),
    "rating": frozenset({"trim_min", "groups"}),
    "satisfaction": frozenset({"min_responses", "peer"}),
}
REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {
    "external_rank": ("bar", "step"),
    "deduction": ("per_item",),
    "threshold": ("bands",),
}
DEFAULT_CHOICES = {"satisfied": 100, "fairly_satisfied": 80, "basically_satisfied": 60,
                   "unsatisfied": 0}
DEFAULT_GROWTH_WEIGHTS = {"increment": 0.4, "growth": 0.3, "gap": 0.3}

TOP_KEYS = frozenset({"units", "indicators", "values", "rater_groups", "ratings",
                      "responses", "adjustments", "settings"})
UNIT_KEYS = frozenset({"id", "name", "domain", "category", "leadership_excellent"})
INDICATOR_KEYS = frozenset({"id", "parent", "name", "points", "line", "method",
                            "direction", "params", "applies_to", "lead_unit", "responsible"})
APPLIES_KEYS = frozenset({"domains", "categories", "units", "exclude_units"})
VALUE_KEYS = frozenset({"unit", "indicator", "actual", "target", "baseline"})
RATER_GROUP_KEYS = frozenset({"id", "name", "weight"})
RATING_KEYS = frozenset({"indicator", "unit", "group", "rater", "score"})
RESPONSE_KEYS = frozenset({"indicator", "unit", "choice", "count"})
ADJUSTMENT_KEYS = frozenset({"unit", "kind", "points", "reason"})
SETTINGS_KEYS = frozenset({"bonus_cap", "deduction_cap", "bonus_line_in_total", "rank_by",
                           "choices", "grades", "grade_scope", "advanced"})
GRADE_KEYS = frozenset({"name", "top_share", "min_total", "rest", "bottom_share",
                        "below_total"})
ADVANCED_KEYS = frozenset({"grade", "requires_leadership_excellent"})

CENT = Decimal("0.01")


class BaselineInvalid(Exception):
    """The scenario is invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} error(s): " + "; ".join(
            f"{e['code']} {e['unit']} {e['indicator']}" for e in errors[:5]))
        self.errors = errors


def round2(x: float) -> float:
    """Section 7: 9 decimals first (drops binary noise), then 2 with halves away from zero."""
    return float(Decimal(f"{x:.9f}").quantize(CENT, ROUND_HALF_UP)) + 0.0


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, code: str, unit: str | None, indicator: str | None, message: str) -> None:
        self.items.append({"code": code, "unit": unit, "indicator": indicator,
                           "message": message})


# --------------------------------------------------------------------------- structure

def _check_keys(row: Any, allowed: frozenset[str], where: str, errs: _Errors,
                unit: str | None = None, indicator: str | None = None) -> bool:
    if not isinstance(row, dict):
        errs.add("bad_json", unit, indicator, f"{where}: expected an object")
        return False
    for k in row:
        if k not in allowed:
            errs.add("unknown_key", unit, indicator, f"{where}: unknown key {k!r}")
    return True


def _list(scenario: dict[str, Any], key: str, errs: _Errors) -> list[Any]:
    v = scenario.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        errs.add("bad_json", None, None, f"{key}: expected a list")
        return []
    return v


def _check_units(rows: list[Any], errs: _Errors) -> tuple[list[dict[str, Any]], bool]:
    units: list[dict[str, Any]] = []
    seen: set[str] = set()
    ok = True
    for i, row in enumerate(rows):
        if not _check_keys(row, UNIT_KEYS, f"units[{i}]", errs):
            ok = False
            continue
        uid = row.get("id")
        if not isinstance(uid, str) or not uid:
            errs.add("missing_field", None, None, f"units[{i}]: id must be a non-empty string")
            ok = False
            continue
        if uid in seen:
            errs.add("duplicate_id", uid, None, f"unit id {uid} appears twice")
            ok = False
            continue
        seen.add(uid)
        domain = row.get("domain")
        if not isinstance(domain, str) or not domain:
            errs.add("missing_field", uid, None, "unit needs a domain")
            ok = False
            domain = ""
        category = row.get("category", "")
        if category is None:
            category = ""
        if not isinstance(category, str):
            errs.add("bad_value", uid, None, "category must be a string")
            category = ""
        excellent = row.get("leadership_excellent", False)
        if not isinstance(excellent, bool):
            errs.add("bad_value", uid, None, "leadership_excellent must be true or false")
            excellent = False
        units.append({"id": uid, "domain": domain, "category": category,
                      "excellent": excellent})
    return units, ok


def _check_param_types(ind_id: str, method: str, params: dict[str, Any],
                       group_ids: set[str], errs: _Errors) -> None:
    def num(key: str, low: float | None = None, strict: bool = False) -> None:
        if key not in params:
            return
        v = params[key]
        if not _is_num(v) or (low is not None and (v <= low if strict else v < low)):
            errs.add("bad_param", None, ind_id, f"param {key} has a bad value {v!r}")

    for key in REQUIRED_PARAMS.get(method, ()):
        if key not in params:
            errs.add("missing_param", None, ind_id, f"{method} needs param {key}")
    if "missing" in params and params["missing"] != "zero":
        errs.add("bad_param", None, ind_id, "param missing must be \"zero\"")
    if "peer" in params and params["peer"] not in ("group", "domain", "all"):
        errs.add("bad_param", None, ind_id, "param peer must be group, domain or all")
    num("cap", 0, strict=True)
    num("floor")
    num("base")
    num("bar", 0)
    num("step", 0)
    num("per_item", 0)
    num("partial")
    num("min_responses", 0)
    for key in ("best", "worst"):
        if params.get(key) is not None:
            num(key)
    if "trim_min" in params:
        t = params["trim_min"]
        if not isinstance(t, int) or isinstance(t, bool) or t < 3:
            errs.add("bad_param", None, ind_id, "trim_min must be an integer of at least 3")
    if "basis" in params and params["basis"] not in ("value", "rate"):
        errs.add("bad_param", None, ind_id, "basis must be value or rate")
    if "bands" in params:
        bands = params["bands"]
        if not isinstance(bands, list) or not bands or not all(
                isinstance(b, list) and len(b) == 2 and _is_num(b[0]) and _is_num(b[1])
                for b in bands):
            errs.add("bad_param", None, ind_id, "bands must be a list of [bound, share]")
    if "weights" in params:
        w = params["weights"]
        if (not isinstance(w, dict) or set(w) != set(DEFAULT_GROWTH_WEIGHTS)
                or not all(_is_num(x) for x in w.values())
                or abs(sum(w.values()) - 1.0) > 1e-9):
            errs.add("bad_weights", None, ind_id,
                     "weights need increment, growth and gap summing to 1")
    if "groups" in params:
        gs = params["groups"]
        if not isinstance(gs, list) or not gs:
            errs.add("bad_param", None, ind_id, "groups must be a non-empty list")
        else:
            for g in gs:
                if g not in group_ids:
                    errs.add("unknown_reference", None, ind_id, f"unknown rater group {g!r}")


def _check_indicators(rows: list[Any], unit_ids: set[str], group_ids: set[str],
                      errs: _Errors) -> tuple[list[dict[str, Any]], bool]:
    inds: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    ok = True
    for i, row in enumerate(rows):
        if not _check_keys(row, INDICATOR_KEYS, f"indicators[{i}]", errs):
            ok = False
            continue
        iid = row.get("id")
        if not isinstance(iid, str) or not iid:
            errs.add("missing_field", None, None,
                     f"indicators[{i}]: id must be a non-empty string")
            ok = False
            continue
        if iid in by_id:
            errs.add("duplicate_id", None, iid, f"indicator id {iid} appears twice")
            ok = False
            continue
        parent = row.get("parent")
        if parent is not None and not isinstance(parent, str):
            errs.add("bad_value", None, iid, "parent must be an indicator id")
            ok = False
            parent = None
        ind = {"id": iid, "parent": parent, "points": row.get("points"),
               "line": row.get("line", "main"), "method": row.get("method"),
               "direction": row.get("direction", "higher"),
               "params": row.get("params") or {}, "applies_to": row.get("applies_to"),
               "children": []}
        inds.append(ind)
        by_id[iid] = ind
    for ind in inds:
        p = ind["parent"]
        if p is not None:
            if p not in by_id:
                errs.add("unknown_reference", None, ind["id"], f"unknown parent {p!r}")
                ok = False
            else:
                by_id[p]["children"].append(ind["id"])
    if ok:
        for ind in inds:
            seen = {ind["id"]}
            p = ind["parent"]
            while p is not None:
                if p in seen:
                    errs.add("cycle", None, ind["id"], "the indicator tree has a cycle")
                    ok = False
                    break
                seen.add(p)
                p = by_id[p]["parent"]
    for ind in inds:
        iid = ind["id"]
        before = len(errs.items)
        leaf = not ind["children"]
        pts = ind["points"]
        if pts is not None and (not _is_num(pts) or pts <= 0):
            errs.add("bad_value", None, iid, "points must be a number above 0")
        if ind["line"] not in ("main", "bonus"):
            errs.add("bad_value", None, iid, "line must be main or bonus")
        if ind["direction"] not in ("higher", "lower"):
            errs.add("bad_value", None, iid, "direction must be higher or lower")
        if not isinstance(ind["params"], dict):
            errs.add("bad_value", None, iid, "params must be an object")
            ind["params"] = {}
        at = ind["applies_to"]
        if at is not None:
            if _check_keys(at, APPLIES_KEYS, f"indicator {iid} applies_to", errs,
                           indicator=iid):
                for k in APPLIES_KEYS:
                    v = at.get(k, [])
                    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                        errs.add("bad_value", None, iid, f"applies_to.{k} must be a list")
                    elif k in ("units", "exclude_units"):
                        for u in v:
                            if u not in unit_ids:
                                errs.add("unknown_reference", u, iid, f"unknown unit {u!r}")
            else:
                ind["applies_to"] = None
        method = ind["method"]
        if leaf:
            if pts is None:
                errs.add("leaf_without_points", None, iid, "a leaf needs points")
            if method is None:
                errs.add("leaf_without_method", None, iid, "a leaf needs a method")
            elif method not in METHODS:
                errs.add("unknown_method", None, iid, f"unknown method {method!r}")
            else:
                for k in ind["params"]:
                    if k not in METHOD_PARAMS[method]:
                        errs.add("unknown_param", None, iid, f"{method} has no param {k!r}")
                _check_param_types(iid, method, ind["params"], group_ids, errs)
        elif method is not None:
            errs.add("method_on_non_leaf", None, iid, "only leaves are scored by a method")
        # A leaf with a bad definition cannot have its data checked; its error is enough.
        ind["bad"] = len(errs.items) > before
    return inds, ok


def _check_grades(settings: dict[str, Any], errs: _Errors) -> list[dict[str, Any]] | None:
    grades = settings.get("grades")
    if grades is None or grades == []:
        return None
    if not isinstance(grades, list):
        errs.add("bad_grades", None, None, "grades must be a list")
        return None
    out: list[dict[str, Any]] = []
    rest = 0
    names: set[str] = set()
    for i, g in enumerate(grades):
        if not _check_keys(g, GRADE_KEYS, f"grades[{i}]", errs):
            return None
        name = g.get("name")
        if not isinstance(name, str) or not name or name in names:
            errs.add("bad_grades", None, None, f"grades[{i}] needs a unique name")
        names.add(name)
        for k in ("top_share", "bottom_share"):
            if k in g and (not _is_num(g[k]) or not 0 <= g[k] <= 1):
                errs.add("bad_grades", None, None, f"grade {name}: {k} must be in [0, 1]")
        for k in ("min_total", "below_total"):
            if k in g and g[k] is not None and not _is_num(g[k]):
                errs.add("bad_grades", None, None, f"grade {name}: {k} must be a number")
        is_rest = g.get("rest", False) is True
        is_top = g.get("top_share") is not None
        is_bottom = g.get("bottom_share") is not None or g.get("below_total") is not None
        if is_rest + is_top + is_bottom != 1:
            errs.add("bad_grades", None, None,
                     f"grade {name} must be exactly one of top_share, rest, bottom")
        if g.get("min_total") is not None and not is_top:
            errs.add("bad_grades", None, None, f"grade {name}: min_total needs top_share")
        if is_bottom and i != len(grades) - 1:
            errs.add("bad_grades", None, None, "the bottom grade must be the last")
        rest += is_rest
        out.append(g)
    if rest != 1:
        errs.add("bad_grades", None, None, "grades need exactly one rest grade")
    return out


def _check_settings(raw: Any, errs: _Errors) -> dict[str, Any]:
    s: dict[str, Any] = {"bonus_cap": None, "deduction_cap": None,
                         "bonus_line_in_total": False, "rank_by": "group",
                         "grade_scope": "group", "choices": dict(DEFAULT_CHOICES),
                         "grades": None, "advanced": None}
    if raw is None:
        return s
    if not _check_keys(raw, SETTINGS_KEYS, "settings", errs):
        return s
    for k in ("bonus_cap", "deduction_cap"):
        v = raw.get(k)
        if v is not None and (not _is_num(v) or v < 0):
            errs.add("bad_value", None, None, f"settings.{k} must be a number >= 0 or null")
        else:
            s[k] = v
    v = raw.get("bonus_line_in_total", False)
    if not isinstance(v, bool):
        errs.add("bad_value", None, None, "settings.bonus_line_in_total must be true or false")
    else:
        s["bonus_line_in_total"] = v
    for k in ("rank_by", "grade_scope"):
        v = raw.get(k, "group")
        if v not in ("group", "domain"):
            errs.add("bad_value", None, None, f"settings.{k} must be group or domain")
        else:
            s[k] = v
    if "choices" in raw:
        c = raw["choices"]
        if (not isinstance(c, dict) or not c
                or not all(isinstance(k, str) and _is_num(x) for k, x in c.items())):
            errs.add("bad_value", None, None, "settings.choices maps choice names to numbers")
        else:
            s["choices"] = dict(c)
    s["grades"] = _check_grades(raw, errs)
    adv = raw.get("advanced")
    if adv is not None and _check_keys(adv, ADVANCED_KEYS, "settings.advanced", errs):
        req = adv.get("requires_leadership_excellent", False)
        if not isinstance(req, bool):
            errs.add("bad_value", None, None,
                     "advanced.requires_leadership_excellent must be true or false")
            req = False
        grade = adv.get("grade")
        if s["grades"] is not None and grade not in {g.get("name") for g in s["grades"]}:
            errs.add("unknown_reference", None, None, f"advanced grade {grade!r} is not a grade")
        s["advanced"] = {"grade": grade, "requires": req}
    return s


# --------------------------------------------------------------------------- model

class _Model:
    """The checked scenario, with the lookups every step needs."""

    def __init__(self, scenario: Any, errs: _Errors) -> None:
        self.tree_ok = False
        if not isinstance(scenario, dict):
            errs.add("bad_json", None, None, "the scenario must be a JSON object")
            return
        for k in scenario:
            if k not in TOP_KEYS:
                errs.add("unknown_key", None, None, f"unknown top-level key {k!r}")
        self.units, units_ok = _check_units(_list(scenario, "units", errs), errs)
        self.unit_by_id = {u["id"]: u for u in self.units}
        self.groups: dict[str, float] = {}
        for i, g in enumerate(_list(scenario, "rater_groups", errs)):
            if not _check_keys(g, RATER_GROUP_KEYS, f"rater_groups[{i}]", errs):
                continue
            gid, w = g.get("id"), g.get("weight")
            if not isinstance(gid, str) or not gid:
                errs.add("missing_field", None, None, f"rater_groups[{i}] needs an id")
            elif gid in self.groups:
                errs.add("duplicate_id", None, None, f"rater group {gid} appears twice")
            elif not _is_num(w) or w < 0:
                errs.add("bad_value", None, None, f"rater group {gid} needs a weight >= 0")
            else:
                self.groups[gid] = float(w)
        self.inds, tree_ok = _check_indicators(_list(scenario, "indicators", errs),
                                               set(self.unit_by_id), set(self.groups), errs)
        self.ind_by_id = {ind["id"]: ind for ind in self.inds}
        self.leaves = [ind for ind in self.inds if not ind["children"]]
        self.settings = _check_settings(scenario.get("settings"), errs)
        self.values = self._rows(scenario, "values", VALUE_KEYS, errs)
        self.ratings = self._rows(scenario, "ratings", RATING_KEYS, errs)
        self.responses = self._rows(scenario, "responses", RESPONSE_KEYS, errs)
        self.adjustments: list[dict[str, Any]] = []
        for i, a in enumerate(_list(scenario, "adjustments", errs)):
            if not _check_keys(a, ADJUSTMENT_KEYS, f"adjustments[{i}]", errs):
                continue
            uid = a.get("unit")
            if uid not in self.unit_by_id:
                errs.add("unknown_reference", uid if isinstance(uid, str) else None, None,
                         f"adjustments[{i}]: unknown unit {uid!r}")
                continue
            kind = a.get("kind")
            if kind not in ("bonus", "deduction", "veto"):
                errs.add("bad_value", uid, None, f"adjustments[{i}]: unknown kind {kind!r}")
                continue
            pts = a.get("points")
            if kind != "veto" and (not _is_num(pts) or pts < 0):
                errs.add("bad_value", uid, None,
                         f"adjustments[{i}]: {kind} points must be a number >= 0")
                continue
            self.adjustments.append({"unit": uid, "kind": kind, "points": pts})
        self.tree_ok = units_ok and tree_ok

    def _rows(self, scenario: dict[str, Any], key: str, allowed: frozenset[str],
              errs: _Errors) -> list[dict[str, Any]]:
        out = []
        for i, row in enumerate(_list(scenario, key, errs)):
            if not _check_keys(row, allowed, f"{key}[{i}]", errs):
                continue
            uid, iid = row.get("unit"), row.get("indicator")
            good = True
            if uid not in self.unit_by_id:
                errs.add("unknown_reference", uid if isinstance(uid, str) else None,
                         iid if isinstance(iid, str) else None,
                         f"{key}[{i}]: unknown unit {uid!r}")
                good = False
            if iid not in self.ind_by_id:
                errs.add("unknown_reference", uid if isinstance(uid, str) else None,
                         iid if isinstance(iid, str) else None,
                         f"{key}[{i}]: unknown indicator {iid!r}")
                good = False
            if key == "ratings" and row.get("group") not in self.groups:
                errs.add("unknown_reference", uid if isinstance(uid, str) else None,
                         iid if isinstance(iid, str) else None,
                         f"{key}[{i}]: unknown rater group {row.get('group')!r}")
                good = False
            if good:
                out.append(row)
        return out

    # Scope and applicability, straight from section 1.
    def in_scope(self, ind: dict[str, Any], unit: dict[str, Any]) -> bool:
        at = ind["applies_to"]
        if not at:
            return True
        domains = at.get("domains") or []
        categories = at.get("categories") or []
        only = at.get("units") or []
        excluded = at.get("exclude_units") or []
        if domains and unit["domain"] not in domains:
            return False
        if categories and unit["category"] not in categories:
            return False
        if only and unit["id"] not in only:
            return False
        return unit["id"] not in excluded

    def leaf_applies(self, leaf: dict[str, Any], unit: dict[str, Any]) -> bool:
        node: dict[str, Any] | None = leaf
        while node is not None:
            if not self.in_scope(node, unit):
                return False
            node = self.ind_by_id[node["parent"]] if node["parent"] is not None else None
        return True


def _same_peer_group(a: dict[str, Any], b: dict[str, Any], peer: str) -> bool:
    if peer == "all":
        return True
    if peer == "domain":
        return a["domain"] == b["domain"]
    return a["domain"] == b["domain"] and a["category"] == b["category"]


def _needed_fields(leaf: dict[str, Any]) -> tuple[str, ...]:
    method, params = leaf["method"], leaf["params"]
    if method in ("completion", "binary"):
        return ("actual", "target")
    if method == "growth_rank":
        return ("actual", "baseline", "target")
    if method == "threshold" and params.get("basis", "value") == "rate":
        return ("actual", "target")
    return ("actual",)


# --------------------------------------------------------------------------- inputs

def _gather_inputs(m: _Model, errs: _Errors, warnings: list[dict[str, Any]]
                   ) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], bool]]:
    """Check the data of every applicable (leaf, unit) and keep what scoring reads.

    inputs[(leaf, unit)] is a dict of fields for value methods, None for a missing value
    scored 0, a list of (group, score) for ratings, and (answers, mean) for satisfaction.
    """
    applies: dict[tuple[str, str], bool] = {}
    for leaf in m.leaves:
        for u in m.units:
            applies[(leaf["id"], u["id"])] = m.leaf_applies(leaf, u)

    values: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in m.values:
        values.setdefault((row["indicator"], row["unit"]), []).append(row)
    ratings: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in m.ratings:
        ratings.setdefault((row["indicator"], row["unit"]), []).append(row)
    responses: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in m.responses:
        responses.setdefault((row["indicator"], row["unit"]), []).append(row)

    choices = m.settings["choices"]
    inputs: dict[tuple[str, str], Any] = {}
    for leaf in m.leaves:
        lid, method, params = leaf["id"], leaf["method"], leaf["params"]
        if leaf["bad"]:
            continue
        for u in m.units:
            uid = u["id"]
            if not applies[(lid, uid)]:
                continue
            key = (lid, uid)
            if method in VALUE_METHODS:
                rows = values.get(key, [])
                if len(rows) > 1:
                    errs.add("duplicate_value", uid, lid, f"{len(rows)} value rows")
                    continue
                fields: dict[str, float] = {}
                lacking = []
                for f in _needed_fields(leaf):
                    v = rows[0].get(f) if rows else None
                    if v is None:
                        lacking.append(f)
                    elif not _is_num(v):
                        errs.add("bad_value", uid, lid, f"{f} must be a number, not {v!r}")
                    else:
                        fields[f] = float(v)
                if lacking:
                    if params.get("missing") == "zero":
                        warnings.append({"code": "missing_value", "unit": uid, "indicator": lid,
                                         "message": "missing " + ", ".join(lacking)
                                         + ": scored 0"})
                        inputs[key] = None
                    else:
                        what = "no value row" if not rows else "no " + ", ".join(lacking)
                        errs.add("missing_value", uid, lid, what)
                    continue
                if len(fields) < len(_needed_fields(leaf)):
                    continue
                if _check_value(leaf, uid, fields, errs):
                    inputs[key] = fields
            elif method == "rating":
                allowed = params.get("groups") or list(m.groups)
                used = [r for r in ratings.get(key, []) if r["group"] in allowed]
                if not used:
                    errs.add("no_ratings", uid, lid, "no rating for this unit")
                    continue
                good = True
                seen: set[tuple[str, Any]] = set()
                for r in used:
                    sc = r.get("score")
                    if not _is_num(sc) or not 0 <= sc <= 100:
                        errs.add("rating_out_of_range", uid, lid,
                                 f"rating {sc!r} by {r.get('rater')!r} is not in [0, 100]")
                        good = False
                    rk = (r["group"], r.get("rater"))
                    if rk in seen:
                        errs.add("duplicate_rating", uid, lid,
                                 f"rater {r.get('rater')!r} of {r['group']} rated twice")
                        good = False
                    seen.add(rk)
                if good:
                    inputs[key] = [(r["group"], float(r["score"])) for r in used]
            else:
                total = 0.0
                weighted = 0.0
                good = True
                for r in responses.get(key, []):
                    c, n = r.get("choice"), r.get("count")
                    if c not in choices:
                        errs.add("unknown_choice", uid, lid, f"unknown choice {c!r}")
                        good = False
                        continue
                    if not _is_num(n) or n < 0:
                        errs.add("bad_value", uid, lid, f"answer count {n!r} must be >= 0")
                        good = False
                        continue
                    total += n
                    weighted += n * choices[c]
                if good:
                    inputs[key] = (total, weighted / total if total > 0 else None)
    return inputs, applies


def _check_value(leaf: dict[str, Any], uid: str, f: dict[str, float], errs: _Errors) -> bool:
    lid, method, params = leaf["id"], leaf["method"], leaf["params"]
    lower = leaf["direction"] == "lower"
    if method == "completion" or (method == "threshold"
                                  and params.get("basis", "value") == "rate"):
        if not lower and f["target"] <= 0:
            errs.add("bad_target", uid, lid, f"target {f['target']} must be above 0")
            return False
    elif method == "growth_rank":
        if f["baseline"] == 0:
            errs.add("zero_baseline", uid, lid, "baseline 0 gives no growth rate")
            return False
    elif method == "manual":
        cap = params.get("cap", 1)
        if not 0 <= f["actual"] <= leaf["points"] * cap:
            errs.add("manual_out_of_range", uid, lid,
                     f"score {f['actual']} is not in [0, {leaf['points'] * cap}]")
            return False
    elif method == "external_rank":
        if f["actual"] < 1 or f["actual"] != int(f["actual"]):
            errs.add("bad_value", uid, lid, "an outside ranking place is an integer >= 1")
            return False
    elif method == "deduction":
        if f["actual"] < 0:
            errs.add("bad_value", uid, lid, "a number of failings cannot be negative")
            return False
    return True


# --------------------------------------------------------------------------- leaves

def _peers(m: _Model, leaf: dict[str, Any], unit: dict[str, Any],
           inputs: dict[tuple[str, str], Any], applies: dict[tuple[str, str], bool]
           ) -> list[dict[str, Any]]:
    """Scan every unit: the ones in the unit's peer group with a usable value (self too)."""
    peer = leaf["params"].get("peer", "group")
    lid = leaf["id"]
    return [v for v in m.units
            if applies[(lid, v["id"])] and inputs.get((lid, v["id"])) is not None
            and _same_peer_group(unit, v, peer)]


def _place(q_values: list[float], mine: float) -> int:
    """Competition ranking: 1 + the number of strictly better (larger) values."""
    return 1 + sum(1 for x in q_values if x > mine)


def _q(rank: int, n: int, floor: float) -> float:
    return 1.0 if n <= 1 else 1.0 - (1.0 - floor) * (rank - 1) / (n - 1)


def _score_leaf(m: _Model, leaf: dict[str, Any], unit: dict[str, Any],
                inputs: dict[tuple[str, str], Any], applies: dict[tuple[str, str], bool],
                warnings: list[dict[str, Any]]) -> tuple[float, str]:
    lid, uid = leaf["id"], unit["id"]
    method, params = leaf["method"], leaf["params"]
    P = float(leaf["points"])
    lower = leaf["direction"] == "lower"
    data = inputs.get((lid, uid))
    if data is None and method in VALUE_METHODS:
        return 0.0, "缺数据, 计 0 分"

    if method == "completion":
        cap = params.get("cap", 1)
        floor = params.get("floor", 0)
        a, t = data["actual"], data["target"]
        if lower:
            r = cap if a <= 0 else t / a
        else:
            r = a / t
        s = 0.0 if (r < 0 or r < floor) else P * min(r, cap)
        return s, f"完成率 {r:.2%} × {P:g} = {s:.2f}"

    if method == "efficacy":
        peers = _peers(m, leaf, unit, inputs, applies)
        xs = [inputs[(lid, v["id"])]["actual"] for v in peers]
        best = params.get("best")
        worst = params.get("worst")
        if best is None:
            best = min(xs) if lower else max(xs)
        if worst is None:
            worst = max(xs) if lower else min(xs)
        base = params.get("base", 60)
        if best == worst:
            return P, "满意值 = 不允许值, 得满分"
        d = (data["actual"] - worst) / (best - worst)
        d = min(max(d, 0.0), 1.0)
        s = P * (base + (100 - base) * d) / 100
        return s, f"功效系数 {base + (100 - base) * d:.2f}"

    if method == "rank":
        peers = _peers(m, leaf, unit, inputs, applies)
        sign = -1.0 if lower else 1.0
        others = [sign * inputs[(lid, v["id"])]["actual"] for v in peers]
        rank = _place(others, sign * data["actual"])
        s = P * _q(rank, len(peers), params.get("floor", 0.6))
        return s, f"第 {rank}/{len(peers)} 名"

    if method == "external_rank":
        place = data["actual"]
        bar, step, floor = params["bar"], params["step"], params.get("floor", 0)
        s = P if place <= bar else max(P - step * (place - bar), P * floor)
        return s, f"对标排位第 {place:g} 名"

    if method == "threshold":
        bands = [(float(b[0]), float(b[1])) for b in params["bands"]]
        a = data["actual"]
        if params.get("basis", "value") == "rate":
            bands.sort(key=lambda b: (-b[0], -b[1]))
            if lower and a <= 0:
                return P * bands[0][1], "实际值 ≤ 0, 取最高档"
            v = data["target"] / a if lower else a / data["target"]
            share = next((sh for at, sh in bands if at <= v), 0.0)
        elif lower:
            bands.sort(key=lambda b: (b[0], -b[1]))
            v = a
            share = next((sh for at, sh in bands if v <= at), 0.0)
        else:
            bands.sort(key=lambda b: (-b[0], -b[1]))
            v = a
            share = next((sh for at, sh in bands if at <= v), 0.0)
        return P * share, f"{v:g} 落在 {share:g} 档"

    if method == "deduction":
        s = max(P - params["per_item"] * data["actual"], params.get("floor", 0) * P)
        return s, f"扣分 {data['actual']:g} 项"

    if method == "binary":
        ok = data["actual"] <= data["target"] if lower else data["actual"] >= data["target"]
        s = P if ok else P * params.get("partial", 0)
        return s, "达标" if ok else "未达标"

    if method == "manual":
        return data["actual"], "直接评分"

    if method == "growth_rank":
        peers = _peers(m, leaf, unit, inputs, applies)
        sign = -1.0 if lower else 1.0

        def measures(f: dict[str, float]) -> tuple[float, float, float]:
            a, b, t = f["actual"], f["baseline"], f["target"]
            return (sign * (a - b), sign * ((a - b) / abs(b)), sign * (a - t))

        mine = measures(data)
        theirs = [measures(inputs[(lid, v["id"])]) for v in peers]
        n = len(peers)
        floor = params.get("floor", 0.6)
        w = params.get("weights", DEFAULT_GROWTH_WEIGHTS)
        qs = [_q(_place([t[k] for t in theirs], mine[k]), n, floor) for k in range(3)]
        s = P * (w["increment"] * qs[0] + w["growth"] * qs[1] + w["gap"] * qs[2])
        return s, "增量/增速/差值 " + "/".join(f"{q:.3f}" for q in qs)

    if method == "rating":
        trim_min = params.get("trim_min", 5)
        by_group: dict[str, list[float]] = {}
        for g, sc in data:
            by_group.setdefault(g, []).append(sc)
        num = 0.0
        den = 0.0
        for g, scores in by_group.items():
            if len(scores) >= trim_min:
                scores = sorted(scores)[1:-1]
            mean = sum(scores) / len(scores)
            num += m.groups[g] * mean
            den += m.groups[g]
        combined = num / den
        return P * combined / 100, f"评议 {combined:.2f}"

    # satisfaction
    answers, mean = data
    min_resp = params.get("min_responses", 30)
    if _enough(answers, min_resp):
        return P * mean / 100, f"满意度 {mean:.2f}, {answers:g} 份"
    peers = _peers(m, leaf, unit, inputs, applies)
    enough = [inputs[(lid, v["id"])][1] for v in peers
              if _enough(inputs[(lid, v["id"])][0], min_resp)]
    warnings.append({"code": "insufficient_sample", "unit": uid, "indicator": lid,
                     "message": f"{answers:g} answers"})
    used = sum(enough) / len(enough) if enough else mean
    return P * used / 100, f"样本不足 ({answers:g} 份), 取同组均值 {used:.2f}"


def _enough(answers: float, min_resp: float) -> bool:
    # A unit with no answer never has enough, even when min_responses is 0.
    return answers > 0 and answers >= min_resp


def _check_satisfaction_fallback(m: _Model, inputs: dict[tuple[str, str], Any],
                                 applies: dict[tuple[str, str], bool], errs: _Errors) -> None:
    """no_responses: no answer at all and no peer with enough answers to fall back on."""
    for leaf in m.leaves:
        if leaf["method"] != "satisfaction":
            continue
        lid = leaf["id"]
        min_resp = leaf["params"].get("min_responses", 30)
        for u in m.units:
            data = inputs.get((lid, u["id"]))
            if data is None or data[0] > 0:
                continue
            peers = _peers(m, leaf, u, inputs, applies)
            if not any(_enough(inputs[(lid, v["id"])][0], min_resp) for v in peers):
                errs.add("no_responses", u["id"], lid, "no answer and no peer to fall back on")


def _check_rating_weights(m: _Model, inputs: dict[tuple[str, str], Any],
                          errs: _Errors) -> None:
    for leaf in m.leaves:
        if leaf["method"] != "rating":
            continue
        for u in m.units:
            data = inputs.get((leaf["id"], u["id"]))
            if data is not None and sum(m.groups[g] for g in {g for g, _ in data}) <= 0:
                errs.add("zero_weights", u["id"], leaf["id"],
                         "the groups that rated this unit all weigh 0")


# --------------------------------------------------------------------------- tree

def _full_points(m: _Model, ind: dict[str, Any]) -> float:
    if ind["points"] is not None:
        return float(ind["points"])
    return sum(_full_points(m, m.ind_by_id[c]) for c in ind["children"])


def _node(m: _Model, ind: dict[str, Any], unit: dict[str, Any],
          leaf_scores: dict[str, float], applies: dict[tuple[str, str], bool],
          out: dict[str, tuple[float, float] | None]) -> tuple[float, float] | None:
    """(score, points) of a node for one unit, or None when it does not apply."""
    if not ind["children"]:
        res = ((leaf_scores[ind["id"]], float(ind["points"]))
               if applies[(ind["id"], unit["id"])] else None)
    else:
        kids = [_node(m, m.ind_by_id[c], unit, leaf_scores, applies, out)
                for c in ind["children"]]
        kids_ok = [k for k in kids if k is not None]
        if not kids_ok or not m.in_scope(ind, unit):
            res = None
        else:
            s = sum(k[0] for k in kids_ok)
            p = sum(k[1] for k in kids_ok)
            if ind["points"] is None:
                res = (s, p)
            else:
                own = float(ind["points"])
                res = (s * own / p, own)
    out[ind["id"]] = res
    return res


# --------------------------------------------------------------------------- totals

def _group_label(u: dict[str, Any]) -> str:
    return f"{u['domain']}/{u['category']}" if u["category"] else u["domain"]


def _same_scope(a: dict[str, Any], b: dict[str, Any], by: str) -> bool:
    return _same_peer_group(a, b, "domain" if by == "domain" else "group")


def _quota(share: float, n: int) -> int:
    return math.floor(share * n + 1e-9)


def _grade_of(m: _Model, u: dict[str, Any], rounded: dict[str, float],
              vetoed: dict[str, bool]) -> str:
    """Section 6 for one unit, scanning its grade scope."""
    grades = m.settings["grades"]
    assert grades is not None
    if vetoed[u["id"]]:
        return grades[-1]["name"]
    scope = [v for v in m.units if _same_scope(u, v, m.settings["grade_scope"])]
    n = len(scope)
    live = [v for v in scope if not vetoed[v["id"]]]
    mine = rounded[u["id"]]
    place = 1 + sum(1 for v in live if rounded[v["id"]] > mine)

    def bottom_grade(v: dict[str, Any]) -> bool:
        g = grades[-1]
        if g.get("bottom_share") is None and g.get("below_total") is None:
            return False
        t = rounded[v["id"]]
        if g.get("bottom_share") is not None:
            reverse = 1 + sum(1 for w in live if rounded[w["id"]] < t)
            if reverse <= _quota(g["bottom_share"], n):
                return True
        return g.get("below_total") is not None and t < g["below_total"]

    if bottom_grade(u):
        return grades[-1]["name"]
    cumulative = 0.0
    for g in grades:
        if g.get("top_share") is None:
            continue
        cumulative += g["top_share"]
        if place <= _quota(cumulative, n) and (g.get("min_total") is None
                                               or mine >= g["min_total"]):
            return g["name"]
    return next(g["name"] for g in grades if g.get("rest") is True)


# --------------------------------------------------------------------------- entry point

def baseline_compute(scenario: dict[str, Any]) -> dict[str, Any]:
    """Score a scenario; the section 7 result dict, or BaselineInvalid with every error."""
    errs = _Errors()
    warnings: list[dict[str, Any]] = []
    m = _Model(scenario, errs)
    if not m.tree_ok:
        raise BaselineInvalid(errs.items)
    inputs, applies = _gather_inputs(m, errs, warnings)
    _check_satisfaction_fallback(m, inputs, applies, errs)
    _check_rating_weights(m, inputs, errs)
    if errs.items:
        raise BaselineInvalid(errs.items)

    for ind in m.inds:
        if ind["children"] and ind["points"] is not None:
            full = sum(_full_points(m, m.ind_by_id[c]) for c in ind["children"])
            if abs(full - float(ind["points"])) > 1e-9:
                warnings.insert(0, {"code": "points_mismatch", "unit": None,
                                    "indicator": ind["id"],
                                    "message": f"children sum {full:g} != {ind['points']:g}"})

    roots = [ind for ind in m.inds if ind["parent"] is None]
    s = m.settings
    rows: list[dict[str, Any]] = []
    totals: dict[str, float] = {}
    vetoed: dict[str, bool] = {}
    for u in m.units:
        uid = u["id"]
        leaf_scores: dict[str, float] = {}
        explains: dict[str, str] = {}
        for leaf in m.leaves:
            if applies[(leaf["id"], uid)]:
                sc, ex = _score_leaf(m, leaf, u, inputs, applies, warnings)
                leaf_scores[leaf["id"]] = sc
                explains[leaf["id"]] = ex
        nodes: dict[str, tuple[float, float] | None] = {}
        for root in roots:
            _node(m, root, u, leaf_scores, applies, nodes)
        main = sum(nodes[r["id"]][0] for r in roots
                   if r["line"] == "main" and nodes[r["id"]] is not None)
        bonus_line = sum(nodes[r["id"]][0] for r in roots
                         if r["line"] == "bonus" and nodes[r["id"]] is not None)
        bonus = sum(a["points"] for a in m.adjustments
                    if a["unit"] == uid and a["kind"] == "bonus")
        if s["bonus_cap"] is not None:
            bonus = min(bonus, s["bonus_cap"])
        deduction = sum(a["points"] for a in m.adjustments
                        if a["unit"] == uid and a["kind"] == "deduction")
        if s["deduction_cap"] is not None:
            deduction = min(deduction, s["deduction_cap"])
        total = main + bonus - deduction + (bonus_line if s["bonus_line_in_total"] else 0.0)
        totals[uid] = total
        vetoed[uid] = any(a["unit"] == uid and a["kind"] == "veto" for a in m.adjustments)
        scores = []
        for ind in m.inds:
            r = nodes.get(ind["id"])
            if r is None:
                scores.append({"indicator": ind["id"], "score": None, "points": None,
                               "lost": None, "applicable": False, "explain": ""})
            else:
                scores.append({"indicator": ind["id"], "score": round2(r[0]),
                               "points": round2(r[1]), "lost": round2(r[1] - r[0]),
                               "applicable": True,
                               "explain": explains.get(ind["id"], "")})
        rows.append({"unit": uid, "group": _group_label(u), "main": round2(main),
                     "bonus_line": round2(bonus_line), "bonus": round2(bonus),
                     "deduction": round2(deduction), "total": round2(total),
                     "vetoed": vetoed[uid], "scores": scores})

    rounded = {uid: round2(t) for uid, t in totals.items()}
    for u, row in zip(m.units, rows):
        peers = [v for v in m.units if _same_scope(u, v, s["rank_by"])]
        row["rank"] = 1 + sum(1 for v in peers if rounded[v["id"]] > rounded[u["id"]])
        row["group_size"] = len(peers)
        if s["grades"] is None:
            row["grade"] = None
            row["advanced"] = False
        else:
            row["grade"] = _grade_of(m, u, rounded, vetoed)
            adv = s["advanced"]
            row["advanced"] = bool(adv is not None and row["grade"] == adv["grade"]
                                   and (u["excellent"] or not adv["requires"]))
    return {"units": rows, "warnings": warnings}
