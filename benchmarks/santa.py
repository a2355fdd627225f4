"""Santa's Workshop Tour 2019 (Kaggle), preference cost only, solved exactly.

5,000 families of 2-8 people each rank 10 of 100 days; a family of ``n`` at
its choice ``k`` costs 0, 50, 50+9n, 100+9n, 200+9n, 200+18n, 300+18n,
300+36n, 400+36n, 500+235n; every day holds 125 to 300 people. Without the
competition's non-linear accounting term, the optimum is 43,622 (an exact
MILP in ../shared/data/kaggle-santa-workshop-tour-2019/SOURCE.md).

As a seatalloc event: one pass, a seminar and a room per day (capacity 300,
``min_attendance`` 125), one attendee per family with ``size`` n and
``costs`` per listed day, ``only_listed``. The independent checker verifies
the result; the best known Kaggle submission (which also pays the accounting
term) is priced by the same checker as a baseline.

Run from the repository root::

    python -m benchmarks.santa [--time-limit 600] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from seatalloc import Allocation, Event, check, solve
from seatalloc.schema import Assignment

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "kaggle-santa-workshop-tour-2019"
REFERENCE = 43_622  # preference-only optimum, SOURCE.md


def choice_cost(k: int, n: int) -> int:
    """The competition's preference cost of choice ``k`` (0-based) for a family of ``n``."""
    return [0, 50, 50 + 9 * n, 100 + 9 * n, 200 + 9 * n, 200 + 18 * n, 300 + 18 * n, 300 + 36 * n,
            400 + 36 * n, 500 + 36 * n + 199 * n][k]  # fmt: skip


def santa_event(path: Path = DATA / "family_data.csv") -> Event:
    """Return the preference-only Santa 2019 problem as an event."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    days = [f"d{d}" for d in range(1, 101)]
    families = []
    for row in rows:
        n = int(row["n_people"])
        costs = {f"d{row[f'choice_{k}']}": choice_cost(k, n) for k in range(10)}
        families.append({"id": f"f{row['family_id']}", "size": n, "costs": costs})
    return Event.model_validate(
        {
            "name": "Santa's Workshop Tour 2019 (preference cost)",
            "passes": [{"id": "tour"}],
            "rooms": [{"id": f"room-{d}", "capacity": 300} for d in days],
            "seminars": [{"id": d, "min_attendance": 125} for d in days],
            "sessions": [{"seminar": d, "pass": "tour", "room": f"room-{d}"} for d in days],
            "attendees": families,
            "objective": {"only_listed": True, "unseated_cost": 10**6},
        }
    )


def submission(event: Event, path: Path) -> Allocation:
    """Return a Kaggle submission (family_id, assigned_day) as an allocation."""
    with path.open(encoding="utf-8") as f:
        day = {f"f{r['family_id']}": f"d{r['assigned_day']}" for r in csv.DictReader(f)}
    ranks: dict[str, int] = {}
    for a in event.attendees:
        key = str(a.choices.index(day[a.id]) + 1) if day[a.id] in a.choices else "unranked"
        ranks[key] = ranks.get(key, 0) + 1
    return Allocation.model_validate(
        {
            "status": "unknown",
            "objective": None,
            "bound": None,
            "gap": None,
            "assignments": [
                Assignment(a.id, "tour", day[a.id], f"room-{day[a.id]}") for a in event.attendees
            ],
            "unseated": [],
            "stats": {"attendees": len(event.attendees), "types": 0, "choice_counts": ranks, "sessions": []},
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    event = santa_event()
    built = time.perf_counter() - started
    allocation = solve(event, time_limit=args.time_limit, workers=args.workers)
    report = check(event, allocation)
    counts = allocation.stats.choice_counts
    people = sum(a.size for a in event.attendees)
    print(f"families {len(event.attendees)}, people {people}; event built in {built:.1f}s")
    print(
        f"seatalloc: {allocation.status}, objective {allocation.objective}, bound {allocation.bound}, "
        f"gap {allocation.gap:.4%}, {allocation.solver.wall_time:.1f}s with {args.workers} worker(s); "
        f"checker {'ok' if report.ok else report.violations[:3]}"
    )
    print(f"choices 1..5: {[counts.get(str(k), 0) for k in range(1, 6)]}")
    print(f"reference optimum {REFERENCE}: ratio {allocation.objective / REFERENCE:.4f}")
    best = DATA / "submission_68888.04.csv"
    if best.exists():
        theirs = check(event, submission(event, best))
        print(
            f"best Kaggle submission (68,888.04 with accounting): preference cost {theirs.objective}, "
            f"ratio to seatalloc {theirs.objective / allocation.objective:.4f}; "
            f"checker {'ok' if theirs.ok else theirs.violations[:3]}"
        )


if __name__ == "__main__":
    main()
