"""Prices that prove a bound by themselves, as a method finds them and as the allocation states them.

A method that prices the rules across attendees (the lns method's LP duals and
Lagrangian prices, the flow method's seat prices and the potentials of its
seminar flow) keeps its best prices as :class:`Priced`, in compiled indices;
:func:`certificate_of` names them as the event does, for ``seatalloc check``
to recompute the bound they prove (:mod:`seatalloc.check.certificate`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.schema.allocation import Certificate, LimitPrice, MixPrice, QuotaPrice, SessionPrice
from seatalloc.schema.event import Event
from seatalloc.solve.budget import Budget
from seatalloc.solve.itinerary import cheapest

#: Work units of each arc in :func:`session_priced` (about 2.8 µs an arc here, at 1.1 s a unit).
ITINERARY_WORK_PER_ARC = 2.5e-6


@dataclass(frozen=True)
class Priced:
    """Prices (at least 0) on the rules across attendees that prove ``bound`` by themselves, in
    compiled indices: per capacity ``sessions`` and ``session_prices``, per shared limit
    ``limits`` and ``limit_prices``, per quota row ``quotas`` (among the quotas per session),
    ``quota_sessions`` and ``quota_prices``, per mix row ``mixes`` (the rule), ``mix_sessions``,
    ``mix_groups`` (the value's group) and ``mix_prices`` (per attendee of the value, as the
    certificate states them)."""

    bound: int
    sessions: NDArray[np.int64]
    session_prices: NDArray[np.float64]
    limits: NDArray[np.int64]
    limit_prices: NDArray[np.float64]
    quotas: NDArray[np.int64]
    quota_sessions: NDArray[np.int64]
    quota_prices: NDArray[np.float64]
    mixes: NDArray[np.int64]
    mix_sessions: NDArray[np.int64]
    mix_groups: NDArray[np.int64]
    mix_prices: NDArray[np.float64]


#: Taken off a bound's value before rounding it up (floating point in the sums).
TOLERANCE = 1e-9


def certifiable(data: CompiledEvent) -> bool:
    """Whether each attendee's itinerary in ``data`` is the one the checker reads from the event
    (the same sessions, capacities and costs): no seats held from an earlier allocation, no
    admission, plan or re-solve, no pins or required seminars (the checker leaves them out, the
    compiled arcs do not), no parties' sizes, seminars in parts or moves between venues."""
    types = data.types
    return not (
        data.held is not None
        or data.planned
        or data.admits
        or data.resolving
        or data.itineraries
        or data.by_runs
        or data.by_bundles
        or (data.sessions.part > 0).any()
        or (types.fixed >= 0).any()
        or (types.size != 1).any()
        or any(types.required)
        or types.stays.any()
        or (data.venue_move_cost and (types.moves > 0).any())
    )


def rounded(value: float) -> int:
    """A bound ``value`` rounded up (costs are integers), less a little for floating point."""
    return max(0, math.ceil(value - TOLERANCE * max(1.0, abs(value))))


def session_priced(
    data: CompiledEvent, price: NDArray[np.float64], budget: Budget | None = None
) -> Priced | None:
    """Return prices (at least 0) on the sessions' capacities alone and the bound they prove: each
    type's cheapest itinerary at its seats' costs plus their prices (:mod:`seatalloc.solve.itinerary`),
    less each price times its session's capacity; None where ``data`` is not :func:`certifiable`,
    or where it would not finish in what is left of ``budget`` (charged
    :data:`ITINERARY_WORK_PER_ARC` an arc: 34 s on the 12 million arcs of a sparse catalogue of
    1,000,000 unique attendees)."""
    if not certifiable(data):
        return None
    work = ITINERARY_WORK_PER_ARC * len(data.arcs.type)
    if budget is not None and not budget.affords(work):
        return None
    started = time.perf_counter()
    arcs, types = data.arcs, data.types
    price = np.maximum(np.asarray(price, dtype=float), 0.0)
    reduced = (
        types.weight[arcs.type] * (arcs.cost - data.unseated_cost)
        + types.size[arcs.type] * price[arcs.session]
    )
    value = (
        data.wanted_weight * data.unseated_cost
        + float(types.count @ cheapest(data, reduced))
        - float(price @ data.sessions.capacity)
    )
    if budget is not None:
        budget.spend(work, time.perf_counter() - started)
    sessions = np.flatnonzero(price > 0)
    none, nothing = np.zeros(0, dtype=np.int64), np.zeros(0)
    return Priced(
        rounded(value),
        sessions,
        price[sessions],
        none,
        nothing,
        none,
        none,
        nothing,
        none,
        none,
        none,
        nothing,
    )


def stronger(one: Priced | None, other: Priced | None) -> Priced | None:
    """Return whichever prices prove more (either when one is None)."""
    if one is None or (other is not None and other.bound > one.bound):
        return other
    return one


def certificate_of(event: Event, data: CompiledEvent, priced: Priced) -> Certificate:
    """Return ``priced`` as the allocation's certificate: sessions, quotas and limits named as in
    ``event`` (whose sessions are fixed: a compiled session is one of its candidate sessions)."""
    sessions = data.sessions

    def where(s: int) -> dict[str, str]:
        return {
            "seminar": data.seminar_ids[sessions.seminar[s]],
            "pass_": data.pass_ids[sessions.pass_[s]],
            "room": data.room_ids[sessions.room[s]],
        }

    per_session = [i for i, q in enumerate(event.quotas) if q.max_per_session is not None]
    return Certificate(
        bound=priced.bound,
        sessions=tuple(
            SessionPrice(**where(s), price=p)
            for s, p in zip(priced.sessions.tolist(), priced.session_prices.tolist(), strict=True)
        ),
        quotas=tuple(
            QuotaPrice(quota=per_session[q], **where(s), price=p)
            for q, s, p in zip(
                priced.quotas.tolist(),
                priced.quota_sessions.tolist(),
                priced.quota_prices.tolist(),
                strict=True,
            )
        ),
        shared_limits=tuple(
            LimitPrice(limit=i, price=p)
            for i, p in zip(priced.limits.tolist(), priced.limit_prices.tolist(), strict=True)
        ),
        mixes=tuple(
            MixPrice(rule=i, value=data.groups.names[data.rules.diversity[i].dim][g], **where(s), price=p)
            for i, s, g, p in zip(
                priced.mixes.tolist(),
                priced.mix_sessions.tolist(),
                priced.mix_groups.tolist(),
                priced.mix_prices.tolist(),
                strict=True,
            )
        ),
    )
