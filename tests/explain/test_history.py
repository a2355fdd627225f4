"""Priority across editions: how returning attendees fared before, as a history score that an event
takes as priority classes or as objective weights, explained, and never writing the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seatalloc import Event, InputError, check, explain, solve
from seatalloc.cli.main import main
from seatalloc.explain.history import histories, with_history


def _edition(name: str, people: list[tuple[str, str, list[str]]], seats: int = 1) -> Event:
    """One pass, A and B with ``seats`` each; attendees (id, email, choices)."""
    return Event.model_validate(
        {
            "name": name,
            "passes": [{"id": "P1"}],
            "rooms": [{"id": "R1", "capacity": seats}, {"id": "R2", "capacity": seats}],
            "seminars": [{"id": "A"}, {"id": "B"}],
            "sessions": [
                {"seminar": "A", "pass": "P1", "room": "R1"},
                {"seminar": "B", "pass": "P1", "room": "R2"},
            ],
            "attendees": [{"id": i, "email": e, "choices": c} for i, e, c in people],
        }
    )


# 2019: one seat each in A and B, three people who all want A: one gets A, one B, one nothing
# (by the seeded lottery, so the test reads who got what). 2020: b alone, and A is gone.
Y2019 = _edition(
    "Konferensen 2019", [("p1", "a@x.se", ["A"]), ("p2", "b@x.se", ["A"]), ("p3", "c@x.se", ["A"])]
)
Y2020 = _edition("Konferensen 2020", [("q1", "B@X.se ", ["A"])], seats=0)
NOW = _edition(
    "Konferensen 2021",
    [
        ("n1", "a@x.se", ["A", "B"]),
        ("n2", "b@x.se", ["A", "B"]),
        ("n3", "c@x.se", ["A", "B"]),
        ("n4", "d@x.se", ["A", "B"]),
    ],
)


def _fared() -> dict[str, str]:
    got = {x.attendee: x.seminar for x in solve(Y2019, work_limit=5).assignments}
    email = {a.id: a.email for a in Y2019.attendees}
    return {email[p]: got.get(p, "-") for p in ("p1", "p2", "p3")}


def test_each_edition_scores_2_without_a_seat_1_without_a_first_choice() -> None:
    fared = _fared()  # email -> 'A', 'B' or '-'
    assert sorted(fared.values()) == ["-", "A", "B"]
    points = {"A": 0, "B": 1, "-": 2}
    editions = [(Y2019, solve(Y2019, work_limit=5)), (Y2020, solve(Y2020, work_limit=5))]
    found = histories(NOW, editions, "email")
    new_id = {a.email: a.id for a in NOW.attendees}
    # b@x.se came again in 2020 (written 'B@X.se '): no seat there, 2 more.
    expected = {new_id[e]: points[g] + (2 if e == "b@x.se" else 0) for e, g in fared.items()}
    assert {who: h.score for who, h in found.items()} == expected  # n4 is new: no history
    words = {"A": "a first choice", "B": "no first choice", "-": "no seat"}
    assert (
        found[new_id["b@x.se"]].note
        == f"{words[fared['b@x.se']]} at Konferensen 2019; no seat at Konferensen 2020"
    )
    assert all("@" not in (h.note or "") for h in found.values())  # the key is compared, never written


def test_by_id_the_same_ids_are_the_same_people() -> None:
    found = histories(NOW, [(Y2019, solve(Y2019, work_limit=5))], "id")
    assert found == {}  # no id in common
    again = NOW.model_copy(
        update={"attendees": tuple(a.model_copy(update={"id": "p" + a.id[1:]}) for a in NOW.attendees)}
    )
    assert set(histories(again, [(Y2019, solve(Y2019, work_limit=5))], "id")) == {"p1", "p2", "p3"}


def _scarce(weight: int | None, priority: bool) -> Event:
    """One seat in A, one in B, two who rank A first: x fared badly before (score 2), y is new."""
    event = _edition("2021", [("y", "y@x.se", ["A", "B"]), ("x", "x@x.se", ["A", "B"])])
    past = _edition("2019", [("old", "x@x.se", ["A"])], seats=0)
    return with_history(
        event, histories(event, [(past, solve(past, work_limit=5))]), priority=priority, weight=weight
    )


@pytest.mark.parametrize(("weight", "priority"), [(1, False), (None, True)])
def test_who_fared_worse_before_gets_the_scarce_seat_by_weight_or_class(weight, priority) -> None:
    event = _scarce(weight, priority)
    x = next(a for a in event.attendees if a.id == "x")
    assert x.history is not None and x.history.score == 2 and x.history.note == "no seat at 2019"
    assert x.priority == (2 if priority else 0)
    allocation = solve(event, work_limit=5, seed=0)
    assert {a.attendee: a.seminar for a in allocation.assignments} == {"x": "A", "y": "B"}
    report = check(event, allocation)
    assert report.ok and allocation.objective == report.objective
    if weight:  # x's second choice would count 3 times: 3 against y's 1
        assert allocation.objective == 1 and allocation.status == "optimal"
        with pytest.raises(InputError, match="history weights"):
            solve(event, method="flow")
    text = explain(event, allocation, "x").to_text()
    assert "earlier editions: no seat at 2019 (history score 2)" in text
    assert ("count 3 times" in text) == bool(weight)


def test_the_command_line_writes_the_histories_and_counts_only(tmp_path: Path, capsys) -> None:
    files = {}
    for name, thing in (("now", NOW), ("e2019", Y2019)):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(thing.to_json(), encoding="utf-8")
    files["a2019"] = tmp_path / "a2019.json"
    files["a2019"].write_text(solve(Y2019, work_limit=5).to_json(), encoding="utf-8")
    out = tmp_path / "with-history.json"
    argv = [
        "history",
        str(files["now"]),
        str(files["e2019"]),
        str(files["a2019"]),
        "--priority",
        "-o",
        str(out),
    ]
    assert main(argv) == 0
    said = capsys.readouterr().err
    assert "3 of 4 attendees returning (score 0: 1, score 1: 1, score 2: 1)" in said and "@" not in said
    event = Event.from_json(out)
    assert sorted(a.priority for a in event.attendees) == [0, 0, 1, 2]
    assert main(["history", str(files["now"]), str(files["e2019"])]) == 2
    assert "give each earlier edition as two files" in capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8"))["attendees"][3].get("history") is None


def test_the_report_counts_returning_attendees_and_how_their_history_counts() -> None:
    from seatalloc.explain.overview import overview
    from seatalloc.explain.report import render_report

    event = _scarce(1, False)
    allocation = solve(event, work_limit=5, seed=0)
    figures = {f.words: f.value for f in overview(event, allocation).figures}
    assert (
        figures["returning from earlier editions"]
        == "1 (1 fared worse; their costs count 1 + 1 x their score)"
    )
    assert "returning from earlier editions" in render_report(event, allocation)
