"""Permission rows for the survey public pages (see test_permissions.py for how they are read)."""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import Row

TABLE: list[Row] = []
POSTS: list[Row] = []


def setup(w: SimpleNamespace) -> None:
    """Nothing yet."""
