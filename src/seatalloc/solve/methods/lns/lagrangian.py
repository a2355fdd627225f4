"""A Lagrangian bound on the total cost: every rule across attendees priced, each type's choice exact.

Every row of the type model's LP (:func:`.bound.type_lp`: capacities, quotas,
shared limits, mixes, parity, minimum attendance, the links to admission and
the plan, and each type's own rows) gets a price ``y``; what is left is the
box of each variable and one rule every member keeps whatever the event's
rules: at most one seat per pass. At given prices each type's best choice is
then, per pass, its cheapest session at the priced cost when that beats
staying unseated, for all its members: found for every type at once by one
minimum per (type, pass) in numpy. By weak duality, for any prices of the
right signs

    L(y) = y . b + sum over variables outside the seats of min(r lb, r ub)
                 + sum over (type, pass) of the best choice at reduced costs r = c - A'y

is at most the LP's optimum over the same rows (and the per-pass rule the LP
has too), hence at most every allocation's cost: every iterate is a bound,
the best one is kept. The rows a type's cheapest choices already keep stay
at a zero price; the prices of the others move by supergradient steps
(Polyak's rule towards the best known allocation's cost). Priced rows that
are a type's own (one seminar once) make the bound approach the LP's value
more slowly than those across attendees; the bound never depends on how far
the steps got.

Where the LP's rows are known, :func:`ascend` prices only those a
certificate states (``rows``), and :func:`.bound.priced` turns its prices
into one; :mod:`seatalloc.check.certificate` recomputes the bound they prove
from the event alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import numbered
from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.certificate import rounded

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
#: A linear program: (objective, lower, upper, row lower, row upper, CSR matrix of the rows).
Lp = tuple[Any, ...]

#: Nonzeros of the LP read per work unit (a price step reads the matrix twice: 1.5e8 took about a
#: second on 2 cores).
NONZEROS_PER_WORK = 1.5e8
#: Polyak's step factor at first, its halving after this many steps without a better bound, and
#: the factor below which the steps no longer move the prices.
FIRST_FACTOR, PATIENCE, LEAST_FACTOR = 1.0, 15, 1e-4
#: The most steps one ascent takes.
MOST_STEPS = 3_000
#: Rounds of bids on the pairs' prices per step.
BIDS = 3


@dataclass(frozen=True)
class Split:
    """The seats of a type model's LP grouped by (type, pass).

    ``columns``: the seat variables ordered by group; ``starts``: where each group begins;
    ``room``: the members each group may still seat (its type's count less its pinned seats);
    ``others``: the columns outside the seats. Per position in ``columns``: ``type`` its arc's
    type, and ``pair`` the (type, seminar) it is one of when that seminar runs in several of
    the type's passes (-1 otherwise: a later part of a seminar in parts, or a single run), with
    ``pair_room`` the members each pair may still seat: nobody takes a seminar twice."""

    columns: IntArray
    starts: IntArray
    room: FloatArray
    others: IntArray
    type: IntArray
    pair: IntArray
    pair_room: FloatArray
    count: FloatArray
    group_of: IntArray

    @staticmethod
    def of(
        data: CompiledEvent, seat_columns: IntArray, n_columns: int, lower: FloatArray, upper: FloatArray
    ) -> Split:
        """Group the seat columns of ``data``'s arcs; a group where an arc could take part of the
        members only (a narrower box than the room) keeps its box alone (a weaker bound)."""
        arc_pass = data.sessions.pass_[data.arcs.session]
        group = data.arcs.type.astype(np.int64) * data.n_passes + arc_pass
        order = np.argsort(group, kind="stable")
        group = group[order]
        first = np.r_[True, group[1:] != group[:-1]] if len(group) else np.zeros(0, dtype=bool)
        group_of = np.cumsum(first) - 1
        starts = np.flatnonzero(first)
        count = data.types.count.astype(float)
        taken = np.add.reduceat(lower[seat_columns[order]], starts) if len(starts) else np.zeros(0)
        room = np.maximum(0.0, count[group[starts] // max(1, data.n_passes)] - taken)
        width = (upper - lower)[seat_columns[order]]
        narrow = (width > 0) & (width < room[group_of])
        loose = np.zeros(len(starts), dtype=bool)
        loose[group_of[narrow]] = True  # those groups: each arc its box (no room rule)
        keep = ~loose[group_of]
        order, group_of = order[keep], group_of[keep]
        room = room[~loose]
        first = np.r_[True, group_of[1:] != group_of[:-1]] if len(group_of) else first[:0]
        columns = seat_columns[order]
        others = np.setdiff1d(np.arange(n_columns), columns)
        types = data.arcs.type[order].astype(np.int64)
        pair, pair_room = _pairs(data, order, lower[columns])
        starts = np.flatnonzero(first)
        group_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(columns)]))
        return Split(columns, starts, room, others, types, pair, pair_room, count, group_of)


def _pairs(data: CompiledEvent, arcs: IntArray, lower: FloatArray) -> tuple[IntArray, FloatArray]:
    """Number the (type, seminar) pairs of ``arcs`` whose seminar runs in several of the type's
    passes (first parts only; -1 for the rest), and the members each may still seat."""
    pair = np.full(len(arcs), -1, dtype=np.int64)
    if data.itineraries or data.by_runs or data.by_bundles or not len(arcs):
        return pair, np.zeros(0)  # (sub-types share members: the rule is left to the prices)
    session = data.arcs.session[arcs]
    first = data.sessions.part[session] == 0
    key = data.arcs.type[arcs].astype(np.int64) * len(data.seminar_ids) + data.sessions.seminar[session]
    passes = data.sessions.pass_[session]
    keys, number = numbered(np.where(first, key, -1))
    seen = np.zeros((len(keys), data.n_passes), dtype=bool)
    seen[number[first], passes[first]] = True
    several = seen.sum(axis=1) > 1
    several[keys < 0] = False
    renumber = np.cumsum(several) - 1
    chosen = first & several[number]
    pair[chosen] = renumber[number[chosen]]
    n = int(several.sum())
    members = np.zeros(n)
    members[pair[chosen]] = data.types.count[data.arcs.type[arcs[chosen]]]
    pinned = np.bincount(pair[chosen], weights=lower[chosen], minlength=n)
    return pair, np.maximum(0.0, members - pinned)


@dataclass
class Prices:
    """Prices per row of the LP, the bound they prove and the seats per split column the types
    chose at them (a guide to where the search should look)."""

    y: FloatArray
    value: float
    chosen: FloatArray | None = None

    @property
    def bound(self) -> int:
        """The bound rounded up (costs are integers)."""
        if not math.isfinite(self.value):
            return 0
        return rounded(self.value)


def project(y: FloatArray, row_lo: FloatArray, row_hi: FloatArray) -> FloatArray:
    """Return ``y`` with each price of a sign its row allows (>= 0 needs a lower end, <= 0 an
    upper one)."""
    y = np.where((y > 0) & ~np.isfinite(row_lo), 0.0, y)
    return np.where((y < 0) & ~np.isfinite(row_hi), 0.0, y)


def evaluate(
    y: FloatArray, v: FloatArray, lp: Lp, transpose: object, split: Split, constant: float
) -> tuple[float, FloatArray]:
    """Return ``L(y)`` (``y`` of the right signs) and the choices that attain it (every variable's
    value; infinite where an unbounded variable makes the value minus infinity); ``v``: the price
    of a type's seminar once per pair, improved in place by a few rounds of bids first."""
    objective, lower, upper, row_lo, row_hi, _matrix = lp
    reduced = objective - transpose @ y  # type: ignore[operator]
    rows = np.where(
        y > 0, y * np.nan_to_num(row_lo, posinf=0, neginf=0), y * np.nan_to_num(row_hi, posinf=0, neginf=0)
    ).sum()
    cheaper = np.where(reduced < 0, upper, lower)
    x: FloatArray = np.where(
        np.isfinite(cheaper),
        cheaper,
        np.where(reduced == 0, np.where(np.isfinite(lower), lower, upper), cheaper),
    )
    term = np.where(reduced == 0, 0.0, reduced * x)
    value = float(rows) + constant + float(term[split.others].sum())
    if len(split.columns):
        cols = split.columns
        base = lower[cols]
        value += float(reduced[cols] @ base)
        r, open_ = reduced[cols], upper[cols] > base
        for _ in range(BIDS):
            chosen, gain = _choose(r, open_, split, v)
            v[:] = _reprice(r, open_, split, v, chosen)
        chosen, gain = _choose(r, open_, split, v)
        x[cols] = base + chosen
        value += gain
    return value, x


def _choose(r: FloatArray, open_: NDArray[np.bool_], split: Split, v: FloatArray) -> tuple[FloatArray, float]:
    """Return each type's best choice at the reduced costs ``r`` of the split's columns (``open_``
    where a column may rise above its lower end) with a type's seminar once priced at ``v`` (per
    pair), seats beyond the lower ends, and its value: per (type, pass) its cheapest open column
    for the room when that is below zero, less what the pairs' rooms are worth at ``v``."""
    priced = _priced(r, open_, split, v)
    least = np.minimum.reduceat(priced, split.starts)
    group_of = split.group_of
    below = least < 0
    hit = np.flatnonzero((priced == least[group_of]) & below[group_of])
    first = np.r_[True, group_of[hit][1:] != group_of[hit][:-1]] if len(hit) else np.zeros(0, dtype=bool)
    taken = hit[first]
    extra = np.zeros(len(r))
    extra[taken] = split.room[group_of[taken]]
    value = float(split.room[below] @ least[below]) - float(split.pair_room @ v)
    return extra, value


def _priced(r: FloatArray, open_: NDArray[np.bool_], split: Split, v: FloatArray) -> FloatArray:
    """The split's reduced costs with each pair's price added (infinite where a column is shut)."""
    priced = np.where(open_, r, np.inf)
    paired = split.pair >= 0
    priced[paired] += v[split.pair[paired]]
    return priced


def _reprice(
    r: FloatArray, open_: NDArray[np.bool_], split: Split, v: FloatArray, extra: FloatArray
) -> FloatArray:
    """Return the pairs' prices after one round of bids: a pair taken by more members than its room
    rises until the one of them that loses least by leaving it would rather leave (Bertsekas'
    auction); an unused pair's price halves."""
    priced = _priced(r, open_, split, v)
    taken = np.flatnonzero(extra > 0)
    pair = split.pair[taken]
    use = np.bincount(pair[pair >= 0], weights=extra[taken][pair >= 0], minlength=len(v))
    over = use > split.pair_room + 1e-9
    new = np.where(use == 0, v / 2, v)
    if not over.any():
        return new
    # what each taking group would pay for its next best choice (0: staying unseated)
    group_of = split.group_of
    rest = priced.copy()
    rest[taken] = np.inf
    second = np.minimum(0.0, np.minimum.reduceat(rest, split.starts))
    bidders = taken[(pair >= 0)][over[pair[pair >= 0]]]
    regret = second[group_of[bidders]] - priced[bidders]
    rise = np.full(len(v), np.inf)
    np.minimum.at(rise, split.pair[bidders], regret)
    lifted = np.isfinite(rise)
    new[lifted] = v[lifted] + np.maximum(rise[lifted], 0) * (1 + 1e-6) + 1e-6
    return new


def supergradient(x: FloatArray, y: FloatArray, lp: Lp) -> FloatArray:
    """Return a supergradient of ``L`` at ``y`` from the choices ``x`` (how far each row is from
    being kept, towards the side its price may move)."""
    _objective, _lower, _upper, row_lo, row_hi, matrix = lp
    ax = matrix @ x
    below = np.where(np.isfinite(row_lo), row_lo - ax, 0.0)
    above = np.where(np.isfinite(row_hi), row_hi - ax, 0.0)
    g = np.where(
        y > 0, below, np.where(y < 0, above, np.where(ax < row_lo, below, np.where(ax > row_hi, above, 0.0)))
    )
    return np.asarray(g, dtype=float)


def ascend(
    lp: Lp,
    split: Split,
    constant: float,
    budget: Budget,
    target: float | None = None,
    start: FloatArray | None = None,
    rows: NDArray[np.bool_] | None = None,
) -> Prices:
    """Raise the bound by supergradient steps from ``start`` (zero prices) while ``budget``
    lasts; ``target``: the best known allocation's cost, the level Polyak's steps aim at;
    ``rows``: the rows priced (every row when None; the others stay at 0).

    Returns the best prices found (their value is a bound at every step)."""
    if rows is not None:  # a row left out has no price: as if it had no ends
        lp = (*lp[:3], np.where(rows, lp[3], -np.inf), np.where(rows, lp[4], np.inf), lp[5])
    lp, scale = _scaled(lp)
    matrix = lp[5]
    transpose = matrix.T.tocsr()
    row_lo, row_hi = lp[3], lp[4]
    y = np.zeros(matrix.shape[0]) if start is None else np.asarray(start, dtype=float) / scale
    y = project(y, row_lo, row_hi)
    per_step = 3 * max(1, matrix.nnz) / NONZEROS_PER_WORK
    v = np.zeros(len(split.pair_room))
    best = Prices(y.copy(), -math.inf)
    factor, stalled = FIRST_FACTOR, 0
    for _ in range(MOST_STEPS):
        if factor < LEAST_FACTOR or budget.work_left() < per_step or budget.seconds_left() <= 0:
            break
        value, x = evaluate(y, v, lp, transpose, split, constant)
        budget.spend(per_step)
        if value > best.value:
            best, stalled = Prices(y.copy(), value, x[split.columns]), 0
        else:
            stalled += 1
            if stalled >= PATIENCE:
                factor, stalled = factor / 2, 0
                y = best.y.copy()  # from the best prices again, with shorter steps
                continue
        if not np.isfinite(x).all():
            break  # an unbounded variable: no step direction (the bound stays what it is)
        g = supergradient(x, y, lp)
        norm = float(g @ g)
        if norm == 0:
            break  # the choices keep every row: the bound is the LP's optimum
        aim = target if target is not None and target > best.value else _aim(best.value, constant)
        y = project(y + factor * (aim - value) / norm * g, row_lo, row_hi)
    return Prices(best.y * scale, best.value, best.chosen)


def value_at(duals: FloatArray, lp: Lp, split: Split, constant: float) -> float:
    """Return the bound that ``duals`` (an LP solver's, of any precision) prove with each type's
    choice exact: at least their weak-duality value over the variables' box alone."""
    y = project(np.asarray(duals, dtype=float), lp[3], lp[4])
    transpose = lp[5].T.tocsr()
    v = np.zeros(len(split.pair_room))
    return evaluate(y, v, lp, transpose, split, constant)[0]


def _scaled(lp: Lp) -> tuple[Lp, FloatArray]:
    """Return ``lp`` with each row divided by its largest coefficient, and those divisors (a price
    step then moves a county mix's rows, with coefficients in the thousands, as far as a quota's)."""
    from scipy.sparse import diags

    objective, lower, upper, row_lo, row_hi, matrix = lp
    largest = np.zeros(matrix.shape[0])
    np.maximum.at(largest, np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)), np.abs(matrix.data))
    scale = np.where(largest > 0, largest, 1.0)
    inverse = 1.0 / scale
    return (objective, lower, upper, row_lo * inverse, row_hi * inverse, diags(inverse) @ matrix), scale


def _aim(best: float, constant: float) -> float:
    """A level to aim at when no allocation is known: above the best bound, by a tenth of the way
    to everyone unseated."""
    return best + max(1.0, 0.1 * abs(constant - best))
