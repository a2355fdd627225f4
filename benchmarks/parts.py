"""Issue 17's benchmark: availability, a two-part workshop and history weights on the S1 shape,
beside S1 itself.

For each size, four events of the same attendees: S1 as generated (the baseline), the same with
one in five attending one pass only (``available``), the same with a workshop taking both
passes (``parts: 2``) that one in five ranks first, in a room of its own for a tenth of them, and
the same with one in five returning with a history score of 1 or 2 and ``history_weight`` 1. Each is
solved with the default method and time limit; every allocation is checked (the run stops at
one that breaks a rule). The table gives the
status, the gap to the proven bound, the types the model used, the time to the first allocation
and the whole call, and the whole call's ratio to the baseline in the same run.

    python -m benchmarks.parts                 # 430, 2,000 and 10,000 attendees
    python -m benchmarks.parts --sizes 430     # one size
"""

from __future__ import annotations

import argparse
import copy
import time

import numpy as np

from benchmarks.generate import s1
from seatalloc import Event, check, solve


def variants(size: int) -> dict[str, dict]:
    """The baseline, and the same attendees with availability, a two-part workshop or histories."""
    base = s1(size)
    rng = np.random.default_rng(17)
    away = copy.deepcopy(base)
    for person in away["attendees"]:
        if rng.random() < 0.2:
            person["available"] = [str(rng.choice(["P1", "P2"]))]
    workshop = copy.deepcopy(base)
    workshop["seminars"].append({"id": "W", "title": "Verkstad", "parts": 2})
    workshop["rooms"].append({"id": "Verkstaden", "capacity": max(1, size // 10)})
    workshop["sessions"].append({"seminar": "W", "pass": "P1", "room": "Verkstaden"})
    for person in workshop["attendees"]:
        if rng.random() < 0.2:
            person["choices"] = ["W", *person["choices"]]
    returning = copy.deepcopy(base)
    for person in returning["attendees"]:
        if rng.random() < 0.2:
            person["history"] = {"score": int(rng.integers(1, 3))}
    returning["objective"]["history_weight"] = 1
    return {"S1": base, "available": away, "parts": workshop, "history": returning}


def measure(data: dict, time_limit: float) -> dict:
    event = Event.model_validate(data)
    start = time.perf_counter()
    allocation = solve(event, time_limit=time_limit, seed=0)
    wall = time.perf_counter() - start
    if allocation.objective is not None and not check(event, allocation).ok:
        raise SystemExit(f"an allocation that breaks a rule: {check(event, allocation).violations[:3]}")
    solver = allocation.solver
    return {
        "status": allocation.status,
        "gap": allocation.gap,
        "types": allocation.stats.types,
        "method": solver.method if solver else "-",
        "first_s": solver.first_time if solver else None,
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="430,2000,10000")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    solve(Event.model_validate(s1(50)), time_limit=10)  # load the solvers before the clock
    print("| attendees | event | method | status | gap | types | first allocation | whole call | vs S1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        base = None
        for name, data in variants(size).items():
            row = measure(data, args.time_limit)
            base = base or row["wall_s"]
            gap = "-" if row["gap"] is None else f"{row['gap']:.2%}"
            first = "-" if row["first_s"] is None else f"{row['first_s']:.2f} s"
            print(
                f"| {size:,} | {name} | {row['method']} | {row['status']} | {gap} | {row['types']:,} "
                f"| {first} | {row['wall_s']:.2f} s | {row['wall_s'] / base:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
