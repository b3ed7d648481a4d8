"""An invalid scenario yields every error at once, each with its code, unit and indicator."""

from __future__ import annotations

import copy

import pytest

from kaohe.engine import ScenarioInvalid, compute, validate

BASE = {
    "units": [
        {"id": "U1", "name": "甲县", "domain": "county", "category": ""},
        {"id": "U2", "name": "乙县", "domain": "county", "category": ""},
    ],
    "indicators": [
        {"id": "A", "name": "高质量发展", "points": 10},
        {"id": "A1", "parent": "A", "name": "地区生产总值", "points": 10, "method": "completion"},
    ],
    "values": [
        {"unit": "U1", "indicator": "A1", "actual": 9, "target": 10},
        {"unit": "U2", "indicator": "A1", "actual": 11, "target": 10},
    ],
}


def codes(scenario: dict) -> set[tuple[str, str | None, str | None]]:
    return {(e.code, e.unit, e.indicator) for e in validate(scenario)}


def changed(**edits) -> dict:
    s = copy.deepcopy(BASE)
    for key, fn in edits.items():
        fn(s)
    return s


def test_the_base_scenario_is_valid() -> None:
    assert validate(BASE) == []


def test_an_unknown_top_level_key_is_an_error_so_that_a_typo_never_passes() -> None:
    s = changed(x=lambda s: s.update({"valuse": []}))
    assert ("unknown_key", None, None) in codes(s)


def test_an_unknown_key_in_a_row_is_an_error() -> None:
    s = changed(x=lambda s: s["values"][0].update({"actaul": 3}))
    assert "unknown_key" in {c for c, _, _ in codes(s)}


def test_duplicate_ids_are_named() -> None:
    s = changed(x=lambda s: s["units"].append({"id": "U1", "name": "重复", "domain": "county"}))
    assert ("duplicate_id", "U1", None) in codes(s)


def test_a_value_for_an_unknown_unit_or_indicator_is_an_error() -> None:
    s = changed(x=lambda s: s["values"].extend([{"unit": "U9", "indicator": "A1", "actual": 1, "target": 1},
                                                 {"unit": "U1", "indicator": "Z9", "actual": 1, "target": 1}]))
    found = codes(s)
    assert ("unknown_reference", "U9", "A1") in found
    assert ("unknown_reference", "U1", "Z9") in found


def test_text_in_a_number_field_is_an_error() -> None:
    s = changed(x=lambda s: s["values"][0].update({"actual": "九"}))
    assert ("bad_type", "U1", "A1") in codes(s)


def test_an_unknown_parent_and_a_cycle_are_errors() -> None:
    s = changed(x=lambda s: s["indicators"].append({"id": "B1", "parent": "B", "name": "x", "points": 1,
                                                     "method": "manual"}))
    assert ("unknown_reference", None, "B1") in codes(s)
    s = changed(x=lambda s: s["indicators"][0].update({"parent": "A1"}))
    assert "cycle" in {c for c, _, _ in codes(s)}


def test_a_leaf_needs_points_and_a_known_method_with_known_params() -> None:
    s = changed(x=lambda s: s["indicators"].extend([
        {"id": "A2", "parent": "A", "name": "无分值", "method": "manual"},
        {"id": "A3", "parent": "A", "name": "无方法", "points": 1},
        {"id": "A4", "parent": "A", "name": "怪方法", "points": 1, "method": "magic"},
        {"id": "A5", "parent": "A", "name": "怪参数", "points": 1, "method": "rank", "params": {"flor": 0.5}},
        {"id": "A6", "parent": "A", "name": "权重", "points": 1, "method": "growth_rank",
         "params": {"weights": {"increment": 0.5, "growth": 0.3, "gap": 0.3}}},
        {"id": "A7", "parent": "A", "name": "缺参数", "points": 1, "method": "external_rank"},
    ]))
    found = codes(s)
    for expected in [("missing_points", None, "A2"), ("missing_method", None, "A3"), ("unknown_method", None, "A4"),
                     ("unknown_param", None, "A5"), ("bad_weights", None, "A6"), ("missing_param", None, "A7")]:
        assert expected in found


def test_grades_need_exactly_one_rest_grade() -> None:
    s = changed(x=lambda s: s.update({"settings": {"grades": [{"name": "优", "top_share": 0.3},
                                                               {"name": "良", "rest": True},
                                                               {"name": "中", "rest": True}]}}))
    assert ("bad_grades", None, None) in codes(s)


def test_the_bottom_grade_must_be_last() -> None:
    s = changed(x=lambda s: s.update({"settings": {"grades": [{"name": "差", "bottom_share": 0.1},
                                                               {"name": "良", "rest": True}]}}))
    assert ("bad_grades", None, None) in codes(s)


def test_every_error_is_reported_at_once_and_nothing_is_computed() -> None:
    s = changed(
        a=lambda s: s["values"][0].update({"target": 0}),
        b=lambda s: s["values"].append({"unit": "U2", "indicator": "A1", "actual": 1, "target": 2}),
        c=lambda s: s.update({"adjustments": [{"unit": "U7", "kind": "bonus", "points": 1}]}),
    )
    with pytest.raises(ScenarioInvalid) as exc:
        compute(s)
    found = {(e.code, e.unit, e.indicator) for e in exc.value.errors}
    assert {("bad_target", "U1", "A1"), ("duplicate_value", "U2", "A1"), ("unknown_reference", "U7", None)} <= found
    assert all(e.message for e in exc.value.errors)


def test_a_missing_value_names_the_unit_and_the_indicator() -> None:
    s = changed(x=lambda s: s["values"].pop())
    assert codes(s) == {("missing_value", "U2", "A1")}


def test_missing_zero_scores_zero_with_a_warning_and_leaves_the_peers_alone() -> None:
    s = changed(x=lambda s: s["indicators"].append(
        {"id": "A2", "parent": "A", "name": "排位", "points": 10, "method": "rank", "params": {"missing": "zero"}}))
    s["indicators"][0]["points"] = 20
    s["values"].append({"unit": "U1", "indicator": "A2", "actual": 5})
    r = compute(s).to_dict()
    u1, u2 = r["units"]
    assert u2["scores"][2]["score"] == 0
    assert u1["scores"][2]["score"] == 10  # alone among its peers: full points
    assert [(w["code"], w["unit"], w["indicator"]) for w in r["warnings"]] == [("missing_value", "U2", "A2")]


def test_values_for_a_leaf_that_does_not_apply_are_ignored() -> None:
    s = changed(x=lambda s: s["indicators"][1].update({"applies_to": {"exclude_units": ["U2"]}}))
    s["values"][1]["target"] = 0  # would be bad_target, were the leaf to apply
    s["values"].append({"unit": "U2", "indicator": "A1", "actual": 3, "target": 4})  # not even a duplicate then
    r = compute(s).to_dict()
    assert r["units"][1]["scores"][1]["applicable"] is False


def test_a_value_on_a_group_node_is_an_error() -> None:
    s = changed(x=lambda s: s["values"].append({"unit": "U1", "indicator": "A", "actual": 1}))
    assert ("not_a_leaf", "U1", "A") in codes(s)


def test_a_second_rating_by_the_same_rater_is_an_error() -> None:
    s = changed(x=lambda s: s["indicators"].append({"id": "B1", "parent": "A", "name": "评议", "points": 5,
                                                     "method": "rating"}))
    s["rater_groups"] = [{"id": "g", "name": "领导", "weight": 1}]
    s["ratings"] = [{"indicator": "B1", "unit": u, "group": "g", "rater": "R1", "score": 90} for u in ("U1", "U2")]
    s["ratings"].append({"indicator": "B1", "unit": "U1", "group": "g", "rater": "R1", "score": 80})
    assert codes(s) == {("duplicate_rating", "U1", "B1")}


def test_an_unknown_survey_choice_is_an_error() -> None:
    s = changed(x=lambda s: s["indicators"].append({"id": "C1", "parent": "A", "name": "满意度", "points": 5,
                                                     "method": "satisfaction"}))
    s["responses"] = [{"indicator": "C1", "unit": u, "choice": "satisfied", "count": 40} for u in ("U1", "U2")]
    s["responses"].append({"indicator": "C1", "unit": "U1", "choice": "very_happy", "count": 3})
    assert ("unknown_choice", "U1", "C1") in codes(s)
