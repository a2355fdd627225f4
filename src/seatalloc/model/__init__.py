"""CP-SAT model builders, one module per constraint family."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.assignment import add_assignment
from seatalloc.model.capacity import add_capacity, add_shared_limits
from seatalloc.model.clashes import add_bundles
from seatalloc.model.diversity import add_diversity
from seatalloc.model.objective import stages
from seatalloc.model.parity import add_parity_rules
from seatalloc.model.parties import add_parties
from seatalloc.model.planning import add_planning
from seatalloc.model.quotas import add_seat_quotas, add_session_quotas
from seatalloc.model.stability import add_stays
from seatalloc.model.stage import Stage
from seatalloc.model.values import Levels
from seatalloc.model.variables import Mode, Variables

#: The rule families, in the order they are added to the model.
FAMILIES = (
    add_assignment,
    add_bundles,
    add_parties,
    add_planning,
    add_capacity,
    add_shared_limits,
    add_session_quotas,
    add_seat_quotas,
    add_parity_rules,
    add_diversity,
    add_stays,
)


def _never() -> None:
    """A deadline check that never stops."""


def build_model(
    data: CompiledEvent, *, mode: Mode = "solve", check: Callable[[], None] = _never
) -> tuple[cp_model.CpModel, Variables]:
    """Build the type-level CP-SAT model of ``data``, without an objective.

    The objective is set per stage by the solver (see ``model.objective``).

    Parameters
    ----------
    data
        The compiled event.
    mode
        ``solve``, ``explain`` (assumption literals) or ``relax`` (slacks); see
        :class:`~seatalloc.model.variables.Variables`.
    check
        Called now and then while building (a large model takes a while); it
        raises to stop.

    Returns
    -------
    model, variables
    """
    model = cp_model.CpModel()
    v = Variables(data, model, mode=mode, check=check)
    for add in FAMILIES:
        check()
        add(data, model, v)
    return model, v


__all__ = ["Levels", "Stage", "Variables", "build_model", "stages"]
