"""max_sessions: a course load per attendee, in the model, the hand-out, the checker and the reasons."""

from __future__ import annotations

import pytest

from seatalloc import Event, InputError, check, solve


def _event(load: int | None, members: int = 5) -> Event:
    """Three passes, each with a roomy session everyone ranked; ``members`` alike attendees."""
    return Event.model_validate(
        {
            "passes": [{"id": p} for p in ("P1", "P2", "P3")],
            "rooms": [{"id": "R", "capacity": 10}],
            "seminars": [{"id": s} for s in "ABC"],
            "sessions": [
                {"seminar": s, "pass": p, "room": "R"} for s, p in zip("ABC", ("P1", "P2", "P3"), strict=True)
            ],
            "attendees": [
                {
                    "id": f"a{i}",
                    "choices": ["C", "A", "B"],
                    **({} if load is None else {"max_sessions": load}),
                }
                for i in range(members)
            ],
            "objective": {"unseated_cost": 50},
        }
    )


@pytest.mark.parametrize("load", [0, 1, 2, 3])
def test_everyone_gets_exactly_their_load_and_the_rest_says_why(load: int) -> None:
    event = _event(load)
    allocation = solve(event, seed=3, work_limit=30)
    assert allocation.status == "optimal" and check(event, allocation).ok
    per_person: dict[str, list[str]] = {}
    for x in allocation.assignments:  # five alike attendees: one type, handed out to members
        per_person.setdefault(x.attendee, []).append(x.seminar)
    assert all(len(got) == load for got in per_person.values())
    assert len(per_person) == (5 if load else 0)
    assert {u.code for u in allocation.unseated} == ({"max-sessions"} if load < 3 else set())
    # The cheapest load: first choice C, then A, then B (cost 0, 1, 4); passes beyond it cost nothing.
    assert allocation.objective == 5 * [0, 0, 1, 5][load]


def test_the_checker_refuses_more_sessions_than_the_load() -> None:
    event = _event(None)
    full = solve(event, work_limit=30)  # everyone in all three passes
    limited = event.model_copy(
        update={"attendees": [a.model_copy(update={"max_sessions": 2}) for a in event.attendees]}
    )
    report = check(limited, full)
    assert not report.ok
    assert "attendee 'a0' has 3 sessions, max_sessions is 2" in report.violations


def test_flow_method_names_max_sessions_as_a_rule_it_cannot_honour() -> None:
    with pytest.raises(InputError, match="does not apply: max_sessions"):
        solve(_event(2), method="flow", work_limit=30)


def test_only_empty_passes_within_the_load_cost_unseated_cost() -> None:
    data = _event(2, members=1).model_dump(by_alias=True)
    data["attendees"][0]["excluded"] = ["A", "B"]  # only C (pass P3) is open to them
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=30)
    assert [x.seminar for x in allocation.assignments] == ["C"]
    # One session given, one of the two wanted passes empty (50); the third pass costs nothing.
    assert allocation.objective == 50 == check(event, allocation).objective
