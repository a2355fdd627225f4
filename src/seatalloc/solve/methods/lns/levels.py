"""A first price for each organisation's quota rows: the level at which its members fill them.

When an organisation has more members wanting a seat in a pass than its
quotas there allow in all (``K`` people over the pass's sessions), at least
the rest go without. One price ``p`` on all of those quota rows proves it:
each member then takes a seat only where its gain over staying unseated
beats ``p``, and the bound falls by ``p K``. Its best value is where the
members who still take a seat number ``K``: ``p`` is the gain of the
``K + 1``-th best of them (each counted at its best seat in the pass). On the
family's instance 32:32 (13 organisations with quotas) that proves
17,436,915 of an LP optimum of 18,003,635 where no prices prove 84,770.
These levels start the Lagrangian ascent and are a certificate of their own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.solve.methods.lns.linear import QUOTA, Labels

FloatArray = NDArray[np.float64]


def quota_levels(data: CompiledEvent, lp: tuple[object, ...], labels: Labels) -> FloatArray:
    """Return prices on the rows of the LP ``lp`` (the LP's signs: at most 0 on a quota row, 0
    elsewhere), per (quota, pass) the level its organisation's members fill it at."""
    objective, row_hi = np.asarray(lp[0]), np.asarray(lp[4])
    y = np.zeros(len(labels.kind))
    rows = np.flatnonzero(labels.kind == QUOTA)
    if not len(rows):
        return y
    arcs = data.arcs
    gain = objective[: len(arcs.type)]  # a seat's cost over staying unseated, per member
    arc_org = data.types.organisation[arcs.type]
    row_pass = data.sessions.pass_[labels.session[rows]]
    group = labels.ref[rows] * data.n_passes + row_pass
    for key in np.unique(group).tolist():
        mine = rows[group == key]
        org = data.rules.session_quota_organisation[key // data.n_passes]
        covered = np.flatnonzero((arc_org == org) & np.isin(arcs.session, labels.session[mine]))
        best = np.full(data.n_types, np.inf)
        np.minimum.at(best, arcs.type[covered], gain[covered])
        wanting = np.flatnonzero(best < 0)
        order = np.argsort(best[wanting], kind="stable")
        members = np.cumsum(data.types.count[wanting][order])
        room = row_hi[mine].sum()
        if not len(members) or members[-1] <= room:
            continue  # (its members all fit: the quotas need no price here)
        level = -best[wanting][order][np.searchsorted(members, room, side="right")]
        y[mine] = -level
    return y
