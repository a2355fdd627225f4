"""The objective: rank costs of seats plus the cost of every attendee-pass without one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.variables import Variables


def add_objective(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Minimise the total cost.

    Every attendee-pass starts unseated (``unseated_cost``); each seat given
    replaces that cost by the arc's cost, so the objective is a constant plus
    ``(arc_cost - unseated_cost)`` per seat. CP-SAT keeps the constant, so its
    objective value and bound are total costs.
    """
    base = data.n_attendees * data.n_passes * data.unseated_cost
    weights = (data.arc_cost - data.unseated_cost).tolist()
    model.minimize(cp_model.LinearExpr.weighted_sum(v.seat, weights) + base)
