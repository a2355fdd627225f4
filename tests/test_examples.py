"""The bundled examples are what their scripts make, and they solve within every rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from seatalloc import Event, check, solve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import make_fairness_examples  # noqa: E402
import make_s1  # noqa: E402

MADE = {"jamlikhetskonferensen-2019.json": make_s1.make_event, **make_fairness_examples.EXAMPLES}


@pytest.mark.parametrize("name", sorted(MADE))
def test_example_matches_its_script(name: str) -> None:
    assert json.loads((EXAMPLES / name).read_text(encoding="utf-8")) == MADE[name]()


@pytest.mark.parametrize("name", sorted(MADE))
def test_example_solves_optimally_within_every_rule(name: str) -> None:
    event = Event.from_json(EXAMPLES / name)
    allocation = solve(event, time_limit=30)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    assert len(allocation.assignments) + len(allocation.unseated) == len(event.attendees) * len(event.passes)


def test_s4_groups_each_mix_at_least_two_counties() -> None:
    event = Event.from_json(EXAMPLES / "digital-natverkstraff-2021.json")
    allocation = solve(event, time_limit=30)
    county = {a.id: a.attributes["county"] for a in event.attendees}
    mix: dict[str, set[str]] = {}
    for x in allocation.assignments:
        mix.setdefault(x.room, set()).add(county[x.attendee])
    assert mix and all(len(c) >= 2 for c in mix.values())
