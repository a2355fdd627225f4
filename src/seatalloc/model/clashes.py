"""Clashes (seminars of which an attendee takes at most one), and bundles of seminars.

Types that may sit in a seminar in a clash, and every type under the value-leximin objective, are
split by *bundle* (``compile.bundles``): the seminars every member of the sub-type sits in. Here
each member of a sub-type sits in each seminar of its bundle: as many seats there as members.
A bundle holds at most one seminar of each clash, and a sub-type has no arcs to the seminars of
clashes outside its bundle, so nobody takes two seminars of one clash.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables


def add_bundles(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Seat every member of a sub-type in each seminar of its bundle (once: the no-repeat rule)."""
    if not data.by_bundles:
        return
    arc_seminar = data.sessions.seminar[data.arcs.session]
    reached: dict[int, set[int]] = {}
    for (u, j), arcs in groups(data.arcs.type, arc_seminar):
        bundle = data.types.bundle[u]
        if bundle is not None and j in bundle:
            model.add(v.seats(arcs) == v.admitted(u))
            reached.setdefault(u, set()).add(j)
    for u, bundle in enumerate(data.types.bundle):
        if bundle is not None and not set(bundle) <= reached.get(u, set()):
            model.add(v.admitted(u) == 0)  # a seminar of its bundle it cannot sit in
