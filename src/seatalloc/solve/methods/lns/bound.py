"""A proven lower bound on the total cost: the LP relaxation of the type model, in HiGHS or PDLP.

The type model (``seatalloc.model``, every rule family) is read back from
its CP-SAT form: every linear constraint becomes a row; one guarded by a
literal (a diversity rule that applies only to large sessions, for example)
becomes its big-M form, valid for the literal's relaxed values; variables
keep their bounds and may take fractional values. Rows of other kinds are
left out, which only weakens the bound. Where every rule family present is
one :mod:`.linear` writes, the same rows come straight from the compiled
arrays instead (0.4 s for 108,000 arcs where the read-back takes 4 s).

Models up to :data:`~.highs.HIGHS_ARCS` arcs, and larger ones of few types
first, go to HiGHS's dual simplex (:mod:`.highs`: a vertex, nearly integral
where the LP is tight, a guide the search rounds); larger ones to PDLP (first-order, fast on large sparse LPs:
1.2 s where GLOP takes 5.3 s on 24,000 seats). Either returns dual values
``y`` of limited precision; the bound does not trust the solver's objective
but certifies one from ``y`` by weak duality: for any ``y`` (signs matching the finite row bounds), ``y . b +
sum_j min(r_j lb_j, r_j ub_j)`` with reduced costs ``r = c - A'y`` is at most
the LP optimum, hence at most the integer optimum, which is an integer: the
bound is that value rounded up.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import lexsorted
from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.certificate import Priced, rounded, stronger
from seatalloc.solve.itinerary import cheapest
from seatalloc.solve.methods.lns.glop import solve_duals
from seatalloc.solve.methods.lns.highs import (
    HIGHS_ARCS,
    HIGHS_DENSE_ARCS,
    HIGHS_TYPES,
    SIMPLEX_SHARE,
    Worker,
    solve_vertex,
)
from seatalloc.solve.methods.lns.highs import ITERATIONS_PER_WORK as HIGHS_ITERATIONS_PER_WORK
from seatalloc.solve.methods.lns.highs import MOST_ITERATIONS as HIGHS_MOST_ITERATIONS
from seatalloc.solve.methods.lns.interpreter import ANSWERS, SERVE, Interpreter
from seatalloc.solve.methods.lns.lagrangian import Split, ascend, project, value_at
from seatalloc.solve.methods.lns.levels import quota_levels
from seatalloc.solve.methods.lns.linear import (
    CAPACITY,
    MIX,
    QUOTA,
    SEATED,
    SHARED,
    Labels,
    covered,
    linear_lp,
)

#: A linear program: (objective, lower, upper, row lower, row upper, CSR matrix of the rows).
LinearProgram = tuple[Any, ...]
#: Duals and a primal of a linear program, and whether they are the LP's optimum.
Duals = tuple[NDArray[np.float64], NDArray[np.float64], bool]

#: Constraints read back between two looks at the clock.
CHECK_EVERY = 10_000
#: Work charged per arc for building the LP (Python, outside any solver's count): read back from
#: the CP-SAT model, or written from the arrays (:mod:`.linear`).
BUILD_WORK_PER_ARC, DIRECT_WORK_PER_ARC = 4e-6, 5e-7
#: PDLP's iterations times the LP's nonzeros per work unit (about a second: an iteration on 480,000
#: nonzeros took 3.1 ms on 2 cores). PDLP stops after a number of iterations, so the bound is the
#: same on any machine, and the budget is charged for them.
NONZEROS_PER_WORK = 1.5e8
#: The share of the time beside the search, after building the LP, left to the Lagrangian bound when
#: PDLP has not solved the LP by then.
ASCENT_SHARE = 0.2
#: The most iterations PDLP may take (its own tolerances usually stop it long before).
MOST_ITERATIONS = 40_000


@dataclass(frozen=True)
class LpSolution:
    """The certified bound, and the LP's seats per arc and admitted members per type (fractional);
    ``solved`` when the LP was solved to its optimum (HiGHS's vertex, or PDLP within its
    tolerances), not an iterate cut short, whose bound may be far below the LP's. ``prices``: the
    rows' prices that prove a bound anyone can check, where the rows are known (:class:`Priced`)."""

    bound: int
    seats: NDArray[np.float64]
    admitted: NDArray[np.float64]
    solved: bool
    vertex: bool = False  # HiGHS's optimal vertex: rounded, a near-optimal allocation
    prices: Priced | None = None


@dataclass(frozen=True)
class TypeLp:
    """The LP of the type model: ``lp`` (a :data:`LinearProgram`), the objective's ``constant``, the
    column of each arc's seats and of each type's admitted members where that is a variable."""

    lp: LinearProgram
    constant: int
    seats: NDArray[np.int64]
    admitted: dict[int, int]
    labels: Labels | None = None  # what each row states, where the LP was written from the arrays


def type_lp(data: CompiledEvent, budget: Budget, *, read_back: bool = False) -> TypeLp:
    """Build the LP of ``data``'s type model (work charged to ``budget``; raises
    :class:`OutOfTime` when the time is up): from the compiled arrays where :mod:`.linear` writes
    every rule family present, else (or with ``read_back``) read back from the CP-SAT model."""
    direct = None if read_back else linear_lp(data)
    if direct is not None:
        lp, constant, labels = direct
        budget.spend(DIRECT_WORK_PER_ARC * len(data.arcs.type))
        budget.check()
        return TypeLp(lp, constant, np.arange(len(data.arcs.type), dtype=np.int64), {}, labels)
    from seatalloc.model import build_model  # (OR-Tools: only to read the model back)
    from seatalloc.model.objective import rank_cost_terms

    model, v = build_model(data, check=budget.check)
    terms = rank_cost_terms(data, v)
    budget.spend(BUILD_WORK_PER_ARC * len(data.arcs.type))
    budget.check()
    lower, upper, objective, (row_lo, row_hi, matrix) = _linear(_parsed(model), budget.check)
    objective[terms.indices] += terms.coeffs
    seats = np.array([x.index for x in v.seat], dtype=np.int64)
    admitted = {t: var.index for t, var in v.admitted_items()}
    return TypeLp((objective, lower, upper, row_lo, row_hi, matrix), terms.constant, seats, admitted)


def lp_bound(data: CompiledEvent, budget: Budget, worker: Worker | None = None) -> LpSolution | None:
    """Return the certified LP bound on the total cost, or None when the LP had no duals in time.

    The LP goes to HiGHS (a vertex, nearly integral where the LP is tight; in ``worker`` when
    given) with :func:`simplex_share` of the budget, to PDLP when HiGHS has none or did not
    finish."""
    return solve_lp(data, type_lp(data, budget), budget, worker)


def solve_lp(
    data: CompiledEvent, built: TypeLp, budget: Budget, worker: Worker | None = None
) -> LpSolution | None:
    """Return the certified bound of the LP ``built`` of ``data`` (see :func:`lp_bound`)."""
    objective, lower, upper, row_lo, row_hi, matrix = lp = built.lp
    if matrix.shape[0] == 0:  # no rows: every variable at its cheaper bound is the optimum
        found: Duals | None = (
            np.zeros(0),
            np.asarray(np.where(objective < 0, upper, lower), dtype=float),
            True,
        )
        vertex = True
    else:
        share = simplex_share(data)
        found = _highs(lp, budget.share(share), worker) if share else None
        vertex = found is not None
        found = found or _pdlp(lp, budget)
    if found is None:
        return None
    duals, primal, solved = found
    value = certified(duals, *lp) + built.constant
    if not solved and len(duals):  # the iterate's prices, each type's choice exact: a stronger bound
        value = max(value, value_at(duals, lp, split_of(data, built), built.constant))
    return _solution(data, built, value, primal, solved, vertex=vertex, duals=duals)


def simplex_share(data: CompiledEvent) -> float:
    """The share of the LP's budget HiGHS has on ``data``'s type model: all of it up to
    :data:`~.highs.HIGHS_ARCS` arcs, :data:`~.highs.SIMPLEX_SHARE` on a larger model of few types
    (PDLP has the rest when HiGHS did not finish), none beyond (PDLP alone)."""
    arcs = len(data.arcs.type)
    if arcs <= HIGHS_ARCS:
        return 1.0
    return SIMPLEX_SHARE if data.n_types <= HIGHS_TYPES and arcs <= HIGHS_DENSE_ARCS else 0.0


def _solution(
    data: CompiledEvent,
    built: TypeLp,
    value: float,
    primal: NDArray[np.float64],
    solved: bool,
    *,
    vertex: bool = False,
    duals: NDArray[np.float64] | None = None,
) -> LpSolution:
    """The bound ``value`` rounded up, with the seats and admitted members of ``primal`` and the
    prices ``duals`` give the rules across attendees (:func:`priced`)."""
    admitted = data.types.count.astype(float)
    for t, i in built.admitted.items():
        admitted[t] = primal[i]
    prices = None if duals is None else priced(data, built, duals)
    bound = max(rounded(value), 0 if prices is None else prices.bound)
    return LpSolution(bound, primal[built.seats], admitted, solved, vertex, prices)


def priced(
    data: CompiledEvent, built: TypeLp, duals: NDArray[np.float64], *, or_none: bool = True
) -> Priced | None:
    """Return the prices ``duals`` put on capacities, shared limits, quotas per session and mixes'
    shares, and the bound they prove alone: every other row unpriced, each type's itinerary exact
    (:mod:`seatalloc.solve.itinerary`, as the checker finds it per attendee); no prices at all, or the quotas'
    levels (:mod:`.levels`), where those prove more (``or_none``). None where the LP's rows are
    not known (read back from the CP-SAT model)."""
    labels = built.labels
    if labels is None or len(duals) != len(labels.kind):
        return None
    lp = built.lp
    shares = np.array([r.max_share * 100 for r in data.rules.diversity] + [-1.0])
    exact = (shares >= 0) & (np.round(shares) == shares)  # (else the row is not the checker's)
    mix = (labels.kind == MIX) & exact[np.where(labels.kind == MIX, labels.ref, -1)]
    kept = np.isin(labels.kind, (CAPACITY, SHARED, QUOTA)) | mix
    y = np.where(kept, project(np.asarray(duals, dtype=float), lp[3], lp[4]), 0.0)
    y = np.minimum(y, 0.0)  # (their rows have upper limits: prices at most 0 in the LP's signs)
    y += _seated(labels, mix, y, shares, len(data.sessions.seminar))
    value = _itinerary_value(data, built, y)
    if or_none:  # no prices, and the quotas' levels, where they prove more
        for other in (np.zeros_like(y), quota_levels(data, lp, labels)):
            found = _itinerary_value(data, built, other)
            if found > value:
                y, value = other, found
    price = -y

    def of(kind: int) -> NDArray[np.int64]:
        return np.flatnonzero((labels.kind == kind) & (price > 0) & (kind != MIX or mix))

    sessions, limits, quotas, mixes = of(CAPACITY), of(SHARED), of(QUOTA), of(MIX)
    return Priced(
        rounded(value),
        labels.ref[sessions],
        price[sessions],
        labels.ref[limits],
        price[limits],
        labels.ref[quotas],
        labels.session[quotas],
        price[quotas],
        labels.ref[mixes],
        labels.session[mixes],
        labels.group[mixes],
        price[mixes] * 10_000,  # (the row per 10,000 of a share, the certificate's per attendee)
    )


def certify(data: CompiledEvent, budget: Budget) -> Priced | None:
    """Return prices that prove a bound on ``data``'s total cost by themselves (:func:`priced`):
    the duals of its LP by GLOP (:mod:`.glop`, in this process) within ``budget``. None where the
    LP's rows are not written from the arrays (a certificate states only those), or when GLOP had
    no duals in time; raises :class:`OutOfTime` when the time is up while the LP is built."""
    if not covered(data):
        return None
    built = type_lp(data, budget)
    duals = solve_duals(built.lp, budget) if built.lp[5].shape[0] else np.zeros(0)
    return None if duals is None else priced(data, built, duals)


def _seated(
    labels: Labels,
    mix: NDArray[np.bool_],
    y: NDArray[np.float64],
    shares: NDArray[np.float64],
    n_sessions: int,
) -> NDArray[np.float64]:
    """Return the prices on the rows that define each session's size for a mix (its column =
    the seats there) that cancel the priced mix rows' price on that column: the share is then of
    the seats themselves, as the certificate states it."""
    out = np.zeros(len(y))
    rows = np.flatnonzero(mix & (y != 0))
    if not len(rows):
        return out
    seated = np.flatnonzero(labels.kind == SEATED)
    key = labels.ref * n_sessions + labels.session
    order = seated[np.argsort(key[seated], kind="stable")]
    target = order[np.searchsorted(key[order], key[rows])]
    np.add.at(out, target, y[rows] * shares[labels.ref[rows]])
    return out


def _itinerary_value(data: CompiledEvent, built: TypeLp, y: NDArray[np.float64]) -> float:
    """Return the Lagrangian value of prices ``y`` on rows across attendees with each type's
    itinerary exact: ``y . b``, each other column at its cheaper end, every member's cheapest
    itinerary at the seats' reduced costs."""
    objective, lower, upper, row_lo, row_hi, matrix = built.lp
    reduced = objective - matrix.T @ y
    rows = np.where(
        y > 0, y * np.nan_to_num(row_lo, posinf=0, neginf=0), y * np.nan_to_num(row_hi, posinf=0, neginf=0)
    )
    seats = np.zeros(len(objective), dtype=bool)
    seats[built.seats] = True
    r = reduced[~seats]
    others = np.where(r > 0, r * lower[~seats], np.where(r < 0, r * upper[~seats], 0.0))
    per_member = cheapest(data, reduced[built.seats])
    return float(rows.sum() + others.sum() + built.constant + data.types.count @ per_member)


def split_of(data: CompiledEvent, built: TypeLp) -> Split:
    """The seats of ``built`` grouped for the Lagrangian bound."""
    _objective, lower, upper, *_ = built.lp
    return Split.of(data, built.seats, len(lower), lower, upper)


def lagrangian_bound(data: CompiledEvent, built: TypeLp, budget: Budget) -> LpSolution | None:
    """Return the Lagrangian bound of ``built`` (:mod:`.lagrangian`) after as many price steps as
    ``budget`` allows, with the seats the types chose at its prices; None when none was taken."""
    split = split_of(data, built)
    labels = built.labels  # (where they are known, only the rows a certificate states are priced)
    rows = None if labels is None else np.isin(labels.kind, (CAPACITY, SHARED, QUOTA, MIX, SEATED))
    start = None if labels is None else quota_levels(data, built.lp, labels)
    prices = ascend(built.lp, split, built.constant, budget, start=start, rows=rows)
    if prices.chosen is None:
        return None
    primal = np.asarray(built.lp[1], dtype=float).copy()
    primal[split.columns] = prices.chosen
    return _solution(data, built, prices.value, primal, False, duals=prices.y)


#: The child that computes the bound beside the search (:class:`Beside`).
_CHILD = (
    ANSWERS
    + """
from seatalloc.solve.methods.lns.bound import answer
"""
    + SERVE
)


class Beside:
    """The LP bound computed in another interpreter while the search goes on (PDLP holds this
    interpreter's lock while it iterates: beside the search it uses the second core)."""

    def __init__(self, data: CompiledEvent, seconds: float, work: float) -> None:
        self.child = Interpreter(_CHILD)
        # the deadline by the wall clock: the child's starts after it has imported OR-Tools
        self.child.send((data, time.time() + seconds, work))

    def ready(self) -> bool:
        """Whether the bound (or the child's end) has come."""
        return self.child.answered()

    def result(self, budget: Budget, wait: float) -> LpSolution | None:
        """Return the bound when it came within ``wait`` seconds (None otherwise, or when the LP
        had no duals), its work charged to ``budget``; the child is ended either way."""
        answer_ = self.child.receive(wait)
        self.child.close()
        if not isinstance(answer_, tuple):
            return None
        solution, work = answer_
        budget.spend(work)  # (not timed: its seconds overlapped the search's)
        return solution if isinstance(solution, LpSolution) else None


def answer(request: tuple[CompiledEvent, float, float]) -> tuple[LpSolution | None, float]:
    """The child's side of :class:`Beside`: the bound of ``(data, deadline, work)`` (a wall-clock
    time and work units, either infinite) and the work it took."""
    data, deadline, work = request
    seconds = max(0.0, deadline - time.time())
    budget = Budget(seconds if math.isfinite(seconds) else None, work if math.isfinite(work) else None)
    try:
        built = type_lp(data, budget)
        solution = solve_lp(data, built, budget.share(1 - ASCENT_SHARE))
        if solution is None or not solution.solved:
            ascent = lagrangian_bound(data, built, budget)
            if ascent is not None and (solution is None or ascent.bound > solution.bound):
                # (the LP's iterate, where there is one, stays the guide: the choices at prices are extreme)
                solution = (
                    ascent
                    if solution is None
                    else replace(
                        solution, bound=ascent.bound, prices=stronger(solution.prices, ascent.prices)
                    )
                )
    except OutOfTime:
        solution = None
    return solution, budget.work


def _highs(lp: LinearProgram, budget: Budget, worker: Worker | None) -> Duals | None:
    """Return HiGHS's duals and vertex, or None when it did not finish within the budget."""
    iterations = int(min(HIGHS_MOST_ITERATIONS, budget.work_left() * HIGHS_ITERATIONS_PER_WORK))
    if iterations < 1:
        return None
    started = time.perf_counter()
    vertex, used = solve_vertex(*lp, iterations=iterations, seconds=budget.seconds_left(), worker=worker)
    budget.spend(used / HIGHS_ITERATIONS_PER_WORK, time.perf_counter() - started)
    return None if vertex is None else (vertex.duals, vertex.x, True)


def _pdlp(lp: LinearProgram, budget: Budget) -> Duals | None:
    """Return PDLP's duals and primal after its iteration limit, or None without duals.

    PDLP's own interface returns its last iterate when the iteration limit stops it (the
    model builder's returns nothing then), and weak duality certifies a bound from any
    iterate: 500 iterations (2.6 s) certify 493,467 on the quota catalogue of 10,000, whose
    LP optimum is 493,922."""
    from ortools.pdlp import solve_log_pb2, solvers_pb2
    from ortools.pdlp.python import pdlp

    objective, lower, upper, row_lo, row_hi, matrix = lp
    per_work = NONZEROS_PER_WORK / max(1, matrix.nnz)
    iterations = int(min(MOST_ITERATIONS, budget.work_left() * per_work))
    if iterations < 1:
        return None
    program = pdlp.QuadraticProgram()
    program.objective_vector = objective
    program.variable_lower_bounds, program.variable_upper_bounds = lower, upper
    program.constraint_lower_bounds, program.constraint_upper_bounds = row_lo, row_hi
    program.constraint_matrix = matrix.tocsc()
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.termination_criteria.iteration_limit = iterations
    seconds = budget.seconds_left()
    if math.isfinite(seconds):
        params.termination_criteria.time_sec_limit = max(0.01, seconds)
    started = time.perf_counter()
    result = pdlp.primal_dual_hybrid_gradient(program, params)
    budget.spend(result.solve_log.iteration_count / per_work, time.perf_counter() - started)
    duals = np.asarray(result.dual_solution, dtype=float)
    if len(duals) != len(row_lo) or not np.isfinite(duals).all():
        return None
    solved = result.solve_log.termination_reason == solve_log_pb2.TERMINATION_REASON_OPTIMAL
    return duals, np.asarray(result.primal_solution, dtype=float), solved


def certified(duals: NDArray[np.float64], *lp: Any) -> float:
    """Return the weak-duality bound of ``duals`` for the LP
    ``min c x, row_lo <= A x <= row_hi, lower <= x <= upper`` (``lp``: a :data:`LinearProgram`)."""
    objective, lower, upper, row_lo, row_hi, matrix = lp
    y = np.where((duals > 0) & ~np.isfinite(row_lo), 0.0, duals)
    y = np.where((y < 0) & ~np.isfinite(row_hi), 0.0, y)
    reduced = objective - matrix.T @ y
    rows = np.where(
        y > 0, y * np.nan_to_num(row_lo, posinf=0, neginf=0), y * np.nan_to_num(row_hi, posinf=0, neginf=0)
    )
    return float(rows.sum() + np.where(reduced > 0, reduced * lower, reduced * upper).sum())


def _finite(value: int) -> float:
    """Return a CP-SAT domain end as a float, its "unbounded" ends as infinities."""
    return math.inf if value >= 2**62 else -math.inf if value <= -(2**62) else float(value)


def _parsed(model: object) -> object:
    """Return ``model``'s proto as protobuf's own message: reading 100,000 constraints from it takes
    0.4 s, from the CP-SAT wrapper's 1.9 s. The wrapper has no serialiser of its own; its export to
    a (temporary) file is the binary message."""
    from ortools.sat import cp_model_pb2

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pb"
        model.export_to_file(str(path))  # type: ignore[attr-defined]
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def _linear(proto: object, check: Callable[[], None]) -> LinearProgram:
    """Return variable bounds, a zero objective and the rows (lower, upper, CSR matrix); ``check``
    every :data:`CHECK_EVERY` constraints (it raises when the time is up)."""
    from scipy.sparse import csr_matrix

    domains = [list(var.domain) for var in proto.variables]  # type: ignore[attr-defined]
    lower = np.array([d[0] for d in domains], dtype=float)
    upper = np.array([d[-1] for d in domains], dtype=float)
    row_lo: list[float] = []
    row_hi: list[float] = []
    indices: list[int] = []
    values: list[float] = []
    starts = [0]

    def row(vs: list[int], cs: list[float], lo: float, hi: float) -> None:
        indices.extend(vs)
        values.extend(cs)
        starts.append(len(indices))
        row_lo.append(lo)
        row_hi.append(hi)

    for i, ct in enumerate(proto.constraints):  # type: ignore[attr-defined]
        if i % CHECK_EVERY == 0:
            check()
        if not ct.HasField("linear"):
            continue
        vs, cs = list(ct.linear.vars), [float(c) for c in ct.linear.coeffs]
        domain = list(ct.linear.domain)
        lo, hi = _finite(domain[0]), _finite(domain[-1])
        if not ct.enforcement_literal:
            row(vs, cs, lo, hi)
            continue
        enforcement = list(ct.enforcement_literal)
        if len(enforcement) > 1:
            continue  # left out: a weaker bound, still a bound
        # sum(c x) within [lo, hi] when the literal holds; always within [least, most].
        c = np.asarray(cs)
        least = float(np.where(c > 0, c * lower[vs], c * upper[vs]).sum())
        most = float(np.where(c > 0, c * upper[vs], c * lower[vs]).sum())
        literal = enforcement[0]
        var, positive = (literal, True) if literal >= 0 else (-literal - 1, False)
        for bound_hi, slack in ((True, most - hi), (False, lo - least)):
            if slack <= 0 or not math.isfinite(slack):
                continue
            # sum <= hi + slack * (1 - l), l = x or 1 - x; likewise for the lower side.
            sign = 1.0 if bound_hi else -1.0
            coeff = sign * slack if positive else -sign * slack
            limit = hi + slack if bound_hi else lo - slack
            if not positive:
                limit = hi if bound_hi else lo
            if bound_hi:
                row([*vs, var], [*cs, coeff], -math.inf, limit)
            else:
                row([*vs, var], [*cs, coeff], limit, math.inf)
    n = len(lower)
    matrix = csr_matrix(
        (np.asarray(values, dtype=float), np.asarray(indices, dtype=np.int64), np.asarray(starts)),
        shape=(len(row_lo), n),
    )
    matrix.sum_duplicates()  # canonical CSR, which the solver requires
    matrix.sort_indices()
    return lower, upper, np.zeros(n), (np.asarray(row_lo), np.asarray(row_hi), matrix)


def choice_bound(data: CompiledEvent) -> int | None:
    """Return a bound on the total cost from each attendee's own choices alone, or None.

    Every member takes at most ``max_sessions`` seats (one per pass), no seminar
    twice, and costs the unseated cost for each seat short of that. Left
    free of rooms, plans and every rule across attendees, a member can do no
    better than its cheapest seminars (a seminar at its cheapest session; each
    part of a seminar in parts as a seminar), each taken only where it costs
    less than going without: a bound that
    needs no model, for events whose LP is too large or too weak to solve in
    time (planned sessions). None when attendees may go unadmitted (their
    cost is not per seat) or seats move between venues at a cost.
    """
    if data.admits or data.venue_move_cost:
        return None
    # A seminar in parts fills a place per part: each part counts as a seminar of its own.
    parts = int(data.sessions.part.max(initial=0)) + 1
    arc_seminar = data.sessions.seminar[data.arcs.session] * parts + data.sessions.part[data.arcs.session]
    key = data.arcs.type * (len(data.seminar_ids) * parts) + arc_seminar
    order = lexsorted(data.arcs.cost, key)
    ordered = key[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]][: len(order)]
    best = order[first]  # each (type, seminar)'s cheapest arc
    gain = np.minimum(0, data.arcs.cost[best] - data.unseated_cost)  # what a seat saves
    pair_type = data.arcs.type[best]
    rank_order = lexsorted(gain, pair_type)
    pair_type, gain = pair_type[rank_order], gain[rank_order]
    start = np.searchsorted(pair_type, pair_type)
    position = np.arange(len(pair_type)) - start  # 0 for each type's most saving seminar
    places = np.minimum(data.types.max_sessions, data.n_passes)[pair_type]
    kept = position < places
    saved = np.bincount(pair_type[kept], weights=gain[kept], minlength=data.n_types)
    return max(0, data.wanted * data.unseated_cost + int(np.round(saved @ data.types.count)))
