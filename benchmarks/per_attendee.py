"""Baseline: the obvious model, one CP-SAT boolean per attendee and session.

This is what a user would write first. It is kept here, outside the library,
only to be measured against seatalloc's type model in the same run.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from seatalloc import Event


@dataclass(frozen=True)
class BaselineResult:
    status: str
    objective: int | None
    bound: int
    seconds: float


def solve_per_attendee(event: Event, *, time_limit: float, seed: int = 0, workers: int = 1) -> BaselineResult:
    """Solve ``event`` with one boolean per (attendee, session) and return the outcome."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    top = event.top_score
    rooms = {r.id: r for r in event.rooms}
    per_session: dict[int, list] = defaultdict(list)
    per_org_session: dict[tuple[str, int], list] = defaultdict(list)
    seated_any: dict[str, list] = defaultdict(list)
    terms, weights = [], []
    for a in event.attendees:
        per_pass: dict[str, list] = defaultdict(list)
        per_seminar: dict[str, list] = defaultdict(list)
        for s, session in enumerate(event.sessions):
            pinned = a.pins.get(session.pass_)
            if pinned is not None and pinned != session.seminar:
                continue
            if session.seminar in a.excluded or not set(a.needs) <= set(rooms[session.room].features):
                continue
            cost = event.cost(a, session.seminar, top=top)
            if cost is None:
                continue
            x = model.new_bool_var("")
            per_pass[session.pass_].append(x)
            per_seminar[session.seminar].append(x)
            per_session[s].append(x)
            if a.organisation is not None:
                per_org_session[(a.organisation, s)].append(x)
            terms.append(x)
            weights.append(cost - event.objective.unseated_cost)
        for p in event.passes:
            if p.id in a.fixed:
                model.add(sum(per_pass[p.id]) == 1)
            else:
                model.add_at_most_one(per_pass[p.id])
        for xs in per_seminar.values():
            model.add_at_most_one(xs)
        if a.organisation is not None:
            admitted = model.new_bool_var("")
            for xs in per_pass.values():
                for x in xs:
                    model.add_implication(x, admitted)
            seated_any[a.organisation].append(admitted)
    for s, session in enumerate(event.sessions):
        model.add(sum(per_session[s]) <= rooms[session.room].capacity)
    for q in event.quotas:
        if q.max_seats is not None:
            model.add(sum(seated_any[q.organisation]) <= q.max_seats)
            continue
        for s, session in enumerate(event.sessions):
            if q.seminar in (None, session.seminar) and q.pass_ in (None, session.pass_):
                model.add(sum(per_org_session[(q.organisation, s)]) <= q.max_per_session)
    base = len(event.attendees) * len(event.passes) * event.objective.unseated_cost
    model.minimize(cp_model.LinearExpr.weighted_sum(terms, weights) + base)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - (time.perf_counter() - started))
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return BaselineResult(
        status=solver.status_name(status).lower(),
        objective=round(solver.objective_value) if found else None,
        bound=round(solver.best_objective_bound),
        seconds=time.perf_counter() - started,
    )
