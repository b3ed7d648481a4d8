"""Permission rows for the analysis pages (see test_permissions.py for how they are read)."""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import Row

TABLE: list[Row] = []
POSTS: list[Row] = []


def setup(w: SimpleNamespace) -> None:
    """Add to the shared world the objects these rows ask for (w.run is in public notice, w.draft is not)."""
