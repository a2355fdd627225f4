"""Real preference data from ../shared/data as seatalloc events, against the reference values.

- SDU 2016 student-project allocation (416 students, 160 teams of 100
  topics, team sizes [min, max] or closed, student/project type
  compatibility): each team is a session of a seminar of its own in one
  pass (``min_attendance`` and ``optional``), a student's ranked topic gives
  every team of it the rank as ``costs`` (``only_listed``), incompatible
  types are ``excluded``. Reference: min rank sum 590; smallest worst rank 5.
- AGH course selection 2003 and 2004 (PrefLib 00009; 146 and 153 students,
  full rankings of 9 and 7 courses, capacity ceil(N/m) as in SOURCE.md):
  reference min rank sums 347 and 360, smallest worst ranks 5 and 4.
- Glasgow project allocation (PrefLib 00038; 31-51 students, projects of one
  place, from file 4 on supervisor limits across their projects as
  ``shared_limits``): reference min rank sums at maximum cardinality 57, 54,
  50, 44, 58, 111, 101 (files 1, 2, 4-8) and rank-maximal profiles.

The rank sum is the rank-cost objective with costs 1, 2, 3, ...; the
smallest worst rank is the least k for which everyone can be seated within
their first k choices (``only_listed`` with longer lists cut).

Run from the repository root::

    python -m benchmarks.realdata
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections import defaultdict
from pathlib import Path

from seatalloc import Event, check, solve

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SDU = DATA / "sdu-student-project-allocation" / "2016"
AGH = DATA / "preflib-agh-course-selection"
GLASGOW = DATA / "preflib-glasgow-spa"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter=";") if row]


def sdu_event(cut: int | None = None) -> Event:
    """SDU 2016 as an event; with ``cut``, only each student's first ``cut`` ranks are allowed."""
    teams = [
        (topic, team or "-", int(low), int(high), kind)
        for topic, team, low, high, kind in _rows(SDU / "tmp_projects.txt")
    ]
    students = {h: kind for _, h, kind in _rows(SDU / "tmp_students.txt")}
    allowed = {}
    with (SDU / "types.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=";"):
            allowed[row[0]] = set(row[1:])
    ranks: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for student, topic, rank, _weight in _rows(SDU / "tmp_priorities.txt"):
        if cut is None or int(rank) <= cut:
            ranks[student][topic] = int(rank)
    of_topic: defaultdict[str, list[str]] = defaultdict(list)
    kind_of: dict[str, str] = {}
    for topic, team, _, _, kind in teams:
        of_topic[topic].append(f"t{topic}{team}")
        kind_of[f"t{topic}{team}"] = kind
    attendees = []
    for student, kind in students.items():
        costs = {
            name: rank
            for topic, rank in ranks[student].items()
            for name in of_topic[topic]
            if kind_of[name] in allowed[kind]
        }
        attendees.append({"id": student[:12], "costs": costs})
    return Event.model_validate(
        {
            "name": "SDU 2016 project allocation",
            "passes": [{"id": "term"}],
            "rooms": [{"id": f"room-t{t}{team}", "capacity": high} for t, team, _, high, _ in teams],
            "seminars": [
                {"id": f"t{t}{team}", "min_attendance": low, "optional": True} for t, team, low, _, _ in teams
            ],
            "sessions": [
                {"seminar": f"t{t}{team}", "pass": "term", "room": f"room-t{t}{team}"}
                for t, team, *_ in teams
            ],
            "attendees": attendees,
            "objective": {"only_listed": True, "unranked_cost": 0, "unseated_cost": 10_000},
        }
    )


def _preflib(path: Path, prefix: str) -> tuple[list[str], list[list[str]]]:
    """Return the alternatives and one ranking per voter of a PrefLib .soc/.soi file."""
    orders: list[list[str]] = []
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# NUMBER ALTERNATIVES:"):
            count = int(line.split(":")[1])
        elif line and not line.startswith("#"):
            times, order = line.split(":")
            orders += [[f"{prefix}{c.strip()}" for c in order.split(",")]] * int(times)
    return [f"{prefix}{c}" for c in range(1, count + 1)], orders


def _one_pass(name: str, seminars: list[str], capacity: int, orders: list[list[str]], ranks: int) -> Event:
    """One pass, a room of ``capacity`` per seminar, ranked choices costing their rank."""
    return Event.model_validate(
        {
            "name": name,
            "passes": [{"id": "term"}],
            "rooms": [{"id": f"room-{c}", "capacity": capacity} for c in seminars],
            "seminars": [{"id": c} for c in seminars],
            "sessions": [{"seminar": c, "pass": "term", "room": f"room-{c}"} for c in seminars],
            "attendees": [{"id": f"s{i}", "choices": order} for i, order in enumerate(orders)],
            "objective": {
                "rank_costs": list(range(1, ranks + 1)),
                "only_listed": True,
                "unseated_cost": 10_000,
            },
        }
    )


def agh_event(number: int, cut: int | None = None) -> Event:
    """AGH course selection 200(2+number) with capacity ceil(N/m)."""
    courses, orders = _preflib(AGH / f"00009-0000000{number}.soc", "c")
    capacity = math.ceil(len(orders) / len(courses))
    cut_orders = [order[:cut] for order in orders]
    return _one_pass(f"AGH course selection {2002 + number}", courses, capacity, cut_orders, len(courses))


def glasgow_event(number: int) -> Event:
    """Glasgow project allocation, file ``number`` (PrefLib 00038): projects of one place each,
    and from file 4 on each supervisor's limit across their projects (``shared_limits``)."""
    projects, orders = _preflib(GLASGOW / f"00038-0000000{number}.soi", "p")
    event = _one_pass(f"Glasgow project allocation, file {number}", projects, 1, orders, 6)
    supervisors = GLASGOW / f"00038-0000000{number}.dat"
    if not supervisors.exists():
        return event
    limits = []
    with supervisors.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # .dat lists 0-based project ids; alternative k is project k-1.
            mine = [f"p{int(x) + 1}" for x in row["Projects"].split()]
            limits.append({"name": row["Supervisor"], "seminars": mine, "max_seats": int(row["Capacity"])})
    return Event.model_validate({**json.loads(event.to_json()), "shared_limits": limits})


def worst_rank(make, most: int) -> int | None:
    """Return the least k with everyone seated within their first k choices."""
    for k in range(1, most + 1):
        allocation = solve(make(k), time_limit=60)
        if allocation.status == "optimal" and not allocation.unseated:
            return k
    return None


CASES = [
    ("SDU 2016", sdu_event, 590, 5, 15),
    ("AGH 2003", lambda cut=None: agh_event(1, cut), 347, 5, 9),
    ("AGH 2004", lambda cut=None: agh_event(2, cut), 360, 4, 7),
]


def run() -> list[dict]:
    """Solve every case; return one row each, with the references."""
    rows = []
    for name, make, rank_sum, worst, most in CASES:
        event = make()
        started = time.perf_counter()
        allocation = solve(event, time_limit=120)
        seconds = time.perf_counter() - started
        ok = check(event, allocation).ok
        rows.append(
            {
                "instance": name,
                "attendees": len(event.attendees),
                "status": allocation.status,
                "rank_sum": allocation.objective,
                "reference_rank_sum": rank_sum,
                "seconds": round(seconds, 2),
                "worst_rank": worst_rank(make, most),
                "reference_worst_rank": worst,
                "checker": "ok" if ok else "FAILED",
            }
        )
    return rows


def main() -> None:
    rows = run()
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))


if __name__ == "__main__":
    main()
