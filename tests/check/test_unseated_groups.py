"""Many places without a seat for one reason are written once, as a group, and read, checked and
explained like rows."""

from __future__ import annotations

import json

import pytest

from helpers import event_dict
from seatalloc import Event, check, solve
from seatalloc.check.belongs import mismatches
from seatalloc.cli.main import main
from seatalloc.explain.overview import overview
from seatalloc.schema import Allocation, UnseatedGroup
from seatalloc.schema.allocation import COMPACT_FROM, compact


def test_places_sharing_a_pass_and_reason_are_grouped_from_the_threshold_on() -> None:
    few = [(f"a{i}", "P1", "full", "every session was full") for i in range(COMPACT_FROM - 1)]
    rows, groups = compact(few)
    assert len(rows) == COMPACT_FROM - 1 and groups == ()

    many = [(f"a{i}", "P1", "full", "every session was full") for i in range(COMPACT_FROM)]
    other = [("b1", "P1", "needs", "no room met their needs"), ("a3", "P2", "full", "every session was full")]
    rows, groups = compact([other[0], *many, other[1]])
    assert [(u.attendee, u.pass_) for u in rows] == [("b1", "P1"), ("a3", "P2")]  # in the given order
    assert len(groups) == 1 and groups[0].attendees == tuple(f"a{i}" for i in range(COMPACT_FROM))
    assert (groups[0].pass_, groups[0].code) == ("P1", "full")


@pytest.fixture(scope="module")
def infeasible() -> tuple[Event, Allocation]:
    """An event of more attendees than the threshold, pinned beyond a room's seats: no allocation."""
    people = [{"id": f"p{i}", "choices": ["A", "B"]} for i in range(COMPACT_FROM + 5)]
    people[0]["fixed"] = {"P1": "B"}
    people[1]["fixed"] = {"P1": "B"}  # room R2 has one seat
    event = Event.model_validate(event_dict(attendees=people, organisations=[]))
    return event, solve(event, work_limit=5, seed=1)


def test_an_event_without_an_allocation_lists_everyone_once_per_pass_in_groups(infeasible) -> None:
    event, allocation = infeasible
    assert allocation.status == "infeasible"
    assert allocation.unseated == () and len(allocation.unseated_groups) == 2
    places = [(u.attendee, u.pass_) for u in allocation.unseated_places()]
    assert sorted(places) == sorted((a.id, p.id) for a in event.attendees for p in event.passes)
    assert allocation.n_unseated == len(places)
    assert check(event, allocation).ok


def test_the_checker_finds_a_place_listed_twice_or_missing_in_a_group(infeasible) -> None:
    event, allocation = infeasible
    first, second = allocation.unseated_groups
    twice = UnseatedGroup(first.pass_, first.code, first.reason, (*first.attendees, first.attendees[0]))
    report = check(event, allocation.model_copy(update={"unseated_groups": (twice, second)}))
    assert any(
        f"{first.attendees[0]!r} is listed 2 times in pass {first.pass_!r}" in v for v in report.violations
    )

    short = UnseatedGroup(second.pass_, second.code, second.reason, second.attendees[1:])
    report = check(event, allocation.model_copy(update={"unseated_groups": (first, short)}))
    assert any(
        f"{second.attendees[0]!r} is listed 0 times in pass {second.pass_!r}" in v for v in report.violations
    )


def test_an_unknown_attendee_in_a_group_is_named_by_its_place(infeasible) -> None:
    event, allocation = infeasible
    first, second = allocation.unseated_groups
    strange = UnseatedGroup(
        first.pass_, first.code, first.reason, (*first.attendees[:7], "zz", *first.attendees[7:])
    )
    problems = mismatches(event, allocation.model_copy(update={"unseated_groups": (strange, second)}))
    assert [(p.record, p.message) for p in problems] == [
        ("unseated_groups[0].attendees[7]", "unknown attendee 'zz'")
    ]


@pytest.fixture(scope="module")
def crowded() -> tuple[Event, Allocation]:
    """Seminars A and B have three seats in all per pass and over a thousand want B: most get no
    seat, for one reason per pass."""
    people = [{"id": f"p{i}", "choices": ["B"]} for i in range(COMPACT_FROM + 10)]
    event = Event.model_validate(
        event_dict(attendees=[*people, {"id": "q", "choices": ["A"]}], organisations=[])
    )
    return event, solve(event, work_limit=5, seed=1)


def test_a_seated_allocation_groups_only_the_many_and_counts_every_place(crowded) -> None:
    event, allocation = crowded
    assert allocation.status == "optimal" and check(event, allocation).ok
    assert {g.pass_ for g in allocation.unseated_groups} == {"P1", "P2"}
    assert allocation.n_unseated == 2 * len(event.attendees) - len(allocation.assignments)
    counted = sum(c.count for c in overview(event, allocation).unseated)
    assert counted == allocation.n_unseated


def test_groups_are_written_read_back_and_checked_from_the_command_line(crowded, tmp_path) -> None:
    event, allocation = crowded
    written = json.loads(allocation.to_json())
    assert sum(len(g["attendees"]) for g in written["unseated_groups"]) + len(written["unseated"]) == (
        allocation.n_unseated
    )
    assert Allocation.from_json(allocation.to_json()) == allocation
    (tmp_path / "e.json").write_text(event.to_json())
    (tmp_path / "a.json").write_text(allocation.to_json())
    assert main(["check", str(tmp_path / "e.json"), str(tmp_path / "a.json")]) == 0
    broken = {**written, "unseated_groups": written["unseated_groups"][1:]}  # a pass's group left out
    (tmp_path / "b.json").write_text(json.dumps(broken))
    assert main(["check", str(tmp_path / "e.json"), str(tmp_path / "b.json")]) == 1
