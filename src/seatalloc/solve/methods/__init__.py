"""Solving methods: one package each, behind one small protocol, and a registry.

A method says whether it can honour a compiled event (:meth:`Method.supports`
returns why not, or None) and solves it within a budget (:meth:`Method.run`
returns an :class:`Outcome`: seats per arc and a proven bound). Which rule
families a method honours is declared in one place,
:data:`seatalloc.solve.methods.families.FAMILIES`, so a new family is not
supported by a method until someone says so there.

``auto`` is not a method but a policy that composes registered methods
(:mod:`seatalloc.solve.methods.auto`).

To add a method: write a package ``solve/methods/<name>/`` whose
``__init__.py`` defines ``METHOD``, an object with ``name``, ``supports``
and ``run``; add one line to the registry
(:data:`seatalloc.solve.registry.REGISTRY`); and name it in the
families it honours.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.compile.data import BoolArray, IntArray
from seatalloc.schema.allocation import Rule, StageResult, Status
from seatalloc.solve.budget import Budget, Stop
from seatalloc.solve.certificate import Priced
from seatalloc.solve.registry import REGISTRY

if TYPE_CHECKING:
    from seatalloc.solve.options import SolveOptions


@dataclass(frozen=True)
class Outcome:
    """What a method returns: the seats per arc it found, and what it proved.

    ``seats`` is None when it found no allocation. ``admitted`` (members per
    type who may be seated) and ``open`` (which candidate sessions run)
    default to every member and every candidate.
    """

    status: Status
    method: str  # what ran, for SolverInfo.method (for example "flow+cp-sat")
    seats: IntArray | None = None
    admitted: IntArray | None = None
    open: BoolArray | None = None
    bound: int | None = None  # proven lower bound on the total cost
    stages: tuple[StageResult, ...] = ()
    stop: Stop | None = None  # why it stopped before a proof
    note: str | None = None  # what the user should know: why no allocation, for example
    conflicts: tuple[Rule, ...] = ()  # infeasible: the rules that clash
    relaxation: tuple[Rule, ...] = ()  # infeasible: the smallest change that fixes it
    seconds: float = 0.0
    first: float | None = None  # when (time.perf_counter) the first valid allocation was found
    prices: Priced | None = None  # prices that prove a bound by themselves: the allocation's certificate

    @property
    def objective(self) -> int | None:
        """The total cost of the seats (the last stage's value), None without seats."""
        return self.stages[-1].value if self.seats is not None and self.stages else None

    def counts(self, data: CompiledEvent) -> tuple[IntArray, IntArray, BoolArray]:
        """Return seats per arc, admitted members per type and which candidates run."""
        assert self.seats is not None  # only called on an outcome with seats
        admitted = data.types.count.copy() if self.admitted is None else self.admitted
        is_open = np.ones(len(data.candidates.seminar), dtype=bool) if self.open is None else self.open
        return self.seats, admitted, is_open


def cost_stage(value: int, bound: int) -> StageResult:
    """Return the one stage of a method that minimises the total cost alone."""
    return StageResult(
        name="rank cost", status="optimal" if value == bound else "feasible", value=value, bound=bound
    )


def with_bound(data: CompiledEvent, outcome: Outcome, bound: int | None, stop: Stop | None) -> Outcome:
    """Return ``outcome`` with ``bound``; under the rank cost its total cost is proven optimal when it
    meets that bound (else it stopped for ``stop``)."""
    outcome = replace(outcome, bound=bound)
    if outcome.objective is None or bound is None or data.objective_kind != "rank-cost":
        return outcome
    stage = cost_stage(outcome.objective, bound)
    proven = stage.status == "optimal"
    return replace(outcome, status=stage.status, stages=(stage,), stop=None if proven else stop)


class NotApplicable(Exception):
    """A method found, while running, that it cannot honour the event; the message says why."""


class Method(Protocol):
    """The protocol every solving method implements."""

    name: str

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        """Return why the method cannot honour ``data`` (every reason, in words), or None."""
        ...

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        """Solve ``data`` within ``budget``; raise :class:`NotApplicable` when it finds it cannot."""
        ...


def get_method(name: str, budget: Budget | None = None) -> Method:
    """Return the registered method ``name``, importing it on first use; its loading is not charged
    to ``budget`` (:meth:`~seatalloc.solve.budget.Budget.paused`)."""
    if budget is None:
        method: Method = importlib.import_module(REGISTRY[name]).METHOD
        return method
    with budget.paused():
        return get_method(name)
