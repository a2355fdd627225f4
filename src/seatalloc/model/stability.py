"""Re-solving a published allocation: who would be worse off, and who moves.

Types are keyed by their published sessions too, so every member of a type
had the same seat in each pass and these counts are exact per person:

- *worse off*: seated now in a session of higher cost than the published
  one, or no longer seated, in a pass where they had a seat;
- *moved*: not in their published session any more (a lost seat included).

Confirmed offers (a response round) are a rule: their types keep every
published seat.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables, said


def _previous_arcs(data: CompiledEvent) -> tuple[np.ndarray, np.ndarray]:
    """Return, per arc, its pass and whether its type had a seat in that pass before."""
    arc_pass = data.sessions.pass_[data.arcs.session]
    return arc_pass, data.types.previous[data.arcs.type, arc_pass] >= 0


def previously_seated(data: CompiledEvent) -> int:
    """Return the attendee-passes seated in the published allocation (each base type once, when
    types are split: its sub-types share its members)."""
    base = data.types.parent
    first = np.r_[True, base[1:] != base[:-1]] if len(base) else np.zeros(0, dtype=bool)
    return int(((data.types.previous[first] >= 0) * data.types.count[first][:, None]).sum())


def worse_off(data: CompiledEvent, v: Variables) -> cp_model.LinearExpr:
    """Return the attendee-passes worse off than published (a lost seat included)."""
    arc_pass, before = _previous_arcs(data)
    cost_then = data.types.previous_cost[data.arcs.type, arc_pass]
    worse = np.flatnonzero(before & (data.arcs.cost > cost_then))
    seated_again = np.flatnonzero(before)
    return previously_seated(data) - v.seats(seated_again) + v.seats(worse)


def moves(data: CompiledEvent, v: Variables) -> cp_model.LinearExpr:
    """Return the attendee-passes not in their published session any more."""
    arc_pass, _ = _previous_arcs(data)
    stay = np.flatnonzero(data.types.previous[data.arcs.type, arc_pass] == data.arcs.session)
    return previously_seated(data) - v.seats(stay)


def add_stays(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Keep every member of a type that stays (a confirmed offer) in each published session (its
    sub-types' seats there counted together, when types are split)."""
    if not data.types.stays.any():
        return
    arc_pass = data.sessions.pass_[data.arcs.session]
    held = np.flatnonzero(data.types.previous[data.arcs.type, arc_pass] == data.arcs.session)
    base = data.types.parent
    by_type_pass = {key: held[arcs] for key, arcs in groups(base[data.arcs.type[held]], arc_pass[held])}
    none = np.zeros(0, dtype=np.int64)
    first = np.r_[True, base[1:] != base[:-1]]  # one sub-type per base type (parent is sorted)
    staying = data.types.stays & first
    for u, p in zip(*np.nonzero(staying[:, None] & (data.types.previous >= 0)), strict=True):
        t, p = int(base[u]), int(p)
        members = int(data.members.start[t + 1] - data.members.start[t])
        seminar = data.seminar_ids[int(data.sessions.seminar[data.types.previous[u, p]])]
        where = f"seminar {seminar!r} in pass {data.pass_ids[p]!r}"
        ids = {"seminar": seminar, "pass_": data.pass_ids[p]}
        v.exactly(
            v.seats(by_type_pass.get((t, p), none)),
            members,
            rule=said(
                "confirmed",
                f"{members} attendee(s) who confirmed their seat keep it: {where}",
                attendees=members,
                **ids,
            ),
            change=said("confirmed", f"move {{n}} of the {members} attendee(s) who confirmed {where}", **ids),
        )


def add_move_limit(data: CompiledEvent, model: cp_model.CpModel, v: Variables, max_moves: int) -> None:
    """Allow at most ``max_moves`` attendee-passes to leave their published session."""
    v.at_most(
        moves(data, v),
        max_moves,
        rule=said("max-moves", f"at most {max_moves} move(s)", limit=max_moves),
        change=said("max-moves", "allow {n} more move(s)", limit=max_moves),
    )
