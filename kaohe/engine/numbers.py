"""Rounding and ranking as the spec fixes them (sections 5 and 7), vectorised with NumPy."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

_CENT = Decimal("0.01")


def round2(x: float) -> float:
    """Two-step rounding of one number: to 9 decimals (drops binary noise), then to 2, halves away from zero."""
    return float(Decimal(f"{x:.9f}").quantize(_CENT, ROUND_HALF_UP))


def round2_array(x: np.ndarray) -> np.ndarray:
    """`round2` over an array; NaN stays NaN.

    Integer nanos carry the first step exactly; the few values whose tenth decimal sits on a
    half (where x * 1e9 could round differently from the decimal string) go through `round2`.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    finite = np.isfinite(x)
    if not finite.any():
        return out
    xf = x[finite]
    scaled = xf * 1e9
    nanos = np.rint(scaled)
    mag = np.abs(nanos).astype(np.int64)
    cents = (mag + 5_000_000) // 10_000_000
    res = np.where(nanos < 0, -cents, cents) / 100.0
    near_half = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < 1e-3
    if near_half.any():
        idx = np.flatnonzero(near_half)
        res[idx] = [round2(float(v)) for v in xf[idx]]
    out[finite] = res
    return out


def competition_rank(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank `values` (higher is better) within `groups`: ties share the best place, the next skips.

    Returns (rank, size of the unit's group). 1, 2, 2, 4 as in the spec.
    """
    n = values.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort((-values, groups))
    g = groups[order]
    v = values[order]
    pos = np.arange(n)
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    new_group[1:] = g[1:] != g[:-1]
    new_value = new_group.copy()
    new_value[1:] |= v[1:] != v[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    value_start = np.maximum.accumulate(np.where(new_value, pos, 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = value_start - group_start + 1
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    return rank, counts[inverse]


def place_share(rank: np.ndarray, size: np.ndarray, floor: float) -> np.ndarray:
    """q = 1 − (1 − floor) × (rank − 1)/(n − 1); a group of one gets 1."""
    denom = np.maximum(size - 1, 1)
    q = 1.0 - (1.0 - floor) * (rank - 1) / denom
    return np.where(size <= 1, 1.0, q)
