"""What the demo tests share: the example the demo is built from, its printed logins, loading it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from kaohe.indicators.models import Cycle
from kaohe.web.management.commands.load_demo import CYCLE_NAME

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "suining_city.json"
LOGINS = {"office": "office-demo-2026", "leader": "leader-demo-2026", "stat": "stat-demo-2026",
          "county": "county-demo-2026"}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def current() -> Cycle:
    """The demo's cycle of this year (the others are its history)."""
    return Cycle.objects.get(name=CYCLE_NAME)
