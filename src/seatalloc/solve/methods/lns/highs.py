"""An LP solved to a vertex by HiGHS's dual simplex (scipy), in a separate process.

On the quota catalogue of 2,000 unique attendees the type model's LP has a
vertex with 48 fractional seats of 24,000: rounded, it costs 0.7 % above the
optimum, where PDLP's interior solution, rounded, cost 9 % above. HiGHS
takes 2 s there; its time grows faster than the model (25 s on 120,000
arcs), so it serves models up to :data:`HIGHS_ARCS`, and larger ones with few
types (:data:`HIGHS_TYPES`) first: its iterations grow with the types more than
with the arcs.

OR-Tools bundles a HiGHS of its own and the two clash in one process, so the
LP goes to another interpreter that imports only numpy and scipy, by pickle
over a pipe: a :class:`Worker`, started once (0.7 s) and kept for the LPs
that follow (the sweep solves one per part). HiGHS stops after an iteration
limit drawn from the budget's work, so the same event and work limit give
the same vertex on any machine; a time limit (when the budget has one) is
the safety net, and the worker is killed when its answer does not come in
time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.solve.methods.lns.interpreter import ANSWERS, SERVE, Interpreter

#: The largest type model (arcs) whose LP goes to HiGHS rather than PDLP.
HIGHS_ARCS = 50_000
#: Beyond :data:`HIGHS_ARCS`, a type model of at most :data:`HIGHS_TYPES` types and
#: :data:`HIGHS_DENSE_ARCS` arcs goes to HiGHS first, with :data:`SIMPLEX_SHARE` of the LP's time
#: (PDLP has the rest when it did not finish). Measured alone on 2 cores, 2026-12-07, on the drawn
#: family's models within these limits (29 models of 50,000-227,000 arcs and 985-3,742 types, seeds
#: 32 and 33 of ``benchmarks.family``; attendees may take unranked seminars, quotas, county mixes):
#: HiGHS solved 28 in 1.0-8.5 s (median 1.9 s), PDLP 26 in 0.6-26 s (median 3.3 s), within 20-30
#: s each. On quota, county and sparse catalogues of 5,000 types (60,000 arcs) HiGHS took 7.4-17.9
#: s, on 10,000 (120,000 arcs) more than 30 s, where PDLP is the faster.
HIGHS_TYPES, HIGHS_DENSE_ARCS, SIMPLEX_SHARE = 4_000, 250_000, 0.8
#: Dual simplex iterations per work unit (about 11,000 a second measured on 2 cores).
ITERATIONS_PER_WORK = 10_000
#: The most iterations HiGHS may take (about 90 s).
MOST_ITERATIONS = 1_000_000
#: Seconds kept from HiGHS's time limit for starting the interpreter and the pipes (the process
#: is killed at the budget's time limit itself).
STARTUP = 1.0

# Only numpy and scipy in the worker (OR-Tools' own HiGHS would clash with scipy's).
_CHILD = (
    ANSWERS
    + """
from scipy.optimize import linprog

def answer(args):
    r = linprog(method="highs-ds", **args)
    out = {"status": int(r.status), "nit": int(r.nit)}
    if r.status == 0:
        out.update(x=r.x, ineq=r.ineqlin.marginals, eq=r.eqlin.marginals)
    return out
"""
    + SERVE
)


@dataclass(frozen=True)
class Vertex:
    """An optimal vertex ``x`` and the row duals (signs as :func:`bound.certified` reads them)."""

    x: NDArray[np.float64]
    duals: NDArray[np.float64]
    iterations: int


class Worker(Interpreter):
    """An interpreter that solves LPs with HiGHS one after another, started on first use."""

    def __init__(self) -> None:
        super().__init__(_CHILD)


def solve_vertex(
    objective: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    matrix: object,
    *,
    iterations: int,
    seconds: float,
    worker: Worker | None = None,
) -> tuple[Vertex | None, int]:
    """Solve ``min c x, row_lo <= A x <= row_hi, lower <= x <= upper`` in ``worker`` (a new one
    for this LP alone when None); return the vertex (None when HiGHS did not reach the optimum
    within its limits) and the iterations it used."""
    from scipy.sparse import vstack

    both = np.isfinite(row_lo) & np.isfinite(row_hi) & (row_lo == row_hi)
    below = np.isfinite(row_hi) & ~both  # rows with an upper limit
    above = np.isfinite(row_lo) & ~both  # rows with a lower limit, negated
    options: dict[str, object] = {"presolve": True, "maxiter": max(1, iterations)}
    if math.isfinite(seconds):
        if seconds <= STARTUP:
            return None, 0  # no time to start the interpreter
        options["time_limit"] = seconds - STARTUP
    args = {
        "c": objective,
        "A_ub": vstack([matrix[below], -matrix[above]]).tocsr(),  # type: ignore[index]
        "b_ub": np.r_[row_hi[below], -row_lo[above]],
        "A_eq": matrix[both] if both.any() else None,  # type: ignore[index]
        "b_eq": row_hi[both] if both.any() else None,
        "bounds": np.c_[lower, upper],
        "options": options,
    }
    if worker is None:
        with Worker() as own:
            out = own.ask(args, seconds)
    else:
        out = worker.ask(args, seconds)
    if not isinstance(out, dict):
        return None, iterations
    used = int(out["nit"])
    if out["status"] != 0:
        return None, used
    duals = np.zeros(len(row_lo))
    n_below = int(below.sum())
    duals[below] = out["ineq"][:n_below]  # <= rows: marginals <= 0
    duals[above] = -out["ineq"][n_below:]  # >= rows, negated back: >= 0
    if both.any():
        duals[both] = out["eq"]
    return Vertex(np.asarray(out["x"], dtype=float), duals, used), used
