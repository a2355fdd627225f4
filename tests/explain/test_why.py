"""Why an attendee got nothing better: one constructed case per reason."""

from __future__ import annotations

import sys

import pytest

from helpers import queue_event
from seatalloc import Event, InputError, SolveOptions, explain, solve
from seatalloc.cli.main import main


def _event(
    people: list[dict], capacities: dict[str, int], passes: tuple[str, ...] = ("P1",), **extra
) -> Event:
    sessions = [
        {"seminar": s, "pass": p, "room": f"R{s}{p}"}
        for p in passes
        for s in capacities
        if not (s == "C" and p == "P1" and len(passes) > 1)  # C runs only in P2 of two passes
    ]
    return Event.model_validate(
        {
            "passes": [{"id": p} for p in passes],
            "rooms": [{"id": f"R{s}{p}", "capacity": c} for p in passes for s, c in capacities.items()],
            "seminars": [{"id": s} for s in capacities],
            "sessions": sessions,
            "attendees": people,
            "objective": {"rank_costs": [0, 1], "unranked_cost": 10},
            **extra,
        }
    )


def _codes(event: Event, attendee: str) -> dict[str, str]:
    allocation = solve(event, work_limit=10)
    why = explain(event, allocation, attendee)
    return {a.seminar: a.code for p in why.passes for a in p.better}


def test_full_with_attendees_who_ranked_it_at_least_as_high() -> None:
    event = _event(
        [{"id": "y1", "choices": ["A", "B"]}, {"id": "y2", "choices": ["A", "B"]}], {"A": 1, "B": 5}
    )
    allocation = solve(event, work_limit=10)
    loser = next(x.attendee for x in allocation.assignments if x.seminar == "B")
    [alternative] = explain(event, allocation, loser).passes[0].better
    assert alternative.code == "full"
    assert "all 1 seats went to attendees who ranked it at least as high" in alternative.reason


def test_organisation_quota() -> None:
    people = [{"id": f"y{i}", "organisation": "o1", "choices": ["A", "B"]} for i in (1, 2)]
    event = _event(
        people,
        {"A": 5, "B": 5},
        organisations=[{"id": "o1"}],
        quotas=[{"organisation": "o1", "max_per_session": 1, "seminar": "A"}],
    )
    allocation = solve(event, work_limit=10)
    loser = next(x.attendee for x in allocation.assignments if x.seminar == "B")
    [alternative] = explain(event, allocation, loser).passes[0].better
    assert alternative.code == "quota" and "quota of 1" in alternative.reason


def test_cost_to_others_is_priced_by_solving_again() -> None:
    # y2 wanted C (no seats), so takes A (its 2nd, cost 1); y1 takes B (cost 1): total 2.
    # Giving y1 its first choice A would push y2 to B, unranked (10): total 10, so 8 more.
    people = [{"id": "y1", "choices": ["A", "B"]}, {"id": "y2", "choices": ["C", "A"]}]
    event = _event(people, {"A": 1, "B": 1, "C": 0})
    allocation = solve(event, work_limit=10)
    assert allocation.objective == 2
    alternative = explain(event, allocation, "y1").passes[0].better[0]
    assert (alternative.code, alternative.extra_cost) == ("cost", 8)
    assert "cost others 8 more in total" in alternative.reason


@pytest.mark.parametrize(
    ("status", "bound", "said"),
    [("unknown", None, "not settled in time"), ("feasible", 7, "cost others at least 5 more")],
)
def test_a_what_if_not_settled_in_time_is_not_called_impossible(monkeypatch, status, bound, said) -> None:
    # The same event as above, but the solve with y1 pinned to A stops at its time limit.
    people = [{"id": "y1", "choices": ["A", "B"]}, {"id": "y2", "choices": ["C", "A"]}]
    event = _event(people, {"A": 1, "B": 1, "C": 0})
    allocation = solve(event, work_limit=10)
    stopped = allocation.model_copy(update={"status": status, "objective": None, "bound": bound})
    monkeypatch.setattr(sys.modules["seatalloc.solve.solver"], "solve", lambda *args, **kwargs: stopped)
    alternative = explain(event, allocation, "y1").passes[0].better[0]
    assert alternative.code == "cost" and said in alternative.reason
    assert alternative.extra_cost == (None if bound is None else bound - allocation.objective)


def test_every_what_if_of_an_explanation_shares_its_limits() -> None:
    # As above: giving y1 seminar A costs y2 a seat, found by solving again.
    people = [{"id": "y1", "choices": ["A", "B"]}, {"id": "y2", "choices": ["C", "A"]}]
    event = _event(people, {"A": 1, "B": 1, "C": 0})
    allocation = solve(event, work_limit=10)
    priced = explain(event, allocation, "y1", options=SolveOptions(work_limit=10)).passes[0].better[0]
    assert priced.extra_cost == 8
    assert "in total" in priced.reason  # proven
    spent = explain(event, allocation, "y1", options=SolveOptions(work_limit=1e-9)).passes[0].better[0]
    assert spent.code == "cost" and "in total" not in spent.reason  # stopped: at most a bound
    assert "at least" in spent.reason or "not settled in time" in spent.reason


def test_not_offered_excluded_and_rules() -> None:
    event = _event([{"id": "y", "choices": ["C", "A", "B"]}], {"A": 5, "B": 5, "C": 5}, passes=("P1", "P2"))
    assert _codes(event, "y")["C"] == "not-offered"  # in P1; C runs only in P2

    excluded = _event([{"id": "y", "choices": ["A", "B"], "excluded": ["A"]}], {"A": 5, "B": 5})
    assert _codes(excluded, "y") == {"A": "excluded"}

    # z is pinned to A's only seat though it did not rank A: nothing within the rules frees it.
    pinned = _event(
        [{"id": "y", "choices": ["A", "B"]}, {"id": "z", "choices": ["B"], "fixed": {"P1": "A"}}],
        {"A": 1, "B": 5},
    )
    assert _codes(pinned, "y") == {"A": "rules"}


def test_unknown_attendee_is_an_input_error() -> None:
    event = _event([{"id": "y", "choices": ["A"]}], {"A": 1})
    with pytest.raises(InputError, match="unknown attendee 'nobody'"):
        explain(event, solve(event, work_limit=10), "nobody")


def test_explain_command_names_nobody_else(tmp_path, capsys) -> None:
    event = _event(
        [{"id": "y1", "choices": ["A", "B"]}, {"id": "y2", "choices": ["C", "A"]}], {"A": 1, "B": 1, "C": 0}
    )
    (tmp_path / "e.json").write_text(event.to_json(), encoding="utf-8")
    (tmp_path / "a.json").write_text(solve(event, work_limit=10).to_json(), encoding="utf-8")
    assert (
        main(
            [
                "explain",
                str(tmp_path / "e.json"),
                str(tmp_path / "a.json"),
                "--attendee",
                "y1",
                "--work-limit",
                "30",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "cost others 8 more" in text and "y2" not in text
    assert main(["explain", str(tmp_path / "e.json"), str(tmp_path / "a.json")]) == 0
    assert "attendee y2:" in capsys.readouterr().out


def test_an_attendee_not_admitted_is_told_their_place_and_why() -> None:
    people = [(f"q{i}", None, f"2020-04-{i + 1:02d}") for i in range(3)]
    event = Event.model_validate(queue_event(people, seat_limit=1))
    allocation = solve(event, work_limit=30)
    why = explain(event, allocation, "q2", price=False)
    assert why.admission == (
        "not admitted (waitlist position 2): the 1 seat is taken by attendees earlier "
        "in the admission order (registration time)"
    )
    assert all(p.seminar is None and p.better == () for p in why.passes)
    assert "waitlist position 2" in why.to_text()
    assert explain(event, allocation, "q0", price=False).admission is None


def test_an_attendee_left_out_by_the_organisations_seat_cap_is_told_so() -> None:
    people = [{"id": f"y{i}", "organisation": "o1", "choices": ["A"]} for i in (1, 2)]
    event = _event(
        people,
        {"A": 5},
        organisations=[{"id": "o1"}],
        quotas=[{"organisation": "o1", "max_seats": 1}],
    )
    allocation = solve(event, work_limit=10)
    (out,) = {u.attendee for u in allocation.unseated}
    [alternative] = explain(event, allocation, out).passes[0].better
    assert alternative.code == "max-seats" and "left out" in alternative.reason


def test_a_seminar_in_another_venue_is_out_of_reach_when_moves_are_forbidden() -> None:
    event = Event.model_validate(
        {
            "passes": [{"id": "P1"}, {"id": "P2"}],
            "rooms": [
                {"id": "north", "venue": "North", "capacity": 5},
                {"id": "south", "venue": "South", "capacity": 5},
                {"id": "north2", "venue": "North", "capacity": 5},
            ],
            "seminars": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
            "sessions": [
                {"seminar": "A", "pass": "P1", "room": "north"},
                {"seminar": "B", "pass": "P2", "room": "south"},
                {"seminar": "C", "pass": "P2", "room": "north2"},
            ],
            "attendees": [{"id": "y1", "choices": ["A", "B", "C"]}],
            "venue_moves": {"rule": "forbidden"},
        }
    )
    allocation = solve(event, work_limit=10)
    why = explain(event, allocation, "y1")
    assert [p.seminar for p in why.passes] == ["A", "C"]
    assert {a.seminar: a.code for a in why.passes[1].better} == {"A": "not-offered", "B": "venue"}
    assert "may not change venue" in why.passes[1].better[1].reason


def test_an_allocation_without_seats_is_explained_by_its_conflicts_not_by_costs(tmp_path, capsys) -> None:
    people = [{"id": f"y{i}", "choices": ["A"], "fixed": {"P1": "A"}} for i in (1, 2)]
    event = _event(people, {"A": 1})
    allocation = solve(event, work_limit=10)
    assert allocation.status == "infeasible"
    why = explain(event, allocation, "y1")
    assert all(not p.better for p in why.passes)
    assert why.note is not None and why.note.startswith("there is no allocation (infeasible)")
    assert allocation.conflicts and allocation.conflicts[0] in why.note
