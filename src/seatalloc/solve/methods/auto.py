"""``auto``: the policy that composes the registered methods; no method of its own.

1. Where the flow method applies, it runs first. On a small type model (at
   most :data:`CP_SAT_ARCS` arcs) it gets :data:`FLOW_SHARE` of the budget
   (at least :data:`FLOW_LEAST`) and, when its allocation is not proven optimal, CP-SAT solves the type
   model with the rest, without the flow's seats as a hint (a hint slowed it
   from 7 s to 33 s on a catalogue of 2,000 whose seminars run in 2 of 4
   passes); the better allocation is kept with the larger bound. On larger
   models the flow method has the whole budget: its seat prices and
   neighbourhoods do better there (on 120,000 arcs CP-SAT improved neither
   the seats nor the bound in 90 s).
2. Otherwise (rules the flow method does not honour, or pins it cannot
   seat), CP-SAT, when its model fits in memory.
3. When no method can solve the event, the outcome is ``unknown`` and says why.
"""

from __future__ import annotations

import math
from dataclasses import replace

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods import NotApplicable, Outcome, cost_stage, get_method
from seatalloc.solve.options import SolveOptions

#: Largest type model (arcs) that CP-SAT follows the flow method on.
CP_SAT_ARCS = 50_000
#: The share of the budget the flow method gets when CP-SAT may follow, and the least it gets
#: (seconds, or work units with a work limit): enough for its bound and first allocation.
FLOW_SHARE = 0.05
FLOW_LEAST = 1.0


def run_auto(data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
    """Solve ``data`` with the registered methods that apply, within ``budget``."""
    flow, cp_sat = get_method("flow"), get_method("cp-sat")
    why_not = {flow.name: flow.supports(data, options)}
    if why_not[flow.name] is None:
        then_cp_sat = len(data.arcs.type) <= CP_SAT_ARCS and cp_sat.supports(data, options) is None
        try:
            first = flow.run(data, options, _flow_share(budget) if then_cp_sat else budget)
        except NotApplicable as reason:
            why_not[flow.name] = str(reason)
        else:
            if first.status == "optimal" or not then_cp_sat or first.stop == "interrupted" or budget.stop():
                return first
            return _better(first, cp_sat.run(data, options, budget))
    why_not[cp_sat.name] = cp_sat.supports(data, options)
    if why_not[cp_sat.name] is None:
        return cp_sat.run(data, options, budget)
    reasons = "; ".join(f"{name}: {why}" for name, why in why_not.items())
    return Outcome("unknown", "auto", note=f"no method can solve this event ({reasons})")


def _flow_share(budget: Budget) -> Budget:
    """Return the flow method's part of ``budget`` when CP-SAT follows: :data:`FLOW_SHARE`, at least
    :data:`FLOW_LEAST` (by work when there is a work limit, so the split does not depend on speed)."""
    left = budget.work_left() if budget.work_limit is not None else budget.seconds_left()
    least = FLOW_LEAST / left if 0 < left < math.inf else 0.0
    return budget.share(min(1.0, max(FLOW_SHARE, least)))


def _better(flow: Outcome, cp_sat: Outcome) -> Outcome:
    """Keep the cheaper allocation of the two, with the larger of their bounds."""
    bounds = [b for b in (flow.bound, cp_sat.bound) if b is not None]
    bound = max(bounds) if bounds else None
    best = (
        cp_sat
        if cp_sat.objective is not None and (flow.objective is None or cp_sat.objective <= flow.objective)
        else flow
    )
    seconds = flow.seconds + cp_sat.seconds
    if best.objective is None or bound is None:
        return replace(best, method="flow+cp-sat", bound=bound, seconds=seconds)
    stage = cost_stage(best.objective, bound)
    stop = None if stage.status == "optimal" else cp_sat.stop
    return replace(
        best,
        status=stage.status,
        method="flow+cp-sat",
        bound=bound,
        stages=(stage,),
        stop=stop,
        seconds=seconds,
    )
