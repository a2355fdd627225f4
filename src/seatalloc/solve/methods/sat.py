"""Running CP-SAT within a budget, for every method that uses it.

The search runs in a helper thread while the main thread waits with a
handler of its own for Ctrl-C: the search is stopped, the best solution
found is kept and the run is marked interrupted (CP-SAT's own signal handler
is off, so an interruption is never confused with a limit). CP-SAT gets the
seconds and the work left in the budget, and its deterministic time is
charged to it.
"""

from __future__ import annotations

import math
import signal
import threading
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from seatalloc.solve.budget import Budget

#: CP-SAT takes no infinite limits.
NO_LIMIT = 1e9
#: Seconds between two looks for Ctrl-C while the search runs.
POLL = 0.05


@dataclass(frozen=True)
class SatRun:
    """What one CP-SAT solve gave: its status, and whether Ctrl-C stopped it."""

    status: Any  # a CP-SAT status: cp_model.OPTIMAL, FEASIBLE, ...
    interrupted: bool


def new_solver(budget: Budget, *, seed: int, workers: int = 1, work: float = math.inf) -> cp_model.CpSolver:
    """Return a CP-SAT solver limited to the budget left (and to ``work`` units at most)."""
    solver = cp_model.CpSolver()
    seconds = budget.seconds_left()
    solver.parameters.max_time_in_seconds = NO_LIMIT if math.isinf(seconds) else max(1e-3, seconds)
    allowed = min(work, budget.work_left())
    if not math.isinf(allowed):
        solver.parameters.max_deterministic_time = max(1e-6, allowed)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = int(workers)
    if workers > 1 and budget.work_limit is not None:
        # Several workers race unless they take turns: interleaved, the search is
        # deterministic whatever the number of workers.
        solver.parameters.interleave_search = True
    solver.parameters.catch_sigint_signal = False
    solver.parameters.log_search_progress = False
    return solver


def run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    budget: Budget,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> SatRun:
    """Solve ``model``, stopping at Ctrl-C; charge the deterministic time to ``budget``."""
    outcome: list[object] = []
    failure: list[BaseException] = []
    done = threading.Event()
    interrupted = threading.Event()

    def search() -> None:
        try:
            outcome.append(solver.solve(model, callback))
        except BaseException as error:  # handed to the waiting thread
            failure.append(error)
        finally:
            done.set()

    def stop(signum: int, frame: object) -> None:
        interrupted.set()
        solver.stop_search()

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, stop) if main else None
    try:
        threading.Thread(target=search, name="seatalloc-cp-sat", daemon=True).start()
        while not done.wait(POLL):
            if budget.cancelled():  # the caller cancelled from another thread: as Ctrl-C
                interrupted.set()
            if interrupted.is_set():
                solver.stop_search()  # again until it ends: the search may not have started yet
    finally:
        if main:  # a handler not set from Python reads as None: Python's own comes back
            signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    if failure:
        raise failure[0]
    budget.spend(solver.deterministic_time)
    return SatRun(outcome[0], interrupted.is_set())
