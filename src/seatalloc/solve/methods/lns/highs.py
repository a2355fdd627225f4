"""An LP solved to a vertex by HiGHS's dual simplex (scipy), in a separate process.

On the quota catalogue of 2,000 unique attendees the type model's LP has a
vertex with 48 fractional seats of 24,000: rounded, it costs 0.7 % above the
optimum, where PDLP's interior solution, rounded, cost 9 % above. HiGHS
takes 2 s there; its time grows faster than the model (25 s on 120,000
arcs), so it serves models up to :data:`HIGHS_ARCS`.

OR-Tools bundles a HiGHS of its own and the two clash in one process, so the
LP goes to a fresh interpreter that imports only numpy and scipy, by pickle
over a pipe. HiGHS stops after an iteration limit drawn from the budget's
work, so the same event and work limit give the same vertex on any machine;
a time limit (when the budget has one) is the safety net.
"""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: The largest type model (arcs) whose LP goes to HiGHS rather than PDLP.
HIGHS_ARCS = 50_000
#: Dual simplex iterations per work unit (about 11,000 a second measured on 2 cores).
ITERATIONS_PER_WORK = 10_000
#: The most iterations HiGHS may take (about 90 s).
MOST_ITERATIONS = 1_000_000
#: Seconds kept from HiGHS's time limit for starting the interpreter and the pipes (the process
#: is killed at the budget's time limit itself).
STARTUP = 1.0

_CHILD = """
import pickle, sys
import numpy as np
from scipy.optimize import linprog
args = pickle.load(sys.stdin.buffer)
r = linprog(method="highs-ds", **args)
out = {"status": int(r.status), "nit": int(r.nit)}
if r.status == 0:
    out.update(x=r.x, ineq=r.ineqlin.marginals, eq=r.eqlin.marginals)
pickle.dump(out, sys.stdout.buffer)
"""


@dataclass(frozen=True)
class Vertex:
    """An optimal vertex ``x`` and the row duals (signs as :func:`bound.certified` reads them)."""

    x: NDArray[np.float64]
    duals: NDArray[np.float64]
    iterations: int


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
) -> tuple[Vertex | None, int]:
    """Solve ``min c x, row_lo <= A x <= row_hi, lower <= x <= upper``; return the vertex (None
    when HiGHS did not reach the optimum within its limits) and the iterations it used."""
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
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            timeout=seconds if math.isfinite(seconds) else None,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, iterations
    try:
        out = pickle.loads(done.stdout) if done.returncode == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        out = None  # something else was written to the pipe: no vertex
    if out is None:
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
