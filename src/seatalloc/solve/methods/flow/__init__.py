"""The flow method: min-cost flows with a proven bound, for plain events of any size.

It honours room capacities, needs, exclusions, pins and the rank cost (see
``solve.methods.families`` for what it declines); ``steps`` says how.
"""

from __future__ import annotations

import time

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget, said
from seatalloc.solve.itinerary import prepare
from seatalloc.solve.methods import Outcome, cost_stage
from seatalloc.solve.methods.families import unsupported
from seatalloc.solve.methods.flow.network import Pairs
from seatalloc.solve.methods.flow.steps import solve_flow
from seatalloc.solve.options import SolveOptions


class Flow:
    """Seminar flow, pass colouring, improvement, seat prices and CP-SAT neighbourhoods."""

    name = "flow"

    def __init__(self) -> None:
        self._last: tuple[CompiledEvent, Pairs] | None = None  # supports() and run() share them

    def _pairs(self, data: CompiledEvent) -> Pairs:
        last = self._last
        if last is None or last[0] is not data:
            last = self._last = (data, Pairs(data))
        return last[1]

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        why = unsupported(data, self.name)
        if why is None and not self._pairs(data).one_cost:
            why = "costs that differ between sessions of a seminar"
        return why

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        started = time.perf_counter()
        prepare(data, budget)  # (the certificate's itineraries)
        pairs = self._pairs(data)
        self._last = None  # nothing of this event is kept once it is solved
        flow = solve_flow(data, budget, seed=options.seed, progress=options.progress, pairs=pairs)
        if flow.seats is None or flow.objective is None or flow.bound is None:
            return Outcome(
                "unknown",
                self.name,
                bound=flow.bound,
                stop=flow.stop,
                note=f"{said(flow.stop)} before the flow method had an allocation",
                seconds=time.perf_counter() - started,
            )
        return Outcome(
            "optimal" if flow.optimal else "feasible",
            self.name,
            seats=flow.seats,
            bound=flow.bound,
            stages=(cost_stage(flow.objective, flow.bound),),
            stop=flow.stop,
            seconds=time.perf_counter() - started,
            first=time.perf_counter(),  # (its allocation comes whole, at the end)
            prices=flow.prices,
        )


METHOD = Flow()
