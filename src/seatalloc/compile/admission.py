"""Admission: who of the registrants gets in, with reserves, a deadline and a queue.

This is the *choice rule* of the event, computed in plain numpy before the
model is built. It orders the registrants (pinned attendees first, then any
attendees a re-solve must keep, then by priority class, then by registration
time or a seeded lottery) and fills the seats category by category:

- a reserve still held on the as-of day offers its seats to the
  organisation's registrants; with ``locked`` the organisation gets no more;
- a released reserve keeps the seats its registrants claimed up to the
  release day (at most ``reserved`` of them); the rest are open;
- the open seats are the seat limit minus pinned attendees and reserves.

``admission.order`` says which category is filled first (Dur, Kominers,
Pathak and Sönmez 2018): ``reserved-first`` gives each reserve to the first of
its registrants and lets the rest compete for open seats; ``open-first``
fills open seats from everyone first and the reserve last, so an
organisation with a reserve gets at least as many seats, usually more.
Released reserve seats left over are given to the next in order.

The model then has to seat every chosen attendee in every pass; those it
cannot seat are barred and the rule runs again (see ``solve.solver``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile.order import registration_order
from seatalloc.schema.allocation import WaitlistCode
from seatalloc.schema.event import Event

IntArray = NDArray[np.int64]

#: Why an attendee the rule would admit is not: the model cannot seat them in every pass.
CANNOT_SEAT = (
    "admissible, but no seat is open to them in every pass "
    "(room features, excluded seminars, quotas or the event's rules)"
)


@dataclass(frozen=True)
class AdmissionPlan:
    """The rule's outcome, per attendee in input order.

    ``chosen[a]``: the rule admits ``a``; the model must seat them in every
    pass. ``order[a]``: place in the admission order (0 first). For the
    others, ``code[a]`` and ``reason[a]`` say why, and ``position[a]`` is the
    1-based place on the waitlist (0 when refused or not yet registered).
    """

    chosen: NDArray[np.bool_]
    order: IntArray
    position: IntArray
    code: tuple[WaitlistCode | None, ...]
    reason: tuple[str, ...]
    seats: int
    as_of: date | None


def admission_as_of(event: Event, as_of: date | None = None) -> date | None:
    """Return the day to solve as of: ``as_of``, the event's, or the last registration day."""
    if as_of is not None:
        return as_of
    if event.admission is not None and event.admission.as_of is not None:
        return event.admission.as_of
    days = [a.registered.date() for a in event.attendees if a.registered is not None]
    return max(days) if days else None


def room_seats(event: Event) -> int:
    """Return the most attendees the rooms can seat in every pass they attend (an upper bound when
    planning): per pass, its seats plus the registrants who do not attend it."""
    capacity = {r.id: r.capacity for r in event.rooms}
    per_pass = dict.fromkeys((p.id for p in event.passes), 0)
    used: set[tuple[str, str]] = set()
    for _, p, r in event.candidate_sessions():  # a room counts once per pass
        if (p, r) not in used:
            used.add((p, r))
            per_pass[p] += capacity[r]
    for a in event.attendees:
        if a.available is not None:
            for p in per_pass:
                per_pass[p] += not a.attends(p)
    return min(per_pass.values())


def plan_admission(
    event: Event,
    *,
    seed: int,
    as_of: date | None = None,
    keep: frozenset[str] = frozenset(),
    barred: frozenset[int] = frozenset(),
) -> AdmissionPlan:
    """Apply the event's admission rule.

    Parameters
    ----------
    event
        An event with a seat limit, reserves, a deadline or an admission rule.
    seed
        Seed of the lottery (rule ``lottery``).
    as_of
        Solve as of this day (default: :func:`admission_as_of`).
    keep
        Ids of attendees admitted before (a re-solve): they come first in the
        order, after pinned attendees, so they keep their places.
    barred
        Indices of attendees that cannot be seated in every pass.

    Returns
    -------
    AdmissionPlan
    """
    rule = event.admission.rule if event.admission else "registration"
    first_open = event.admission is not None and event.admission.order == "open-first"
    day = admission_as_of(event, as_of)
    n = len(event.attendees)
    org_of = [a.organisation for a in event.attendees]
    registered = [a.registered.date() if a.registered is not None else None for a in event.attendees]
    pinned = np.array([bool(a.fixed) for a in event.attendees], dtype=bool)
    code: list[WaitlistCode | None] = [None] * n
    reason = [""] * n
    deadline = event.registration_deadline
    for a, when in enumerate(registered):
        if pinned[a] or when is None or event.attendees[a].id in keep:  # a promise made stands
            continue
        if deadline is not None and when > deadline:
            code[a], reason[a] = "late", f"registered on {when}, after the registration deadline {deadline}"
        elif day is not None and when > day:
            code[a], reason[a] = "not-yet-registered", f"registered on {when}, after the as-of day {day}"
    for a in barred:
        if code[a] is None and not pinned[a]:
            code[a], reason[a] = "cannot-seat", CANNOT_SEAT
    eligible = np.array([c is None for c in code], dtype=bool)

    draw = np.random.default_rng(seed).permutation(n) if rule == "lottery" else registration_order(event)
    kept = np.array([a.id in keep for a in event.attendees], dtype=bool)
    priority = np.array([a.priority for a in event.attendees], dtype=np.int64)
    sequence = np.lexsort((draw, -priority, ~kept, ~pinned)).astype(np.int64)
    order = np.empty(n, dtype=np.int64)
    order[sequence] = np.arange(n)

    limit = room_seats(event) if event.seat_limit is None else min(event.seat_limit, room_seats(event))
    chosen = pinned.copy()
    left = max(0, limit - int(pinned.sum()))
    queue = sequence[eligible[sequence] & ~chosen[sequence]]
    org_array = np.array([o if o is not None else "" for o in org_of], dtype=object)

    held: list[tuple[NDArray[np.int64], int, bool]] = []  # (members in order, seats, released)
    locked_out = np.zeros(n, dtype=bool)  # members of a locked reserve still held
    for r in event.reserves:
        members = queue[org_array[queue] == r.organisation]
        active = r.until is None or day is None or day <= r.until
        if active:
            held.append((members, r.reserved, False))
            if r.locked:
                locked_out[members] = True
        else:
            claim = np.array([registered[a] is not None and registered[a] <= r.until for a in members])
            claimants = members[claim] if len(members) else members
            held.append((claimants, min(r.reserved, len(claimants)), True))
    open_seats = max(0, left - sum(seats for _, seats, _ in held))

    def take(candidates: NDArray[np.int64], k: int) -> int:
        nonlocal left
        free = candidates[~chosen[candidates]][: max(0, min(k, left))]
        chosen[free] = True
        left -= len(free)
        return len(free)

    def fill_open() -> None:
        take(queue[~locked_out[queue]], open_seats)

    if first_open:
        fill_open()
    spare = 0
    for members, seats, released in held:
        got = take(members, seats)
        if released:
            spare += seats - got
    if not first_open:
        fill_open()
    take(queue[~locked_out[queue]], spare)

    position = np.zeros(n, dtype=np.int64)
    waiting = queue[~chosen[queue]]
    position[waiting] = np.arange(1, len(waiting) + 1)
    how = "a lottery drawn from the seed" if rule == "lottery" else "registration time"
    held_empty = " or held for reserves" if chosen.sum() < limit else ""
    full = f"the {_seats(limit)} taken by attendees earlier in the admission order ({how}){held_empty}"
    reserve_full = {
        r.organisation: (
            f"the {_seats(r.reserved)} held for organisation {r.organisation!r} taken by registrants "
            f"earlier in the admission order ({how})"
            + ("" if r.until is None else f"; they open to everyone from {r.until + timedelta(days=1)}")
        )
        for r in event.reserves
    }
    for a in waiting.tolist():
        if locked_out[a]:
            code[a], reason[a] = "reserve-full", reserve_full[org_of[a] or ""]
        else:
            code[a], reason[a] = "event-full", full
    return AdmissionPlan(
        chosen=chosen,
        order=order,
        position=position,
        code=tuple(code),
        reason=tuple(reason),
        seats=limit,
        as_of=day,
    )


def _seats(n: int) -> str:
    return "1 seat is" if n == 1 else f"{n} seats are"
