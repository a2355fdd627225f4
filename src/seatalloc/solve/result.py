"""Turn solved arrays into the public :class:`Allocation`, or say why there is none."""

from __future__ import annotations

from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from seatalloc.collector import collector_paused
from seatalloc.compile import CompiledEvent
from seatalloc.compile.admission import CANNOT_SEAT, AdmissionPlan
from seatalloc.schema.allocation import (
    COMPACT_FROM,
    Allocation,
    Assignment,
    SessionFill,
    Stats,
    Status,
    Unseated,
    UnseatedCode,
    UnseatedGroup,
    WaitlistEntry,
    compact,
)
from seatalloc.schema.event import Event
from seatalloc.solve.reasons import Reason, unseated_reasons

IntArray = NDArray[np.int64]


def build_allocation(
    data: CompiledEvent,
    *,
    status: Status,
    seats: IntArray,
    admitted: IntArray,
    running: NDArray[np.bool_],
    session: IntArray,
    seated: NDArray[np.bool_],
    bound: int | None,
    plan: AdmissionPlan | None = None,
    extra_cost: int = 0,
) -> Allocation:
    """Assemble the allocation of seats handed out to attendees.

    ``seats`` per arc and ``admitted`` per type are the method's counts,
    ``session[a, p]`` attendee ``a``'s session in pass ``p`` (or -1),
    ``seated[a]`` False for attendees left out (not admitted, or their
    organisation's ``max_seats``), ``running`` which sessions run. With an
    admission ``plan``, attendees not admitted are listed in the waitlist.
    ``extra_cost`` is cost beyond the seats (moves when re-solving).
    """
    with collector_paused():  # a row per attendee-pass, no cycles
        queue = _waitlist(data, plan, seated) if plan is not None else []
        waiting = {a: w.reason for a, w in queue}
        missing = unseated_reasons(data, session, seated, running, waiting if plan is not None else None)
        weighed = seats * data.types.weight[data.arcs.type]
        objective = int(weighed @ data.arcs.cost) + data.unseated_cost * (
            data.wanted_weight - int(weighed.sum())
        )
        objective += extra_cost + data.venue_move_cost * int(data.types.moves @ admitted)
        gap = None if bound is None else max(0.0, (objective - bound) / max(1, abs(objective)))
        unseated, groups = _unseated(data, missing)
        return Allocation.model_construct(
            status=status,
            objective=objective,
            bound=bound,
            gap=gap,
            assignments=_assignments(data, session),
            unseated=unseated,
            unseated_groups=groups,
            stats=_stats(data, seats, session, running),
            solver=None,
            conflicts=(),
            relaxation=(),
            stages=(),
            as_of=plan.as_of if plan is not None else None,
            waitlist=tuple(w for _, w in queue),
            moves=(),
            move_cost=None,
        )


def no_allocation(
    event: Event, *, status: Status, reason: str, bound: int | None, types: int, plan: AdmissionPlan | None
) -> Allocation:
    """Return an allocation without seats: every attendee-pass unseated, for ``reason``."""
    with collector_paused():  # a row per attendee-pass, no cycles (a third of the time at 100,000)
        return _no_allocation(event, status, reason, bound, types, plan)


def _no_allocation(
    event: Event, status: Status, reason: str, bound: int | None, types: int, plan: AdmissionPlan | None
) -> Allocation:
    code: UnseatedCode = "infeasible" if status == "infeasible" else "no-solution"
    passes = [p.id for p in event.passes]
    rooms = {r.id: r.capacity for r in event.rooms}
    fixed = [] if event.planned else event.candidate_sessions()
    unseated, groups = _everyone_unseated(event, passes, code, reason)
    return Allocation.model_construct(
        status=status,
        objective=None,
        bound=bound,
        gap=None,
        assignments=(),
        unseated=unseated,
        unseated_groups=groups,
        stats=Stats.model_construct(
            attendees=len(event.attendees),
            types=types,
            choice_counts={"unranked": 0, "unseated": len(event.attendees) * len(passes)},
            sessions=tuple(
                SessionFill.model_construct(seminar=j, pass_=p, room=r, seated=0, capacity=rooms[r])
                for j, p, r in fixed
            ),
        ),
        solver=None,
        conflicts=(),
        relaxation=(),
        stages=(),
        as_of=plan.as_of if plan is not None else None,
        waitlist=(),
        moves=(),
        move_cost=None,
    )


def _unseated(
    data: CompiledEvent, missing: list[tuple[int, int, Reason]]
) -> tuple[tuple[Unseated, ...], tuple[UnseatedGroup, ...]]:
    """The fields ``unseated`` and ``unseated_groups`` for the places without a seat."""
    ids, pass_ids = data.attendee_ids, data.pass_ids
    return compact([(ids[a], pass_ids[p], r.code, r.text) for a, p, r in missing])


def _everyone_unseated(
    event: Event, passes: list[str], code: UnseatedCode, reason: str
) -> tuple[tuple[Unseated, ...], tuple[UnseatedGroup, ...]]:
    """The fields ``unseated`` and ``unseated_groups`` when no attendee has a seat: one group per
    pass when they are many (no row per place is made), else a row per place."""
    if len(event.attendees) < COMPACT_FROM:
        return tuple(Unseated(a.id, p, code, reason) for a in event.attendees for p in passes), ()
    ids = tuple(map(attrgetter("id"), event.attendees))
    return (), tuple(UnseatedGroup(p, code, reason, ids) for p in passes)


def _waitlist(
    data: CompiledEvent, plan: AdmissionPlan, seated: NDArray[np.bool_]
) -> list[tuple[int, WaitlistEntry]]:
    """Return everyone not admitted: the queue in order, then those who cannot be seated or registered."""
    out = []
    for a in np.flatnonzero(~seated).tolist():
        code, reason = plan.code[a], plan.reason[a]
        if code is None:  # chosen by the rule, but the model could not seat them in every pass
            code, reason = "cannot-seat", CANNOT_SEAT
        position = int(plan.position[a]) or None
        out.append((a, WaitlistEntry(data.attendee_ids[a], position, code, reason)))
    out.sort(key=lambda item: (item[1].position is None, item[1].position or 0))
    return out


def _assignments(data: CompiledEvent, session: IntArray) -> tuple[Assignment, ...]:
    attendees, passes = np.nonzero(session >= 0)
    sessions = session[attendees, passes]
    ids, pass_ids = data.attendee_ids, data.pass_ids
    seminar_of = [data.seminar_ids[j] for j in data.sessions.seminar.tolist()]
    room_of = [data.room_ids[r] for r in data.sessions.room.tolist()]
    return tuple(
        Assignment(ids[a], pass_ids[p], seminar_of[s], room_of[s])
        for a, p, s in zip(attendees.tolist(), passes.tolist(), sessions.tolist(), strict=True)
    )


def _stats(data: CompiledEvent, seats: IntArray, session: IntArray, running: NDArray[np.bool_]) -> Stats:
    n_sessions = len(data.sessions.seminar)
    people = np.repeat(data.types.size[data.members.type][:, None], data.n_passes, axis=1)
    fill = np.bincount(session[session >= 0], weights=people[session >= 0], minlength=n_sessions)
    shown = running if data.planned else np.ones(n_sessions, dtype=bool)
    ranks = int(data.arcs.rank.max(initial=-1)) + 1
    used = seats > 0
    by_rank = np.bincount(data.arcs.rank[used] + 1, weights=seats[used], minlength=ranks + 1)
    choice_counts = {str(r + 1): int(by_rank[r + 1]) for r in range(ranks)}
    choice_counts["unranked"] = int(by_rank[0])
    choice_counts["unseated"] = int((session < 0).sum())
    return Stats(
        attendees=data.n_attendees,
        types=data.n_types,
        choice_counts=choice_counts,
        sessions=tuple(
            SessionFill(
                seminar=data.seminar_ids[data.sessions.seminar[s]],
                pass_=data.pass_ids[data.sessions.pass_[s]],
                room=data.room_ids[data.sessions.room[s]],
                seated=int(fill[s]),
                capacity=int(data.sessions.capacity[s]),
            )
            for s in np.flatnonzero(shown).tolist()
        ),
    )
