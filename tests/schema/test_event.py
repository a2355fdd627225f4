"""The event schema: valid input round-trips, bad input names record and field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from helpers import event_dict
from seatalloc import Event, InputError, SeatallocError


def _set(path: str, value: Any):
    """Return a change that sets ``value`` at a dotted path like 'rooms.1.capacity'."""

    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _append(key: str, value: Any):
    return lambda data: data[key].append(value)


BAD_INPUT = [
    (
        "unknown seminar",
        _set("attendees.0.choices", ["A", "Z"]),
        "attendees[0] 'x1'.choices: unknown seminar 'Z'",
    ),
    (
        "seminar twice",
        _set("attendees.0.choices", ["A", "A"]),
        "attendees[0] 'x1'.choices: seminar 'A' is listed twice",
    ),
    ("duplicate room id", _set("rooms.1.id", "R1"), "rooms[1] 'R1'.id: duplicate id 'R1'"),
    ("duplicate attendee id", _set("attendees.2.id", "x1"), "attendees[2] 'x1'.id: duplicate id 'x1'"),
    (
        "negative capacity",
        _set("rooms.1.capacity", -1),
        "rooms[1] 'R2'.capacity: Input should be greater than or equal to 0, got -1",
    ),
    (
        "capacity not a number",
        _set("rooms.0.capacity", "ten"),
        "rooms[0] 'R1'.capacity: Input should be a valid integer",
    ),
    ("missing capacity", lambda d: d["rooms"][0].pop("capacity"), "rooms[0] 'R1'.capacity: Field required"),
    (
        "unknown key",
        _set("attendees.0.colour", "red"),
        "attendees[0] 'x1'.colour: Extra inputs are not permitted",
    ),
    ("session in unknown room", _set("sessions.0.room", "R9"), "sessions[0].room: unknown room 'R9'"),
    ("session in unknown pass", _set("sessions.0.pass", "P9"), "sessions[0].pass: unknown pass 'P9'"),
    (
        "session of unknown seminar",
        _set("sessions.0.seminar", "Q"),
        "sessions[0].seminar: unknown seminar 'Q'",
    ),
    (
        "two sessions in one room and pass",
        _append("sessions", {"seminar": "B", "pass": "P1", "room": "R1"}),
        "sessions[4].room: room 'R1' already hosts sessions[0] in pass 'P1'",
    ),
    (
        "quota for unknown organisation",
        _append("quotas", {"organisation": "zz", "max_seats": 3}),
        "quotas[0].organisation: unknown organisation 'zz'",
    ),
    (
        "quota with two limits",
        _append("quotas", {"organisation": "o1", "max_seats": 3, "max_per_session": 1}),
        "quotas[0]: give exactly one of 'max_per_session' and 'max_seats'",
    ),
    (
        "attendee of unknown organisation",
        _set("attendees.1.organisation", "nope"),
        "attendees[1] 'x2'.organisation: unknown organisation 'nope'",
    ),
    (
        "pinned in unknown pass",
        _set("attendees.0.fixed", {"P7": "A"}),
        "attendees[0] 'x1'.fixed: unknown pass 'P7'",
    ),
    (
        "pinned seminar not offered",
        _set("attendees.0.fixed", {"P2": "C"}),
        "attendees[0] 'x1'.fixed: seminar 'C' has no session in pass 'P2'",
    ),
    (
        "excluded unknown seminar",
        _set("attendees.0.excluded", ["Q"]),
        "attendees[0] 'x1'.excluded: unknown seminar 'Q'",
    ),
    (
        "choices of the wrong type",
        _set("attendees.0.choices", 7),
        "attendees[0] 'x1'.choices: Input should be a valid tuple, got 7",
    ),
    ("no passes", _set("passes", []), "event.passes: Tuple should have at least 1 item"),
]


@pytest.mark.parametrize(("case", "change", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_names_record_and_field(case: str, change, message: str) -> None:
    data = event_dict(seminars=[{"id": "A"}, {"id": "B"}, {"id": "C"}])
    change(data)
    with pytest.raises(InputError) as caught:
        Event.model_validate(data)
    assert message in str(caught.value), str(caught.value)


def test_every_problem_is_listed_at_once() -> None:
    data = event_dict()
    data["attendees"][0]["choices"] = ["Z"]
    data["attendees"][1]["choices"] = ["A", "A"]
    data["sessions"][0]["room"] = "R9"
    with pytest.raises(InputError) as caught:
        Event.model_validate(data)
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("3 problems in the event:")


def test_input_error_is_value_error_and_seatalloc_error() -> None:
    data = event_dict(rooms=[{"id": "R1", "capacity": -5}])
    with pytest.raises(InputError) as caught:
        Event(**data)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, SeatallocError)
    assert not isinstance(caught.value, ValidationError)


def test_malformed_json_is_an_input_error() -> None:
    with pytest.raises(InputError, match="malformed JSON"):
        Event.model_validate_json('{"passes": [')


def test_missing_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        Event.from_json(tmp_path / "absent.json")


def test_event_is_frozen() -> None:
    event = Event.model_validate(event_dict())
    with pytest.raises(ValidationError):
        event.name = "other"  # type: ignore[misc]


def test_json_round_trip_keeps_the_public_keys() -> None:
    event = Event.model_validate(
        event_dict(quotas=[{"organisation": "o1", "max_per_session": 1, "pass": "P2"}])
    )
    text = event.to_json()
    assert '"pass": "P2"' in text and "pass_" not in text
    assert Event.from_json(text) == event


def test_default_objective_is_squares_then_unranked() -> None:
    event = Event.model_validate(event_dict())
    assert event.objective.costs_for(5) == (0, 1, 4, 9, 16)
    assert event.objective.unranked_cost == 100 and event.objective.unseated_cost == 10_000


def test_rank_costs_shorter_than_choices_fall_back_to_unranked() -> None:
    data = event_dict(objective={"rank_costs": [0, 3], "unranked_cost": 50})
    assert Event.model_validate(data).objective.costs_for(4) == (0, 3, 50, 50)


def test_allocation_rows_reject_unknown_keys() -> None:
    from seatalloc.schema import Allocation

    row = {"attendee": "x1", "pass": "P1", "seminar": "A", "room": "R1", "colour": "red"}
    data = {
        "status": "unknown",
        "objective": None,
        "bound": None,
        "gap": None,
        "assignments": [row],
        "unseated": [],
        "stats": {"attendees": 1, "types": 1, "choice_counts": {}, "sessions": []},
    }
    with pytest.raises(InputError, match=r"assignments\[0\]\.colour: Extra inputs are not permitted"):
        Allocation.model_validate(data)


def test_field_and_reference_problems_come_in_one_round() -> None:
    data = {
        "passes": [{"id": "P1"}],
        "rooms": [{"id": "R1", "capacity": -3}, {"id": "R2", "capacity": 5}],
        "seminars": [{"id": "A"}, {"id": "B", "max_attendance": "lots"}],
        "sessions": [
            {"seminar": "A", "pass": "P1", "room": "R2"},
            {"seminar": "Z", "pass": "P1", "room": "R1"},
        ],
        "attendees": [
            {"id": "a1", "choices": ["A", "Q"], "organisation": "nowhere"},
            {"id": "a2", "choices": ["B"]},
            {"id": "a3", "choices": 5},
        ],
    }
    with pytest.raises(InputError) as caught:
        Event.model_validate(data)
    said = [str(p) for p in caught.value.problems]
    assert "rooms[0] 'R1'.capacity: Input should be greater than or equal to 0, got -3" in said
    assert "attendees[2] 'a3'.choices: Input should be a valid tuple, got 5" in said
    assert "sessions[1].seminar: unknown seminar 'Z'" in said  # a reference, in the same round
    assert "attendees[0] 'a1'.organisation: unknown organisation 'nowhere'" in said
    assert "attendees[0] 'a1'.choices: unknown seminar 'Q'" in said
    assert not any("'B'" in p and "unknown" in p for p in said)  # B is invalid, not unknown
    assert not any("unknown room 'R1'" in p for p in said)
    with pytest.raises(InputError) as again:  # the same from JSON text
        Event.from_json(json.dumps(data))
    assert [str(p) for p in again.value.problems if "unknown" in str(p)] == [
        p for p in said if "unknown" in p
    ]
