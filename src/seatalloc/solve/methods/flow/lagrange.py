"""Seat prices: the Lagrangian relaxation of room capacities, for plain events.

Put a price on every seat of every session and let each type choose freely,
paying the price on top of its rank cost: one seat per member and pass, one
per member and seminar, rooms unlimited. The types' choices are independent
bipartite matchings (passes to seminars), so all of them together are one
min-cost flow, and for any prices ``L(prices) = best choices' cost - prices x
capacities`` is a lower bound on every allocation's cost (weak duality).
Unlike the flow method's relaxation it keeps which pass each seat is in.

Prices move by subgradient steps (Polyak's rule against the best known
allocation): up where a session is over-full, down where it has room. Each
step's choices also seed an allocation (see ``steps``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import OPEN, CompiledEvent
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.methods.flow.network import Network, Pairs, total

IntArray = NDArray[np.int64]

#: Prices are integers in 1/SCALE of a cost unit, so the flows stay integral.
SCALE = 64


class SeatPrices:
    """Prices per session, improved one subgradient step at a time."""

    def __init__(self, data: CompiledEvent, pairs: Pairs, rng: np.random.Generator):
        self.data, self.pairs, self.rng = data, pairs, rng
        self.price = np.zeros(len(data.sessions.seminar), dtype=np.int64)
        self.step_size = 2.0  # Polyak's factor, halved when the bound stops rising
        self.best: int | None = None
        self.best_price: IntArray | None = None  # the prices that proved it
        self.stalled = 0

    @property
    def converged(self) -> bool:
        """The steps became too small to move the prices."""
        return self.step_size < 1e-3

    def step(self, upper: int, budget: Budget) -> tuple[int, IntArray]:
        """Price the current seats; return the bound they prove and the seats per arc chosen.

        ``upper`` is the cost of the best allocation known, the target of the step;
        the work is charged to ``budget``. Raises :class:`OutOfTime` when the
        step's flow would not finish in the time left.
        """
        data = self.data
        chosen, cost = self._choose(budget)
        base = data.unseated_cost * data.wanted * SCALE
        scaled = base + cost - int(self.price @ data.sessions.capacity)
        bound = -(-scaled // SCALE)  # costs are integers: round the bound up
        if self.best is None or bound > self.best:
            self.best, self.stalled = bound, 0
            self.best_price = self.price.copy()
        else:
            self.stalled += 1
            if self.stalled >= 10:
                self.step_size, self.stalled = self.step_size / 2, 0
        excess = total(data.arcs.session, chosen, len(self.price)) - data.sessions.capacity
        norm = float(excess @ excess)
        if norm > 0:
            move = self.step_size * (upper * SCALE - scaled) / norm
            self.price = np.maximum(0, self.price + np.round(move * excess)).astype(np.int64)
        else:
            self.step_size = 0.0  # the choices fit every room: nothing left to price
        return bound, chosen

    def _choose(self, budget: Budget) -> tuple[IntArray, int]:
        """Each type's cheapest seats at the current prices: seats per arc and their scaled cost."""
        data, pairs = self.data, self.pairs
        n_types, n_passes = data.n_types, data.n_passes
        open_pass = np.argwhere(data.types.pass_block == OPEN)
        pair0 = n_types * n_passes
        source, sink = pair0 + len(pairs), pair0 + len(pairs) + 1
        net = Network(sink + 1, self.rng, budget)
        count = data.types.count
        net.add(source, open_pass[:, 0] * n_passes + open_pass[:, 1], count[open_pass[:, 0]], 0)
        arc_pass = data.sessions.pass_[data.arcs.session]
        cost = SCALE * (data.arcs.cost - data.unseated_cost) + self.price[data.arcs.session]
        # A pinned member must take its pinned seat: a bonus larger than anything it could save.
        bonus = int(np.abs(cost).max(initial=0)) + 1
        cost = cost - bonus * pairs.forced_arc
        seats = net.add(
            data.arcs.type * n_passes + arc_pass, pair0 + pairs.of_arc, count[data.arcs.type], cost
        )
        net.add(pair0 + np.arange(len(pairs)), sink, count[pairs.type], 0)
        places = int(count.sum()) * n_passes
        net.add(source, sink, places, 0)
        if not net.affordable():
            raise OutOfTime(budget.stop() or "time-limit")
        flows, total_cost = net.solve(source, sink, places)
        return flows[seats], total_cost + bonus * pairs.pinned_seats
