"""Compile a validated event into read-only numpy arrays.

Attendees with the same choices, needs, pins, exclusions and (when it has a
quota) organisation are interchangeable: they are merged into one *type*
with a count. The model
works on types, so its size depends on how varied the registrations are, not
on how many there are.

An *arc* is a (type, session) pair the type may be seated in: the room has
every feature the type needs, the seminar is not excluded, and it respects
the type's pins. Each arc carries the cost of seating one member there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile.admission import AdmissionPlan
from seatalloc.compile.order import registration_order
from seatalloc.schema.event import Event

#: Why a type has no arc in a pass (``CompiledEvent.type_pass_block``).
OPEN, NO_SESSION, NEEDS = 0, 1, 2

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class CompiledEvent:
    """An event as arrays. Every array is read-only.

    Indices refer to the order of the event's lists: ``pass_ids[p]``,
    ``seminar_ids[j]``, ``room_ids[r]``, ``organisation_ids[o]`` (``-1`` for
    no organisation), ``attendee_ids[a]``; sessions ``s`` follow
    ``event.candidate_sessions()``: ``event.sessions`` when all are fixed.
    """

    pass_ids: tuple[str, ...]
    seminar_ids: tuple[str, ...]
    room_ids: tuple[str, ...]
    organisation_ids: tuple[str, ...]
    attendee_ids: tuple[str, ...]

    session_seminar: IntArray  # [S]
    session_pass: IntArray  # [S]
    session_room: IntArray  # [S] -1 while the optimiser has not chosen it (planned slots)
    session_capacity: IntArray  # [S] people: the room's capacity (the largest candidate's when planned),
    # or the seminar's max_attendance if lower
    session_minimum: IntArray  # [S] people: the largest minimum of its candidates

    # Planning (event.planned): candidate sessions (seminar, pass, room) the optimiser may run;
    # the sessions above are then (seminar, pass) slots, each running in at most one candidate.
    # Without planning, candidates and sessions are the same.
    planned: bool
    candidate_seminar: IntArray  # [C]
    candidate_pass: IntArray  # [C]
    candidate_room: IntArray  # [C]
    candidate_capacity: IntArray  # [C] people
    candidate_minimum: IntArray  # [C] people when it runs: the seminar's or the listed session's minimum
    candidate_slot: IntArray  # [C] the session (slot) it would run as
    arc_fits: tuple[IntArray | None, ...]  # [E] candidates whose room has the type's needs; None: all
    run_seminar: IntArray  # [K] the seminar of each listed session (run)
    run_options: tuple[IntArray, ...]  # [K] candidates that match the run's pass and room
    seminar_extra_runs: IntArray  # [J] runs beyond those listed, in any pass and room
    seminar_optional: NDArray[np.bool_]  # [J] its sessions may be cancelled
    same_pass: tuple[IntArray, ...]  # groups of seminars that run in the same passes
    different_pass: tuple[IntArray, ...]  # groups of seminars of which at most one runs per pass
    pass_min_sessions: IntArray  # [P] at least this many sessions run in the pass

    type_count: IntArray  # [T] members of each type
    type_size: IntArray  # [T] people each member stands for (a party's size)
    type_max_sessions: IntArray  # [T] sessions each member may have in all (at most the passes)
    wanted: int  # attendee-passes that cost unseated_cost when empty: all, or max_sessions each
    type_party: IntArray  # [T] the party its members registered with, -1 none
    type_required: tuple[tuple[int, ...], ...]  # [T] seminars its members must be given
    # Itineraries (compile.itineraries): with venue moves limited, types are split by venue per
    # pass; type_parent maps each to the base type that holds its members (itself otherwise).
    type_parent: IntArray  # [T]
    type_moves: IntArray  # [T] venue changes of the type's itinerary
    venue_move_cost: int  # cost per member per venue change
    party_ids: tuple[str, ...]
    party_passes: tuple[IntArray, ...]  # passes in which each party sits together
    type_priority: IntArray  # [T] priority class
    attendee_order: IntArray  # [N] position in registration order (no time: last, by input order)
    by_registration: bool  # hand out within types by registration order instead of a lottery
    type_organisation: IntArray  # [T] -1 when none or its organisation has no quota
    type_fixed: IntArray  # [T, P] pinned seminar, -1 when none
    type_pass_block: NDArray[np.int8]  # [T, P] OPEN, NO_SESSION or NEEDS
    attendee_type: IntArray  # [N] base type (the sub-type they were handed out to, once solved)
    type_members: IntArray  # [N] attendee indices grouped by base type, in input order
    type_start: IntArray  # [B + 1] members of base type b are type_members[start[b]:start[b+1]]

    arc_type: IntArray  # [E]
    arc_session: IntArray  # [E]
    arc_cost: IntArray  # [E]
    arc_rank: IntArray  # [E] 0-based choice position, -1 when unranked
    unseated_cost: int

    session_quota_organisation: IntArray  # [Q]
    session_quota_cap: IntArray  # [Q]
    session_quota_sessions: tuple[IntArray, ...]  # [Q] sessions each quota caps
    seat_quota_organisation: IntArray  # [R]
    seat_quota_cap: IntArray  # [R]
    shared_limit_seminars: tuple[IntArray, ...]  # [L] seminars whose sessions share a limit
    shared_limit_cap: IntArray  # [L] people
    shared_limit_names: tuple[str, ...]  # [L]

    # Admission: the rule's chosen members per type, and the order members are admitted in.
    admits: bool  # admitted attendees are seated in every pass; the rest wait
    type_chosen: IntArray  # [T] members the admission rule chose (all without admission)
    admission_rank: IntArray  # [N] chosen first, each group in admission order

    # Re-solving: each type's published session per pass (-1 none) and its cost then.
    type_previous: IntArray  # [T, P]
    type_previous_cost: IntArray  # [T, P] -1 when no previous seat
    resolving: bool  # re-solving a published allocation

    # Groups for fairness: dimension d is 'organisation' or an attribute name.
    group_dims: tuple[str, ...]
    group_names: tuple[tuple[str, ...], ...]  # [D] the values of each dimension
    type_group: IntArray  # [T, D] group of each type per dimension, -1 when missing
    group_size: tuple[IntArray, ...]  # [D] attendees per group
    parity_rules: tuple[tuple[int, int, float], ...]  # (dimension, top, max gap in points)
    parity_objective: tuple[int, int] | None  # (dimension, top) for organisation-parity
    # (dimension, max share in points or -1, max seats or -1, min distinct, min session size)
    diversity_rules: tuple[tuple[int, float, int, int, int], ...]

    @property
    def n_passes(self) -> int:
        return len(self.pass_ids)

    @property
    def n_types(self) -> int:
        return len(self.type_count)

    def session_name(self, s: int) -> str:
        """Return session ``s`` in words, for rules and messages: "seminar 'A', pass 'P1'"."""
        seminar, pass_id = self.seminar_ids[self.session_seminar[s]], self.pass_ids[self.session_pass[s]]
        return f"seminar {seminar!r}, pass {pass_id!r}"

    @property
    def n_base_types(self) -> int:
        return len(self.type_start) - 1

    @property
    def itineraries(self) -> bool:
        """True when types are split by venue itinerary."""
        return self.n_types != self.n_base_types

    @property
    def n_attendees(self) -> int:
        return len(self.attendee_ids)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def _allowed(j: int, p: int, pins: dict[int, int], closed: set[int]) -> bool:
    """A type may sit in seminar ``j`` in pass ``p``: its pin there, else not excluded or pinned elsewhere."""
    return pins[p] == j if p in pins else j not in closed


def _array(values: list[int] | range, dtype: type = np.int64) -> NDArray:
    return np.asarray(values, dtype=dtype)


def compile_event(
    event: Event,
    objective: str | None = None,
    *,
    plan: AdmissionPlan | None = None,
    previous: IntArray | None = None,
) -> CompiledEvent:
    """Compile ``event`` into arrays, merging interchangeable attendees.

    Parameters
    ----------
    event
        A validated event.
    objective
        The objective kind to be solved (default: the event's). With
        ``organisation-parity`` its groups become part of the type key.
    plan
        The admission rule's outcome, for events that admit attendees.
    previous
        ``previous[a, p]``: attendee ``a``'s session in pass ``p`` in the
        published allocation, or -1; part of the type key when re-solving.

    Returns
    -------
    CompiledEvent
    """
    pass_index = {p.id: i for i, p in enumerate(event.passes)}
    seminar_index = {s.id: i for i, s in enumerate(event.seminars)}
    room_index = {r.id: i for i, r in enumerate(event.rooms)}
    org_index = {o.id: i for i, o in enumerate(event.organisations)}
    n_passes = len(event.passes)

    def seminar_groups(groups: Iterable[Iterable[str]]) -> tuple[IntArray, ...]:
        return tuple(_array([seminar_index[j] for j in group]) for group in groups)

    candidates = event.candidate_sessions()
    candidate_seminar = _array([seminar_index[j] for j, _, _ in candidates])
    candidate_pass = _array([pass_index[p] for _, p, _ in candidates])
    candidate_room = _array([room_index[r] for _, _, r in candidates])
    most = [m.max_attendance for m in event.seminars]
    candidate_capacity = _array(
        [
            event.rooms[r].capacity if most[j] is None else min(event.rooms[r].capacity, most[j])
            for r, j in zip(candidate_room.tolist(), candidate_seminar.tolist(), strict=True)
        ]
    )
    runs = _runs(event, candidate_seminar, candidate_pass, candidate_room)
    # Sessions are what attendees are seated in. With every session fixed, they are the
    # candidates; when the optimiser plans, a session is a (seminar, pass) *slot* whose
    # room is chosen among its candidates (a seminar runs at most once per pass).
    if event.planned:
        slot_keys = list(dict.fromkeys(zip(candidate_seminar.tolist(), candidate_pass.tolist(), strict=True)))
        slot_of = {key: i for i, key in enumerate(slot_keys)}
        candidate_slot = _array(
            [slot_of[key] for key in zip(candidate_seminar.tolist(), candidate_pass.tolist(), strict=True)]
        )
        session_seminar = _array([j for j, _ in slot_keys])
        session_pass = _array([p for _, p in slot_keys])
        session_room = np.full(len(slot_keys), -1, dtype=np.int64)
        session_capacity = np.zeros(len(slot_keys), dtype=np.int64)
        np.maximum.at(session_capacity, candidate_slot, candidate_capacity)
    else:
        candidate_slot = np.arange(len(candidates), dtype=np.int64)
        session_seminar, session_pass = candidate_seminar, candidate_pass
        session_room, session_capacity = candidate_room, candidate_capacity
    candidate_minimum = _array([event.seminars[j].min_attendance for j in candidate_seminar.tolist()])
    for session, options in zip(event.sessions, runs.options, strict=True):
        candidate_minimum[options] = np.maximum(candidate_minimum[options], session.min_attendance)
    session_minimum = np.zeros(len(session_seminar), dtype=np.int64)
    np.maximum.at(session_minimum, candidate_slot, candidate_minimum)
    slot_options = [np.flatnonzero(candidate_slot == s).tolist() for s in range(len(session_seminar))]
    room_of = candidate_room.tolist()
    sessions_of = [np.flatnonzero(session_seminar == j).tolist() for j in range(len(event.seminars))]
    seminar_of, pass_of = session_seminar.tolist(), session_pass.tolist()
    room_features = [frozenset(r.features) for r in event.rooms]

    # Merge attendees into types: one Python pass over attendees, nothing per pair.
    # The organisation only matters to the rules when it has a quota.
    # Fairness groups matter only when a parity rule or objective uses them.
    with_quota = {q.organisation for q in event.quotas}
    kind = objective or event.objective.kind
    dims = list(
        dict.fromkeys([*(r.attribute for r in event.parity), *(r.attribute for r in event.diversity)])
    )
    if kind == "organisation-parity" and event.objective.parity_attribute not in dims:
        dims.append(event.objective.parity_attribute)
    keys: dict[tuple, int] = {}
    attendee_type = np.empty(len(event.attendees), dtype=np.int64)
    for a, att in enumerate(event.attendees):
        key = (
            (
                att.priority,
                *(att.group(d) for d in dims),
            ),
            att.organisation if att.organisation in with_quota else None,
            (
                att.choices,
                tuple(sorted(att.costs.items())) if att.costs else (),
                tuple(sorted(att.scores.items())) if att.scores else (),
                att.size,
                att.max_sessions,
            ),
            tuple(sorted(set(att.needs))),
            tuple(sorted(att.fixed.items())),
            tuple(sorted(att.excluded)),
            () if previous is None else tuple(previous[a].tolist()),
            att.party,
            tuple(sorted(att.required)),
        )
        attendee_type[a] = keys.setdefault(key, len(keys))
    type_keys = list(keys)
    n_types = len(type_keys)
    type_count = np.bincount(attendee_type, minlength=n_types).astype(np.int64)
    type_members = np.argsort(attendee_type, kind="stable").astype(np.int64)
    type_start = np.concatenate(([0], np.cumsum(type_count))).astype(np.int64)

    costs = event.objective.costs_for(len(event.seminars))
    seminar_ids = [m.id for m in event.seminars]
    top = event.top_score
    type_organisation = np.full(n_types, -1, dtype=np.int64)
    type_fixed = np.full((n_types, n_passes), -1, dtype=np.int64)
    type_pass_block = np.zeros((n_types, n_passes), dtype=np.int8)
    arc_type: list[int] = []
    arc_session: list[int] = []
    arc_cost: list[int] = []
    arc_rank: list[int] = []
    type_priority = np.array([k[0][0] for k in type_keys], dtype=np.int64)
    group_names = tuple(
        tuple(sorted({k[0][d + 1] for k in type_keys if k[0][d + 1] is not None})) for d in range(len(dims))
    )
    type_group = np.full((n_types, len(dims)), -1, dtype=np.int64)
    for d, names in enumerate(group_names):
        index = {name: g for g, name in enumerate(names)}
        type_group[:, d] = [index.get(k[0][d + 1], -1) for k in type_keys]
    group_size = tuple(
        np.bincount(
            type_group[:, d][type_group[:, d] >= 0],
            weights=type_count[type_group[:, d] >= 0],
            minlength=len(names),
        ).astype(np.int64)
        for d, names in enumerate(group_names)
    )
    arc_fits: list[IntArray | None] = []
    type_previous = np.full((n_types, n_passes), -1, dtype=np.int64)
    type_previous_cost = np.full((n_types, n_passes), -1, dtype=np.int64)
    type_size = np.array([k[2][3] for k in type_keys], dtype=np.int64)
    type_max_sessions = np.array(
        [n_passes if k[2][4] is None else min(k[2][4], n_passes) for k in type_keys], dtype=np.int64
    )
    party_ids = tuple(dict.fromkeys(k[7] for k in type_keys if k[7] is not None))
    party_index = {party: i for i, party in enumerate(party_ids)}
    type_party = _array([party_index.get(k[7], -1) for k in type_keys])
    declared = {party.id: party.passes for party in event.parties}
    party_passes = tuple(
        _array([pass_index[p] for p in declared[party]] if declared.get(party) else list(range(n_passes)))
        for party in party_ids
    )
    type_required = tuple(tuple(seminar_index[j] for j in k[8]) for k in type_keys)
    for t, (_, org, (choices, *_), needs, fixed, excluded, before, _party, _required) in enumerate(type_keys):
        if org is not None:
            type_organisation[t] = org_index[org]
        rep = event.attendees[int(type_members[type_start[t]])]
        cardinal = bool(rep.costs or rep.scores)
        rank = {seminar_index[c]: r for r, c in enumerate(choices)}
        listed, rest = event.prices(rep, top=top)
        price = [rest] * len(seminar_ids)
        for seminar, value in listed.items():
            price[seminar_index[seminar]] = value
        banned = {seminar_index[e] for e in excluded}
        pins = {pass_index[p]: seminar_index[j] for p, j in fixed}
        for p, j in pins.items():
            type_fixed[t, p] = j
        pinned_elsewhere = set(pins.values())
        need_set = set(needs)
        closed = banned | pinned_elsewhere
        with_arc = np.zeros(n_passes, dtype=bool)
        priced = sorted(s for j, cost in enumerate(price) if cost is not None for s in sessions_of[j])
        for s in priced:
            j, p = seminar_of[s], pass_of[s]
            if not _allowed(j, p, pins, closed):
                continue
            here = slot_options[s]
            fits = [c for c in here if need_set <= room_features[room_of[c]]] if need_set else here
            if not fits:
                continue
            arc_fits.append(_array(fits) if len(fits) < len(here) else None)
            with_arc[p] = True
            r = rank.get(j, -1)
            arc_type.append(t)
            arc_session.append(s)
            arc_rank.append(r if cardinal or r < len(costs) else -1)
            arc_cost.append(price[j])
        # A pass without an arc: blocked by needs if some session in it is allowed, else none is.
        reachable = with_arc.copy()
        for s in np.flatnonzero(~with_arc[session_pass]).tolist():
            reachable[pass_of[s]] |= _allowed(seminar_of[s], pass_of[s], pins, closed)
        type_pass_block[t] = np.where(with_arc, OPEN, np.where(reachable, NEEDS, NO_SESSION))
        for c in before:
            if c >= 0:
                type_previous[t, candidate_pass[c]] = candidate_slot[c]
                type_previous_cost[t, candidate_pass[c]] = price[int(candidate_seminar[c])] or 0

    session_quotas = [q for q in event.quotas if q.max_per_session is not None]
    seat_quotas = [q for q in event.quotas if q.max_seats is not None]
    quota_sessions = []
    for q in session_quotas:
        matches = np.ones(len(session_seminar), dtype=bool)
        if q.seminar is not None:
            matches &= session_seminar == seminar_index[q.seminar]
        if q.pass_ is not None:
            matches &= session_pass == pass_index[q.pass_]
        quota_sessions.append(np.flatnonzero(matches).astype(np.int64))

    from seatalloc.compile.itineraries import expand_itineraries

    compiled = CompiledEvent(
        pass_ids=tuple(p.id for p in event.passes),
        seminar_ids=tuple(s.id for s in event.seminars),
        room_ids=tuple(r.id for r in event.rooms),
        organisation_ids=tuple(o.id for o in event.organisations),
        attendee_ids=tuple(a.id for a in event.attendees),
        session_seminar=session_seminar,
        session_pass=session_pass,
        session_room=session_room,
        session_capacity=session_capacity,
        session_minimum=session_minimum,
        planned=event.planned,
        candidate_seminar=candidate_seminar,
        candidate_pass=candidate_pass,
        candidate_room=candidate_room,
        candidate_capacity=candidate_capacity,
        candidate_minimum=candidate_minimum,
        candidate_slot=candidate_slot,
        arc_fits=tuple(arc_fits),
        run_seminar=runs.seminar,
        run_options=runs.options,
        seminar_extra_runs=runs.extra,
        seminar_optional=np.array([m.optional for m in event.seminars], dtype=bool),
        same_pass=seminar_groups(event.same_pass),
        different_pass=seminar_groups(event.different_pass),
        pass_min_sessions=_array([p.min_sessions for p in event.passes]),
        type_count=type_count,
        type_size=type_size,
        type_max_sessions=type_max_sessions,
        wanted=sum(
            n_passes if a.max_sessions is None else min(a.max_sessions, n_passes) for a in event.attendees
        ),
        type_party=type_party,
        type_required=type_required,
        type_parent=np.arange(n_types, dtype=np.int64),
        type_moves=np.zeros(n_types, dtype=np.int64),
        venue_move_cost=0,
        party_ids=party_ids,
        party_passes=party_passes,
        type_priority=type_priority,
        attendee_order=registration_order(event),
        by_registration=event.objective.tie_break == "registration",
        type_organisation=type_organisation,
        type_fixed=type_fixed,
        type_pass_block=type_pass_block,
        attendee_type=attendee_type,
        type_members=type_members,
        type_start=type_start,
        arc_type=_array(arc_type),
        arc_session=_array(arc_session),
        arc_cost=_array(arc_cost),
        arc_rank=_array(arc_rank),
        unseated_cost=event.objective.unseated_cost,
        admits=plan is not None,
        type_chosen=(
            type_count
            if plan is None
            else np.bincount(attendee_type[plan.chosen], minlength=n_types).astype(np.int64)
        ),
        admission_rank=(
            np.arange(len(event.attendees), dtype=np.int64)
            if plan is None
            else plan.order + len(event.attendees) * (~plan.chosen)
        ),
        type_previous=type_previous,
        type_previous_cost=type_previous_cost,
        resolving=previous is not None,
        session_quota_organisation=_array([org_index[q.organisation] for q in session_quotas]),
        session_quota_cap=_array([q.max_per_session or 0 for q in session_quotas]),
        session_quota_sessions=tuple(quota_sessions),
        seat_quota_organisation=_array([org_index[q.organisation] for q in seat_quotas]),
        seat_quota_cap=_array([q.max_seats or 0 for q in seat_quotas]),
        shared_limit_seminars=seminar_groups(limit.seminars for limit in event.shared_limits),
        shared_limit_cap=_array([limit.max_seats for limit in event.shared_limits]),
        shared_limit_names=tuple(
            limit.name or "seminars " + ", ".join(limit.seminars) for limit in event.shared_limits
        ),
        group_dims=tuple(dims),
        group_names=group_names,
        type_group=type_group,
        group_size=group_size,
        parity_rules=tuple((dims.index(r.attribute), r.top, r.max_gap) for r in event.parity),
        diversity_rules=tuple(
            (
                dims.index(r.attribute),
                -1.0 if r.max_share is None else r.max_share,
                -1 if r.max_seats is None else r.max_seats,
                r.min_distinct,
                r.min_session_size,
            )
            for r in event.diversity
        ),
        parity_objective=(
            (dims.index(event.objective.parity_attribute), event.objective.parity_top)
            if kind == "organisation-parity"
            else None
        ),
    )
    return expand_itineraries(compiled, event)


@dataclass(frozen=True)
class _Runs:
    seminar: IntArray
    options: tuple[IntArray, ...]
    extra: IntArray


def _runs(event: Event, session_seminar: IntArray, session_pass: IntArray, session_room: IntArray) -> _Runs:
    """Return each listed run's seminar and candidate sessions, and the runs beyond them."""
    seminar_index = {m.id: j for j, m in enumerate(event.seminars)}
    pass_index = {p.id: i for i, p in enumerate(event.passes)}
    room_index = {r.id: i for i, r in enumerate(event.rooms)}
    run_seminar, run_options = [], []
    listed = np.zeros(len(event.seminars), dtype=np.int64)
    for session in event.sessions:
        j = seminar_index[session.seminar]
        listed[j] += 1
        match = session_seminar == j
        if session.pass_ is not None:
            match &= session_pass == pass_index[session.pass_]
        if session.room is not None:
            match &= session_room == room_index[session.room]
        run_seminar.append(j)
        run_options.append(np.flatnonzero(match).astype(np.int64))
    runs = np.array([listed[j] if m.runs is None else m.runs for j, m in enumerate(event.seminars)])
    return _Runs(_array(run_seminar), tuple(run_options), (runs - listed).astype(np.int64))
