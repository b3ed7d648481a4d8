"""Single cells: numbers typed as text, and the params text both ways."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.workbook.cells import CellError, as_number, format_params, parse_params


@pytest.mark.parametrize(
    ("cell", "number"),
    [(90.0, 90), (6.3, 6.3), ("6.30", 6.3), ("1,250", 1250), ("-2e3", -2000), ("１２", 12), (7, 7)],
)
def test_numbers_are_read_from_numbers_and_from_number_text(cell: Any, number: float) -> None:
    got = as_number(cell)
    assert got == number and type(got) is type(number)


@pytest.mark.parametrize("cell", ["abc", "nan", "inf", "1_000", "95%", "12,34", True])
def test_anything_else_in_a_number_cell_is_refused(cell: Any) -> None:
    with pytest.raises(CellError, match="应为数字"):
        as_number(cell)


def test_params_are_written_the_way_a_clerk_would_type_them() -> None:
    assert format_params({"cap": 1.2, "floor": 0.5}) == "cap=1.2; floor=0.5"
    assert format_params({"bands": [[90, 1.0], [75, 0.8]], "basis": "rate"}) == "bands=[[90, 1.0], [75, 0.8]]; basis=rate"
    assert format_params({"label": "1", "peer": "all", "note": "a; b"}) == 'label="1"; peer=all; note="a; b"'
    assert format_params({"bad key": 1}) == '{"bad key": 1}'


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@given(st.dictionaries(st.text(min_size=1, max_size=8), _value, max_size=4))
def test_written_params_read_back_as_the_same_params(params: dict[str, Any]) -> None:
    assert parse_params(format_params(params)) == params
