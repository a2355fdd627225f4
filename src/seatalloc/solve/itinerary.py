"""Each type's cheapest itinerary at given seat prices, exactly: the value prices prove.

With the rules across attendees priced (capacities, shared limits, quotas per
session), what is left of the type model falls apart into one problem per
member: a seat or none in each pass, no seminar twice, at most
``max_sessions`` seats, at the seats' priced costs ``r``. A member's best is
then an assignment of passes to seminars. Where each pass's cheapest seat
below zero is in a different seminar and there are few enough of them, that
is the answer, found for every type at once in numpy. The other types (a
seminar that is the cheapest in two passes) need only each pass's few
cheapest seminars (the best assignment never needs more than one per pass in
all): up to :data:`ENUMERATED` passes every combination of those is tried for
all of them at once (at most 64 each), beyond that they are solved one by one
by SciPy's ``linear_sum_assignment`` (whose import alone, 0.3 s, would be
most of a small event's solve).

Every member of a type has the same itinerary, so the value is the count
times one member's. This is the bound :mod:`seatalloc.check.certificate`
recomputes per attendee from the event alone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Entries per (type, pass, seminar): type, pass, seminar (part) and priced cost.
Entries = tuple[IntArray, IntArray, IntArray, FloatArray]

#: Events of at most this many passes have each type's itinerary found by trying every combination
#: of each pass's cheapest seminars ((passes + 1) ** passes of them, 64 at 3 passes).
ENUMERATED = 3


def prepare(data: CompiledEvent, budget: Budget) -> None:
    """Load what :func:`cheapest` needs for ``data`` with ``budget``'s clock paused, as a method
    loads its solver: SciPy's assignment beyond :data:`ENUMERATED` passes (a second when cold)."""
    if data.n_passes > ENUMERATED:
        with budget.paused():
            import scipy.optimize  # noqa: F401


def cheapest(data: CompiledEvent, reduced: FloatArray) -> FloatArray:
    """Return each type's cheapest itinerary per member at the seats' priced costs ``reduced``
    (per arc; what a seat adds to the cost over staying unseated): at most 0 (no seat)."""
    arcs = data.arcs
    n_types, n_passes = data.n_types, data.n_passes
    value = np.zeros(n_types)
    below = np.flatnonzero(reduced < 0)
    if not len(below):
        return value
    t = arcs.type[below].astype(np.int64)
    p = data.sessions.pass_[arcs.session[below]].astype(np.int64)
    m = data.sessions.seminar[arcs.session[below]].astype(np.int64)
    parts = int(data.sessions.part.max(initial=0)) + 1
    m = m * parts + data.sessions.part[arcs.session[below]]  # each part of a seminar apart
    r = reduced[below]
    # per (type, pass, seminar): its cheapest seat, ordered by (type, pass, cost)
    order = np.lexsort((r, m, p, t))
    t, p, m, r = t[order], p[order], m[order], r[order]
    first = np.r_[True, (t[1:] != t[:-1]) | (p[1:] != p[:-1]) | (m[1:] != m[:-1])]
    t, p, m, r = t[first], p[first], m[first], r[first]
    order = np.lexsort((r, p, t))
    t, p, m, r = t[order], p[order], m[order], r[order]
    # per (type, pass): its cheapest seminar
    head = np.r_[True, (t[1:] != t[:-1]) | (p[1:] != p[:-1])]
    bt, bm, br = t[head], m[head], r[head]
    passes_used = np.bincount(bt, minlength=n_types)
    seats = np.minimum(data.types.max_sessions, n_passes)
    twice = np.zeros(n_types, dtype=bool)
    pair = bt * (int(m.max()) + 1) + bm
    pair_sorted = np.sort(pair)
    repeated = pair_sorted[1:][pair_sorted[1:] == pair_sorted[:-1]]
    twice[repeated // (int(m.max()) + 1)] = True
    hard = twice | (passes_used > seats)
    easy = ~hard[bt]
    np.add.at(value, bt[easy], br[easy])
    if hard.any():
        solve = _enumerate if n_passes <= ENUMERATED else _assign
        types = np.flatnonzero(hard)
        solve(value, types, _firsts(types, t, p, m, r, n_passes), seats, n_passes)
    return value


def _firsts(types: IntArray, t: IntArray, p: IntArray, m: IntArray, r: FloatArray, n_passes: int) -> Entries:
    """Return the entries ``t, p, m, r`` (sorted by type, pass and cost, one per (type, pass,
    seminar)) of ``types`` among each pass's first ``n_passes``: the other passes take at most
    ``n_passes - 1``, so the best itinerary takes none beyond them."""
    rank = np.arange(len(t)) - np.searchsorted(t * n_passes + p, t * n_passes + p)
    keep = (rank < n_passes) & np.isin(t, types)
    return t[keep], p[keep], m[keep], r[keep]


def _enumerate(value: FloatArray, types: IntArray, entries: Entries, seats: IntArray, n_passes: int) -> None:
    """Solve the itineraries of ``types`` (their entries ``t, p, m, r`` as :func:`_firsts` returns
    them) by trying every combination of a seminar or none per pass, into ``value``."""
    t, p, m, r = entries
    n = n_passes
    row = np.searchsorted(types, t)
    rank = np.arange(len(t)) - np.searchsorted(t * n + p, t * n + p)
    gain = np.zeros((len(types), n, n + 1))  # slot n (and any left empty): no seat
    part = np.full((len(types), n, n + 1), -1, dtype=np.int64)
    gain[row, p, rank], part[row, p, rank] = r, m
    combos = np.array(np.meshgrid(*[np.arange(n + 1)] * n, indexing="ij")).reshape(n, -1)
    chosen = part[:, np.arange(n)[:, None], combos]  # [types, passes, combinations]
    total = gain[:, np.arange(n)[:, None], combos].sum(axis=1)
    taken = (chosen >= 0).sum(axis=1)
    fits = taken <= seats[types][:, None]
    for i in range(n):
        for j in range(i + 1, n):
            fits &= (chosen[:, i] < 0) | (chosen[:, i] != chosen[:, j])
    value[types] = np.where(fits, total, np.inf).min(axis=1)


def _assign(value: FloatArray, types: IntArray, entries: Entries, seats: IntArray, n_passes: int) -> None:
    """Solve the itineraries of ``types`` one by one (their entries ``t, p, m, r`` as
    :func:`_firsts` returns them) by an assignment, into ``value``."""
    t, p, m, r = entries
    from scipy.optimize import linear_sum_assignment

    # each entry's column among its type's seminars
    span = int(m.max(initial=0)) + 1
    pairs, column = np.unique(t * span + m, return_inverse=True)
    column = column.reshape(-1) - np.searchsorted(pairs, t * span)
    starts = np.searchsorted(t, types)
    ends = np.searchsorted(t, types, side="right")
    widths = np.searchsorted(pairs, (types + 1) * span) - np.searchsorted(pairs, types * span)
    n = n_passes
    for i, start, end, k in zip(types.tolist(), starts.tolist(), ends.tolist(), widths.tolist(), strict=True):
        s = int(seats[i])
        gains = np.zeros((n, k) if s >= min(n, k) else (n + k - s, n + k - s))
        gains[p[start:end], column[start:end]] = r[start:end]
        if s < min(n, k):  # at most s seats: dummy rows take the seminars left, dummy columns the passes
            gains[n:, k:] = np.inf
        a, b = linear_sum_assignment(gains)
        real = (a < n) & (b < k)
        value[i] = float(gains[a[real], b[real]].sum())
