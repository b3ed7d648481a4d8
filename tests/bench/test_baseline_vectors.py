"""The plain baseline must reproduce every published spec vector (spec section 9)."""

import json
from pathlib import Path
import pytest

from baseline import BaselineInvalid, baseline_compute

from tests.engine.conftest import mismatches

VECTORS = sorted((Path(__file__).resolve().parents[1] / "engine" / "vectors").glob("*.json"))

@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_baseline_reproduces_vector(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    if "expected_errors" in vector:
        with pytest.raises(BaselineInvalid) as caught:
            baseline_compute(vector["scenario"])
        found = {(e["code"], e["unit"], e["indicator"]) for e in caught.value.errors}
        for e in vector["expected_errors"]:
            assert (e["code"], e["unit"], e["indicator"]) in found
    else:
        problems = mismatches(baseline_compute(vector["scenario"]), vector["expected"])
        assert not problems, "\n".join(problems)


def test_all_twenty_vectors_are_present() -> None:
    assert len(VECTORS) == 20
