"""Response rounds: confirmed seats never move, declined and lapsed seats go to the next in line,
everyone stays in the output, and the new offers are listed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import add_workshop, queue_event
from seatalloc import Event, InputError, check, resolve, solve
from seatalloc.check.responses import check_round
from seatalloc.cli.main import main
from seatalloc.io.responses import read_responses
from seatalloc.schema.allocation import Assignment
from seatalloc.schema.responses import Responses
from seatalloc.solve.responses import respond
from strategies import admission_events

ANSWERS = [
    {"attendee": "p0", "response": "accepted", "when": "2020-05-02T10:00"},
    {"attendee": "p1", "response": "declined", "when": "2020-05-03T10:00"},
    {"attendee": "p4", "response": "declined", "when": "2020-05-11T10:00"},  # from the queue
]


def _queue() -> Event:
    """Six registrants on 1-6 April, three seats, offers to confirm by 10 May."""
    people = [(f"p{i}", None, f"2020-04-{i + 1:02d}") for i in range(6)]
    return Event.model_validate(queue_event(people, seat_limit=3, respond_by="2020-05-10"))


def _seats(allocation) -> dict[tuple[str, str], tuple[str, str]]:
    return {(x.attendee, x.pass_): (x.seminar, x.room) for x in allocation.assignments}


def test_declined_and_lapsed_seats_go_to_the_queue_in_order() -> None:
    event = _queue()
    published = solve(event, work_limit=5)
    assert {who for who, _ in _seats(published)} == {"p0", "p1", "p2"}
    now = respond(event, published, Responses.model_validate({"responses": ANSWERS}), work_limit=5)
    # As of 11 May (the last answer): p0 confirmed, p1 declined, p2 never answered (lapsed), p4
    # withdrew from the queue. The seats go to p3 and p5, in queue order.
    assert {who for who, _ in _seats(now)} == {"p0", "p3", "p5"}
    assert [(w.attendee, w.position, w.code) for w in now.waitlist] == [
        ("p1", None, "declined"),
        ("p2", None, "lapsed"),
        ("p4", None, "declined"),
    ]
    assert now.offers == ("p3", "p5")
    assert {u.code for u in now.unseated if u.attendee == "p2"} == {"lapsed"}
    assert all(_seats(now)[("p0", p)] == _seats(published)[("p0", p)] for p in ("P1", "P2"))
    report = check(event, now)  # an allocation of the whole event: nobody is lost
    assert report.ok, report.violations
    assert now.objective == report.objective and now.status == "optimal"


def test_an_offer_lapses_only_after_respond_by() -> None:
    event = _queue()
    published = solve(event, work_limit=5)
    answers = Responses.model_validate({"responses": ANSWERS[:2]})
    on_time = respond(event, published, answers, as_of=date(2020, 5, 10), work_limit=5)
    assert {who for who, _ in _seats(on_time)} == {"p0", "p2", "p3"}  # p2 still holds the offer
    late = respond(event, published, answers, as_of=date(2020, 5, 11), work_limit=5)
    assert {who for who, _ in _seats(late)} == {"p0", "p3", "p4"}
    # An acceptance after respond_by does not confirm: the offer lapses all the same.
    tardy = Responses.model_validate(
        {"responses": [{"attendee": "p2", "response": "accepted", "when": "2020-05-11"}]}
    )
    assert ("p2", None, "lapsed") in {
        (w.attendee, w.position, w.code) for w in respond(event, published, tardy, work_limit=5).waitlist
    }


def test_a_confirmed_seat_never_moves_even_to_admit_someone() -> None:
    # One pass; A is in the only step-free room. x1 holds A; x2, who needs step-free, registers
    # the next day. A re-solve moves x1 to B to admit x2; once x1 has confirmed, x1 stays.
    data = {
        "passes": [{"id": "P1"}],
        "rooms": [{"id": "R1", "capacity": 1, "features": ["step-free"]}, {"id": "R2", "capacity": 1}],
        "seminars": [{"id": "A"}, {"id": "B"}],
        "sessions": [
            {"seminar": "A", "pass": "P1", "room": "R1"},
            {"seminar": "B", "pass": "P1", "room": "R2"},
        ],
        "attendees": [
            {"id": "x1", "choices": ["A", "B"], "registered": "2020-04-01T09:00"},
            {"id": "x2", "choices": ["A"], "needs": ["step-free"], "registered": "2020-04-02T09:00"},
        ],
        "seat_limit": 2,
    }
    event = Event.model_validate(data)
    published = solve(event, as_of=date(2020, 4, 1), work_limit=5)
    assert _seats(published) == {("x1", "P1"): ("A", "R1")}
    moved = resolve(event, published, as_of=date(2020, 4, 2), work_limit=5)
    assert _seats(moved) == {("x1", "P1"): ("B", "R2"), ("x2", "P1"): ("A", "R1")}
    kept = respond(
        event,
        published,
        Responses.model_validate({"responses": [{"attendee": "x1", "response": "accepted"}]}),
        as_of=date(2020, 4, 2),
        work_limit=5,
    )
    assert _seats(kept) == {("x1", "P1"): ("A", "R1")}
    assert [(w.attendee, w.code) for w in kept.waitlist] == [("x2", "cannot-seat")]
    assert check(event, kept).ok


@pytest.mark.parametrize(
    ("answer", "field", "says"),
    [
        ({"attendee": "zz", "response": "declined"}, "attendee", "no attendee 'zz' in the event"),
        ({"attendee": "p5", "response": "accepted"}, "response", "attendee 'p5' has no offer to accept"),
        ({"attendee": "p0", "response": "maybe"}, "response", "'accepted' or 'declined'"),
        ({"attendee": "p0", "response": "accepted", "when": 12}, "when", "ISO 8601"),
    ],
)
def test_a_bad_answer_is_an_input_error_naming_it(answer: dict, field: str, says: str) -> None:
    event = _queue()
    published = solve(event, work_limit=5)
    with pytest.raises(InputError) as error:
        respond(event, published, Responses.model_validate({"responses": [answer]}), work_limit=5)
    (problem,) = error.value.problems
    assert problem.record == "responses[0]" and problem.field == field and says in problem.message, problem


def test_answers_are_read_from_a_sheet_with_bad_rows_named(tmp_path: Path) -> None:
    sheet = tmp_path / "answers.csv"
    sheet.write_text("attendee;response;when\np0;Accepted;2020-05-02 10:00\np1;declined;\n", encoding="utf-8")
    answers = read_responses(sheet)
    assert [(r.attendee, r.response, r.when is not None) for r in answers.responses] == [
        ("p0", "accepted", True),
        ("p1", "declined", False),
    ]
    sheet.write_text("attendee,response\np0,accepted\np1,perhaps\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_responses(sheet)
    assert [(p.record, p.field) for p in error.value.problems] == [("row 3", "response")]
    sheet.write_text("who,response\np0,accepted\n", encoding="utf-8")
    with pytest.raises(InputError, match="attendee: no such column"):
        read_responses(sheet)


def test_the_command_line_runs_a_round_and_lists_the_new_offers(tmp_path: Path, capsys) -> None:
    event = tmp_path / "event.json"
    event.write_text(_queue().to_json(), encoding="utf-8")
    published, answers, now = tmp_path / "published.json", tmp_path / "answers.json", tmp_path / "now.json"
    assert main(["solve", str(event), "-o", str(published), "--work-limit", "5"]) == 0
    answers.write_text(json.dumps({"responses": ANSWERS}), encoding="utf-8")
    capsys.readouterr()
    code = main(
        [
            "resolve",
            str(event),
            str(published),
            "--responses",
            str(answers),
            "-o",
            str(now),
            "--work-limit",
            "5",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "3 left (declined or lapsed); new offers to 2:" in out and "offer p3" in out and "offer p5" in out
    assert json.loads(now.read_text(encoding="utf-8"))["offers"] == ["p3", "p5"]


def test_the_round_checker_catches_a_moved_confirmation_a_seated_decliner_and_false_offers() -> None:
    event = _queue()
    published = solve(event, work_limit=5)
    answers = Responses.model_validate({"responses": ANSWERS})
    now = respond(event, published, answers, work_limit=5)
    assert check_round(event, published, answers, now) == []
    p0 = [x for x in now.assignments if x.attendee == "p0"]
    swapped = tuple(
        Assignment(x.attendee, x.pass_, "B" if x.seminar == "A" else "A", x.room) if x.attendee == "p0" else x
        for x in now.assignments
    )
    broken = now.model_copy(update={"assignments": swapped, "offers": ("p3",)})
    said = check_round(event, published, answers, broken)
    assert any(v.startswith("attendee 'p0' confirmed") and "moved" in v for v in said) and p0
    assert any("the new offers are ['p3']" in v for v in said)
    back = now.model_copy(
        update={
            "assignments": (*now.assignments, Assignment("p1", "P1", "A", "R1")),
            "waitlist": tuple(w for w in now.waitlist if w.attendee != "p1"),
        }
    )
    said = check_round(event, published, answers, back)
    assert (
        "attendee 'p1' declined and has a seat" in said and "attendee 'p1' declined but waits as None" in said
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(admission_events(), st.data())
def test_every_round_keeps_its_promises_and_every_rule(drawn, data) -> None:
    event, _ = drawn
    spec = json.loads(event.to_json())
    spec["respond_by"] = "2020-05-10"
    if data.draw(st.booleans()):  # a two-part workshop beside A and B, which some rank first
        add_workshop(spec, data.draw(st.integers(0, 3)), lambda person: data.draw(st.booleans()))
    event = Event.model_validate(spec)
    # (offers made as of the last registration: a re-solve keeps those admitted before ahead of a
    # higher class registered since, which the checker, seeing the event alone, would flag)
    published = solve(event, work_limit=5)
    offered = sorted({x.attendee for x in published.assignments})
    people = [a.id for a in event.attendees]
    answers = []
    for who in data.draw(st.lists(st.sampled_from(people), unique=True, max_size=len(people))):
        may = ["declined", "accepted"] if who in offered else ["declined"]
        when = data.draw(st.sampled_from(["2020-05-09T10:00", "2020-05-11T10:00", None]))
        answers.append({"attendee": who, "response": data.draw(st.sampled_from(may)), "when": when})
    responses = Responses.model_validate({"responses": answers})
    round_day = data.draw(st.sampled_from([date(2020, 5, 10), date(2020, 5, 12)]))
    now = respond(event, published, responses, as_of=round_day, work_limit=5)
    assert now.status == "optimal"
    report = check(event, now)
    assert report.ok, report.violations
    assert check_round(event, published, responses, now, round_day) == []


def test_the_report_counts_the_new_offers() -> None:
    from seatalloc.explain.overview import overview

    event = _queue()
    now = respond(
        event, solve(event, work_limit=5), Responses.model_validate({"responses": ANSWERS}), work_limit=5
    )
    figures = {f.words: f.value for f in overview(event, now).figures}
    assert figures["new offers in this response round"] == "2"
    assert [(c.code, c.count) for c in overview(event, now).waitlist] == [("declined", 2), ("lapsed", 1)]


def test_a_confirmed_seat_in_a_workshop_in_parts_stays_whole() -> None:
    # W takes both passes (two seats); c1 confirms W, c2 declines it, and q waits for a seat.
    people = [("c1", None, "2020-04-01"), ("c2", None, "2020-04-02"), ("q", None, "2020-04-03")]
    data = queue_event(people, seat_limit=2, respond_by="2020-05-10")
    event = Event.model_validate(add_workshop(data, 2, lambda person: True))
    published = solve(event, work_limit=5)
    assert {x.seminar for x in published.assignments if x.attendee == "c1"} == {"W"}
    answers = Responses.model_validate(
        {
            "responses": [
                {"attendee": "c1", "response": "accepted", "when": "2020-05-02T10:00"},
                {"attendee": "c2", "response": "declined", "when": "2020-05-02T11:00"},
            ]
        }
    )
    now = respond(event, published, answers, work_limit=5)
    assert now.status == "optimal" and check(event, now).ok
    assert check_round(event, published, answers, now) == []
    assert [(x.pass_, x.seminar, x.room) for x in now.assignments if x.attendee == "c1"] == [
        ("P1", "W", "R3"),
        ("P2", "W", "R3"),
    ]
    assert now.offers == ("q",)


def test_a_re_solve_with_a_move_cost_states_a_true_bound_when_types_are_split_by_run() -> None:
    # (the published seats were counted once per sub-type: the bound with moves came out too high)
    people = [("c1", None, "2020-04-01"), ("c2", None, "2020-04-02"), ("q", None, "2020-04-03")]
    event = Event.model_validate(add_workshop(queue_event(people), 2, lambda person: True))
    published = solve(event, work_limit=5)
    again = resolve(event, published, move_cost=3, work_limit=5)
    assert again.status == "optimal" and again.bound == again.objective
    assert check(event, again).ok
