"""The one owner of the CP-SAT variables of a compiled event.

``seat[e]`` is how many members of arc ``e``'s type sit in its session.
``admitted(t)`` is how many members of type ``t`` may be seated at all: the
whole type, or a variable when the event admits attendees (at most the
members the admission rule chose) or the organisation has a ``max_seats``
quota.
In ``explain`` mode every rule that can make an event infeasible is guarded
by an assumption literal, so CP-SAT can name a conflicting set of rules; in
``relax`` mode such rules get slacks, to find the smallest change that makes
an infeasible event feasible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.schema.allocation import Rule, RuleCode

Mode = Literal["solve", "explain", "relax"]


def said(code: RuleCode, text: str, **about: Any) -> Rule:
    """Return a rule (or a change to one, its text with ``{n}``) in words and as data, made without
    validation: the model makes one per row it may retract."""
    return Rule.model_construct(code=code, text=text, **about)


def session_ids(data: CompiledEvent, s: int) -> dict[str, Any]:
    """The seminar and pass of session ``s`` (and its room, when fixed), as :func:`said` takes them."""
    room = int(data.sessions.room[s])
    return {
        "seminar": data.seminar_ids[data.sessions.seminar[s]],
        "pass_": data.pass_ids[data.sessions.pass_[s]],
        "room": data.room_ids[room] if room >= 0 else None,
    }


#: Releasing a pinned attendee (a speaker, staff) counts as two added seats.
UNPIN_WEIGHT = 2
#: Dropping a whole parity or diversity rule counts as much as this many seats.
DROP_WEIGHT = 1000
#: Seats summed between two looks at the deadline (a few hundredths of a second).
CHECK_EVERY = 50_000


def admitted_varies(data: CompiledEvent) -> NDArray[np.bool_]:
    """Return, per type, whether how many of its members are seated at all is for the model to
    choose (admission, a ``max_seats`` quota, venue itineraries); otherwise all of them may be."""
    if data.itineraries:
        return np.ones(data.n_types, dtype=bool)
    capped = np.isin(data.types.organisation, data.rules.seat_quota_organisation)
    pinned = (data.types.fixed >= 0).any(axis=1)
    return ((data.admits | capped) & ~pinned).astype(bool)


class Variables:
    """Create and hold every variable of the model.

    Parameters
    ----------
    data
        The compiled event.
    model
        The CP-SAT model to add variables to.
    mode
        ``solve``: the rules as they are. ``explain``: every rule that can
        conflict is guarded by an assumption literal (for infeasibility cores).
        ``relax``: capacities, quotas and pins get a slack and other such rules
        may be dropped, each recorded in ``relaxations`` with its cost, so the
        smallest change that makes an event feasible can be found.
    """

    def __init__(
        self,
        data: CompiledEvent,
        model: cp_model.CpModel,
        *,
        mode: Mode = "solve",
        check: Callable[[], None] = lambda: None,
    ):
        self.data = data
        self.model = model
        self.mode = mode
        self.check = check
        self._summed = 0
        self.assumptions: list[tuple[cp_model.IntVar, Rule]] = []
        self.relaxations: list[tuple[cp_model.LinearExprT, int, Rule]] = []  # (slack, weight, change)
        upper = data.types.count[data.arcs.type]
        if mode == "solve":
            # Capacity as a domain bound helps the search; when explaining, the
            # capacity constraint must stay a separate, retractable rule.
            upper = np.minimum(
                upper, data.sessions.capacity[data.arcs.session] // data.types.size[data.arcs.type]
            )
        self.seat_upper: list[int] = [int(u) for u in upper]
        self.seat: list[cp_model.IntVar] = []
        for e, u in enumerate(self.seat_upper):
            if e % CHECK_EVERY == 0:
                check()
            self.seat.append(model.new_int_var(0, u, f"seat{e}"))
        # Planning: whether each candidate session runs (always, when sessions are all fixed;
        # as held, in a sub-event that keeps the plan).
        held_open = data.fixed_seats.open
        self.open: list[cp_model.IntVar | int] = (
            [int(x) for x in held_open]
            if data.planned and held_open is not None
            else [model.new_bool_var(f"open{c}") for c in range(len(data.candidates.seminar))]
            if data.planned
            else [1] * len(data.candidates.seminar)
        )
        #: How far each session falls short of its minimum, when the minimum is soft.
        self.shortfall: list[cp_model.IntVar] = []
        self._slot_candidates = np.split(
            np.argsort(data.candidates.slot, kind="stable"),
            np.searchsorted(np.sort(data.candidates.slot), np.arange(1, len(data.sessions.seminar))),
        )
        self._admitted = {
            t: model.new_int_var(0, int(data.types.chosen[t]), f"admitted{t}")
            for t in np.flatnonzero(admitted_varies(data)).tolist()
        }

    def new_int(self, lower: int, upper: int, name: str) -> cp_model.IntVar:
        """Create an auxiliary integer variable (objective helpers use this)."""
        return self.model.new_int_var(lower, upper, name)

    def new_bool(self, name: str) -> cp_model.IntVar:
        """Create an auxiliary boolean variable (rule helpers use this)."""
        return self.model.new_bool_var(name)

    def admitted(self, t: int) -> cp_model.IntVar | int:
        """Return how many members of type ``t`` may be seated at the event."""
        return self._admitted.get(t, int(self.data.types.count[t]))

    def admitted_items(self) -> list[tuple[int, cp_model.IntVar]]:
        """Return the ``(type, variable)`` pairs of types with a variable admitted count."""
        return list(self._admitted.items())

    def seats(self, arcs: NDArray[np.int64]) -> cp_model.LinearExpr:
        """Return the sum of the seat variables of ``arcs`` (every rule builds through here)."""
        self._summed += len(arcs) + 1
        if self._summed >= CHECK_EVERY:
            self._summed = 0
            self.check()
        return cp_model.LinearExpr.sum([self.seat[e] for e in arcs.tolist()])

    def slot_open(self, s: int, candidates: NDArray[np.int64] | None = None) -> cp_model.LinearExpr | int:
        """Return 1 when session ``s`` runs (in one of ``candidates``, default any), else 0."""
        if not self.data.planned:
            return 1
        chosen = self._slot_candidates[s] if candidates is None else candidates
        return cp_model.LinearExpr.sum([self.open[c] for c in chosen.tolist()])

    def slot_people(self, s: int, per_candidate: NDArray[np.int64]) -> cp_model.LinearExpr | int:
        """Return ``per_candidate[c]`` of the candidate session ``s`` runs in (0 when it does not)."""
        chosen = self._slot_candidates[s]
        if not self.data.planned:
            return int(per_candidate[chosen[0]])
        return cp_model.LinearExpr.weighted_sum(
            [self.open[c] for c in chosen.tolist()], per_candidate[chosen].tolist()
        )

    def persons(self, arcs: NDArray[np.int64]) -> cp_model.LinearExpr:
        """Return the people seated on ``arcs``: each seat counts its member's size."""
        sizes = self.data.types.size[self.data.arcs.type[arcs]]
        if (sizes == 1).all():
            return self.seats(arcs)
        return cp_model.LinearExpr.weighted_sum([self.seat[e] for e in arcs.tolist()], sizes.tolist())

    def guard(self, constraint: cp_model.Constraint, rule: Rule) -> None:
        """Make ``constraint`` retractable when explaining or relaxing infeasibility."""
        if self.mode == "solve":
            return
        literal = self.model.new_bool_var(f"rule{len(self.assumptions)}")
        constraint.only_enforce_if(literal)
        self.assumptions.append((literal, rule))
        if self.mode == "relax":
            dropped = rule.model_copy(update={"text": f"drop the rule: {rule.text}", "drop": True})
            self.relaxations.append((1 - literal, DROP_WEIGHT, dropped))

    def at_most(self, expr: cp_model.LinearExprT, limit: int, rule: Rule, change: Rule) -> None:
        """Add ``expr <= limit``; ``change`` says what relaxing it means, with ``{n}``."""
        if self.mode == "relax":
            slack = self.model.new_int_var(0, self.data.n_attendees, "")
            self.model.add(expr <= limit + slack)
            self.relaxations.append((slack, 1, change))
            return
        self.guard(self.model.add(expr <= limit), rule)

    def at_least(
        self, expr: cp_model.LinearExprT, limit: int, rule: Rule, change: Rule, most: int | None = None
    ) -> None:
        """Add ``expr >= limit``; ``change`` says what relaxing it (by at most ``most``, default
        ``limit``) means, with ``{n}``."""
        if self.mode == "relax":
            slack = self.model.new_int_var(0, limit if most is None else most, "")
            self.model.add(expr >= limit - slack)
            self.relaxations.append((slack, 1, change))
            return
        self.guard(self.model.add(expr >= limit), rule)

    def exactly(self, expr: cp_model.LinearExprT, value: int, rule: Rule, change: Rule) -> None:
        """Add ``expr == value`` (pins); relaxing it lets ``{n}`` fewer be pinned."""
        if self.mode == "relax":
            slack = self.model.new_int_var(0, value, "")
            self.model.add(expr == value - slack)
            self.relaxations.append((slack, UNPIN_WEIGHT, change))
            return
        self.guard(self.model.add(expr == value), rule)
