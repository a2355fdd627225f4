"""Every sentence true: what the summary, the report and the explanations say, on small events."""

from __future__ import annotations

from helpers import event_dict
from seatalloc import Event, SolveOptions, check, explain, resolve, solve
from seatalloc.cli.main import main
from seatalloc.cli.summary import summary
from seatalloc.explain.overview import overview
from seatalloc.explain.report import render_report
from seatalloc.schema import Allocation, Assignment


def test_a_valid_allocation_without_a_proven_bound_does_not_claim_a_gap() -> None:
    event = Event.model_validate(event_dict())
    solved = solve(event, work_limit=5)
    unproven = solved.model_copy(update={"status": "feasible", "bound": None, "gap": None})
    verdict = overview(event, unproven).verdict
    assert "at most -" not in verdict and "is not known" in verdict and verdict.endswith("(feasible)")
    bounded = solved.model_copy(update={"status": "feasible", "gap": 0.125})
    assert "at most 12.50% above the best possible" in overview(event, bounded).verdict


def _one_pass(
    rooms: list[dict], seminars: list[dict], sessions: list[dict], attendees: list[dict], **more
) -> Event:
    return Event.model_validate(
        {"passes": [{"id": "P1"}], "rooms": rooms, "seminars": seminars, "sessions": sessions}
        | {"attendees": attendees}
        | more
    )


def _reasons(event: Event, allocation, attendee: str) -> dict[str, tuple[str, str]]:
    told = explain(event, allocation, attendee, options=SolveOptions(work_limit=10))
    return {a.seminar: (a.code, a.reason) for p in told.passes for a in p.better}


def test_a_seminar_full_at_its_max_attendance_says_places_not_the_rooms_seats() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 3}, {"id": "R2", "capacity": 5}],
        [{"id": "A", "max_attendance": 2}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": f"x{i}", "choices": ["A", "B"]} for i in range(3)],
    )
    allocation = solve(event, work_limit=5)
    (left,) = [x.attendee for x in allocation.assignments if x.seminar == "B"]
    code, reason = _reasons(event, allocation, left)["A"]
    assert code == "full"
    assert reason == (
        "it was full: all 2 places (its max_attendance, in 3 seats) went to attendees who ranked it "
        "at least as high"
    )


def test_a_seat_a_mix_rule_blocks_is_said_to_be_the_mix_rule() -> None:
    counties = ["north", "north", "south", "south"]
    event = _one_pass(
        [{"id": "R1", "capacity": 5}, {"id": "R2", "capacity": 4}],
        [{"id": "A"}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": f"x{i}", "choices": ["A", "B"], "attributes": {"county": c}} for i, c in enumerate(counties)]
        + [{"id": "x9", "choices": ["A", "B"], "attributes": {"county": "north"}}],
        diversity=[{"attribute": "county", "max_seats": 2}],
    )
    allocation = solve(event, work_limit=5)
    in_b = [x.attendee for x in allocation.assignments if x.seminar == "B"]
    (left,) = in_b  # A holds two of each county
    code, reason = _reasons(event, allocation, left)["A"]
    assert code == "mix", reason
    assert "at most 2 of a session from one county" in reason and "0 more" not in reason


def test_a_seat_an_equally_good_allocation_gives_is_a_tie_not_a_cost_of_0() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 2}, {"id": "R2", "capacity": 2}],
        [{"id": "A"}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": "x1", "choices": ["A", "B"]}, {"id": "x2", "choices": ["A", "B"]}],
        objective={"rank_costs": [0, 0]},  # A or B: the same to both
    )
    solved = solve(event, work_limit=5)
    split = (Assignment("x1", "P1", "A", "R1"), Assignment("x2", "P1", "B", "R2"))  # one optimum of many
    allocation = solved.model_copy(update={"assignments": split})
    assert check(event, allocation).ok and allocation.status == "optimal"
    code, reason = _reasons(event, allocation, "x2")["A"]
    assert code == "tie" and "0 more" not in reason
    assert reason == (
        "an allocation just as good gives you this seat: among equally good allocations, "
        "the tie-break gave it to others"
    )


def test_a_conflict_of_pins_counts_every_attendee_pinned_there() -> None:
    people = [
        {"id": f"x{i}", "choices": ["A"] if i < 6 else ["A", "B"], "fixed": {"P1": "A"}} for i in range(11)
    ]
    event = _one_pass(
        [{"id": "R1", "capacity": 8}, {"id": "R2", "capacity": 8}],
        [{"id": "A"}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        people,
    )
    allocation = solve(event, work_limit=10)
    assert allocation.status == "infeasible"
    pins = [c for c in allocation.conflicts if "pinned to seminar 'A'" in c]
    assert len(pins) == 1 and ("of the 11 attendee(s)" in pins[0] or "all 11 attendee(s)" in pins[0]), pins
    assert all("of the 11" in r or "all 11" in r for r in allocation.relaxation if r.startswith("unpin"))
    assert "a smallest set of them that conflicts" in summary(event, allocation)


def test_a_planned_session_names_the_room_whose_seats_conflict() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 1}, {"id": "R2", "capacity": 2}],
        [{"id": "A", "runs": 1}],
        [],
        [{"id": f"x{i}", "choices": ["A"], "fixed": {"P1": "A"}} for i in range(3)],
    )
    allocation = solve(event, work_limit=10)
    assert allocation.status == "infeasible"
    said = allocation.conflicts + allocation.relaxation
    assert not any("of the session" in c for c in said), said
    assert "room 'R2' seats 2 (seminar 'A', pass 'P1', the largest it may run in)" in allocation.conflicts
    assert "all 3 attendee(s) pinned to seminar 'A' in pass 'P1'" in allocation.conflicts


def test_explaining_everyone_without_an_allocation_says_why_once(tmp_path, capsys) -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 1}],
        [{"id": "A"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}],
        [{"id": f"x{i}", "choices": ["A"], "fixed": {"P1": "A"}} for i in range(3)],
    )
    (tmp_path / "event.json").write_text(event.to_json())
    (tmp_path / "allocation.json").write_text(solve(event, work_limit=10).to_json())
    assert main(["explain", str(tmp_path / "event.json"), str(tmp_path / "allocation.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "everyone (3 attendees): there is no allocation (infeasible)"
    )


def test_seminars_that_do_not_run_are_named_in_the_summary_and_the_report() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 5}, {"id": "R2", "capacity": 5}],
        [{"id": "A"}, {"id": "C", "optional": True, "min_attendance": 4}, {"id": "D"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "C"}],
        [{"id": f"x{i}", "choices": ["C", "D", "A"] if i < 2 else ["D", "A"]} for i in range(5)],
    )
    allocation = solve(event, work_limit=10)
    assert allocation.status == "optimal" and not any(x.seminar == "C" for x in allocation.assignments)
    said = summary(event, allocation)
    assert "seminar 'D' never runs: it has no session and no runs, and 5 attendee(s) rank it" in said
    assert (
        "seminar 'C' is cancelled: it is optional and the plan does not run it (2 attendee(s) rank it)"
        in said
    )
    html = render_report(event, allocation)
    assert "id='not-running'" in html and "seminar 'C' is cancelled" in html


def test_a_re_solve_says_what_of_the_published_allocation_it_treated_as_cancelled() -> None:
    event = Event.model_validate(event_dict())
    published = solve(event, work_limit=5)
    data = event_dict()
    data["attendees"] = [a for a in data["attendees"] if a["id"] != "x1"]  # x1 cancelled
    data["rooms"].append({"id": "R3", "capacity": 3, "features": ["step-free"]})
    data["sessions"] = [s | {"room": "R3"} if s["room"] == "R1" else s for s in data["sessions"]]
    now = resolve(Event.model_validate(data), published, work_limit=5)
    note = now.solver.note or ""  # type: ignore[union-attr]
    assert "treated as cancelled: 1 attendee(s) ('x1')" in note, note
    in_r1 = {(x.seminar, x.pass_) for x in published.assignments if x.room == "R1"}
    assert f"{len(in_r1)} session(s) that no longer run where they did" in note
    again = resolve(event, published, work_limit=5)  # nothing cancelled: nothing said
    assert "cancelled" not in (again.solver.note or "")  # type: ignore[union-attr]


def test_conflicts_and_the_smallest_fix_come_as_data_beside_the_sentences() -> None:
    event = Event.model_validate(
        event_dict(attendees=[{"id": f"x{i}", "choices": ["B"], "fixed": {"P1": "B"}} for i in range(3)])
    )
    allocation = solve(event, work_limit=10)
    assert allocation.status == "infeasible"
    assert [r.text for r in allocation.conflict_rules] == list(allocation.conflicts)
    assert [r.text for r in allocation.relaxation_rules] == list(allocation.relaxation)
    rules = {r.code: r for r in allocation.conflict_rules}
    assert rules["capacity"].room == "R2" and rules["capacity"].limit == 1
    assert (rules["capacity"].seminar, rules["capacity"].pass_) == ("B", "P1")
    assert rules["pinned"].attendees == 3 and rules["pinned"].of == 3 and rules["pinned"].seminar == "B"
    (fix,) = allocation.relaxation_rules
    assert fix.code == "capacity" and fix.change == 2 and fix.room == "R2"  # two more seats
    again = Allocation.from_json(allocation.to_json())  # in the JSON, "pass" as elsewhere
    assert again.conflict_rules == allocation.conflict_rules
    assert '"pass": "P1"' in allocation.to_json()
