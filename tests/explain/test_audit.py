"""The fairness audit, on hand-made allocations with known figures."""

from __future__ import annotations

import json

from seatalloc import Event, audit
from seatalloc.cli.main import main
from seatalloc.schema import Allocation, Assignment, Stats

EVENT = Event.model_validate(
    {
        "passes": [{"id": "P1"}],
        "rooms": [{"id": "RA", "capacity": 5}, {"id": "RB", "capacity": 5}],
        "seminars": [{"id": "A"}, {"id": "B"}],
        "sessions": [
            {"seminar": "A", "pass": "P1", "room": "RA"},
            {"seminar": "B", "pass": "P1", "room": "RB"},
        ],
        "organisations": [{"id": "o1"}, {"id": "o2"}, {"id": "solo"}],
        "attendees": [
            *({"id": f"a{i}", "organisation": "o1", "choices": ["A", "B"]} for i in range(5)),
            *({"id": f"b{i}", "organisation": "o2", "choices": ["A", "B"]} for i in range(4)),
            {"id": "s", "organisation": "solo", "choices": ["B", "A"], "attributes": {"gender": "x"}},
        ],
    }
)


def _allocation(rooms: dict[str, str]) -> Allocation:
    rows = [Assignment(who, "P1", room[1], room) for who, room in rooms.items()]
    return Allocation(
        status="unknown",
        objective=None,
        bound=None,
        gap=None,
        assignments=rows,
        unseated=[],
        stats=Stats(attendees=10, types=0, choice_counts={}, sessions=()),
    )


# o1 all in A (their first choice); o2 and the solo attendee in B.
SPLIT = {**{f"a{i}": "RA" for i in range(5)}, **{f"b{i}": "RB" for i in range(4)}, "s": "RA"}


def test_profile_groups_and_gap() -> None:
    report = audit(EVENT, _allocation(SPLIT))
    assert report.profile == {"1": 5, "2": 5, "unranked": 0, "unseated": 0}
    assert (report.worst_outcome, report.worst_count) == ("2", 5)
    o1 = next(g for g in report.groups if g.value == "o1")
    assert o1.first_choice_share == 1.0 and o1.profile == {"1": 5, "2": 0, "unranked": 0, "unseated": 0}
    # o2 (4 people) and solo (1) are below 5: named, figures suppressed; so no gap to report.
    suppressed = {g.value for g in report.groups if g.profile is None}
    assert suppressed == {"o2", "solo", "x"}
    assert report.gaps == ()


def test_envy_and_mutual_swaps() -> None:
    report = audit(EVENT, _allocation(SPLIT))
    # o2's four rank A first and could sit there; s ranks B first: 5 envious, one swap (s with an o2).
    assert report.envious == 5
    assert report.swap_pairs == 1


def test_sessions_of_five_or_more_show_their_mix() -> None:
    mix = {(m.room, m.dimension): m for m in audit(EVENT, _allocation(SPLIT)).sessions}
    assert set(mix) == {("RA", "organisation"), ("RA", "gender")}  # RB seats 4: left out
    assert mix[("RA", "organisation")].distinct == 2
    assert mix[("RA", "organisation")].largest_share == 5 / 6


def test_audit_command_prints_aggregates_only(tmp_path, capsys) -> None:
    event = tmp_path / "event.json"
    event.write_text(EVENT.to_json(), encoding="utf-8")
    allocation = tmp_path / "allocation.json"
    allocation.write_text(_allocation(SPLIT).to_json(), encoding="utf-8")
    assert main(["audit", str(event), str(allocation)]) == 0
    text = capsys.readouterr().out
    assert "organisation solo: fewer than 5, suppressed" in text
    assert "a0" not in text and "b1" not in text
    assert main(["audit", str(event), str(allocation), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["swap_pairs"] == 1
