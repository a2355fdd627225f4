"""The flow method's steps: a seminar flow gives the bound, a pass colouring the seats.

For plain events (see ``solve.methods.families``): nothing ties attendees
together beyond room capacity and the objective is the rank cost. Such
events are the large catalogues where nearly every attendee is unique, so
merging attendees into types saves little and the type model grows with the
attendees.

1. **Relaxation.** Forget which pass each seat is in. What is left is a
   transportation problem: each type sends at most one seat per member to
   each seminar it may attend and at most one per member and pass in all;
   each seminar takes at most the seats of all its sessions. Its min-cost
   flow costs no more than any allocation: a proven lower bound.
2. **Colouring.** The flow's seminar seats get passes one pass at a time, by
   a min-cost flow per pass. Soft lower bounds keep the rest placeable: a
   type must use this pass for what its members cannot fit in the passes
   left, a seminar for what its later sessions cannot hold, and a seminar
   fills about its share of this pass's seats (types whose wanted seats are
   alike merged, ``merged``). When every seat gets a pass,
   the allocation costs exactly the bound: optimal, with the proof.
3. **Improvement.** Seats that found no pass are lost. Then, while it
   gains, each pass in turn is seated anew with the others held: a min-cost
   flow again, which seats the lost and moves others to better seminars.
   The potentials of each pass's last flow price its rooms; with each
   type's itinerary exact, those prices prove a bound that keeps the passes
   (``solve.certificate.session_priced``), as do the seminar flow's.
4. **Seat prices.** While a gap remains, for up to half the budget left,
   prices on seats (``lagrange``) give a bound that keeps the passes,
   and their choices, cut to the rooms and improved as in step 3, give
   candidate allocations.
5. **Neighbourhoods.** For the rest of the budget, a few hundred types at a
   time are seated anew by CP-SAT, everyone else held
   (``neighbourhoods``). The allocation reports its honest gap to the
   best bound.

Per type, the seats per (seminar, pass) can always be handed out to members
without anyone repeating a seminar (``solve.handout``). The flows' nodes
are numbered by a draw from the seed and CP-SAT runs one seeded worker with
a deterministic limit per round. Every step counts its work in the budget
(a min-cost flow by its arcs, CP-SAT by its deterministic time) and the
steps split the budget by work when there is a work limit, so the same
event, seed and work limit give the same seats on any machine. A deadline
that passes during steps 1-2 leaves the bound proven so far and no seats.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import numbered
from seatalloc.compile import OPEN, CompiledEvent
from seatalloc.errors import SeatallocError
from seatalloc.solve.budget import Budget, OutOfTime, Stop
from seatalloc.solve.certificate import Priced, session_priced, stronger
from seatalloc.solve.methods import NotApplicable
from seatalloc.solve.methods.flow.lagrange import SCALE, SeatPrices
from seatalloc.solve.methods.flow.merged import colour_merged, pass_units
from seatalloc.solve.methods.flow.network import Network, Pairs, seat_cost, total
from seatalloc.solve.options import Progress

IntArray = NDArray[np.int64]

#: Seat-price steps between two allocations built from the prices' choices.
REPAIR_EVERY = 5


@dataclass(frozen=True)
class FlowSolution:
    """Seats per arc (None when the budget ran out before the colouring), their cost and the best bound."""

    seats: IntArray | None
    objective: int | None
    bound: int | None
    stop: Stop | None = None  # why it stopped before a proof
    prices: Priced | None = None  # prices that prove a bound by themselves (a certificate)

    @property
    def optimal(self) -> bool:
        """The seats cost the bound: no allocation costs less."""
        return self.seats is not None and self.objective == self.bound


def solve_flow(
    data: CompiledEvent,
    budget: Budget,
    *,
    seed: int = 0,
    progress: Progress | None = None,
    pairs: Pairs | None = None,
) -> FlowSolution:
    """Allocate a plain event: relaxation, colouring, improvement, seat prices, neighbourhoods.

    Steps 3-5 run while the budget lasts, or until Ctrl-C. ``seed`` numbers
    the flow networks, which decides ties between attendees.
    ``progress(stage, seconds, best, bound)`` hears of every better
    allocation or bound. Raises :class:`NotApplicable` when costs differ
    between sessions of a seminar, or when it cannot seat every pinned
    attendee (CP-SAT can then say why).
    """
    rng = np.random.default_rng(seed)
    pairs = Pairs(data) if pairs is None else pairs
    first = relax_and_colour(data, budget, rng, pairs)
    if first.seats is None or first.bound is None:
        return first
    best = _Best(data, pairs, first.seats, first.bound, budget.started)
    best.prices = first.prices
    try:
        best.listen(progress)  # (Ctrl-C may come as soon as the first allocation is told)
        stop = _close_gap(data, pairs, best, rng, budget, seed)
    except KeyboardInterrupt:  # Ctrl-C: keep the best allocation so far
        stop = "interrupted"
    if best.objective < best.bound:  # a relaxation cannot cost more than an allocation
        raise SeatallocError(f"internal error: flow allocation {best.objective} below its bound {best.bound}")
    return FlowSolution(best.seats, best.objective, best.bound, None if not best.open else stop, best.prices)


def relax_and_colour(
    data: CompiledEvent, budget: Budget, rng: np.random.Generator, pairs: Pairs | None = None
) -> FlowSolution:
    """Steps 1 and 2: the bound of the relaxation, and its seats coloured into passes.

    Without seats when the budget runs out first; raises :class:`NotApplicable`
    as :func:`solve_flow` does.
    """
    pairs = Pairs(data) if pairs is None else pairs
    if not pairs.one_cost:
        raise NotApplicable("costs that differ between sessions of a seminar")
    unpinned = NotApplicable("it cannot seat every pinned attendee (CP-SAT says why)")
    if not pairs.pins_reachable:
        raise unpinned
    try:
        relaxed = _relax(data, pairs, rng, budget)
    except OutOfTime as out:
        return FlowSolution(None, None, None, out.stop)
    if relaxed is None:
        raise unpinned
    bound, wanted, seminar_price = relaxed
    try:
        seats = colour_merged(data, pairs, wanted, _colour, rng, budget)
    except OutOfTime as out:
        return FlowSolution(None, None, bound, out.stop)
    if not _pins_hold(data, pairs, seats):
        raise unpinned
    objective = seat_cost(data, seats)
    # the seminars' seat prices with each type's itinerary exact: a certificate, often above the bound
    priced = (
        None if seminar_price is None else session_priced(data, seminar_price[data.sessions.seminar], budget)
    )
    bound = max(bound, 0 if priced is None else priced.bound)
    return FlowSolution(seats, objective, bound, None if objective == bound else budget.stop(), priced)


def _pins_hold(data: CompiledEvent, pairs: Pairs, seats: IntArray) -> bool:
    """Every pinned member is seated in its pinned pass."""
    forced = np.flatnonzero(pairs.forced_arc)
    return int(seats[forced].sum()) == pairs.pinned_seats


class _Best:
    """The best seats and bound so far, reported to the progress it listens to as they improve."""

    def __init__(
        self,
        data: CompiledEvent,
        pairs: Pairs,
        seats: IntArray,
        bound: int,
        started: float,
    ):
        self.data, self.pairs, self.started = data, pairs, started
        self.progress: Progress | None = None
        self.seats, self.objective, self.bound = seats, seat_cost(data, seats), bound
        self.prices: Priced | None = None

    def listen(self, progress: Progress | None) -> None:
        """Report to ``progress`` from now on, beginning with what is best now."""
        self.progress = progress
        self._report()

    @property
    def open(self) -> bool:
        """A gap remains."""
        return self.objective > self.bound

    def offer(self, seats: IntArray) -> None:
        """Keep ``seats`` if they cost less and seat every pinned member."""
        cost = seat_cost(self.data, seats)
        if cost < self.objective and _pins_hold(self.data, self.pairs, seats):
            self.seats, self.objective = seats, cost
            self._report()

    def tighten(self, bound: int) -> None:
        """Keep ``bound`` if it is higher."""
        if bound > self.bound:
            self.bound = bound
            self._report()

    def prove(self, prices: Priced | None) -> None:
        """Keep ``prices`` if they prove more, and the bound they prove if it is higher."""
        self.prices = stronger(self.prices, prices)
        if prices is not None:
            self.tighten(prices.bound)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress("rank cost", time.perf_counter() - self.started, self.objective, self.bound)


def _close_gap(
    data: CompiledEvent, pairs: Pairs, best: _Best, rng: np.random.Generator, budget: Budget, seed: int
) -> Stop | None:
    """Steps 3-5: improvement, seat prices, neighbourhoods, into ``best``; return why they stopped."""
    if best.open:
        improved, room_prices = best.seats.copy(), np.zeros(len(data.sessions.seminar))
        _improve(data, pairs, improved, rng, budget, room_prices)
        best.offer(improved)
        best.prove(session_priced(data, room_prices, budget))  # (each type's itinerary exact)
    prices = SeatPrices(data, pairs, rng)
    half = budget.share(0.5)
    steps = 0
    while best.open and not prices.converged and half.stop() is None:
        try:
            proven, chosen = prices.step(best.objective, half)
        except OutOfTime:  # the next step would not finish in the time left
            break
        best.tighten(proven)
        steps += 1
        if steps % REPAIR_EVERY == 0 or prices.converged:
            candidate = _fit(data, pairs, chosen, rng)
            _improve(data, pairs, candidate, rng, budget)
            best.offer(candidate)
    if prices.best_price is not None:  # (each type's itinerary exact: often more than the steps proved)
        best.prove(session_priced(data, prices.best_price / SCALE, budget))
    if not best.open or budget.stop() is not None:
        return budget.stop()
    # CP-SAT (and the half second OR-Tools takes to load it) only when a gap is left to close.
    from seatalloc.solve.methods.flow.neighbourhoods import polish

    optimal, interrupted = polish(data, pairs, best.seats, rng, budget, seed, best.offer)
    if optimal:
        best.tighten(best.objective)
    return "interrupted" if interrupted else budget.stop()


def _relax(
    data: CompiledEvent, pairs: Pairs, rng: np.random.Generator, budget: Budget
) -> tuple[int, IntArray, NDArray[np.float64] | None] | None:
    """Return the transportation bound, the seats per pair that reach it and each seminar's seat
    price its potentials give (:meth:`Network.potentials`; None when they did not settle); None
    when pins cannot be met.

    Raises :class:`OutOfTime` when its flow would not fit in the budget left.

    A pinned pair carries a bonus per seat larger than any seat could gain
    elsewhere (its own cost plus a displaced seat's), so the flow seats every
    pinned member when it can; the bonus is added back to the bound.
    """
    n_types, n_seminars = data.n_types, len(data.seminar_ids)
    count = data.types.count
    passes = (data.types.pass_block == OPEN).sum(axis=1)
    seminar_seats = total(data.sessions.seminar, data.sessions.capacity, n_seminars)
    sink = n_types + n_seminars
    net = Network(sink + 2, rng, budget)
    bonus = int(pairs.cost.max(initial=0)) + data.unseated_cost + 1
    to_seminar = net.add(
        pairs.type, n_types + pairs.seminar, count[pairs.type], pairs.cost - bonus * (pairs.forced > 0)
    )
    net.add(np.arange(n_types), sink, count * passes, data.unseated_cost)
    net.add(n_types + np.arange(n_seminars), sink, seminar_seats.astype(np.int64), 0)
    source = sink + 1
    net.add(source, np.arange(n_types), count * passes, 0)
    _afford(net, budget)
    flows, cost = net.solve(source, sink, int(count @ passes))
    wanted = flows[to_seminar]
    if (wanted < pairs.forced).any():
        return None
    no_session = (data.wanted - int(count @ passes)) * data.unseated_cost  # passes attended, no arc
    bound = cost + bonus * int(pairs.forced.sum()) + no_session
    return bound, wanted, net.prices(flows, n_types + np.arange(n_seminars), sink)


def _colour(
    data: CompiledEvent, pairs: Pairs, wanted: IntArray, rng: np.random.Generator, budget: Budget
) -> IntArray:
    """Give the wanted seats of each pair passes, one pass at a time; return seats per arc.

    Raises :class:`OutOfTime` when a pass's flow would not fit in the budget left.
    """
    n_types, n_seminars, n_sessions = data.n_types, len(data.seminar_ids), len(data.sessions.seminar)
    count, left = data.types.count, wanted.copy()
    arc_pass = data.sessions.pass_[data.arcs.session]
    capacity = np.zeros((n_seminars, data.n_passes), dtype=np.int64)
    np.add.at(capacity, (data.sessions.seminar, data.sessions.pass_), data.sessions.capacity)
    type_passes = data.types.pass_block == OPEN
    seats = np.zeros(len(data.arcs.type), dtype=np.int64)
    for p in range(data.n_passes):
        type_left = total(pairs.type, left, n_types)
        later = type_passes[:, p + 1 :].sum(axis=1)
        type_high = np.minimum(count, type_left) * type_passes[:, p]
        type_low = np.minimum(np.maximum(0, type_left - count * later), type_high)
        seminar_left = total(pairs.seminar, left, n_seminars)
        high = np.minimum(capacity[:, p], seminar_left)
        low = np.minimum(np.maximum(0, seminar_left - capacity[:, p + 1 :].sum(axis=1)), high)
        share = np.ceil(seminar_left * capacity[:, p] / np.maximum(1, capacity[:, p:].sum(axis=1)))
        target = np.clip(share.astype(np.int64), low, high)
        arcs = np.flatnonzero((arc_pass == p) & (left[pairs.of_arc] > 0))
        big = int(type_high.sum()) + 1  # outweighs every unit of the share tier
        last_chance = np.where(pairs.passes[:, p + 1 :].any(axis=1), 0, -big).astype(np.int64)
        seminar0 = n_types + n_sessions
        source, sink = seminar0 + n_seminars, seminar0 + n_seminars + 1
        net = Network(sink + 1, rng, budget)
        net.add(source, np.arange(n_types), type_low, -big)
        net.add(source, np.arange(n_types), type_high - type_low, 0)
        to_session = _to_sessions(net, data, pairs, arcs, left, last_chance)
        in_pass = np.flatnonzero(data.sessions.pass_ == p)
        net.add(
            n_types + in_pass, seminar0 + data.sessions.seminar[in_pass], data.sessions.capacity[in_pass], 0
        )
        seminars = seminar0 + np.arange(n_seminars)
        net.add(seminars, sink, low, -big)
        net.add(seminars, sink, target - low, -1)
        net.add(seminars, sink, high - target, 0)
        net.add(source, sink, int(type_high.sum()), 0)
        _afford(net, budget)
        flows, _ = net.solve(source, sink, int(type_high.sum()))
        seats[arcs] = flows[to_session]
        left -= total(pairs.of_arc[arcs], seats[arcs], len(pairs))
    return seats


def _afford(net: Network, budget: Budget) -> None:
    """Raise :class:`OutOfTime` unless solving ``net`` fits in what is left of the budget."""
    if not net.affordable():
        raise OutOfTime(budget.stop() or "time-limit")


def _improve(
    data: CompiledEvent,
    pairs: Pairs,
    seats: IntArray,
    rng: np.random.Generator,
    budget: Budget,
    prices: NDArray[np.float64] | None = None,
) -> None:
    """Re-seat one pass at a time, the others held, until a round over the passes gains nothing.

    With the other passes fixed, the best seats of one pass are a min-cost
    flow: each type seats up to its members, each pair up to the members who
    do not have that seminar in another pass, each session up to its room.
    The current seats are one such flow, so no step costs more; the first
    round also seats what the colouring lost. Into ``prices`` (per session,
    when given) go the seat prices of each pass's last flow, from its
    potentials (:meth:`Network.potentials`): at the end, prices of the rooms
    of every pass at the seats found (family instance 32:19's relaxation:
    they prove the LP's optimum, 52,435,911, where the seminar flow's bound
    is 19,297,911).
    """
    n_types, n_sessions = data.n_types, len(data.sessions.seminar)
    arc_pass = data.sessions.pass_[data.arcs.session]
    movable = (data.arcs.cost < data.unseated_cost) & ~pairs.forced_arc  # pinned seats stay
    arcs_of = [np.flatnonzero((arc_pass == p) & movable) for p in range(data.n_passes)]
    stale = 0  # passes in a row that gained nothing
    p = 0
    while stale < data.n_passes and budget.stop() is None:
        arcs = arcs_of[p]
        kept = seats[arcs].copy()
        before = int(kept @ (data.arcs.cost[arcs] - data.unseated_cost))
        seats[arcs] = 0
        headroom = data.types.count[pairs.type] - total(pairs.of_arc, seats, len(pairs))
        in_pass = np.flatnonzero(arc_pass == p)  # seats that stay in this pass (pinned) count too
        free = data.types.count - total(data.arcs.type[in_pass], seats[in_pass], n_types)
        units = pass_units(data, pairs, arcs, headroom, free)
        n_nodes = n_types if units is None else units.n_units
        source, sink = n_nodes + n_sessions, n_nodes + n_sessions + 1
        net = Network(sink + 1, rng, budget)
        if units is None:
            net.add(source, np.arange(n_types), free, 0)
            to_session = _to_sessions(net, data, pairs, arcs, headroom, pairs.cost - data.unseated_cost)
        else:  # (types alike share a node)
            net.add(source, np.arange(n_nodes), units.free, 0)
            to_session = net.add(
                units.unit[data.arcs.type[units.arc]],
                n_nodes + data.arcs.session[units.arc],
                units.cap,
                data.arcs.cost[units.arc] - data.unseated_cost,
            )
        room = data.sessions.capacity - total(data.arcs.session, seats, n_sessions)  # seats that stay
        net.add(n_nodes + np.arange(n_sessions), sink, room, 0)
        members = int(data.types.count.sum())
        net.add(source, sink, members, 0)
        if not net.affordable():  # it would not finish in the time left: keep the seats as they were
            seats[arcs] = kept
            return
        flows, cost = net.solve(source, sink, members)
        if units is None:
            seats[arcs] = flows[to_session]
        else:
            given, number = units.hand_out(data, flows[to_session], rng)
            seats[given] = number
        if prices is not None:
            mine = np.flatnonzero(data.sessions.pass_ == p)
            rooms = net.prices(flows, n_nodes + mine, sink)
            prices[mine] = 0.0 if rooms is None else rooms
        stale = stale + 1 if cost >= before else 0
        p = (p + 1) % data.n_passes


def _fit(data: CompiledEvent, pairs: Pairs, chosen: IntArray, rng: np.random.Generator) -> IntArray:
    """Return ``chosen`` seats cut to the rooms: in a session over capacity the costliest go
    (pinned seats last)."""
    order = np.lexsort((rng.random(len(chosen)), data.arcs.cost, ~pairs.forced_arc, data.arcs.session))
    wanted, session = chosen[order], data.arcs.session[order]
    ahead = np.cumsum(wanted) - wanted  # seats before each arc in this order
    ahead -= ahead[np.searchsorted(session, session)]  # ... within its own session
    seats = np.empty_like(chosen)
    seats[order] = np.clip(data.sessions.capacity[session] - ahead, 0, wanted)
    return seats


def _to_sessions(
    net: Network, data: CompiledEvent, pairs: Pairs, arcs: IntArray, cap: IntArray, cost: IntArray
) -> slice:
    """Add type -> session ``arcs``, each pair taking at most ``cap`` at ``cost`` a seat.

    Where a type reaches two sessions of one seminar in one pass, a node per
    pair caps what it takes across them; otherwise the arcs carry the cap.
    Return the slice of the arcs that end in sessions.
    """
    mine = pairs.of_arc[arcs]
    sessions = data.n_types + data.arcs.session[arcs]
    if not pairs.shared:
        return net.add(data.arcs.type[arcs], sessions, cap[mine], cost[mine])
    active, node = numbered(mine)
    node = node + net.n_nodes
    net.n_nodes += len(active)
    net.add(pairs.type[active], net.n_nodes - len(active) + np.arange(len(active)), cap[active], cost[active])
    return net.add(node, sessions, cap[mine], 0)
