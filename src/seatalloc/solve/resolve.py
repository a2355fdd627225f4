"""Re-solve a published allocation after registrations, cancellations or changes.

Everyone keeps their seat unless a rule forces a move or, with a
``move_cost``, the gain is worth it. Stages, in order:

1. when the event admits attendees, the most of those admitted before
   still admitted, then the most admitted: those admitted before come first
   in the admission order, so a cancellation's seat goes to the next on the
   waitlist, within reserves and quotas, and seats released later are
   filled even when that costs others a better choice;
2. fewest attendee-passes worse off than published (a lost seat counts);
3. without a ``move_cost``, fewest moves (nobody moves for a better rank
   alone); with one, the total cost pays it per move;
4. the event's objective.

So after a cancellation nobody else is worse off whenever the person
promoted can use the freed seats (their needs, exclusions, quotas and the
event's parity and diversity rules allow it); otherwise admitting them
comes first.

Attendees in the published allocation who are no longer in the event have
cancelled. Pins are rules, so a pinned attendee moves only when the pin does.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation, Move, MoveCode
from seatalloc.schema.event import Event
from seatalloc.solve.guards import verified, within_memory
from seatalloc.solve.options import SolveOptions, make_options
from seatalloc.solve.solver import Resolution, finish, run_event, unsolved


def resolve(
    event: Event,
    published: Allocation,
    options: SolveOptions | None = None,
    *,
    move_cost: int | None = None,
    max_moves: int | None = None,
    stays: Collection[str] = (),
    **settings: Any,
) -> Allocation:
    """Re-solve ``event`` keeping ``published`` as far as the rules allow.

    Parameters
    ----------
    event
        The event as it is now: new registrations added, cancellations
        removed, rooms or rules changed.
    published
        The allocation that was published.
    options
        How to solve, as for :func:`~seatalloc.solve.solve`; the keyword
        arguments override its fields. Re-solving uses CP-SAT (``auto``).
    move_cost
        Cost of moving one attendee in one pass, added to the objective per
        move; a move is then made when it gains more than it costs. Default:
        moves are made only when the rules need them.
    max_moves
        At most this many attendee-passes may change seat (a lost seat
        included); the event is infeasible if the rules need more.
    stays
        Ids of attendees who keep every published seat, as a rule (confirmed offers: see
        :func:`~seatalloc.solve.responses.respond`).
    **settings
        Keyword settings as for :func:`~seatalloc.solve.solve` (``time_limit``,
        ``work_limit``, ``seed``, ``workers``, ``objective``, ``as_of``,
        ``progress``), overriding ``options``.

    Returns
    -------
    Allocation
        As from ``solve``, with ``moves`` listing every attendee-pass whose
        seat changed, and why.

    Raises
    ------
    InputError
        An option is out of range, or ``published`` is not an allocation of an earlier version of
        ``event`` (a pass it does not have, or not one attendee in common).
    """
    problems = [
        Problem("options", name, f"must be an integer >= 0, got {value!r}")
        for name, value in (("move_cost", move_cost), ("max_moves", max_moves))
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0)
    ]
    if problems:
        raise InputError(problems, "solve options")
    foreign = _foreign(event, published)
    if foreign:
        raise InputError(foreign, "published allocation, which does not belong to this event")
    options = make_options(options, **settings)
    budget = options.budget()
    index = {a.id: i for i, a in enumerate(event.attendees)}
    pass_index = {p.id: i for i, p in enumerate(event.passes)}
    session_index = {key: k for k, key in enumerate(event.candidate_sessions())}
    previous = np.full((len(index), len(pass_index)), -1, dtype=np.int64)
    gone = 0
    for x in published.assignments:
        a, p = index.get(x.attendee), pass_index.get(x.pass_)
        if a is None:
            continue
        s = session_index.get((x.seminar, x.pass_, x.room))
        if s is None or p is None:
            gone += 1
        else:
            previous[a, p] = s
    keep = frozenset(x.attendee for x in published.assignments if x.attendee in index)
    held = frozenset(stays)
    staying = np.array([a.id in held for a in event.attendees], dtype=bool) if held else None

    def work() -> Allocation:
        run = run_event(event, options, budget, Resolution(keep, previous, move_cost, max_moves, staying))
        allocation = finish(event, run, options, budget)
        moved = tuple(_moves(event, published, allocation)) if allocation.objective is not None else ()
        update: dict[str, object] = {"moves": moved, "move_cost": move_cost}
        if move_cost and allocation.objective is not None:
            value = allocation.objective + move_cost * len(moved)
            bound = None if allocation.bound is None else allocation.bound + move_cost * gone
            update |= {
                "objective": value,
                "bound": bound,
                "gap": None if bound is None else max(0.0, (value - bound) / max(1, value)),
            }
        cancelled = _cancelled(event, published)
        if cancelled and allocation.solver is not None:  # said with what the method says
            note = "; ".join(filter(None, (allocation.solver.note, cancelled)))
            update["solver"] = allocation.solver.model_copy(update={"note": note})
        return verified(event, allocation.model_copy(update=update), run.plan)

    return within_memory(event, work, unsolved(event, options, budget))


def _cancelled(event: Event, published: Allocation) -> str | None:
    """What ``published`` seats that ``event`` no longer has, treated as cancelled, in words (or
    None): attendees, seminars, rooms, and sessions that no longer run where they did."""
    people = {a.id for a in event.attendees}
    seminars = {m.id for m in event.seminars}
    rooms = {r.id for r in event.rooms}
    sessions = set(event.candidate_sessions())
    places = published.assignments
    said = []
    for what, names in (
        ("attendee", sorted({x.attendee for x in places} - people)),
        ("seminar", sorted({x.seminar for x in places} - seminars)),
        ("room", sorted({x.room for x in places} - rooms)),
    ):
        if names:
            shown = ", ".join(map(repr, names[:5])) + (
                f" and {len(names) - 5:,} more" if len(names) > 5 else ""
            )
            said.append(f"{len(names):,} {what}(s) ({shown})")
    moved = {
        (x.seminar, x.pass_, x.room)
        for x in places
        if x.seminar in seminars and x.room in rooms and (x.seminar, x.pass_, x.room) not in sessions
    }
    if moved:
        said.append(f"{len(moved):,} session(s) that no longer run where they did")
    if not said:
        return None
    return "the published allocation names what the event no longer has, treated as cancelled: " + "; ".join(
        said
    )


def _foreign(event: Event, published: Allocation) -> list[Problem]:
    """What shows that ``published`` is not an allocation of an earlier version of ``event``:
    passes the event does not have, or not one attendee in common and seminars or rooms it does
    not have either (attendees who cancelled, rooms and sessions that changed are what a re-solve
    is for)."""
    passes = {p.id for p in event.passes}
    unknown = sorted({x.pass_ for x in published.assignments} - passes)
    problems = [Problem("assignments", "pass", f"unknown pass {p!r}") for p in unknown]
    people = {a.id for a in event.attendees}
    named = {x.attendee for x in published.assignments} | {u.attendee for u in published.unseated_places()}
    places = {m.id for m in event.seminars} | {r.id for r in event.rooms}
    strange = any(x.seminar not in places or x.room not in places for x in published.assignments)
    if named and not named & people and strange:
        why = "none of its attendees is in the event, nor some of its seminars or rooms: another event's?"
        problems.append(Problem("assignments", "", why))
    return problems


def _moves(event: Event, published: Allocation, now: Allocation) -> list[Move]:
    """Return every published seat that changed, with a reason."""
    people = {a.id: a for a in event.attendees}
    capacity = {r.id: r.capacity for r in event.rooms}
    sessions = set(now.sessions_run(event))
    seat = {(x.attendee, x.pass_): x for x in now.assignments}
    newcomers = {x.attendee for x in now.assignments} - {x.attendee for x in published.assignments}
    before: dict[tuple[str, str, str], int] = {}
    for x in published.assignments:
        if x.attendee in people:
            key = (x.seminar, x.pass_, x.room)
            before[key] = before.get(key, 0) + 1

    top = event.top_score

    def cost(who: str, seminar: str) -> int:
        value = event.cost(people[who], seminar, top=top)
        return event.objective.unranked_cost if value is None else value

    out = []
    for x in published.assignments:
        if x.attendee not in people:
            continue  # cancelled
        new = seat.get((x.attendee, x.pass_))
        if new is not None and (new.seminar, new.room) == (x.seminar, x.room):
            continue
        where = (x.seminar, x.pass_, x.room)
        code: MoveCode = "needed"
        if new is not None and cost(x.attendee, new.seminar) < cost(x.attendee, x.seminar):
            code, reason = "improved", f"moved to a better choice: {new.seminar!r} instead of {x.seminar!r}"
        elif where not in sessions:
            reason = f"seminar {x.seminar!r} no longer runs in room {x.room!r} in this pass"
        elif capacity[x.room] < before[where]:
            reason = f"room {x.room!r} now seats {capacity[x.room]}, fewer than the {before[where]} published"
        elif newcomers:
            reason = "moved to make room for attendees admitted since the allocation was published"
        else:
            reason = "the event changed and its rules required it (pins, quotas, rooms or rules)"
        out.append(
            Move(
                x.attendee,
                x.pass_,
                x.seminar,
                x.room,
                None if new is None else new.seminar,
                None if new is None else new.room,
                code,
                reason,
            )
        )
    return out
