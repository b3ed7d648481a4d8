"""Template filters every page may use (registered as builtins in settings)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def kh_number(value, places: int = 4) -> str:
    """A value as people wrote it: 5.1 stays 5.1 (not 5.1000), 1200 stays 1200; at most `places` decimals."""
    if value is None or value == "":
        return "—"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{x:.{int(places)}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
