"""Time and price of each objective on the S1 example, in one run.

Prints, per objective kind: status, wall time of ``solve()``, the rank cost
and its ratio to the rank-cost optimum (the price of fairness), and the rank
profile. Run from the repository root::

    python -m benchmarks.objectives [EVENT.json]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import get_args

from seatalloc import Event, solve
from seatalloc.schema.records import ObjectiveKind

DEFAULT = Path(__file__).resolve().parents[1] / "examples" / "jamlikhetskonferensen-2019.json"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    event = Event.from_json(args[0] if args else DEFAULT)
    rows = []
    for kind in get_args(ObjectiveKind):
        started = time.perf_counter()
        allocation = solve(event, objective=kind, time_limit=60, seed=0)
        rows.append((kind, allocation, time.perf_counter() - started))
    base = rows[0][1].objective or 1
    print(f"{'objective':<20} {'status':<9} {'seconds':>8} {'rank cost':>10} {'x cost':>7}  profile")
    for kind, a, seconds in rows:
        profile = " ".join(f"{k}:{v}" for k, v in a.stats.choice_counts.items())
        print(
            f"{kind:<20} {a.status:<9} {seconds:8.2f} {a.objective:>10} {a.objective / base:7.3f}  {profile}"
        )


if __name__ == "__main__":
    main()
