"""The incumbent of the search: seats per arc, admitted members per type, the plan.

It starts empty (nobody seated, the plan not yet chosen), or from the flow
method's seats. It is valid once every type has been solved in some sub-event
with its own rules kept (``visited``) and no rule across types is broken
(``lns.violations``); from then on every accepted sub-solution keeps it valid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.compile.data import BoolArray, IntArray
from seatalloc.model.variables import admitted_varies


@dataclass
class Incumbent:
    """Seats of the whole event, changed in place as sub-events are solved."""

    seats: IntArray  # [E]
    admitted: IntArray  # [T]
    open: BoolArray | None  # [C] which candidates run; None until a plan is chosen
    visited: BoolArray  # [T] solved at least once

    @classmethod
    def empty(cls, data: CompiledEvent) -> Incumbent:
        admitted = data.types.count.copy()
        admitted[admitted_varies(data)] = 0
        plan = None if data.planned else np.ones(len(data.candidates.seminar), dtype=bool)
        return cls(
            np.zeros(len(data.arcs.type), dtype=np.int64),
            admitted,
            plan,
            np.zeros(data.n_types, dtype=bool),
        )

    def cost(self, data: CompiledEvent) -> int:
        """Return the total cost (the rank-cost objective) of the seats."""
        cost = data.wanted * data.unseated_cost + int(self.seats @ (data.arcs.cost - data.unseated_cost))
        if data.venue_move_cost:
            cost += data.venue_move_cost * int(data.types.moves @ self.admitted)
        return cost

    def key(self, data: CompiledEvent) -> tuple[int, ...]:
        """Return the objective as a tuple to compare, smaller better: the event's stages in order
        (``model.objective``), the total cost last."""
        seats, ranks = self.seats, data.arcs.rank
        counts = [int(seats[ranks == r].sum()) for r in range(int(ranks.max(initial=-1)) + 1)]
        unranked = int(seats[ranks < 0].sum())
        unseated = data.wanted - int(seats.sum())
        kind = data.objective_kind
        key: list[int] = [-int(self.admitted.sum())] if data.admits else []
        if kind == "rank-maximal":
            key += [-c for c in counts] + [unseated]
        elif kind in ("leximin", "minimax-rank"):
            key += [unseated, unranked, *reversed(counts[1:])]
        elif kind == "organisation-parity":
            key.append(-self._smallest_share(data))
        key.append(self.cost(data))
        if len(np.unique(data.types.priority)) > 1:
            weight = 1 + data.types.priority - data.types.priority.min()
            key.append(int(seats @ (weight[data.arcs.type] * (data.arcs.cost - data.unseated_cost))))
        return tuple(key)

    def _smallest_share(self, data: CompiledEvent) -> int:
        """Return the smallest group share of top choices, in parts per million (``model.parity``)."""
        assert data.rules.parity_objective is not None
        dim, top = data.rules.parity_objective
        group = data.types.group[data.arcs.type, dim]
        good = (data.arcs.rank >= 0) & (data.arcs.rank < top) & (group >= 0)
        n_groups = len(data.groups.names[dim])
        counts = np.bincount(group[good], weights=self.seats[good], minlength=n_groups)
        size = data.groups.places[dim]
        shares = [int(c * 1_000_000 // n) for c, n in zip(counts.tolist(), size.tolist(), strict=True) if n]
        return min(shares, default=1_000_000)

    def copy(self) -> Incumbent:
        return Incumbent(
            self.seats.copy(),
            self.admitted.copy(),
            None if self.open is None else self.open.copy(),
            self.visited.copy(),
        )
