"""The scoring engine: a scenario in, every unit's scores, totals, ranks and grades out.

Pure Python with NumPy and no Django, so the CLI, the web app and the tests share it.
"""

from .core import compute, validate
from .issues import Issue, ScenarioInvalid
from .numbers import round2
from .result import Result
from .schema import DEFAULT_CHOICES, METHOD_LABELS, METHOD_PARAMS

__all__ = ["compute", "validate", "Issue", "ScenarioInvalid", "Result", "round2", "METHOD_LABELS",
           "METHOD_PARAMS", "DEFAULT_CHOICES"]
