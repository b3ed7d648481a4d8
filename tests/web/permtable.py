"""The vocabulary of the permission table (tests/web/test_permissions.py) and its per-app parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

ROLES = ("office", "leader", "stat", "u1", "u2", "anon")
LOGIN = "LOGIN"  # a redirect to the login page
OK, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 403, 404, 405


def everyone(status: int, anon: Any = LOGIN) -> dict[str, Any]:
    return {"office": status, "leader": status, "stat": status, "u1": status, "u2": status, "anon": anon}


def roles(office: int, leader: int, stat: int, u1: int, u2: int, anon: Any = LOGIN) -> dict[str, Any]:
    return {"office": office, "leader": leader, "stat": stat, "u1": u1, "u2": u2, "anon": anon}


@dataclass
class Row:
    name: str
    label: str  # which objects, when one name is requested with several
    kwargs: Callable[[SimpleNamespace], dict[str, Any]]
    expect: dict[str, Any]


def row(name: str, expect: dict[str, Any], kwargs: Callable[[SimpleNamespace], dict[str, Any]] = lambda w: {},
      label: str = "") -> Row:
    return Row(name, label, kwargs, expect)


def cycle(w: SimpleNamespace) -> dict[str, Any]:
    return {"cycle": w.cycle.pk}


def run(w: SimpleNamespace) -> dict[str, Any]:
    return {"cycle": w.cycle.pk, "run": w.run.pk}


SKIP = "SKIP"  # an empty POST by the office is a form error or real work, tested with the view itself
