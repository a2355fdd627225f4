"""Handing a type's seats to its members never repeats a seminar (König decomposition)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seatalloc.solve.handout import UNSEATED, patterns


@st.composite
def member_rows(draw):
    """Rows of (seminar or UNSEATED) per pass with no repeated seminar in a row."""
    n_seminars = draw(st.integers(1, 5))
    n_passes = draw(st.integers(1, 4))
    n = draw(st.integers(1, 30))
    rows = []
    for _ in range(n):
        picks = draw(st.permutations(range(n_seminars)))
        row = [picks[p] if p < n_seminars else UNSEATED for p in range(n_passes)]
        row = [UNSEATED if draw(st.booleans()) and draw(st.booleans()) else j for j in row]
        rows.append(row)
    return n_seminars, n_passes, rows


def _counts(rows, n_seminars, n_passes):
    m = np.zeros((n_seminars, n_passes), dtype=np.int64)
    for row in rows:
        for p, j in enumerate(row):
            if j != UNSEATED:
                m[j, p] += 1
    return m


@settings(max_examples=300, deadline=None)
@given(member_rows())
def test_patterns_reproduce_the_counts_without_repeats(case) -> None:
    n_seminars, n_passes, rows = case
    m = _counts(rows, n_seminars, n_passes)
    split = patterns(m, len(rows))
    assert sum(k for _, k in split) == len(rows)
    assert all(k > 0 for _, k in split)
    rebuilt = [pattern for pattern, k in split for _ in range(k)]
    for pattern in rebuilt:
        seated = [j for j in pattern if j != UNSEATED]
        assert len(seated) == len(set(seated)), pattern
    assert (_counts(rebuilt, n_seminars, n_passes) == m).all()


def test_tight_seminars_are_spread_over_every_member() -> None:
    # 3 members, 3 passes, each seminar used 3 times: a Latin square is the only way.
    m = np.full((3, 3), 1, dtype=np.int64)
    split = patterns(m, 3)
    rebuilt = [pattern for pattern, k in split for _ in range(k)]
    assert sorted(sorted(p) for p in rebuilt) == [[0, 1, 2]] * 3


def test_rounds_do_not_grow_with_the_number_of_members() -> None:
    m = np.array([[500_000, 250_000], [250_000, 500_000], [250_000, 250_000]], dtype=np.int64)
    split = patterns(m, 1_000_000)
    assert len(split) <= 6
    assert sum(k for _, k in split) == 1_000_000
