"""Parties: attendees who registered together sit in the same session, or all go without.

The party is part of the type key, so each of a party's types holds only its
members. In every pass the party sits together, one boolean per session says
where; every type of the party that attends the pass then has all its members
there or none (members who do not attend it are not part of the party there).
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import NOT_ATTENDING, CompiledEvent, groups
from seatalloc.model.variables import Variables


def add_parties(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Seat each party's members in one session per pass it names (every pass by default)."""
    if not data.rules.party_ids:
        return
    # Sub-types split by venue itinerary share their base type's members: count per base type.
    by_type_session = dict(groups(data.types.parent[data.arcs.type], data.arcs.session))
    none = np.zeros(0, dtype=np.int64)
    for party, passes in enumerate(data.rules.party_passes):
        types = np.unique(data.types.parent[data.types.party == party])
        if len(types) == 0:  # a sub-event without this party (compile.restrict)
            continue
        for p in passes.tolist():
            sessions = np.flatnonzero(data.sessions.pass_ == p)
            where = [v.new_bool(f"party{party}_{s}") for s in sessions.tolist()]
            model.add(cp_model.LinearExpr.sum(where) <= 1)
            first = np.searchsorted(data.types.parent, types)  # a sub-type attends as its base
            present = types[data.types.pass_block[first, p] != NOT_ATTENDING].tolist()
            for s, here in zip(sessions.tolist(), where, strict=True):
                for t in present:
                    arcs = by_type_session.get((t, s), none)
                    members = int(data.members.start[t + 1] - data.members.start[t])
                    model.add(v.seats(arcs) == members * here)
