"""Compile pass 4: the rules across attendees: quotas, shared limits, parties, parity, diversity,
clashes."""

from __future__ import annotations

import numpy as np

from seatalloc.compile.data import DiversityRule, Groups, IntArray, ParityRule, Rules, Sessions, array
from seatalloc.compile.sessions import Index
from seatalloc.schema.event import Event


def compile_rules(
    event: Event, index: Index, sessions: Sessions, groups: Groups, party_ids: tuple[str, ...], kind: str
) -> Rules:
    """Return the rules of ``event`` over its sessions and fairness groups."""
    session_quotas = [q for q in event.quotas if q.max_per_session is not None]
    seat_quotas = [q for q in event.quotas if q.max_seats is not None]
    quota_sessions: list[IntArray] = []
    for q in session_quotas:
        matches = np.ones(len(sessions.seminar), dtype=bool)
        if q.seminar is not None:
            matches &= sessions.seminar == index.seminars[q.seminar]
        if q.pass_ is not None:
            matches &= sessions.pass_ == index.passes[q.pass_]
        quota_sessions.append(np.flatnonzero(matches).astype(np.int64))
    declared = {party.id: party.passes for party in event.parties}
    every_pass = list(range(len(event.passes)))
    dim = {name: d for d, name in enumerate(groups.dims)}
    return Rules(
        session_quota_organisation=array([index.organisations[q.organisation] for q in session_quotas]),
        session_quota_cap=array([q.max_per_session or 0 for q in session_quotas]),
        session_quota_sessions=tuple(quota_sessions),
        seat_quota_organisation=array([index.organisations[q.organisation] for q in seat_quotas]),
        seat_quota_cap=array([q.max_seats or 0 for q in seat_quotas]),
        shared_limit_seminars=index.seminar_groups(limit.seminars for limit in event.shared_limits),
        shared_limit_cap=array([limit.max_seats for limit in event.shared_limits]),
        shared_limit_names=tuple(
            limit.name or "seminars " + ", ".join(limit.seminars) for limit in event.shared_limits
        ),
        party_ids=party_ids,
        party_passes=tuple(
            array([index.passes[p] for p in declared[party]] if declared.get(party) else every_pass)
            for party in party_ids
        ),
        parity=tuple(ParityRule(dim[r.attribute], r.top, r.max_gap) for r in event.parity),
        parity_objective=(
            (dim[event.objective.parity_attribute], event.objective.parity_top)
            if kind == "organisation-parity"
            else None
        ),
        diversity=tuple(
            DiversityRule(
                dim=dim[r.attribute],
                max_share=-1.0 if r.max_share is None else r.max_share,
                max_seats=-1 if r.max_seats is None else r.max_seats,
                min_distinct=r.min_distinct,
                min_session_size=r.min_session_size,
            )
            for r in event.diversity
        ),
        clashes=index.seminar_groups(event.clashes),
    )
