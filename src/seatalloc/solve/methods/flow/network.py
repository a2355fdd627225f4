"""Min-cost flow networks from arrays, and the (type, seminar) pairs the flow methods use."""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from seatalloc.arrays import distinct, numbered
from seatalloc.compile import CompiledEvent
from seatalloc.errors import SeatallocError
from seatalloc.solve.budget import Budget, flow_work

IntArray = NDArray[np.int64]

#: The most rounds :meth:`Network.potentials` takes (2 to 11 on the flows of family and catalogue
#: events of 1,000-10,000 types), and the work charged per arc and round.
POTENTIAL_ROUNDS, POTENTIAL_WORK_PER_ARC = 100, 2e-8


class Pairs:
    """(type, seminar) pairs that have arcs; each arc's pair; the passes each pair can use."""

    def __init__(self, data: CompiledEvent):
        n_seminars = len(data.seminar_ids)
        arc_seminar = data.sessions.seminar[data.arcs.session]
        keys, self.of_arc = numbered(data.arcs.type * n_seminars + arc_seminar)
        self.type, self.seminar = keys // n_seminars, keys % n_seminars
        self.cost = np.zeros(len(keys), dtype=np.int64)
        self.cost[self.of_arc] = data.arcs.cost
        self.one_cost = bool((self.cost[self.of_arc] == data.arcs.cost).all())  # same in every session
        self.passes = np.zeros((len(keys), data.n_passes), dtype=bool)
        self.passes[self.of_arc, data.sessions.pass_[data.arcs.session]] = True
        # Some type reaches two sessions of one seminar in one pass.
        arc_pass = data.sessions.pass_[data.arcs.session]
        self.shared = len(distinct(self.of_arc * data.n_passes + arc_pass)) < len(self.of_arc)
        # Pins: in a pass where a type is pinned, its arcs all lead to the pinned seminar
        # (compile), and every member must take one of them.
        self.forced_arc = data.types.fixed[data.arcs.type, arc_pass] >= 0
        pinned = np.argwhere(data.types.fixed >= 0)
        key = pinned[:, 0] * n_seminars + data.types.fixed[pinned[:, 0], pinned[:, 1]]
        where = np.minimum(np.searchsorted(keys, key), max(0, len(keys) - 1))
        found = (where < len(keys)) & (keys[where] == key) if len(keys) else np.zeros(len(key), dtype=bool)
        self.forced = total(where[found], data.types.count[pinned[found, 0]], len(keys))  # seats per pair
        self.pins_reachable = bool(found.all())  # every pin has an arc to its seminar
        self.pinned_seats = int(data.types.count[pinned[:, 0]].sum())  # member-passes that must be seated

    def __len__(self) -> int:
        return len(self.type)


class Network:
    """A min-cost flow network built from arrays of arcs.

    The solver breaks ties between equally cheap flows by the order of nodes
    and arcs, so they are numbered by a seeded random draw: no attendee is
    favoured for coming first in the input. Each solve charges its work to
    ``budget`` by its arcs.
    """

    def __init__(self, n_nodes: int, rng: np.random.Generator, budget: Budget):
        self.n_nodes, self.rng, self.budget = n_nodes, rng, budget
        self.parts: list[tuple[IntArray, ...]] = []
        self.n_arcs = 0

    def add(self, tails: object, heads: object, caps: object, costs: object) -> slice:
        """Add arcs (broadcasting scalars); return their slice in :meth:`solve`'s flows."""
        t, h, c, k = np.broadcast_arrays(
            *(np.asarray(x, dtype=np.int64) for x in (tails, heads, caps, costs))
        )
        self.parts.append((t.ravel(), h.ravel(), np.maximum(c.ravel(), 0), k.ravel()))
        self.n_arcs += t.size
        return slice(self.n_arcs - t.size, self.n_arcs)

    def affordable(self) -> bool:
        """Whether solving this network fits in what is left of the budget."""
        return self.budget.affords(flow_work(self.n_arcs))

    def potentials(self, flows: IntArray, most: int = POTENTIAL_ROUNDS) -> IntArray | None:
        """Return node potentials ``d`` that prove ``flows`` (an optimal flow of this network)
        optimal: ``d[head] <= d[tail] + cost`` on every arc with room left and ``d[tail] <=
        d[head] + cost`` on every arc that carries flow (Bellman-Ford from every node at once,
        one vectorised round per step); None when ``most`` rounds did not settle them. An arc's
        capacity is then worth ``max(0, d[head] - d[tail] - cost)`` a unit: its dual price."""
        tails, heads, caps, costs = (np.concatenate(c) for c in zip(*self.parts, strict=True))
        room, used = flows < caps, flows > 0
        tail = np.concatenate([tails[room], heads[used]])
        head = np.concatenate([heads[room], tails[used]])
        cost = np.concatenate([costs[room], -costs[used]])
        d = np.zeros(self.n_nodes, dtype=np.int64)
        for _ in range(most):
            self.budget.spend(POTENTIAL_WORK_PER_ARC * len(tail))
            reached = d.copy()
            np.minimum.at(reached, head, d[tail] + cost)
            if (reached == d).all():
                return d
            d = reached
        return None

    def prices(self, flows: IntArray, nodes: IntArray, sink: int) -> NDArray[np.float64] | None:
        """Return what a unit more of the capacity of each arc ``nodes -> sink`` (of cost 0) is
        worth at the optimal ``flows``, from :meth:`potentials` (None when they did not settle)."""
        d = self.potentials(flows)
        return None if d is None else np.maximum(0, d[sink] - d[nodes]).astype(float)

    def solve(self, source: int, sink: int, amount: int) -> tuple[IntArray, int]:
        """Send ``amount`` from ``source`` to ``sink`` at least cost; return flows and cost."""
        tails, heads, caps, costs = (np.concatenate(c) for c in zip(*self.parts, strict=True))
        node, order = self.rng.permutation(self.n_nodes), self.rng.permutation(self.n_arcs)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            node[tails[order]], node[heads[order]], caps[order], costs[order]
        )
        flow.set_node_supply(int(node[source]), amount)
        flow.set_node_supply(int(node[sink]), -amount)
        started = time.perf_counter()
        status = flow.solve()
        seconds = time.perf_counter() - started
        if status != flow.OPTIMAL:
            raise SeatallocError(f"internal error: min-cost flow ended {status.name}")
        self.budget.spend(flow_work(self.n_arcs), seconds)
        flows = np.zeros(self.n_arcs, dtype=np.int64)
        flows[order] = flow.flows(np.arange(self.n_arcs))
        return flows, int(flow.optimal_cost())


def seat_cost(data: CompiledEvent, seats: IntArray) -> int:
    """Return the rank cost of ``seats`` (per arc): their costs plus the unseated cost of the rest."""
    unseated = data.wanted - int(seats.sum())
    return int(seats @ data.arcs.cost) + data.unseated_cost * unseated


def total(index: IntArray, values: IntArray, n: int) -> IntArray:
    """Sum ``values`` by ``index`` into ``n`` integer bins."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, index, values)
    return out
