"""Fairness between groups: parity rules, and the smallest group share for objectives.

A group's *share* is the fraction of its attendee-passes that got one of the
attendee's first ``top`` choices. Groups are organisations or the values of an
attendee attribute (see ``CompiledEvent.groups``).
"""

from __future__ import annotations

import itertools

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.variables import Variables, said

#: Shares are integers in [0, SHARE_SCALE]: parts per million.
SHARE_SCALE = 1_000_000
_POINTS = 100  # max_gap is in percentage points, kept to 1/100 of a point


def top_counts(data: CompiledEvent, v: Variables, dim: int, top: int) -> list[cp_model.LinearExprT]:
    """Return, per group of dimension ``dim``, its attendee-passes seated in a top choice."""
    arc_group = data.types.group[data.arcs.type, dim]
    good = (data.arcs.rank >= 0) & (data.arcs.rank < top)
    held = data.fixed_seats
    held_good = (held.rank >= 0) & (held.rank < top)
    return [
        v.seats(np.flatnonzero(good & (arc_group == g)))
        + int(held.seats[held_good & (held.group[:, dim] == g)].sum())
        for g in range(len(data.groups.names[dim]))
    ]


def add_parity_rules(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Keep the top-choice shares of any two groups within the rule's gap."""
    for rule in data.rules.parity:
        dim, gap = rule.dim, rule.max_gap
        counts = top_counts(data, v, dim, rule.top)
        size = data.groups.places[dim].tolist()
        limit = round(gap * _POINTS)
        for g, h in itertools.permutations(range(len(counts)), 2):
            if size[g] == 0 or size[h] == 0:
                continue
            # counts[g]/size[g] - counts[h]/size[h] <= gap/100, multiplied out.
            ct = model.add(
                counts[g] * (size[h] * 100 * _POINTS) - counts[h] * (size[g] * 100 * _POINTS)
                <= limit * size[g] * size[h]
            )
            names = data.groups.names[dim]
            dimension = data.groups.dims[dim]
            v.guard(
                ct,
                said(
                    "parity",
                    f"parity: {dimension} {names[g]!r} at most {gap} points above {names[h]!r}",
                    attribute=dimension,
                    limit=gap,
                ),
            )


def smallest_share(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> cp_model.IntVar:
    """Return a variable that is at most every group's share (parts per million)."""
    assert data.rules.parity_objective is not None  # the caller chose organisation-parity
    dim, top = data.rules.parity_objective
    share = v.new_int(0, SHARE_SCALE, "smallest_share")
    size = data.groups.places[dim].tolist()
    for count, n in zip(top_counts(data, v, dim, top), size, strict=True):
        if n > 0:
            model.add(count * SHARE_SCALE >= share * n)
    return share
