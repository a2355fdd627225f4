"""A certificate for an outcome whose method proved its bound without prices a third party can check.

CP-SAT and the flow method prove their bounds by search and by flows, and
the lns method's prices may prove less than the bound it states (its LP's
prices on the types' own rows are not stated). When the limit leaves time
after the methods, the LP's duals (GLOP, in this process: ``lns.bound``'s
``certify``) are priced into a certificate ``seatalloc check`` recomputes;
where they prove more than the method's bound, that is the bound (and the
allocation is proven optimal when its cost meets it). Like the methods, the
step loads its solver with the clock paused.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.certificate import stronger
from seatalloc.solve.methods import Outcome, with_bound

#: The largest type model (arcs) whose LP is solved for a certificate after the methods: GLOP took
#: 1.3 s on 110,000 arcs of 1,086 types, more than 7 s on 24,000 arcs of 2,000 types (an iteration
#: limit from the budget stops it anyway; beyond this the LP's memory is not worth it).
CERTIFY_ARCS = 250_000
#: The LP is built and solved only when the time left affords this many times the work of building
#: it (GLOP then has the rest: an iterate cut short still prices a bound).
LP_SHARE_OF_WORK = 2.0


def certified(data: CompiledEvent, outcome: Outcome, budget: Budget) -> Outcome:
    """Return ``outcome`` with prices that prove its bound where they prove more than its own, and
    with their bound where that is higher; unchanged when there is nothing to price (no seats, a
    planned event, an objective other than the total cost, a model beyond :data:`CERTIFY_ARCS`),
    no time or work is left, or the LP has no duals in time."""
    if (
        outcome.seats is None
        or data.planned
        or data.objective_kind != "rank-cost"
        or len(data.arcs.type) > CERTIFY_ARCS
        or _proven_by_prices(outcome)
        or budget.stop() is not None
    ):
        return outcome
    with budget.paused():
        bound = importlib.import_module("seatalloc.solve.methods.lns.bound")
    if not budget.affords(LP_SHARE_OF_WORK * bound.DIRECT_WORK_PER_ARC * len(data.arcs.type)):
        return outcome  # (building the LP alone would overrun what is left)
    try:
        prices = bound.certify(data, budget)
    except OutOfTime:
        return outcome
    if prices is None or (outcome.prices is not None and prices.bound <= outcome.prices.bound):
        return outcome
    outcome = replace(outcome, prices=stronger(outcome.prices, prices))
    if outcome.bound is None or prices.bound > outcome.bound:
        return with_bound(data, outcome, prices.bound, outcome.stop)
    return outcome


def _proven_by_prices(outcome: Outcome) -> bool:
    """Whether ``outcome``'s prices already prove its bound."""
    return outcome.prices is not None and outcome.bound is not None and outcome.prices.bound >= outcome.bound
