"""A score rate (0.9512) as people read it on the analysis pages: 95.12%."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.2f}%"
