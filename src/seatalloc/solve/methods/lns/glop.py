"""An LP solved in this process by GLOP, OR-Tools' simplex, for the duals of a small type model.

When a method without prices of its own (CP-SAT, the flow method) has
proven its bound, the LP's duals are what lets a third party check it
(:func:`.bound.certify`). GLOP runs in this process, so it needs no
interpreter of its own (HiGHS's takes 0.7 s to start, more than S1's whole
solve); it is slower than HiGHS on larger models (7.6 s against 2.4 s on the
quota catalogue of 2,000, 24,000 arcs; 1.3 s on a family model of 110,000
arcs and 1,086 types), so it is for what is left of the limit after a proof.
It stops after an iteration limit drawn from the budget's work and reports
the iterations it took, so the same event and work limit give the same
prices on any machine; the budget's time limit is the safety net.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seatalloc.solve.budget import Budget

#: Simplex iterations per work unit (4,000 to 6,000 a second on 2 cores, 2026-12-07).
ITERATIONS_PER_WORK = 5_000
#: The most iterations GLOP may take (about 40 s).
MOST_ITERATIONS = 200_000


def solve_duals(lp: tuple[Any, ...], budget: Budget) -> NDArray[np.float64] | None:
    """Return GLOP's row duals of ``lp`` (``min c x, row_lo <= A x <= row_hi, lower <= x <= upper``,
    a ``bound.LinearProgram``; signs as ``bound.certified`` reads them), at its optimum or where
    its iteration or time limit stopped it, or None when it has none (no time, no work)."""
    from ortools.linear_solver import linear_solver_pb2, pywraplp  # type: ignore[attr-defined]
    from ortools.linear_solver.python import model_builder_helper

    objective, lower, upper, row_lo, row_hi, matrix = lp
    iterations = int(min(MOST_ITERATIONS, budget.work_left() * ITERATIONS_PER_WORK))
    seconds = budget.seconds_left()
    if iterations < 1 or seconds <= 0:
        return None
    started = time.perf_counter()
    builder = model_builder_helper.ModelBuilderHelper()
    builder.fill_model_from_sparse_data(lower, upper, objective, row_lo, row_hi, matrix.tocsr())
    with tempfile.TemporaryDirectory() as folder:  # (the builder's only way out is a file)
        path = Path(folder) / "lp.pb"
        builder.write_model_to_proto_file(str(path))
        proto = linear_solver_pb2.MPModelProto.FromString(path.read_bytes())
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.LoadModelFromProto(proto)
    solver.SetSolverSpecificParametersAsString(f"max_number_of_iterations:{iterations}")
    if np.isfinite(seconds):
        solver.SetTimeLimit(max(1, int(seconds * 1000)))
    solver.Solve()
    response = linear_solver_pb2.MPSolutionResponse()
    solver.FillSolutionResponseProto(response)
    budget.spend(solver.iterations() / ITERATIONS_PER_WORK, time.perf_counter() - started)
    duals = np.asarray(response.dual_value, dtype=float)
    if len(duals) != len(row_lo) or not np.isfinite(duals).all():
        return None
    return duals
