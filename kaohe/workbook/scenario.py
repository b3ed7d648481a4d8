"""The canonical scenario a workbook stands for, and normalise() that brings any scenario to it.

Canonical means: all seven lists and "settings" present; a blank optional field is absent
(no "parent" on roots, no "params" when there are none, "applies_to" only with its non-empty
lists); a unit always has "category" ("" when blank); a veto always has "points" (0 when
blank); integral numbers are ints, and numbers in cells keep the 16 significant digits a cell
holds (parameters are text and keep all); text is stripped; enumerated values are JSON keys.
read_workbook(write_workbook(s)) == normalise(s) for every scenario the workbook can hold.
"""

from __future__ import annotations

from typing import Any

from .cells import tidy, tidy_number
from .layout import APPLIES_TO, BOOL, ENUM, GRADES, LIST, LISTS, NUMBER, PARAMS, SCOPES, TEXT, Column, Sheet


def _insert_after(record: dict[str, Any], after: str, key: str, value: Any) -> None:
    """Add a default in its column's place, so the JSON reads in spec order."""
    items = list(record.items())
    at = next((i + 1 for i, (k, _) in enumerate(items) if k == after), len(items))
    items.insert(at, (key, value))
    record.clear()
    record.update(items)


def finish_item(sheet_key: str, record: dict[str, Any]) -> dict[str, Any]:
    """Turn one row's values (keyed by column) into the scenario item, in place."""
    if sheet_key == "units":
        if "category" not in record:
            _insert_after(record, "domain", "category", "")
    elif sheet_key == "indicators":
        if any(key in record for key in APPLIES_TO):
            # The four columns become one "applies_to" object, where the first of them was.
            items = list(record.items())
            applies = {k: v for k, v in items if k in APPLIES_TO}
            record.clear()
            for k, v in items:
                if k not in APPLIES_TO:
                    record[k] = v
                elif "applies_to" not in record:
                    record["applies_to"] = applies
    elif sheet_key == "adjustments" and record.get("kind") == "veto" and "points" not in record:
        # A veto's points are ignored (spec section 4); 0 keeps every consumer happy.
        _insert_after(record, "kind", "points", 0)
    return record


def cell_number(x: Any) -> Any:
    """A number as a cell holds it: openpyxl writes 16 significant digits (Excel shows 15), so
    a float needing 17 (0.1 + 0.2) comes back rounded; integral values become ints."""
    if type(x) is float and x == x and abs(x) != float("inf"):
        return tidy_number(float(f"{x:.16g}"))
    if type(x) is int and abs(x) >= 10**16:
        return tidy_number(float(f"{x:.16g}"))
    return x


def _canonical(column: Column, value: Any) -> Any:
    """A JSON value as the reader would give it for this column; None when blank."""
    if value is None:
        return None
    if column.kind == TEXT:
        if isinstance(value, float):
            value = tidy_number(value)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value).strip() or None
        return value
    if column.kind == NUMBER:
        return cell_number(value)
    if column.kind == ENUM and isinstance(value, str):
        assert column.vocabulary is not None
        return column.vocabulary.lookup(value) or value.strip() or None
    if column.kind == LIST and isinstance(value, list):
        items = [str(tidy(v)).strip() for v in value if v is not None]
        return [i for i in items if i] or None
    if column.kind == PARAMS and isinstance(value, dict):
        return tidy(value) or None
    if column.kind == BOOL:
        return value
    return value


def _item(sheet: Sheet, item: dict[str, Any]) -> dict[str, Any]:
    flat = dict(item)
    if sheet.key == "indicators" and isinstance(flat.get("applies_to"), dict):
        flat.update(flat.pop("applies_to"))
    record: dict[str, Any] = {}
    for column in sheet.columns:
        value = _canonical(column, flat.pop(column.key, None))
        if value is not None:
            record[column.key] = value
    record.update(flat)  # keys the workbook has no column for stay, so a comparison shows them
    return finish_item(sheet.key, record)


def normalise_settings(settings: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if value is None:
            continue
        if key in ("rank_by", "grade_scope") and isinstance(value, str):
            value = SCOPES.lookup(value) or value
        elif key == "grades" and isinstance(value, list):
            value = [_item(GRADES, g) if isinstance(g, dict) else g for g in value]
        elif key == "advanced" and isinstance(value, dict):
            value = {k: tidy(v) for k, v in value.items() if v is not None}
        elif key == "choices" and isinstance(value, dict):
            value = {k: cell_number(v) for k, v in value.items()}
        elif key in ("bonus_cap", "deduction_cap"):
            value = cell_number(value)
        else:
            value = tidy(value)
        if value in ({}, []):
            continue
        out[key] = value
    return out


def normalise(scenario: dict[str, Any]) -> dict[str, Any]:
    """The canonical form of a scenario (see the module docstring); the input is not changed."""
    out: dict[str, Any] = {}
    for key, sheet in LISTS.items():
        out[key] = [_item(sheet, item) if isinstance(item, dict) else item for item in scenario.get(key) or []]
    out["settings"] = normalise_settings(scenario.get("settings") or {})
    for key, value in scenario.items():
        out.setdefault(key, value)
    return out
