"""Bundles: split types by the set of seminars their members sit in.

Counts per type say how many members sit in each session, not who sits in which together. Two
rules need the latter, so each type they touch is split into *sub-types*, one per *bundle*: a
set of seminars every member of the sub-type sits in (once each), the model deciding how many
members take each bundle (``Types.bundle``; the hand-out gives each member all of them, as each
is a seminar every member's pattern covers):

- ``clashes`` (groups of seminars of which an attendee takes at most one): a bundle is a set of
  the type's seminars in clashes with no two in one group; the type's other seminars stay free;
- the ``value-leximin`` objective, which counts members by the value of what they get: a bundle
  is a set of the type's seminars worth something to it (clashes respected), and its members sit
  in no others. A seminar worth nothing (its cost is the unseated cost) changes neither anyone's
  value nor the cost, so it is left out, unless a rule may need it: it is the type's required or
  pinned seminar, or the event has minimum attendance or admits attendees (who are then seated
  in every pass they attend).

Bundles hold the type's required and pinned seminars and at most ``max_sessions`` seminars;
when no bundle can, the type keeps one sub-type holding them, without arcs, which nobody can
join (so the type's members are left out where a rule allows it, else the event is infeasible).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seatalloc.compile.data import CompiledEvent, IntArray
from seatalloc.errors import SeatallocError

#: The most bundles a type may have.
MAX_BUNDLES = 4096


def expand_bundles(data: CompiledEvent, clashes: tuple[IntArray, ...]) -> CompiledEvent:
    """Return ``data`` with types split by bundle (unchanged without clashes or value-leximin)."""
    whole = data.objective_kind == "value-leximin"
    if not clashes and not whole:
        return data
    if data.itineraries:
        raise SeatallocError(
            "clashes and the value-leximin objective cannot yet be combined with venue_moves or "
            "seminars in parts"
        )
    clash = np.zeros(len(data.seminar_ids), dtype=bool)
    apart: dict[int, set[int]] = {}
    for group in clashes:
        clash[group] = True
        for j in group.tolist():
            apart.setdefault(j, set()).update(k for k in group.tolist() if k != j)
    keep_all = data.admits or bool((data.sessions.minimum > 0).any())
    arc_seminar = data.sessions.seminar[data.arcs.session]
    order = np.argsort(data.arcs.type, kind="stable")
    bounds = np.searchsorted(data.arcs.type[order], np.arange(data.n_types + 1))
    parents: list[int] = []
    bundles: list[tuple[int, ...] | None] = []
    arcs_of: list[IntArray] = []
    for t in range(data.n_types):
        mine = order[bounds[t] : bounds[t + 1]]
        seminars = set(arc_seminar[mine].tolist())
        must = seminars & ({*data.types.required[t]} | {j for j in data.types.fixed[t].tolist() if j >= 0})
        if whole:
            worth = set(arc_seminar[mine[data.arcs.cost[mine] != data.unseated_cost]].tolist())
            split = sorted(seminars if keep_all else worth | must)
        else:
            split = sorted(j for j in seminars if clash[j])
        if not split and not whole:
            parents.append(t)
            bundles.append(None)
            arcs_of.append(mine)
            continue
        must &= set(split)
        inside = np.isin(arc_seminar[mine], split) | whole
        found = _bundles(split, must, apart, int(data.types.max_sessions[t]))
        for bundle in found:
            parents.append(t)
            bundles.append(bundle)
            arcs_of.append(mine[~inside | np.isin(arc_seminar[mine], bundle)])
        if not found:  # what it must be given breaks a clash or max_sessions: nobody can have it
            parents.append(t)
            bundles.append(tuple(sorted(must)))
            arcs_of.append(mine[:0])
    parent = np.asarray(parents, dtype=np.int64)
    types = replace(data.types.take(parent), parent=parent, bundle=tuple(bundles))
    return replace(data, types=types, arcs=data.arcs.regroup(arcs_of))


def _bundles(
    seminars: list[int], must: set[int], apart: dict[int, set[int]], most: int
) -> list[tuple[int, ...]]:
    """Every set of ``seminars`` holding ``must``, of at most ``most``, no two ``apart`` (the
    smallest first)."""
    out: list[tuple[int, ...]] = []

    def grow(start: int, chosen: list[int], banned: set[int]) -> None:
        if must <= set(chosen):
            out.append(tuple(chosen))
            if len(out) > MAX_BUNDLES:
                raise SeatallocError(
                    f"more than {MAX_BUNDLES} sets of seminars one attendee may take (clashes or "
                    "the value-leximin objective count them all): list fewer seminars per "
                    "attendee, or use objective leximin"
                )
        if len(chosen) == most:
            return
        for i in range(start, len(seminars)):
            j = seminars[i]
            if j not in banned:
                grow(i + 1, [*chosen, j], banned | apart.get(j, set()))

    grow(0, [], set())
    return out
