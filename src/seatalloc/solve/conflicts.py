"""Name the rules that make an event infeasible.

Only rules that force seats (pins) can clash with rules that cap them
(capacity, quotas); every other attendee may stay unseated. We rebuild the
model with each such rule guarded by an assumption literal and ask CP-SAT
for a set of assumptions that cannot hold together.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model import build_model


def find_conflicts(data: CompiledEvent, *, time_limit: float, seed: int) -> tuple[str, ...]:
    """Return the conflicting rules of an infeasible compiled event, in words.

    Parameters
    ----------
    data
        A compiled event that CP-SAT proved infeasible.
    time_limit
        Seconds for the search for a conflict.
    seed
        Seed of the search.

    Returns
    -------
    tuple of str
        One sentence per rule in the conflict; a single general sentence when
        CP-SAT could not isolate one in time.
    """
    model, v = build_model(data, explain=True)
    model.clear_objective()
    model.add_assumptions([literal for literal, _ in v.assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = int(seed)
    # Cores of assumptions are reported by the single-worker search.
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.INFEASIBLE:
        return ("the pinned attendees cannot all be seated within capacities and quotas",)
    core = set(solver.sufficient_assumptions_for_infeasibility())
    described = tuple(text for literal, text in v.assumptions if literal.index in core)
    return described or ("the pinned attendees cannot all be seated within capacities and quotas",)
