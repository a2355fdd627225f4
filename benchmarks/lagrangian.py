"""The Lagrangian bound beside the LP's optimum, on one event of a generator or of the drawn family.

Builds the LP of the type model (and times reading it back from the CP-SAT model, where it is
written from the arrays), raises the Lagrangian bound from zero prices for ``--seconds``
(``seatalloc.solve.methods.lns.lagrangian``), and solves the LP itself (HiGHS or PDLP, as
``bound.solve_lp`` chooses) for the value the bound should reach; prints both, their ratio and
times, and the bound PDLP's iterate certifies after ``--pdlp`` iterations with and without each
type's exact choice.

    python -m benchmarks.lagrangian quotas 2000 --seed 7 --unseated 10000
    python -m benchmarks.lagrangian family 1 --seed 32
"""

from __future__ import annotations

import argparse
import time

from benchmarks.family import draw, event
from benchmarks.generate import FAMILIES
from seatalloc import Event
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.lns import bound, lagrangian


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("family", help="a generator of benchmarks.generate, or 'family'")
    parser.add_argument("size", type=int, help="attendees (the instance's index for 'family')")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unseated", type=int, help="the unseated cost (generators only)")
    parser.add_argument("--seconds", type=float, default=10.0, help="for the Lagrangian bound")
    parser.add_argument("--pdlp", type=int, default=1000, help="PDLP iterations for its iterate's bound")
    args = parser.parse_args()
    if args.family == "family":
        drawn = event(draw(args.seed, args.size, 1000, 5000))
    else:
        drawn = FAMILIES[args.family](args.size, args.seed)
        if args.unseated is not None:
            drawn["objective"]["unseated_cost"] = args.unseated
    data = compile_event(Event.model_validate(drawn))
    started = time.perf_counter()
    bound.type_lp(data, Budget(None, None), read_back=True)
    read_back = time.perf_counter() - started
    started = time.perf_counter()
    built = bound.type_lp(data, Budget(None, None))
    print(
        f"{len(data.arcs.type):,} arcs, LP built in {time.perf_counter() - started:.2f} s "
        f"(read back from the CP-SAT model: {read_back:.2f} s)"
    )
    split = bound.split_of(data, built)
    started = time.perf_counter()
    prices = lagrangian.ascend(built.lp, split, built.constant, Budget(args.seconds, None))
    ascent = time.perf_counter() - started
    bound.MOST_ITERATIONS = args.pdlp
    started = time.perf_counter()
    duals, _primal, _solved = bound._pdlp(built.lp, Budget(None, None))
    pdlp = time.perf_counter() - started
    box = bound.certified(duals, *built.lp) + built.constant
    exact = lagrangian.value_at(duals, built.lp, split, built.constant)
    started = time.perf_counter()
    lp = bound.solve_lp(data, built, Budget(600, None))
    lp_s = time.perf_counter() - started
    optimum = lp.bound if lp is not None and lp.solved else None
    share = f"{prices.bound / optimum:.1%} of it" if optimum else "the LP did not finish"
    print(f"LP optimum {optimum} in {lp_s:.1f} s")
    print(f"Lagrangian bound {prices.bound:,} in {ascent:.1f} s: {share}")
    print(f"PDLP after {args.pdlp} iterations ({pdlp:.1f} s): {box:,.0f}; each choice exact: {exact:,.0f}")


if __name__ == "__main__":
    main()
