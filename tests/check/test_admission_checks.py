"""The checker finds every broken admission rule in a hand-broken allocation."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import queue_event
from seatalloc import Event, check, solve
from seatalloc.schema import Allocation, Assignment, WaitlistEntry

PEOPLE = [
    ("a", "o1", "2020-04-01"),
    ("b", "o1", "2020-04-02"),
    ("c", "o2", "2020-04-03"),
    ("d", "o2", "2020-04-04"),
    ("e", "o2", "2020-04-25"),
]


@pytest.fixture(scope="module")
def solved() -> tuple[Event, Allocation]:
    data = queue_event(
        PEOPLE,
        seat_limit=2,
        reserves=[{"organisation": "o1", "reserved": 1, "until": "2020-04-30"}],
        registration_deadline="2020-04-20",
    )
    event = Event.model_validate(data)
    allocation = solve(event, as_of=date(2020, 4, 30), work_limit=30)
    # The lock lets o1 in once (a); the one open seat goes to c; b, d wait; e is late.
    assert {x.attendee for x in allocation.assignments} == {"a", "c"}
    assert check(event, allocation).ok
    return event, allocation


def seat(allocation: Allocation, who: str, *, passes=("P1", "P2")) -> Allocation:
    """Seat ``who`` (in A then B) and take them off the waitlist."""
    rooms = {"P1": ("A", "R1"), "P2": ("B", "R1")}
    added = tuple(Assignment(who, p, *rooms[p]) for p in passes)
    return allocation.model_copy(
        update={
            "assignments": allocation.assignments + added,
            "unseated": tuple(
                u for u in allocation.unseated if (u.attendee, u.pass_) not in {(who, p) for p in passes}
            ),
            "waitlist": tuple(w for w in allocation.waitlist if w.attendee != who),
        }
    )


def violations(event: Event, allocation: Allocation) -> str:
    return "\n".join(check(event, allocation).violations)


def test_admitted_in_only_some_passes(solved) -> None:
    event, allocation = solved
    broken = seat(allocation, "d", passes=("P1",))
    assert "attendee 'd' is seated in 1 of the 2 passes they attend; admitted means all" in violations(
        event, broken
    )


def test_over_the_seat_limit(solved) -> None:
    event, allocation = solved
    assert "3 attendees admitted, more than the seat_limit 2" in violations(event, seat(allocation, "d"))


def test_over_a_locked_reserve(solved) -> None:
    event, allocation = solved
    text = violations(event, seat(allocation, "b"))
    assert "organisation 'o1' has 2 admitted while its reserve of 1 is locked until 2020-04-30" in text


def test_late_registration_admitted(solved) -> None:
    event, allocation = solved
    text = violations(event, seat(allocation, "e"))
    assert "attendee 'e' registered 2020-04-25, after the deadline, but is admitted" in text


def test_waitlist_must_list_everyone_not_admitted_once(solved) -> None:
    event, allocation = solved
    dropped = allocation.model_copy(update={"waitlist": allocation.waitlist[1:]})
    assert "is not admitted and on the waitlist 0 times" in violations(event, dropped)
    doubled = allocation.model_copy(update={"waitlist": allocation.waitlist + allocation.waitlist[:1]})
    assert "waitlist positions are not 1, 2, 3, ... in order" in violations(event, doubled)


def test_waitlist_out_of_registration_order(solved) -> None:
    event, allocation = solved
    entries = [w for w in allocation.waitlist if w.position is not None]
    assert [w.attendee for w in entries] == ["b", "d"]
    swapped = (
        WaitlistEntry("d", 1, entries[1].code, entries[1].reason),
        WaitlistEntry("b", 2, entries[0].code, entries[0].reason),
        *(w for w in allocation.waitlist if w.position is None),
    )
    text = violations(event, allocation.model_copy(update={"waitlist": swapped}))
    assert "waitlist: 'b' registered before 'd' but is behind them" in text


def test_queue_jumping_after_release() -> None:
    event = Event.model_validate(queue_event(PEOPLE[2:4], seat_limit=1))
    allocation = solve(event, work_limit=30)
    assert {x.attendee for x in allocation.assignments} == {"c"}
    swapped = seat(allocation, "d")
    swapped = swapped.model_copy(
        update={
            "assignments": tuple(x for x in swapped.assignments if x.attendee != "c"),
            "waitlist": (WaitlistEntry("c", 1, "event-full", "-"),),
        }
    )
    assert "attendee 'd' got in although someone registered earlier waits" in violations(event, swapped)
