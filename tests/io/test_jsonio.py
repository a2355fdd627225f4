"""Reading and writing JSON documents."""

from __future__ import annotations

import io
import json

import pytest

from helpers import event_dict, queue_event
from seatalloc import Event, solve
from seatalloc.io import write_text
from seatalloc.schema import Allocation
from seatalloc.schema.allocation import COMPACT_FROM
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


def _allocations() -> list[Allocation]:
    """Allocations with every long list: seats, rows and groups without a seat, a waitlist; and a
    note whose words look like the document's keys, quotes and line breaks included."""
    crowd = [{"id": f"p{i}", "choices": ["B"]} for i in range(COMPACT_FROM + 3)]
    crowded = Event.model_validate(
        event_dict(attendees=[*crowd, {"id": "q", "choices": ["A"]}], organisations=[])
    )
    people = [(f"r{i}", None, f"2026-03-{1 + i % 20:02d}") for i in range(30)]
    queued = Event.model_validate(queue_event(people, seat_limit=12))
    made = [solve(crowded, work_limit=5, seed=1), solve(queued, work_limit=5, seed=1)]
    assert made[0].unseated_groups and made[1].waitlist and made[1].assignments
    solver = made[1].solver.model_copy(update={"note": 'a line\n "assignments": [] ,"unseated":[] \\'})
    return [*made, made[1].model_copy(update={"solver": solver})]


@pytest.mark.parametrize("indent", [None, 1, 2])
def test_an_allocation_written_a_part_at_a_time_is_the_same_bytes(indent) -> None:
    for allocation in _allocations():
        whole = allocation.to_json_bytes(indent, timings=False)
        for rows in (1, 5, 100_000):
            parts = io.BytesIO()
            allocation.write_json(parts, indent, timings=False, rows=rows)
            assert parts.getvalue() == whole
        assert Allocation.from_json(whole).to_json_bytes(indent, timings=False) == whole


def test_a_write_that_fails_halfway_leaves_the_file_as_it_was(tmp_path) -> None:
    from seatalloc.io import opened

    path = tmp_path / "allocation.json"
    path.write_text("{}\n")
    with pytest.raises(MemoryError), opened(path) as out:
        out.write(b'{"status": ')
        raise MemoryError
    assert path.read_text() == "{}\n" and [p.name for p in tmp_path.iterdir()] == ["allocation.json"]
    with opened(path) as out:
        out.write(b"[]")
    assert path.read_text() == "[]\n" and [p.name for p in tmp_path.iterdir()] == ["allocation.json"]


def test_a_link_is_written_through_not_replaced(tmp_path) -> None:
    from seatalloc.io import opened

    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("{}\n")
    link.symlink_to(real)
    with opened(link) as out:
        out.write(b"[]")
    assert link.is_symlink() and real.read_text() == "[]\n"
