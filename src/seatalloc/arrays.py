"""Sorting steps on arrays as large as a million types' arcs, quicker than numpy's defaults there.

numpy 2's ``np.unique`` counts distinct values by hashing: 8 s on 12 million
arcs' (type, seminar) keys, which a stable sort (a merge of runs, quick on
keys nearly sorted, as the arcs are by type) puts in order in 0.1 s. These
give the same results as the numpy calls they stand for.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)``: the distinct keys, sorted."""
    ordered = np.sort(keys, kind="stable")
    out: np.ndarray = ordered[_firsts(ordered)]
    return out


def numbered(keys: np.ndarray) -> tuple[np.ndarray, IntArray]:
    """``np.unique(keys, return_inverse=True)``: the distinct keys, sorted, and each key's number
    among them."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = _firsts(ordered)
    number = np.empty(len(keys), dtype=np.int64)
    number[order] = np.cumsum(first) - 1
    return ordered[first], number


def by_value(values: np.ndarray, items: np.ndarray) -> IntArray:
    """``items`` ordered by their ``values``, stably (values that fit in 16 bits, as rank costs
    and session numbers do, sorted by radix: 0.1 s, not 0.5 s, on 12 million)."""
    key = values[items]
    if len(key) and key.min() >= 0 and key.max() < 2**15:
        key = key.astype(np.int16)
    return np.asarray(items[np.argsort(key, kind="stable")], dtype=np.int64)


def lexsorted(minor: np.ndarray, major: np.ndarray) -> IntArray:
    """``np.lexsort((minor, major))`` for non-negative ``major``: by one key of both where it fits in
    62 bits, in a stable sort (1.5 s -> 0.2 s on 12 million arcs)."""
    if len(minor) == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(minor.min())
    span = int(minor.max()) - low + 1
    if (int(major.max()) + 1) * span >= 2**62:
        return np.lexsort((minor, major))
    return np.argsort(major * span + (minor - low), kind="stable")


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Per item of sorted ``ordered``, whether it differs from the one before."""
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return first
