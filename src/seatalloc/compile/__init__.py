"""Compile a validated event into read-only arrays of interchangeable types, in small passes.

1. sessions: the sessions attendees sit in, the candidates the optimiser may
   run, and the planning rules (``compile.sessions``);
2. types: attendees merged into types (``compile.types``);
3. arcs: the (type, session) pairs each type may sit in, with their cost
   (``compile.arcs``);
4. rules: quotas, shared limits, parties, parity and diversity (``compile.rules``);
5. itineraries: types split by venue when venue moves are limited
   (``compile.itineraries``);
6. runs: types split by the runs of seminars in parts they sit in
   (``compile.runs``);
7. bundles: types split by the seminars they sit in, for clashes and the
   value-leximin objective (``compile.bundles``).
"""

from __future__ import annotations

from collections.abc import Callable

from seatalloc.collector import collector_paused
from seatalloc.compile.admission import AdmissionPlan
from seatalloc.compile.arcs import compile_arcs
from seatalloc.compile.bundles import expand_bundles
from seatalloc.compile.data import (
    NEEDS,
    NO_SESSION,
    NOT_ATTENDING,
    OPEN,
    BoolArray,
    CompiledEvent,
    IntArray,
    groups,
)
from seatalloc.compile.itineraries import expand_itineraries
from seatalloc.compile.rules import compile_rules
from seatalloc.compile.runs import expand_runs
from seatalloc.compile.sessions import Index, compile_sessions
from seatalloc.compile.types import build_types, dimensions, merge_types, party_ids
from seatalloc.schema.event import Event

__all__ = ["NEEDS", "NO_SESSION", "NOT_ATTENDING", "OPEN", "CompiledEvent", "compile_event", "groups"]


def _never() -> None:
    """A deadline check that never stops."""


def compile_event(
    event: Event,
    objective: str | None = None,
    *,
    plan: AdmissionPlan | None = None,
    previous: IntArray | None = None,
    stays: BoolArray | None = None,
    move_cost: int | None = None,
    max_moves: int | None = None,
    check: Callable[[], None] = _never,
) -> CompiledEvent:
    """Compile ``event`` into arrays, merging interchangeable attendees.

    Parameters
    ----------
    event
        A validated event.
    objective
        The objective kind to be solved (default: the event's). With
        ``organisation-parity`` its groups become part of the type key.
    plan
        The admission rule's outcome, for events that admit attendees.
    previous
        ``previous[a, p]``: attendee ``a``'s candidate session in pass ``p``
        in the published allocation, or -1; part of the type key when
        re-solving.
    stays
        ``stays[a]``: attendee ``a`` keeps every published seat (a confirmed offer), a rule.
    move_cost, max_moves
        Re-solving: the cost of a move, and the most moves allowed.
    check
        Called now and then; it raises to stop compiling (a deadline).

    Returns
    -------
    CompiledEvent
    """
    with collector_paused():  # (a third of the time compiling 100,000 unique attendees)
        kind = objective or event.objective.kind
        return _compile(event, kind, plan, previous, stays, move_cost, max_moves, check)


def _compile(
    event: Event,
    kind: str,
    plan: AdmissionPlan | None,
    previous: IntArray | None,
    stays: BoolArray | None,
    move_cost: int | None,
    max_moves: int | None,
    check: Callable[[], None],
) -> CompiledEvent:
    """Compile ``event`` for the objective ``kind`` (see :func:`compile_event`)."""
    index = Index(event)
    sessions, candidates, planning = compile_sessions(event, index)
    dims = dimensions(event, kind)
    table = merge_types(event, dims, plan=plan, previous=previous, stays=stays, check=check)
    types, fairness = build_types(event, index, candidates, table, dims, plan)
    arcs, types = compile_arcs(event, index, sessions, candidates, table, types, check)
    compiled = CompiledEvent(
        pass_ids=tuple(p.id for p in event.passes),
        seminar_ids=tuple(s.id for s in event.seminars),
        room_ids=tuple(r.id for r in event.rooms),
        organisation_ids=tuple(o.id for o in event.organisations),
        attendee_ids=tuple(a.id for a in event.attendees),
        planned=event.planned,
        sessions=sessions,
        candidates=candidates,
        planning=planning,
        types=types,
        members=table.members,
        arcs=arcs,
        groups=fairness,
        rules=compile_rules(event, index, sessions, fairness, party_ids(table), kind),
        objective_kind=kind,
        unseated_cost=event.objective.unseated_cost,
        wanted=int(table.count @ types.max_sessions),
        wanted_weight=int(table.count @ (types.max_sessions * types.weight)),
        venue_move_cost=0,
        by_registration=event.objective.tie_break == "registration",
        admits=plan is not None,
        resolving=previous is not None,
        move_cost=move_cost,
        max_moves=max_moves,
    )
    return expand_bundles(expand_runs(expand_itineraries(compiled, event)), compiled.rules.clashes)
