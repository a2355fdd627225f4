"""Turn solved arrays into the public :class:`Allocation`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.compile.admission import AdmissionPlan
from seatalloc.explain import Reason, unseated_reasons
from seatalloc.schema.allocation import (
    Allocation,
    Assignment,
    SessionFill,
    Stats,
    Status,
    Unseated,
    WaitlistEntry,
)


@dataclass(frozen=True)
class SolvedCounts:
    """Type-level solution: seats per arc and admitted members per type."""

    seats: NDArray[np.int64]
    admitted: NDArray[np.int64]
    open: NDArray[np.bool_]  # [S] the candidate session runs


def build_allocation(
    data: CompiledEvent,
    *,
    status: Status,
    counts: SolvedCounts | None,
    session: NDArray[np.int64] | None,
    admitted: NDArray[np.bool_] | None,
    bound: int | None,
    plan: AdmissionPlan | None = None,
    extra_cost: int = 0,
) -> Allocation:
    """Assemble the allocation; with no solution every attendee-pass is unseated.

    With an admission ``plan``, attendees not admitted are listed in the
    waitlist. ``extra_cost`` is cost beyond the seats (moves when re-solving).
    """
    n, n_passes = data.n_attendees, data.n_passes
    waitlist: tuple[WaitlistEntry, ...] = ()
    if session is None or counts is None or admitted is None:
        reason = (
            Reason("infeasible", "the event is infeasible: see conflicts")
            if status == "infeasible"
            else Reason("no-solution", "no allocation was found within the time limit")
        )
        session = np.full((n, n_passes), -1, dtype=np.int64)
        missing = [(a, p, reason) for a in range(n) for p in range(n_passes)]
        seats = np.zeros(len(data.arc_type), dtype=np.int64)
        objective = None
    else:
        queue = _waitlist(data, plan, admitted) if plan is not None else []
        waitlist = tuple(w for _, w in queue)
        waiting = {a: w.reason for a, w in queue}
        missing = unseated_reasons(
            data, session, admitted, counts.open, waiting if plan is not None else None
        )
        seats = counts.seats
        objective = int(seats @ data.arc_cost) + data.unseated_cost * (data.wanted - int(seats.sum()))
        objective += extra_cost + data.venue_move_cost * int(data.type_moves @ counts.admitted)
    gap = None
    if objective is not None and bound is not None:
        gap = max(0.0, (objective - bound) / max(1, abs(objective)))
    return Allocation.model_construct(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        assignments=_assignments(data, session),
        unseated=tuple(
            Unseated(data.attendee_ids[a], data.pass_ids[p], r.code, r.text) for a, p, r in missing
        ),
        stats=_stats(data, seats, session, None if counts is None else counts.open),
        solver=None,
        conflicts=(),
        relaxation=(),
        stages=(),
        as_of=plan.as_of if plan is not None else None,
        waitlist=waitlist,
        moves=(),
        move_cost=None,
    )


def _waitlist(
    data: CompiledEvent, plan: AdmissionPlan, admitted: NDArray[np.bool_]
) -> list[tuple[int, WaitlistEntry]]:
    """Return everyone not admitted: the queue in order, then those who cannot be seated or registered."""
    out = []
    for a in np.flatnonzero(~admitted).tolist():
        code, reason = plan.code[a], plan.reason[a]
        if code is None:  # chosen by the rule, but the model could not seat them in every pass
            code = "cannot-seat"
            reason = (
                "admissible, but no seat is open to them in every pass "
                "(room features, excluded seminars, quotas or the event's rules)"
            )
        position = int(plan.position[a]) or None
        out.append((a, WaitlistEntry(data.attendee_ids[a], position, code, reason)))
    out.sort(key=lambda item: (item[1].position is None, item[1].position or 0))
    return out


def _assignments(data: CompiledEvent, session: NDArray[np.int64]) -> tuple[Assignment, ...]:
    attendees, passes = np.nonzero(session >= 0)
    sessions = session[attendees, passes]
    ids, pass_ids = data.attendee_ids, data.pass_ids
    seminar_of = [data.seminar_ids[j] for j in data.session_seminar.tolist()]
    room_of = [data.room_ids[r] for r in data.session_room.tolist()]
    return tuple(
        Assignment(ids[a], pass_ids[p], seminar_of[s], room_of[s])
        for a, p, s in zip(attendees.tolist(), passes.tolist(), sessions.tolist(), strict=True)
    )


def _stats(
    data: CompiledEvent,
    seats: NDArray[np.int64],
    session: NDArray[np.int64],
    is_open: NDArray[np.bool_] | None,
) -> Stats:
    n_sessions = len(data.session_seminar)
    people = np.repeat(data.type_size[data.attendee_type][:, None], data.n_passes, axis=1)
    fill = np.bincount(session[session >= 0], weights=people[session >= 0], minlength=n_sessions)
    running = np.ones(n_sessions, dtype=bool) if is_open is None or not data.planned else is_open
    ranks = int(data.arc_rank.max(initial=-1)) + 1
    by_rank = np.bincount(data.arc_rank[seats > 0] + 1, weights=seats[seats > 0], minlength=ranks + 1)
    choice_counts = {str(r + 1): int(by_rank[r + 1]) for r in range(ranks)}
    choice_counts["unranked"] = int(by_rank[0])
    choice_counts["unseated"] = int((session < 0).sum())
    return Stats(
        attendees=data.n_attendees,
        types=data.n_types,
        choice_counts=choice_counts,
        sessions=tuple(
            SessionFill(
                seminar=data.seminar_ids[data.session_seminar[s]],
                pass_=data.pass_ids[data.session_pass[s]],
                room=data.room_ids[data.session_room[s]],
                seated=int(fill[s]),
                capacity=int(data.session_capacity[s]),
            )
            for s in np.flatnonzero(running).tolist()
        ),
    )
