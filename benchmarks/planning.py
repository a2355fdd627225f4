"""Letting the optimiser plan rooms, against the organiser's fixed plan, in the same run.

S1-shaped events (examples/make_s1.py) at several sizes: the fixed plan (each
seminar in its room in both passes, as the programme had it) and the same
event with the rooms left to the optimiser. Prints cost, bound, time and the
ratio of the costs, then the optimiser's plan for the first size: which
seminar got which room, beside how many ranked it first.

Run from the repository root::

    python -m benchmarks.planning [--sizes 430,10000,100000] [--time-limit 120]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from seatalloc import Event, solve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))
from make_s1 import make_event, make_rooms_open  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="430,10000,100000")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    print("attendees | plan | status | cost | bound | seconds | cost ratio (optimiser / fixed)")
    shown = False
    for size in (int(s) for s in args.sizes.split(",")):
        results = {}
        for label, make in (("fixed rooms", make_event), ("optimiser's rooms", make_rooms_open)):
            event = Event.model_validate(make(seed=1, attendees=size))
            started = time.perf_counter()
            allocation = solve(event, time_limit=args.time_limit)
            seconds = time.perf_counter() - started
            results[label] = allocation
            ratio = ""
            if label != "fixed rooms" and allocation.objective and results["fixed rooms"].objective:
                ratio = f"{allocation.objective / results['fixed rooms'].objective:.3f}"
            print(
                f"{size} | {label} | {allocation.status} | {allocation.objective} | {allocation.bound} | "
                f"{seconds:.2f} | {ratio}"
            )
        if not shown:
            shown = True
            first = Counter(a.choices[0] for a in event.attendees)
            print("the optimiser's plan (largest room first), with first-choice demand:")
            for s in sorted(
                results["optimiser's rooms"].stats.sessions, key=lambda s: (s.pass_, -s.capacity)
            ):
                demand = f"{first[s.seminar]} first choices"
                print(f"  {s.pass_} {s.room:<13} {s.capacity:>4} seats: {s.seminar} ({demand})")


if __name__ == "__main__":
    main()
