"""The compiled event: read-only numpy arrays in named parts, one part per compile pass.

Indices refer to the order of the event's lists: ``pass_ids[p]``,
``seminar_ids[j]``, ``room_ids[r]``, ``organisation_ids[o]`` (``-1`` for no
organisation), ``attendee_ids[a]``. A *session* ``s`` is what attendees sit
in: an event's session when every session is fixed, or a (seminar, pass)
*slot* whose room the optimiser chooses among its *candidates* when it plans.
A *type* ``t`` is a group of interchangeable attendees; an *arc* ``e`` is a
(type, session) pair the type may sit in, with the cost of one member there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Why a type has no arc in a pass (``Types.pass_block``); NOT_ATTENDING: its members do not
#: attend the pass (``available``), which costs nothing.
OPEN, NO_SESSION, NEEDS, NOT_ATTENDING = 0, 1, 2, 3


class _ReadOnly:
    """Freeze every numpy array of a frozen dataclass once it is built."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


@dataclass(frozen=True)
class Sessions(_ReadOnly):
    """What attendees sit in, one entry per session ``s``."""

    seminar: IntArray
    pass_: IntArray
    room: IntArray  # -1 while the optimiser has not chosen it (planned slots)
    capacity: IntArray  # people: the room's (the largest candidate's when planned), or max_attendance
    minimum: IntArray  # people: the largest minimum of its candidates
    part: IntArray  # which part of its seminar's run (0: the first pass; always 0 with one part)
    prior: IntArray  # the session of the run's previous part (the pass before), -1 for a first part


@dataclass(frozen=True)
class Candidates(_ReadOnly):
    """Every (seminar, pass, room) that may run, one entry per candidate ``c``.

    Without planning, candidates and sessions are the same.
    """

    seminar: IntArray
    pass_: IntArray
    room: IntArray
    capacity: IntArray  # people
    minimum: IntArray  # people when it runs: the seminar's or the listed session's minimum
    slot: IntArray  # the session it would run as
    part: IntArray  # which part of its seminar's run
    prior: IntArray  # the candidate of the run's previous part (same room, the pass before), -1 none


@dataclass(frozen=True)
class Planning(_ReadOnly):
    """How many sessions run, and where, when the optimiser plans them."""

    run_seminar: IntArray  # [K] the seminar of each listed session (run)
    run_options: tuple[IntArray, ...]  # [K] candidates that match the run's pass and room
    extra_runs: IntArray  # [J] runs beyond those listed, in any pass and room
    optional: BoolArray  # [J] its sessions may be cancelled
    same_pass: tuple[IntArray, ...]  # groups of seminars that run in the same passes
    different_pass: tuple[IntArray, ...]  # groups of seminars of which at most one runs per pass
    min_sessions: IntArray  # [P] at least this many sessions run in the pass


@dataclass(frozen=True)
class Types(_ReadOnly):
    """Groups of interchangeable attendees, one entry per type ``t``.

    With venue rules, types are split by itinerary (``compile.itineraries``):
    ``parent`` maps each to the base type that holds its members.
    """

    count: IntArray  # members
    size: IntArray  # people each member stands for (a party's size)
    max_sessions: IntArray  # sessions each member may have in all (at most the passes it attends)
    party: IntArray  # the party its members registered with, -1 none
    required: tuple[tuple[int, ...], ...]  # seminars its members must be given
    priority: IntArray  # priority class
    organisation: IntArray  # -1 when none or its organisation has no quota
    group: IntArray  # [T, D] group per fairness dimension, -1 when missing
    fixed: IntArray  # [T, P] pinned seminar, -1 when none
    pass_block: NDArray[np.int8]  # [T, P] OPEN, NO_SESSION, NEEDS or NOT_ATTENDING
    chosen: IntArray  # members the admission rule chose (all without admission)
    previous: IntArray  # [T, P] published session when re-solving, -1 none
    previous_cost: IntArray  # [T, P] its cost then, -1 when no previous seat
    parent: IntArray  # the base type (itself without itineraries)
    moves: IntArray  # venue changes of its itinerary
    stays: BoolArray  # its members keep every published seat (confirmed offers), a rule
    weight: IntArray  # how many times its members' costs count (objective.history_weight)
    runs: tuple[tuple[int, ...], ...]  # [T] sessions of the runs in parts its members all sit in
    bundle: tuple[tuple[int, ...] | None, ...]  # [T] seminars its members all sit in (compile.bundles)

    def take(self, index: IntArray) -> Types:
        """Return the types ``index`` (in that order, repeats allowed), every field with them."""
        rows = index.tolist()
        values: dict[str, Any] = {
            f.name: tuple(value[t] for t in rows)
            if isinstance(value := getattr(self, f.name), tuple)
            else value[index]
            for f in fields(self)
        }
        return Types(**values)


@dataclass(frozen=True)
class Members(_ReadOnly):
    """Who is in which base type, and the orders members are handed seats in."""

    type: IntArray  # [N] base type of each attendee (the sub-type they got, once handed out)
    grouped: IntArray  # [N] attendee indices grouped by base type, in input order
    start: IntArray  # [B + 1] members of base type b are grouped[start[b]:start[b + 1]]
    registration: IntArray  # [N] position in registration order (no time: last, by input order)
    admission_rank: IntArray  # [N] chosen first, each group in admission order


@dataclass(frozen=True)
class Arcs(_ReadOnly):
    """(type, session) pairs a type may sit in, one entry per arc ``e``."""

    type: IntArray
    session: IntArray
    cost: IntArray  # of one member
    rank: IntArray  # 0-based choice position, -1 when unranked
    fits: tuple[IntArray | None, ...]  # candidates whose room has the type's needs; None: all

    @cached_property
    def needy(self) -> IntArray:
        """The arcs whose ``fits`` is not None: a type with needs in a slot some candidates of
        which lack them (looked up once: a loop over every arc)."""
        return np.array([e for e, f in enumerate(self.fits) if f is not None], dtype=np.int64)

    def regroup(self, parts: list[IntArray], fits: tuple[IntArray | None, ...] | None = None) -> Arcs:
        """Return the arcs ``parts[u]`` as the arcs of a new type ``u`` each (types split into
        sub-types), with ``fits`` (default: their own)."""
        index = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return Arcs(
            type=np.repeat(np.arange(len(parts)), [len(p) for p in parts]).astype(np.int64),
            session=self.session[index],
            cost=self.cost[index],
            rank=self.rank[index],
            fits=tuple(self.fits[e] for e in index.tolist()) if fits is None else fits,
        )


@dataclass(frozen=True)
class Groups(_ReadOnly):
    """Fairness groups: dimension ``d`` is 'organisation' or an attribute name."""

    dims: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]  # [D] the values of each dimension
    places: tuple[IntArray, ...]  # [D] attendee-passes per group: the passes its members attend


@dataclass(frozen=True)
class Rules(_ReadOnly):
    """Rules across attendees: quotas, shared limits, parties, parity, diversity."""

    session_quota_organisation: IntArray  # [Q]
    session_quota_cap: IntArray  # [Q]
    session_quota_sessions: tuple[IntArray, ...]  # [Q] sessions each quota caps
    seat_quota_organisation: IntArray  # [R]
    seat_quota_cap: IntArray  # [R]
    shared_limit_seminars: tuple[IntArray, ...]  # [L] seminars whose sessions share a limit
    shared_limit_cap: IntArray  # [L] people
    shared_limit_names: tuple[str, ...]  # [L]
    party_ids: tuple[str, ...]
    party_passes: tuple[IntArray, ...]  # passes in which each party sits together
    parity: tuple[ParityRule, ...]
    parity_objective: tuple[int, int] | None  # (dimension, top) for organisation-parity
    diversity: tuple[DiversityRule, ...]
    clashes: tuple[IntArray, ...]  # groups of seminars of which an attendee takes at most one


@dataclass(frozen=True)
class ParityRule:
    """Top-choice shares of any two groups of ``dim`` within ``max_gap`` points."""

    dim: int
    top: int
    max_gap: float


@dataclass(frozen=True)
class DiversityRule:
    """Mix within sessions of at least ``min_session_size`` people (-1: no such limit)."""

    dim: int
    max_share: float
    max_seats: int
    min_distinct: int
    min_session_size: int


@dataclass(frozen=True)
class Held(_ReadOnly):
    """Seats a sub-event holds fixed: the seated arcs of the types it leaves out.

    A large-neighbourhood search solves a sub-event of some types
    (``compile.restrict``); the rules across types (capacities, quotas, mixes,
    shares) count these seats as constants. One entry per held arc with seats.
    """

    session: IntArray
    seats: IntArray
    size: IntArray  # people per seat
    organisation: IntArray
    group: IntArray  # [H, D]
    rank: IntArray
    admitted_persons: IntArray  # [O] people of each organisation admitted among the held types
    open: IntArray | None  # which candidates run, when the sub-event keeps the plan; None: it plans

    def per_session(self, n_sessions: int, where: BoolArray | None = None, persons: bool = True) -> IntArray:
        """Return held people (or seats) per session, of the held arcs ``where`` selects."""
        weights = self.seats * self.size if persons else self.seats
        session = self.session
        if where is not None:
            weights, session = weights[where], session[where]
        return np.bincount(session, weights=weights, minlength=n_sessions).astype(np.int64)


def nothing_held(n_groups: int, n_organisations: int) -> Held:
    """Return the held seats of a whole event: none."""
    none = np.zeros(0, dtype=np.int64)
    return Held(
        none, none, none, none, np.zeros((0, n_groups), dtype=np.int64), none,
        np.zeros(n_organisations, dtype=np.int64), None,
    )  # fmt: skip


@dataclass(frozen=True)
class CompiledEvent:
    """An event as read-only arrays, in the parts the compile passes make."""

    pass_ids: tuple[str, ...]
    seminar_ids: tuple[str, ...]
    room_ids: tuple[str, ...]
    organisation_ids: tuple[str, ...]
    attendee_ids: tuple[str, ...]

    planned: bool  # the optimiser chooses some sessions' pass or room, or which run
    sessions: Sessions
    candidates: Candidates
    planning: Planning
    types: Types
    members: Members
    arcs: Arcs
    groups: Groups
    rules: Rules

    objective_kind: str
    unseated_cost: int
    wanted: int  # attendee-passes that cost unseated_cost when empty: all, or max_sessions each
    wanted_weight: int  # the same, each counted as many times as its attendee's costs
    venue_move_cost: int  # cost per member per venue change
    by_registration: bool  # hand out within types by registration order instead of a lottery
    admits: bool  # admitted attendees are seated in every pass; the rest wait
    resolving: bool  # re-solving a published allocation
    move_cost: int | None = None  # re-solving: cost per move paid in the objective
    max_moves: int | None = None  # re-solving: at most this many moves
    held: Held | None = None  # a sub-event's fixed seats (``compile.restrict``); None: the whole event
    soft_minimum: bool = False  # minimum attendance may fall short, at a cost (``model.capacity``)

    @property
    def fixed_seats(self) -> Held:
        """Return the seats held fixed: none for a whole event."""
        if self.held is None:
            return nothing_held(len(self.groups.dims), len(self.organisation_ids))
        return self.held

    @property
    def n_passes(self) -> int:
        return len(self.pass_ids)

    @property
    def n_types(self) -> int:
        return len(self.types.count)

    @property
    def n_base_types(self) -> int:
        return len(self.members.start) - 1

    @property
    def n_attendees(self) -> int:
        return len(self.attendee_ids)

    @property
    def itineraries(self) -> bool:
        """True when types are split: by venue itinerary, by the runs in parts or by the seminars
        they sit in."""
        return self.n_types != self.n_base_types

    @property
    def by_runs(self) -> bool:
        """True when types are split by the runs of seminars in parts their members sit in."""
        return any(self.types.runs)

    @property
    def by_bundles(self) -> bool:
        """True when types are split by the seminars their members sit in (``compile.bundles``)."""
        return any(b is not None for b in self.types.bundle)

    def session_name(self, s: int) -> str:
        """Return session ``s`` in words, for rules and messages: "seminar 'A', pass 'P1'"."""
        seminar = self.seminar_ids[self.sessions.seminar[s]]
        return f"seminar {seminar!r}, pass {self.pass_ids[self.sessions.pass_[s]]!r}"


def groups(*columns: IntArray) -> Iterator[tuple[tuple[int, ...], IntArray]]:
    """Yield ``(key, indices)`` for each distinct row of the stacked columns, in key order."""
    if len(columns[0]) == 0:
        return
    order = np.lexsort(columns[::-1])
    stacked = np.stack([c[order] for c in columns])
    change = np.flatnonzero(np.any(stacked[:, 1:] != stacked[:, :-1], axis=0)) + 1
    bounds = np.concatenate(([0], change, [len(order)]))
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        yield tuple(int(v) for v in stacked[:, lo]), order[lo:hi]


def array(values: list[int] | range, dtype: type = np.int64) -> NDArray[Any]:
    """Return ``values`` as a numpy array (int64 by default)."""
    return np.asarray(values, dtype=dtype)
