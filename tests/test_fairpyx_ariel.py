"""fairpyx's Ariel 5783 data as a seatalloc event (benchmarks/fairpyx_ariel.py), checked without
fairpyx: the 26 real bidding prototypes, one student each, with the real seats.

With 26 students no course fills, so each student's best is a best bundle of their own: at most
their course count, none of their own conflicts, no two sections in a clash. Found here by
enumerating each student's bundles, that sum is what the total-value optimum must reach, and
the worst of them is what value-leximin must give the worst-off.
"""

from __future__ import annotations

import itertools
import json

import pytest

from benchmarks.fairpyx_ariel import INPUT, SCALE, to_event
from seatalloc import Event, check, solve

pytestmark = pytest.mark.skipif(not INPUT.exists(), reason="../shared/data is not beside the checkout")


def _instance() -> dict:
    """The prototypes as an instance, with each student's maximum value as fairpyx computes it
    (the sum of their best ``capacity`` bids)."""
    data = json.loads(INPUT.read_text(encoding="utf-8"))
    items = list(data["item_capacities"])
    agents = list(data["valuations"])
    values = {a: {i: data["valuations"][a].get(i, 0) for i in items} for a in agents}
    return {
        "agents": agents,
        "items": items,
        "valuations": values,
        "agent_capacities": data["agent_capacities"],
        "maximum_values": {
            a: sum(sorted(values[a].values(), reverse=True)[: data["agent_capacities"][a]]) for a in agents
        },
        "item_capacities": data["item_capacities"],
        "agent_conflicts": {a: data["agent_conflicts"].get(a, []) for a in agents},
        "item_conflicts": {i: data["item_conflicts"].get(i, []) for i in items},
    }


def _best_bundles(event: dict) -> dict[str, int]:
    """Each student's best total score alone, by enumeration."""
    apart = {frozenset(pair) for pair in event["clashes"]}
    best = {}
    for person in event["attendees"]:
        wanted = [i for i in person["scores"] if i not in person["excluded"]]
        top = 0
        for k in range(person["max_sessions"] + 1):
            for bundle in itertools.combinations(wanted, k):
                if not any(frozenset(p) in apart for p in itertools.combinations(bundle, 2)):
                    top = max(top, sum(person["scores"][i] for i in bundle))
        best[person["id"]] = top
    return best


def _totals(event: dict, allocation) -> dict[str, int]:
    scores = {person["id"]: person["scores"] for person in event["attendees"]}
    got = dict.fromkeys(scores, 0)
    for x in allocation.assignments:
        got[x.attendee] += scores[x.attendee].get(x.seminar, 0)
    return got


def test_the_event_has_the_real_timetable_clashes_and_scaled_bids() -> None:
    event = to_event(_instance())
    assert len(event["attendees"]) == 26 and len(event["seminars"]) == 23
    assert len(event["clashes"]) == 6  # the pairs of the real timetable, each once
    # A student's best `capacity` bids score SCALE together (up to rounding each).
    for person in event["attendees"]:
        top = sorted(person["scores"].values(), reverse=True)[: person["max_sessions"]]
        assert abs(sum(top) - SCALE) <= person["max_sessions"]


@pytest.mark.parametrize(("kind", "students"), [("rank-cost", 26), ("value-leximin", 8)])
def test_every_student_gets_their_best_bundle_when_no_course_fills(kind: str, students: int) -> None:
    # (value-leximin decides each student's value in a stage or more: 8 of them keep it short)
    data = to_event(_instance())
    data["attendees"] = data["attendees"][:students]
    event = Event.model_validate(data)
    allocation = solve(event, objective=kind, work_limit=60, seed=0)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    assert _totals(data, allocation) == _best_bundles(data)
