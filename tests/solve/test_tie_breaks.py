"""Ties between equally good allocations: lottery, priority classes, registration order."""

from __future__ import annotations

import hashlib
from collections import Counter

from seatalloc import Event, check, solve
from seatalloc.cli.main import main

# One pass, A seats 2, B seats 2; four attendees all want A then B: any two get A.
BASE = {
    "passes": [{"id": "P1"}],
    "rooms": [{"id": "RA", "capacity": 2}, {"id": "RB", "capacity": 2}],
    "seminars": [{"id": "A"}, {"id": "B"}],
    "sessions": [{"seminar": "A", "pass": "P1", "room": "RA"}, {"seminar": "B", "pass": "P1", "room": "RB"}],
}


def _event(people: list[dict], **objective) -> Event:
    return Event.model_validate({**BASE, "attendees": people, "objective": objective})


def _in_a(allocation) -> set[str]:
    return {x.attendee for x in allocation.assignments if x.seminar == "A"}


def test_lottery_gives_interchangeable_attendees_equal_chances() -> None:
    event = _event([{"id": f"p{i}", "choices": ["A", "B"]} for i in range(4)])
    wins: Counter[str] = Counter()
    for seed in range(200):
        allocation = solve(event, seed=seed, work_limit=10)
        assert check(event, allocation).ok
        wins.update(_in_a(allocation))
    # Each of the four gets A with probability 1/2: 100 of 200 expected.
    assert all(70 <= wins[f"p{i}"] <= 130 for i in range(4)), wins


def test_higher_priority_class_gets_the_contested_seats() -> None:
    people = [{"id": f"p{i}", "choices": ["A", "B"], "priority": 1 if i >= 2 else 0} for i in range(4)]
    event = _event(people)
    for seed in range(5):
        allocation = solve(event, seed=seed, work_limit=10)
        assert check(event, allocation).ok and allocation.status == "optimal"
        assert _in_a(allocation) == {"p2", "p3"}
        assert allocation.stages[-1].name == "priority tie-break"


def test_registration_order_breaks_ties_within_a_type() -> None:
    times = ["2020-04-28T09:00:00", "2020-04-20T08:00:00", None, "2020-04-20T07:59:00"]
    people = [{"id": f"p{i}", "choices": ["A", "B"], "registered": t} for i, t in enumerate(times)]
    event = _event(people, tie_break="registration")
    for seed in range(5):
        assert _in_a(solve(event, seed=seed, work_limit=10)) == {"p3", "p1"}


def test_same_seed_gives_the_same_bytes(tmp_path, s1_path) -> None:
    digests = set()
    for run in range(2):
        out = tmp_path / f"run{run}.json"
        assert main(["solve", str(s1_path), "-o", str(out), "--seed", "11", "--no-timings"]) == 0
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1
    assert '"seed": 11' in out.read_text(encoding="utf-8")
