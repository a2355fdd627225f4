"""A pinned seminar may carry its reason: it seats as the short form does, the checker holds it,
and rosters, explanations, the summary and the report say why."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, InputError, check, explain, solve
from seatalloc.cli.summary import summary
from seatalloc.explain.overview import overview
from seatalloc.explain.report import render_report
from seatalloc.io.rosters import roster
from seatalloc.schema.allocation import Assignment, Unseated

SPEAKER = {"seminar": "A", "reason": "speaker"}


def _pinned(pin: object) -> Event:
    """The tiny event with x3 (who ranked only B) pinned to A in P1."""
    data = event_dict()
    data["attendees"][2]["fixed"] = {"P1": pin}
    return Event.model_validate(data)


def _seats(allocation) -> dict[tuple[str, str], str]:
    return {(x.attendee, x.pass_): x.seminar for x in allocation.assignments}


def test_a_pin_with_a_reason_seats_as_the_short_form_does() -> None:
    long, short = _pinned(SPEAKER), _pinned("A")
    allocation = solve(long, work_limit=5)
    # x3 in A (pinned) and x2 (step-free: R1 only) fill A's room in P1, so x1 takes B, then A in P2.
    assert _seats(allocation) == {
        ("x1", "P1"): "B", ("x1", "P2"): "A",
        ("x2", "P1"): "A", ("x2", "P2"): "B",
        ("x3", "P1"): "A", ("x3", "P2"): "B",
    }  # fmt: skip
    assert allocation.status == "optimal" and check(long, allocation).ok
    assert allocation.to_json(timings=False) == solve(short, work_limit=5).to_json(timings=False)
    x3 = long.attendees[2]
    assert x3.pins == {"P1": "A"} and x3.pin_note("P1") == "pinned: speaker" and x3.pin_note("P2") is None
    assert short.attendees[2].pin_note("P1") == "pinned"
    # each form is written back as it came
    assert '"fixed":{"P1":{"seminar":"A","reason":"speaker"}}' in long.to_json(indent=None)
    assert '"fixed":{"P1":"A"}' in short.to_json(indent=None)


def test_the_checker_holds_a_pin_that_has_a_reason() -> None:
    event = _pinned(SPEAKER)
    allocation = solve(event, work_limit=5)
    moved = tuple(
        Assignment("x3", "P1", "B", "R2") if (x.attendee, x.pass_) == ("x3", "P1") else x
        for x in allocation.assignments
        if (x.attendee, x.pass_) != ("x1", "P1")  # (x1 gives up B's one seat)
    )
    unseated = (*allocation.unseated, Unseated(attendee="x1", pass_="P1", code="capacity", reason="full"))
    report = check(event, allocation.model_copy(update={"assignments": moved, "unseated": unseated}))
    assert "attendee 'x3' is pinned to 'A' in pass 'P1', got 'B'" in report.violations


@pytest.mark.parametrize(
    ("pin", "says"),
    [
        ({"seminar": "Z", "reason": "speaker"}, "unknown seminar 'Z'"),
        ({"seminar": "A", "reason": ""}, "at least 1 character"),
        ({"seminar": "A", "reason": "x" * 201}, "at most 200 characters"),
        ({"seminar": "A", "why": "speaker"}, "Extra inputs"),
        ({"reason": "speaker"}, "Field required"),
        (7, "Input should be a valid dictionary or instance of Pin"),
    ],
)
def test_a_bad_pin_is_an_input_error_naming_the_attendee_and_field(pin: object, says: str) -> None:
    with pytest.raises(InputError) as error:
        _pinned(pin)
    (problem,) = error.value.problems  # one problem, at the pin (not one per form it might be)
    assert problem.record == "attendees[2] 'x3'" and problem.field.startswith("fixed"), problem
    assert says in problem.message, problem


def test_explanations_rosters_the_summary_and_the_report_say_why() -> None:
    event = _pinned(SPEAKER)
    allocation = solve(event, work_limit=5)
    first = explain(event, allocation, "x3").passes[0]
    assert (first.seminar, first.pinned, first.better) == ("A", "pinned: speaker", ())
    assert "pass P1: seminar A (not ranked), pinned: speaker" in explain(event, allocation, "x3").to_text()
    assert explain(event, allocation, "x1").passes[0].pinned is None

    header, rows = roster(event, allocation, "session")
    assert header[-1] == "note"
    notes = {(r[6], r[0]): r[-1] for r in rows}
    assert notes[("x3", "P1")] == "pinned: speaker" and notes[("x1", "P1")] == notes[("x3", "P2")] == ""
    header, rows = roster(event, allocation, "attendee")
    assert [r[-1] for r in rows if r[0] == "x3"] == ["pinned: speaker", ""]
    plain = Event.model_validate(event_dict())
    assert "note" not in roster(plain, solve(plain, work_limit=5), "session")[0]  # nobody pinned

    o = overview(event, allocation)
    assert [(c.words, c.count) for c in o.pins] == [("speaker", 1)]
    assert [(c.words, c.count) for c in o.unranked] == [("the event pins them there", 1)]
    assert "pinned: speaker (1)" in summary(event, allocation)
    html = render_report(event, allocation)
    assert "<h2>Pinned seats</h2>" in html and "<td>speaker</td>" in html
