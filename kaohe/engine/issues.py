"""Errors and warnings the engine reports: a code, the unit and indicator concerned, a message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    unit: str | None
    indicator: str | None
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "unit": self.unit, "indicator": self.indicator, "message": self.message}


class ScenarioInvalid(Exception):
    """The scenario cannot be computed; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: list[Issue]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the scenario: " + "; ".join(e.message for e in errors[:3]))
