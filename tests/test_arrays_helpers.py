"""The quick sorting steps give what the numpy calls they stand for give."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from seatalloc.arrays import by_value, distinct, lexsorted, numbered

small = st.lists(st.integers(-3, 40), max_size=60).map(lambda x: np.array(x, dtype=np.int64))
wide = st.lists(st.integers(0, 2**40), max_size=30).map(lambda x: np.array(x, dtype=np.int64))


@given(keys=st.one_of(small, wide))
def test_distinct_and_numbered_are_numpys_unique(keys: np.ndarray) -> None:
    assert distinct(keys).tolist() == np.unique(keys).tolist()
    values, number = numbered(keys)
    expected, inverse = np.unique(keys, return_inverse=True)
    assert values.tolist() == expected.tolist()
    assert number.tolist() == inverse.tolist()


@given(values=st.one_of(small, wide))
def test_by_value_is_a_stable_sort(values: np.ndarray) -> None:
    items = np.arange(len(values))[::-1].copy()
    assert by_value(values, items).tolist() == items[np.argsort(values[items], kind="stable")].tolist()


@given(pairs=st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 9)), max_size=60), huge=st.booleans())
def test_lexsorted_is_numpys_lexsort(pairs: list[tuple[int, int]], huge: bool) -> None:
    minor = np.array([m for m, _ in pairs], dtype=np.int64)
    major = np.array([j for _, j in pairs], dtype=np.int64) * (2**58 if huge else 1)
    assert lexsorted(minor, major).tolist() == np.lexsort((minor, major)).tolist()
