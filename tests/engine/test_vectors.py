"""Every worked case of the binding spec (shared/spec/vectors, copied unchanged) passes."""

from __future__ import annotations

import pytest

from kaohe.engine import ScenarioInvalid, compute

from .conftest import load_vectors, mismatches

VECTORS = load_vectors()


def test_all_twenty_vectors_are_present() -> None:
    assert len(VECTORS) >= 20


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector: dict) -> None:
    if "expected_errors" in vector:
        with pytest.raises(ScenarioInvalid) as exc:
            compute(vector["scenario"])
        found = {(e.code, e.unit, e.indicator) for e in exc.value.errors}
        for e in vector["expected_errors"]:
            assert (e["code"], e["unit"], e["indicator"]) in found, f"{e} not in {sorted(map(str, found))}"
        return
    got = compute(vector["scenario"]).to_dict()
    assert mismatches(got, vector["expected"]) == []
