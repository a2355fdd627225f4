"""Planning sessions: which candidate sessions run, in which pass and room.

Each listed session (a *run*) opens exactly one candidate that matches the
pass and room it names (at most one when its seminar is optional); runs
beyond those listed open any candidates of the seminar. A run of a seminar
with ``parts`` opens its first part's candidate, and each later part runs
where the part before it does, in the next pass and the same room. A room hosts at most
one session per pass, a seminar runs at most once per pass, and seminars in
a ``same_pass`` group run as many sessions in every pass. Attendees sit in
(seminar, pass) slots; a slot's capacity and minimum are those of the
candidate it runs in (``model.capacity``), and attendees with needs sit only
in a slot whose chosen room has them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables, said


def add_planning(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Link candidate sessions to runs, rooms and same-pass groups."""
    if not data.planned:
        return
    chosen: defaultdict[int, list[cp_model.IntVar]] = defaultdict(list)  # candidate -> runs choosing it
    for k, options in enumerate(data.planning.run_options):
        j = int(data.planning.run_seminar[k])
        picks = [v.new_bool(f"run{k}_{s}") for s in options.tolist()]
        for s, pick in zip(options.tolist(), picks, strict=True):
            chosen[s].append(pick)
        name = data.seminar_ids[j]
        if data.planning.optional[j]:
            model.add(cp_model.LinearExpr.sum(picks) <= 1)
        else:
            v.exactly(
                cp_model.LinearExpr.sum(picks),
                1,
                rule=said("listed-session", f"a listed session of seminar {name!r} runs", seminar=name),
                change=said(
                    "listed-session", f"cancel {{n}} listed session(s) of seminar {name!r}", seminar=name
                ),
            )
    for j in np.flatnonzero(data.planning.extra_runs > 0).tolist():
        extra = int(data.planning.extra_runs[j])
        mine = np.flatnonzero((data.candidates.seminar == j) & (data.candidates.part == 0)).tolist()
        picks = [v.new_bool(f"extra{j}_{s}") for s in mine]
        for s, pick in zip(mine, picks, strict=True):
            chosen[s].append(pick)
        if data.planning.optional[j]:
            model.add(cp_model.LinearExpr.sum(picks) <= extra)
        else:
            name = data.seminar_ids[j]
            v.exactly(
                cp_model.LinearExpr.sum(picks),
                extra,
                rule=said(
                    "more-sessions",
                    f"seminar {name!r} runs {extra} more session(s)",
                    seminar=name,
                    limit=extra,
                ),
                change=said(
                    "more-sessions",
                    f"seminar {name!r} runs {{n}} fewer session(s)",
                    seminar=name,
                    limit=extra,
                ),
            )
    for c, is_open in enumerate(v.open):
        before = int(data.candidates.prior[c])  # a later part runs where its run's part before does
        model.add(is_open == (v.open[before] if before >= 0 else cp_model.LinearExpr.sum(chosen.get(c, []))))
    for s in range(len(data.sessions.seminar)):  # a seminar runs at most once per pass
        model.add(v.slot_open(s) <= 1)
    for (_j, _p), slots in groups(data.sessions.seminar, data.sessions.pass_):
        if len(slots) > 1:  # ... whichever part of a run it is
            model.add(cp_model.LinearExpr.sum([v.slot_open(s) for s in slots.tolist()]) <= 1)
    # Nobody sits in a session that does not run, or in a room without what they need:
    # stated per arc, it keeps the LP relaxation tight (as in facility location).
    for e, seat in enumerate(v.seat):
        if e % 65_536 == 0:
            v.check()
        s = int(data.arcs.session[e])
        model.add(seat <= v.seat_upper[e] * v.slot_open(s, data.arcs.fits[e]))
    for (_r, _p), candidates in groups(data.candidates.room, data.candidates.pass_):
        if len(candidates) > 1:  # a room hosts one session per pass
            model.add(cp_model.LinearExpr.sum([v.open[c] for c in candidates.tolist()]) <= 1)
    for group in data.planning.different_pass:
        for p in range(data.n_passes):
            here = np.flatnonzero((data.candidates.pass_ == p) & np.isin(data.candidates.seminar, group))
            if len(here) > 1:
                model.add(cp_model.LinearExpr.sum([v.open[c] for c in here.tolist()]) <= 1)
    for p in np.flatnonzero(data.planning.min_sessions > 0).tolist():
        least = int(data.planning.min_sessions[p])
        v.at_least(
            cp_model.LinearExpr.sum([v.open[c] for c in np.flatnonzero(data.candidates.pass_ == p).tolist()]),
            least,
            rule=said(
                "min-sessions",
                f"at least {least} sessions run in pass {data.pass_ids[p]!r}",
                pass_=data.pass_ids[p],
                limit=least,
            ),
            change=said(
                "min-sessions",
                f"{{n}} fewer sessions in pass {data.pass_ids[p]!r}",
                pass_=data.pass_ids[p],
                limit=least,
            ),
        )
    for group in data.planning.same_pass:
        for p in range(data.n_passes):
            in_pass = data.candidates.pass_ == p
            counts = [
                cp_model.LinearExpr.sum(
                    [v.open[c] for c in np.flatnonzero(in_pass & (data.candidates.seminar == j))]
                )
                for j in group.tolist()
            ]
            for a, b in zip(counts, counts[1:], strict=False):
                names = ", ".join(repr(data.seminar_ids[j]) for j in group)
                v.guard(model.add(a == b), said("same-pass", f"seminars {names} run in the same passes"))
