"""``auto``: the policy that composes the registered methods; no method of its own.

1. Where the flow method applies, it runs first. On a small type model (at
   most :data:`CP_SAT_ARCS` arcs) it gets :data:`FLOW_SHARE` of the budget
   (at least :data:`FLOW_LEAST`) and, when its allocation is not proven optimal, CP-SAT solves the type
   model with the rest, without the flow's seats as a hint (a hint slowed it
   from 7 s to 33 s on a catalogue of 2,000 whose seminars run in 2 of 4
   passes); the better allocation is kept with the larger bound. On a larger
   model (on 120,000 arcs CP-SAT improved neither the seats nor the bound in
   90 s) the large-neighbourhood method follows instead: on a sparse
   catalogue of 10,000 unique attendees it came within 0.1 % of its LP bound
   in 30 s, where the flow method alone stayed 6 % above it (its own bound
   leaves out that nobody takes a seminar twice). On a model of more than
   :data:`FLOW_IN_LNS_ARCS` arcs the large-neighbourhood method runs alone:
   it seats everyone greedily first and then runs the flow method itself.
2. When per-session organisation quotas are all that keeps the flow method
   out, it solves the event without them first: when its proven optimum keeps
   every quota anyway, that is the optimum with them, without CP-SAT (S1's
   quotas never bind). A method loads when it is first needed, with the clock
   paused (``Budget.paused``): loading a library is not the event's work.
3. Otherwise (rules the flow method does not honour, or pins it cannot
   seat): a small type model (at most :data:`LNS_ARCS` arcs) goes to CP-SAT,
   which proves such models optimal in well under a second; a larger one to
   the large-neighbourhood method (``lns``: an allocation early, improved,
   with the LP bound), followed by CP-SAT with :data:`LNS_THEN_CP_SAT` of the
   budget while the model is at most :data:`CP_SAT_ARCS` arcs (it often
   proves those optimal given time); the better allocation is kept, with the
   larger bound. Measured: CP-SAT alone found no allocation in 20 s for a
   catalogue of 2,000 unique attendees with a county mix, or in 30 s for
   10,000 with 13 organisation quotas.
4. When no method can solve the event, the outcome is ``unknown`` and says why.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.compile.data import IntArray
from seatalloc.solve.budget import Budget
from seatalloc.solve.certificate import stronger
from seatalloc.solve.methods import NotApplicable, Outcome, get_method, with_bound
from seatalloc.solve.options import SolveOptions

#: Largest type model (arcs) that CP-SAT follows the flow method or the lns method on.
CP_SAT_ARCS = 50_000
#: Largest type model (arcs) that CP-SAT alone solves when the flow method does not apply.
LNS_ARCS = 10_000
#: The share of the budget left for CP-SAT after the lns method, on a model it may follow on
#: (0.6 left the lns method 4 s of 10 on a quota catalogue of 2,000, not enough for its LP vertex
#: and the allocation rounded from it, proven optimal in 5.7 s given the whole budget).
LNS_THEN_CP_SAT = 0.3
#: The share of the budget the flow method gets when CP-SAT may follow, and the least it gets
#: (seconds, or work units with a work limit): enough for its bound and first allocation.
FLOW_SHARE = 0.05
FLOW_LEAST = 1.0
#: Beyond this many arcs the lns method runs on a plain event at once: it seats everyone greedily
#: first (9 s for 1,000,000 unique attendees), then runs the flow method itself (lns's
#: ``PLAIN_ARCS``), whose first seats on 12 million arcs came after 45 s. Below it the flow method
#: first does better (a sparse catalogue of 100,000 on 1.2 million arcs: 0.6 % above its bound,
#: 6 % with lns first).
FLOW_IN_LNS_ARCS = 5_000_000


def run_auto(data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
    """Solve ``data`` with the registered methods that apply, within ``budget``."""
    flow = get_method("flow", budget)
    why_not = {flow.name: flow.supports(data, options)}
    if why_not[flow.name] is None:
        small = len(data.arcs.type) <= CP_SAT_ARCS
        then = get_method("cp-sat" if small else "lns", budget)
        follows = then.supports(data, options) is None
        if follows and len(data.arcs.type) > FLOW_IN_LNS_ARCS:
            return then.run(data, options, budget)  # (it runs the flow method after its first seats)
        try:
            first = flow.run(data, options, _flow_share(budget) if follows else budget)
        except NotApplicable as reason:
            why_not[flow.name] = str(reason)
        else:
            if first.status == "optimal" or not follows or first.stop == "interrupted" or budget.stop():
                return first
            return _better(data, first, then.run(data, options, budget))
    else:
        held, relaxed = _held_without_quotas(data, options, budget)
        if held is not None:
            return held
        return _at_least(data, _without_flow(data, options, budget, why_not), relaxed)
    return _without_flow(data, options, budget, why_not)


def _without_flow(
    data: CompiledEvent, options: SolveOptions, budget: Budget, why_not: dict[str, str | None]
) -> Outcome:
    """Solve ``data`` with the lns method and CP-SAT (points 3 and 4 above)."""
    cp_sat = get_method("cp-sat", budget)
    why_not[cp_sat.name] = cp_sat.supports(data, options)
    lns = get_method("lns", budget)
    if len(data.arcs.type) > LNS_ARCS:
        why_not[lns.name] = lns.supports(data, options)
        if why_not[lns.name] is None:
            then_cp_sat = why_not[cp_sat.name] is None and len(data.arcs.type) <= CP_SAT_ARCS
            first = lns.run(data, options, budget.share(1 - LNS_THEN_CP_SAT) if then_cp_sat else budget)
            if first.status == "optimal" or first.stop == "interrupted" or budget.stop():
                return first
            if why_not[cp_sat.name] is not None:
                return first
            second = cp_sat.run(data, options, budget)
            return second if first.seats is None else _better(data, first, second)
    if why_not[cp_sat.name] is None:
        return cp_sat.run(data, options, budget)
    reasons = "; ".join(f"{name}: {why}" for name, why in why_not.items())
    return Outcome("unknown", "auto", note=f"no method can solve this event ({reasons})")


def _held_without_quotas(
    data: CompiledEvent, options: SolveOptions, budget: Budget
) -> tuple[Outcome | None, Outcome | None]:
    """When per-session organisation quotas are all that keeps the flow method out, solve without
    them (:data:`FLOW_SHARE` of the budget): an optimal allocation of that relaxation which keeps
    every quota anyway is optimal with them, and needs no CP-SAT. S1's quotas never bind, so S1 is
    proven optimal by a min-cost flow. Return that outcome (None when the quotas bind or the flow
    is not proven) and the relaxation's outcome, whose bound and prices bound the event's cost too
    (its sessions are the event's; None: none)."""
    rules = data.rules
    if not len(rules.session_quota_cap) or len(data.arcs.type) > CP_SAT_ARCS:
        return None, None
    none = rules.session_quota_cap[:0]
    without = replace(rules, session_quota_organisation=none, session_quota_cap=none)
    relaxed = replace(data, rules=replace(without, session_quota_sessions=()))
    flow = get_method("flow", budget)
    if flow.supports(relaxed, options) is not None:
        return None, None
    try:  # (quiet: its allocation is the event's only if it keeps every quota)
        outcome = flow.run(relaxed, replace(options, progress=None), _flow_share(budget))
    except NotApplicable:  # pins it cannot seat: CP-SAT says why
        return None, None
    held = outcome.status == "optimal" and outcome.seats is not None and not _over_quota(data, outcome.seats)
    if options.progress is not None and outcome.bound is not None:  # (a relaxation's bound holds)
        options.progress("rank cost", outcome.seconds, outcome.objective if held else None, outcome.bound)
    if not held:
        return None, outcome
    return replace(outcome, method=f"{flow.name} (quotas kept without binding)"), outcome


def _at_least(data: CompiledEvent, outcome: Outcome, relaxed: Outcome | None) -> Outcome:
    """Return ``outcome`` with the bound of the ``relaxed`` outcome when that is higher (a rank-cost
    bound: of that objective only), proven optimal when its cost meets it, and with its prices
    when they prove more."""
    bound = None if relaxed is None else relaxed.bound
    if bound is None or data.objective_kind != "rank-cost" or outcome.status == "infeasible":
        return outcome
    assert relaxed is not None  # (it has a bound)
    outcome = replace(outcome, prices=stronger(outcome.prices, relaxed.prices))
    if outcome.bound is not None and outcome.bound >= bound:
        return outcome
    return with_bound(data, outcome, bound, outcome.stop)


def _over_quota(data: CompiledEvent, seats: IntArray) -> bool:
    """Whether ``seats`` (per arc) put more people of an organisation in a session than its quota."""
    arcs = data.arcs
    people = seats * data.types.size[arcs.type]
    organisation = data.types.organisation[arcs.type]
    n = len(data.sessions.seminar)
    rules = data.rules
    for org, cap, sessions in zip(
        rules.session_quota_organisation.tolist(),
        rules.session_quota_cap.tolist(),
        rules.session_quota_sessions,
        strict=True,
    ):
        mine = np.bincount(arcs.session, weights=np.where(organisation == org, people, 0), minlength=n)
        if (mine[sessions] > cap).any():
            return True
    return False


def _flow_share(budget: Budget) -> Budget:
    """Return the flow method's part of ``budget`` when CP-SAT follows: :data:`FLOW_SHARE`, at least
    :data:`FLOW_LEAST` (by work when there is a work limit, so the split does not depend on speed)."""
    left = budget.work_left() if budget.work_limit is not None else budget.seconds_left()
    least = FLOW_LEAST / left if 0 < left < math.inf else 0.0
    return budget.share(min(1.0, max(FLOW_SHARE, least)))


def _better(data: CompiledEvent, first: Outcome, second: Outcome) -> Outcome:
    """Keep the cheaper allocation of the two (the second's when as good: CP-SAT proves its stages),
    with the larger of their bounds; the total cost is proven optimal when it meets that bound."""
    bounds = [b for b in (first.bound, second.bound) if b is not None]
    bound = max(bounds) if bounds else None
    best = (
        second
        if second.objective is not None and (first.objective is None or second.objective <= first.objective)
        else first
    )
    joined = replace(
        best,
        method=f"{first.method}+{second.method}",
        seconds=first.seconds + second.seconds,
        first=first.first if first.first is not None else second.first,
        prices=stronger(first.prices, second.prices),
    )
    return with_bound(data, joined, bound, second.stop)
