"""Reading and writing JSON documents."""

from __future__ import annotations

import json

from helpers import event_dict
from seatalloc import Event, solve
from seatalloc.io import write_text
from seatalloc.schema import Allocation
from seatalloc.schema.base import read_source


def test_json_text_is_accepted_in_place_of_a_path() -> None:
    text = json.dumps(event_dict())
    assert read_source(text) == text.encode()
    assert Event.from_json(text).name == "tiny"


def test_allocation_round_trips_through_a_file(tmp_path) -> None:
    event = Event.model_validate(event_dict())
    allocation = solve(event, work_limit=5, seed=4)
    path = tmp_path / "allocation.json"
    write_text(allocation.to_json(), path)
    again = Allocation.from_json(path)
    assert again.assignments == allocation.assignments
    assert again.unseated == allocation.unseated
    assert again.objective == allocation.objective and again.status == allocation.status
