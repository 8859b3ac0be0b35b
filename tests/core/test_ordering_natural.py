"""Natural order for tags (issue 17 #29): t2 before t10, a subtree after its tag."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tui.core.ordering import natural_key, natural_sorted


def test_numbers_sort_as_numbers_and_subtrees_follow_their_tag() -> None:
    tags = [
        "t10",
        "t2",
        "t0",
        "t11",
        "t1",
        "actor2",
        "actor/china",
        "Actor",
        "actor",
        "a/b10",
        "a/b9",
    ]
    random.Random(3).shuffle(tags)
    assert natural_sorted(tags) == [
        "a/b9",
        "a/b10",
        "Actor",
        "actor",
        "actor/china",
        "actor2",
        "t0",
        "t1",
        "t2",
        "t10",
        "t11",
    ]


@given(st.lists(st.from_regex(r"[a-zA-Z0-9]{0,4}(/[a-z0-9]{1,4}){0,2}", fullmatch=True)))
def test_the_order_is_total_and_stable(names: list[str]) -> None:
    once = natural_sorted(names)
    assert natural_sorted(reversed(names)) == once == natural_sorted(once)
    for a, b in zip(once, once[1:], strict=False):
        assert natural_key(a) <= natural_key(b)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_digits_compare_by_value(m: int, n: int) -> None:
    assert (natural_key(f"t{m}") < natural_key(f"t{n}")) == (m < n)
