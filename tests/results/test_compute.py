"""Computing a cycle stores a run whose numbers are the engine's on the same scenario."""

from __future__ import annotations

from kaohe.engine import compute
from kaohe.indicators.models import Value
from kaohe.indicators.selectors import scenario_for
from kaohe.results.models import Run
from kaohe.results.services import compute_cycle

from ..conftest import SCENARIO


def test_the_scenario_built_from_the_database_is_the_imported_one(world) -> None:
    built = scenario_for(world.cycle)
    assert compute(built).to_dict() == compute(SCENARIO).to_dict()


def test_compute_stores_every_units_result_with_who_and_the_inputs_fingerprint(world) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle)
    assert run.status == Run.Status.OK and run.number == 1 and run.created_by == world.office
    expected = {u["unit"]: u for u in compute(SCENARIO).to_dict()["units"]}
    rows = list(run.unit_results.select_related("unit"))
    assert len(rows) == 3
    for row in rows:
        e = expected[row.unit.code]
        assert (row.total, row.rank, row.grade or None, row.advanced) == (e["total"], e["rank"], e["grade"], e["advanced"])
    assert len(run.fingerprint) == 64


def test_an_invalid_cycle_stores_the_errors_and_no_results(world) -> None:
    Value.objects.filter(unit=world.unit2, indicator__code="A1").delete()
    run = compute_cycle(by=world.office, cycle=world.cycle)
    assert run.status == Run.Status.INVALID
    assert {(e["code"], e["unit"], e["indicator"]) for e in run.errors} == {("missing_value", "U2", "A1")}
    assert not run.unit_results.exists()
