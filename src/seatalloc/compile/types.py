"""Compile pass 2: merge interchangeable attendees into types.

Attendees with the same choices (or costs or scores), size, course load,
passes attended, needs, pins, exclusions, party and required seminars, the same organisation
*when it has a quota*, the same priority class and the same group in every
fairness dimension, and (when re-solving) the same published seats, can swap
seats without changing any rule or the cost: one :class:`TypeKey` each.
With venue itineraries, attendees who may sit in a seminar with ``parts`` are
types of their own: the same person sits in every part of a run, which counts
per type cannot say (without them, types are split by run: ``compile.runs``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from seatalloc.compile.admission import AdmissionPlan
from seatalloc.compile.data import (
    NOT_ATTENDING,
    OPEN,
    BoolArray,
    Candidates,
    Groups,
    IntArray,
    Members,
    Types,
    array,
)
from seatalloc.compile.order import registration_order
from seatalloc.compile.sessions import Index
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee

#: Attendees merged between two looks at the deadline.
CHECK_EVERY = 1_000


class TypeKey(NamedTuple):
    """What makes attendees interchangeable."""

    priority: int
    groups: tuple[str | None, ...]  # per fairness dimension
    organisation: str | None  # only when the organisation has a quota
    choices: tuple[str, ...]
    costs: tuple[tuple[str, int], ...]
    scores: tuple[tuple[str, int], ...]
    size: int
    max_sessions: int | None
    available: tuple[str, ...] | None  # the passes attended, None: every pass
    needs: tuple[str, ...]
    fixed: tuple[tuple[str, str], ...]  # (pass, seminar)
    excluded: tuple[str, ...]
    previous: tuple[int, ...]  # published candidate per pass when re-solving, -1 none
    stays: bool  # keeps every published seat (a confirmed offer)
    party: str | None
    required: tuple[str, ...]
    alone: int  # the attendee's index when they may sit in a seminar with parts, else -1
    weight: int  # how many times their costs count (objective.history_weight)


@dataclass(frozen=True)
class TypeTable:
    """The types' keys, a representative attendee of each, and who belongs where."""

    keys: tuple[TypeKey, ...]
    representative: tuple[Attendee, ...]
    members: Members
    count: IntArray


def dimensions(event: Event, kind: str) -> tuple[str, ...]:
    """Return the fairness dimensions the rules and the objective ``kind`` group attendees by."""
    dims = list(
        dict.fromkeys([*(r.attribute for r in event.parity), *(r.attribute for r in event.diversity)])
    )
    if kind == "organisation-parity" and event.objective.parity_attribute not in dims:
        dims.append(event.objective.parity_attribute)
    return tuple(dims)


def merge_types(
    event: Event,
    dims: tuple[str, ...],
    *,
    plan: AdmissionPlan | None,
    previous: IntArray | None,
    stays: BoolArray | None = None,
    check: Callable[[], None],
) -> TypeTable:
    """Merge the attendees of ``event`` into types: one Python pass over attendees."""
    with_quota = {q.organisation for q in event.quotas}
    every_pass = frozenset(p.id for p in event.passes)
    multi = frozenset(m.id for m in event.seminars if m.parts > 1)
    alone = bool(multi) and event.limits_venue_moves  # else types split by run (compile.runs)
    only_listed = event.objective.only_listed
    weigh = event.objective.weight
    weighs = event.objective.history_weight > 0
    keys: dict[TypeKey, int] = {}
    attendee_type = np.empty(len(event.attendees), dtype=np.int64)
    make = TypeKey._make  # from the fields in order: without the keywords' cost
    for a, att in enumerate(event.attendees):
        if a % CHECK_EVERY == 0:
            check()
        key = make(
            (
                att.priority,
                tuple(att.group(d) for d in dims) if dims else (),
                att.organisation if att.organisation in with_quota else None,
                att.choices,
                tuple(sorted(att.costs.items())) if att.costs else (),
                tuple(sorted(att.scores.items())) if att.scores else (),
                att.size,
                att.max_sessions,
                None
                if att.available is None or every_pass <= set(att.available)
                else tuple(sorted(att.available)),
                tuple(sorted(set(att.needs))) if att.needs else (),
                tuple(sorted(att.pins.items())) if att.fixed else (),
                tuple(sorted(att.excluded)) if att.excluded else (),
                () if previous is None else tuple(previous[a].tolist()),
                stays is not None and bool(stays[a]),
                att.party,
                tuple(sorted(att.required)) if att.required else (),
                a if alone and _may_sit(att, multi, only_listed) else -1,
                weigh(att) if weighs and att.history else 1,
            ),
        )
        attendee_type[a] = keys.setdefault(key, len(keys))
    count = np.bincount(attendee_type, minlength=len(keys)).astype(np.int64)
    grouped = np.argsort(attendee_type, kind="stable").astype(np.int64)
    start = np.concatenate(([0], np.cumsum(count))).astype(np.int64)
    n = len(event.attendees)
    members = Members(
        type=attendee_type,
        grouped=grouped,
        start=start,
        registration=registration_order(event),
        admission_rank=(np.arange(n, dtype=np.int64) if plan is None else plan.order + n * (~plan.chosen)),
    )
    representative = tuple(event.attendees[int(grouped[start[t]])] for t in range(len(keys)))
    return TypeTable(tuple(keys), representative, members, count)


def _may_sit(attendee: Attendee, seminars: frozenset[str], only_listed: bool) -> bool:
    """Whether ``attendee`` may be seated in one of ``seminars`` (not excluded; listed, if need be)."""
    allowed = seminars - set(attendee.excluded)
    if only_listed:
        allowed &= {*attendee.choices, *(attendee.costs or ()), *(attendee.scores or ())}
    return bool(allowed)


def build_types(
    event: Event,
    index: Index,
    candidates: Candidates,
    table: TypeTable,
    dims: tuple[str, ...],
    plan: AdmissionPlan | None,
) -> tuple[Types, Groups]:
    """Return the per-type arrays that follow from the keys, and the fairness groups.

    ``pass_block`` and ``previous_cost`` need the arcs: the arcs pass fills them in.
    """
    keys, n_passes = table.keys, len(event.passes)
    names = tuple(
        tuple(sorted({g for k in keys if (g := k.groups[d]) is not None})) for d in range(len(dims))
    )
    group = np.full((len(keys), len(dims)), -1, dtype=np.int64)
    for d, values in enumerate(names):
        position = {value: g for g, value in enumerate(values)}
        group[:, d] = [-1 if (g := k.groups[d]) is None else position[g] for k in keys]
    fixed = np.full((len(keys), n_passes), -1, dtype=np.int64)
    away = np.zeros((len(keys), n_passes), dtype=bool)  # passes its members do not attend
    previous = np.full((len(keys), n_passes), -1, dtype=np.int64)
    for t, key in enumerate(keys):
        if key.available is not None:
            away[t] = True
            away[t, [index.passes[p] for p in key.available]] = False
        for pass_id, seminar in key.fixed:
            fixed[t, index.passes[pass_id]] = index.seminars[seminar]
        for c in key.previous:
            if c >= 0:
                previous[t, candidates.pass_[c]] = candidates.slot[c]
    attending = n_passes - away.sum(axis=1)
    parties = {party: i for i, party in enumerate(party_ids(table))}
    chosen = (
        table.count
        if plan is None
        else np.bincount(table.members.type[plan.chosen], minlength=len(keys)).astype(np.int64)
    )
    types = Types(
        count=table.count,
        size=array([k.size for k in keys]),
        max_sessions=np.minimum(
            array([n_passes if k.max_sessions is None else k.max_sessions for k in keys]), attending
        ),
        party=array([-1 if k.party is None else parties[k.party] for k in keys]),
        required=tuple(tuple(index.seminars[j] for j in k.required) for k in keys),
        priority=array([k.priority for k in keys]),
        organisation=array(
            [-1 if k.organisation is None else index.organisations[k.organisation] for k in keys]
        ),
        group=group,
        fixed=fixed,
        pass_block=np.where(away, NOT_ATTENDING, OPEN).astype(np.int8),
        chosen=chosen,
        previous=previous,
        previous_cost=np.full((len(keys), n_passes), -1, dtype=np.int64),
        parent=np.arange(len(keys), dtype=np.int64),
        moves=np.zeros(len(keys), dtype=np.int64),
        stays=np.array([k.stays for k in keys], dtype=bool),
        weight=array([k.weight for k in keys]),
        runs=((),) * len(keys),
        bundle=(None,) * len(keys),
    )
    places = tuple(
        np.bincount(
            group[:, d][group[:, d] >= 0],
            weights=(table.count * attending)[group[:, d] >= 0],
            minlength=len(values),
        ).astype(np.int64)
        for d, values in enumerate(names)
    )
    return types, Groups(dims, names, places)


def party_ids(table: TypeTable) -> tuple[str, ...]:
    """Return the parties the attendees registered with, in order of first appearance."""
    return tuple(dict.fromkeys(k.party for k in table.keys if k.party is not None))
