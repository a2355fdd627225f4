"""Re-seat one pass at a time by a min-cost flow, quotas or a mix kept by cells.

With the seats of the other passes held, the best seats of one pass are a
min-cost flow (the flow method's improvement step): each type seats up to
its members there, each (type, seminar) up to the members who do not have
that seminar in another pass, each session up to its room. Quotas of
organisations per session fit in the flow too: a type's seats in a session
an organisation's quota caps pass through that (organisation, session)'s
cell, whose capacity is what the quota leaves. Without quotas, a mix's cap
per value and session is such a cell: its seats, or its share of the seats
the session has now, which the session keeps (its first seats outweigh any
cost), so the share holds however the session grows. A session below the
mix's size that grows into it may break it: :mod:`.shed` then takes away
what it has too much of and seats others again. A session's minimum
attendance is kept the same way: its first seats, up to the minimum, pass
through an arc whose gain outweighs any seat's cost (a planned event's
passes with the plan held: 5,000 wassign attendees get no better step from
CP-SAT's sub-events of a few types).

A whole pass is a neighbourhood no sub-event of CP-SAT reaches in one step on
10,000 attendees, solved exactly and fast. A step is kept when the seats
break nothing and are no worse in the event's objective stages.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import numbered
from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.flow.network import Network, total
from seatalloc.solve.methods.lns.shed import Shed, may_move, sheddable
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.violations import POINTS, broken, limits, misfits


def applies(data: CompiledEvent) -> bool:
    """Whether the seats of a pass are a flow: rules across types of at most one kind of cell."""
    return (
        sheddable(data)
        and not data.rules.shared_limit_cap.size
        and len(data.rules.diversity) <= 1
        and (data.rules.diversity == () or data.rules.diversity[0].min_distinct <= 0)
    )


def _movable(data: CompiledEvent) -> np.ndarray:
    """Per arc, whether a flow may move its seats."""
    alone = data.types.size[data.arcs.type] == 1  # a flow counts members; cells and rooms count people
    movable: np.ndarray = may_move(data) & alone & (data.arcs.cost < data.unseated_cost)
    return movable


def reseat_pass(
    data: CompiledEvent, state: Incumbent, p: int, rng: np.random.Generator, budget: Budget
) -> Incumbent | None:
    """Return the seats with pass ``p`` seated anew by one min-cost flow (None: no time for it)."""
    return _reseat(data, state, p, _movable(data), rng, budget)


def reseat_passes(
    data: CompiledEvent,
    state: Incumbent,
    rng: np.random.Generator,
    budget: Budget,
    prices: NDArray[np.float64] | None = None,
) -> Incumbent:
    """Re-seat pass after pass while a round over the passes gains; return the best seats. Into
    ``prices`` (per session, when given) go the rooms' prices of each pass's last flow (see
    :func:`_reseat`)."""
    best, key = state, state.key(data)
    free = _movable(data)
    stale, p = 0, 0
    while stale < data.n_passes and budget.stop() is None:
        found = _reseat(data, best, p, free, rng, budget, prices)
        if found is None:
            break  # no time for another flow
        if broken(data, found)[0] == 0 and found.key(data) < key:
            best, key, stale = found, found.key(data), 0
        else:
            stale += 1
        p = (p + 1) % data.n_passes
    return best


def _reseat(
    data: CompiledEvent,
    state: Incumbent,
    p: int,
    free: np.ndarray,
    rng: np.random.Generator,
    budget: Budget,
    prices: NDArray[np.float64] | None = None,
) -> Incumbent | None:
    """Return the seats with pass ``p`` seated anew by one min-cost flow (None: no time for it);
    the seats of arcs ``free`` marks may move. Into ``prices`` (per session, when given) go the
    prices of pass ``p``'s rooms the flow's potentials give (the cells' left out): with each type's
    itinerary exact they prove a bound (family instance 32:19: the LP's optimum, 52,435,911)."""
    out = state.copy()
    seats = out.seats
    arcs, types, sessions = data.arcs, data.types, data.sessions
    n_types, n_sessions = data.n_types, len(sessions.seminar)
    arc_pass = sessions.pass_[arcs.session]
    movable = np.flatnonzero((arc_pass == p) & free & ~misfits(data, out.open))
    seated = total(arcs.session, seats, n_sessions)  # seats per session now
    kept = total(arcs.session[movable], seats[movable], n_sessions)  # ... of them movable
    seats[movable] = 0
    size = types.size[arcs.type]
    # What each type may still take in this pass: its members, its sessions in all, its seminars.
    in_pass = total(arcs.type[arc_pass == p], seats[arc_pass == p], n_types)
    members = out.admitted  # (fewer than its members where a seat quota may leave some out)
    most = members * np.minimum(types.max_sessions, data.n_passes)
    supply = np.minimum(members - in_pass, most - total(arcs.type, seats, n_types))
    n_seminars = len(data.seminar_ids)
    pair = arcs.type * n_seminars + sessions.seminar[arcs.session]
    keys, pair_of = numbered(pair)
    headroom = (members[keys // n_seminars] - total(pair_of, seats, len(keys)))[pair_of[movable]]
    capacity, minimum = limits(data, out.open)
    held = total(arcs.session, seats * size, n_sessions)
    room = capacity - held
    cell, cell_cap, mix = _cells(data, out, movable, seated)
    cells = n_types + n_sessions
    source, sink = cells + len(cell_cap), cells + len(cell_cap) + 1
    net = Network(sink + 1, rng, budget)
    net.add(source, np.arange(n_types), np.maximum(supply, 0), 0)
    through = cell >= 0
    head = np.where(through, cells + cell, n_types + arcs.session[movable])
    chosen = net.add(arcs.type[movable], head, headroom, arcs.cost[movable] - data.unseated_cost)
    if len(cell_cap):
        cell_session = np.zeros(len(cell_cap), dtype=np.int64)
        cell_session[cell[through]] = arcs.session[movable][through]
        net.add(cells + np.arange(len(cell_cap)), n_types + cell_session, np.maximum(cell_cap, 0), 0)
    room = np.maximum(room, 0)
    # Seats a session must keep, first through an arc whose gain outweighs any seat's cost: its
    # minimum (a flow that cannot meet it breaks the rule and is not taken) and, with a mix, the
    # seats it has now (the mix's caps are drawn from them).
    keep = np.maximum(0, minimum - held)
    if mix:
        keep = np.maximum(keep, kept)
    keep = np.minimum(keep, room)
    if keep.any():
        weight = 2 * (data.unseated_cost + int(np.abs(arcs.cost).max(initial=0))) + 1
        net.add(n_types + np.arange(n_sessions), sink, keep, -weight)
        room = room - keep
    net.add(n_types + np.arange(n_sessions), sink, room, 0)
    amount = int(np.maximum(supply, 0).sum())
    net.add(source, sink, amount, 0)
    if not net.affordable():
        return None
    flows, _cost = net.solve(source, sink, amount)
    seats[movable] = flows[chosen]
    if prices is not None:
        mine = np.flatnonzero(sessions.pass_ == p)
        rooms = net.prices(flows, n_types + mine, sink)
        prices[mine] = 0.0 if rooms is None else rooms
    if data.rules.diversity:
        work = Shed(data, out)
        work.shed(rng)
        work.seat_again(rng)
    return out


def _cells(
    data: CompiledEvent, state: Incumbent, movable: np.ndarray, seated: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return each movable arc's cell (-1 none), each cell's capacity and whether the cells are a
    mix's: (organisation, session) cells for quotas, else (value, session) cells for the mix,
    capped at its share of the seats each session has now (``seated``), which it then keeps."""
    arcs, types = data.arcs, data.types
    n_sessions = len(data.sessions.seminar)
    size = types.size[arcs.type]
    rules = data.rules
    if len(rules.session_quota_cap):
        n_orgs = max(1, len(data.organisation_ids))
        cap = np.full((n_orgs, n_sessions), np.iinfo(np.int64).max // 4, dtype=np.int64)
        for org, most, where in zip(
            rules.session_quota_organisation.tolist(),
            rules.session_quota_cap.tolist(),
            rules.session_quota_sessions,
            strict=True,
        ):
            cap[org, where] = np.minimum(cap[org, where], most)
        org = types.organisation[arcs.type]
        kept = np.flatnonzero(org >= 0)  # held people of each organisation per session
        held = np.zeros_like(cap)
        np.add.at(held, (org[kept], arcs.session[kept]), (state.seats * size)[kept])
        key = np.where(org[movable] >= 0, org[movable] * n_sessions + arcs.session[movable], -1)
        limit = (cap - held).ravel()
        capped = key >= 0
        capped[capped] = limit[key[capped]] < np.iinfo(np.int64).max // 8
    elif rules.diversity:
        rule = rules.diversity[0]
        group = types.group[arcs.type, rule.dim]
        n_values = max(1, len(data.groups.names[rule.dim]))
        most = np.full(n_sessions, np.iinfo(np.int64).max // 4, dtype=np.int64)
        if rule.max_share >= 0:
            # (a session below the rule's size may grow into it: then shed, below)
            base = np.maximum(seated, rule.min_session_size)
            most = np.minimum(most, base * round(rule.max_share * POINTS) // 10_000)
        if rule.max_seats >= 0:
            most = np.minimum(most, rule.max_seats)
        valued = np.flatnonzero(group >= 0)
        held = np.zeros((n_values, n_sessions), dtype=np.int64)
        np.add.at(held, (group[valued], arcs.session[valued]), state.seats[valued])
        limit = (most[None, :] - held).ravel()
        key = np.where(group[movable] >= 0, group[movable] * n_sessions + arcs.session[movable], -1)
        capped = key >= 0
    else:
        return np.full(len(movable), -1, dtype=np.int64), np.zeros(0, dtype=np.int64), False
    used, cell = numbered(key[capped])
    out = np.full(len(movable), -1, dtype=np.int64)
    out[capped] = cell
    return out, limit[used], not len(rules.session_quota_cap)
