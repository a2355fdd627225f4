"""Name the rules that make an event infeasible, and the smallest change that fixes it.

Only rules that force seats (pins) can clash with rules that cap them
(capacity, quotas); every other attendee may stay unseated. We rebuild the
model with each such rule guarded by an assumption literal and ask CP-SAT
for a set of assumptions that cannot hold together. Both searches share what
is left of the call's budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model import Variables, build_model
from seatalloc.model.stability import add_move_limit
from seatalloc.model.variables import Mode
from seatalloc.schema.allocation import Rule
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.methods.sat import new_solver, run


def _model(data: CompiledEvent, mode: Mode, budget: Budget) -> tuple[cp_model.CpModel, Variables]:
    model, v = build_model(data, mode=mode, check=budget.check)
    if data.max_moves is not None:
        add_move_limit(data, model, v, data.max_moves)
    return model, v


#: Said when no conflict could be isolated in time.
GENERAL = Rule(code="general", text="the pinned attendees cannot all be seated within capacities and quotas")
_SHRINK_LIMIT = 40  # rules; past this the first core is reported as found


def find_conflicts(data: CompiledEvent, *, seed: int, budget: Budget) -> tuple[Rule, ...]:
    """Return the conflicting rules of an infeasible compiled event, in words and as data.

    Parameters
    ----------
    data
        A compiled event that CP-SAT proved infeasible (with its move limit, if any).
    seed
        Seed of the search.
    budget
        What the search may spend.

    Returns
    -------
    tuple of Rule
        One per rule in the conflict; a single general one when CP-SAT could not isolate one
        within the budget.
    """
    try:
        model, v = _model(data, "explain", budget)
    except OutOfTime:
        return (GENERAL,)
    model.clear_objective()
    core = _core(model, [literal for literal, _ in v.assumptions], budget, seed)
    if not core:
        return (GENERAL,)
    core = _shrink(model, core, budget, seed)
    rules = {literal.index: rule for literal, rule in v.assumptions}
    return merged(rules[literal.index] for literal in core)


def merged(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Return the rules, in order, with those of groups of interchangeable attendees pinned to one
    seminar in one pass said once, their counts added: "1 of the 3 attendee(s) pinned to X" twice
    becomes "2 of the 3 attendee(s) pinned to X" (the 3 counts everyone pinned there), and "all 3
    attendee(s) pinned to X" when the conflict or the fix takes every one of them."""
    out: dict[tuple[str, str], tuple[Rule, int]] = {}
    for rule in rules:
        found = re.fullmatch(r"(unpin |)(\d+) of the (\d+) (attendee\(s\) .*)", rule.text)
        if found is None:
            out.setdefault((rule.text, ""), (rule, 0))
            continue
        verb, n, _total, rest = found.groups()
        first, count = out.get((verb, rest), (rule, 0))
        out[(verb, rest)] = (first, count + int(n))
    return tuple(
        rule
        if not rest
        else rule.model_copy(
            update={"text": f"{head}{_of(n, rule.of or n)} {rest}"}
            | ({"change": n} if head else {"attendees": n})
        )
        for (head, rest), (rule, n) in out.items()
    )


def _of(n: int, total: int) -> str:
    if n < total:
        return f"{n} of the {total}"
    return f"all {total}" if total > 1 else "the 1"


def _core(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], budget: Budget, seed: int
) -> list[cp_model.IntVar]:
    """Return assumptions that cannot hold together, or [] if none were found."""
    if budget.stop() is not None:
        return []
    model.clear_assumptions()
    model.add_assumptions(literals)
    # Cores of assumptions are reported by the single-worker search.
    solver = new_solver(budget, seed=seed, workers=1)
    if run(solver, model, budget).status != cp_model.INFEASIBLE:
        return []
    found = set(solver.sufficient_assumptions_for_infeasibility())
    return [literal for literal in literals if literal.index in found]


def _shrink(
    model: cp_model.CpModel, core: list[cp_model.IntVar], budget: Budget, seed: int
) -> list[cp_model.IntVar]:
    """Drop rules from the core while the rest still conflict (deletion filter)."""
    if len(core) > _SHRINK_LIMIT:
        return core
    kept = list(core)
    for done, literal in enumerate(core):
        trial = [other for other in kept if other is not literal]
        if trial and _core(model, trial, budget.share(1 / (len(core) - done)), seed):
            kept = trial
    return kept


def find_relaxation(data: CompiledEvent, *, seed: int, budget: Budget) -> tuple[Rule, ...]:
    """Return the smallest change that makes an infeasible event feasible, in words and as data.

    Every capacity and quota may grow (one unit per seat) and every pin may be
    released (``UNPIN_WEIGHT`` per attendee: moving a speaker is a bigger
    change than a chair more); dropping a parity or diversity rule costs
    ``DROP_WEIGHT``. The cheapest such change found within the budget is
    reported, for example ``room 'R2' (seminar 'B', pass 'P1') needs 2 more seats``.
    """
    try:
        model, v = _model(data, "relax", budget)
    except OutOfTime:
        return ()
    model.minimize(
        cp_model.LinearExpr.weighted_sum([s for s, _, _ in v.relaxations], [w for _, w, _ in v.relaxations])
    )
    solver = new_solver(budget, seed=seed, workers=1)
    if run(solver, model, budget).status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ()
    changes = []
    for slack, _, change in v.relaxations:
        n = int(solver.value(slack))
        if n > 0:
            update = {"text": change.text.format(n=n)} | ({} if change.drop else {"change": n})
            changes.append(change.model_copy(update=update))
    return merged(changes)
