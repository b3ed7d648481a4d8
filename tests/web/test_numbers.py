"""Numbers on the pages read as people wrote them."""

from __future__ import annotations

from kaohe.web.templatetags.kaohe_tags import kh_number


def test_a_value_shows_without_padding_zeros() -> None:
    assert [kh_number(x) for x in (5.1, 5.7, 1200.0, 0.12345, -0.00001, None, 6)] == \
        ["5.1", "5.7", "1200", "0.1235", "0", "—", "6"]
