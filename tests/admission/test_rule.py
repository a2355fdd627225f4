"""The admission rule: seat limit, queue order, lottery, deadline, as-of day, reserves."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from helpers import queue_event
from seatalloc import Event, check, solve
from seatalloc.compile.admission import plan_admission


def admitted(event: Event, **kw) -> list[str]:
    allocation = solve(event, **kw, work_limit=30)
    report = check(event, allocation)
    assert report.ok, report.violations
    seated = {x.attendee for x in allocation.assignments}
    return [a.id for a in event.attendees if a.id in seated]


def waitlist(event: Event, **kw) -> list[tuple[str, int | None, str]]:
    return [(w.attendee, w.position, w.code) for w in solve(event, **kw, work_limit=30).waitlist]


# Registered in this order: e1 first, e5 last (same day, later hours).
FIVE = [(f"e{i}", None, "2020-04-10") for i in range(1, 6)]


def test_seat_limit_admits_in_registration_order_and_queues_the_rest():
    event = Event.model_validate(queue_event(FIVE, seat_limit=3))
    assert admitted(event) == ["e1", "e2", "e3"]
    assert waitlist(event) == [("e4", 1, "event-full"), ("e5", 2, "event-full")]


def test_registration_order_is_by_time_not_input_order():
    people = [("late", None, "2020-04-12"), ("early", None, "2020-04-01")]
    event = Event.model_validate(queue_event(people, seat_limit=1))
    assert admitted(event) == ["early"]
    assert waitlist(event) == [("late", 1, "event-full")]


def test_admitted_attendees_are_seated_in_every_pass():
    event = Event.model_validate(queue_event(FIVE, seat_limit=3))
    allocation = solve(event, work_limit=30)
    per_attendee = Counter(x.attendee for x in allocation.assignments)
    assert per_attendee == {"e1": 2, "e2": 2, "e3": 2}
    assert {u.code for u in allocation.unseated} == {"not-admitted"}


def test_priority_class_goes_before_registration_time():
    data = queue_event(FIVE, seat_limit=2)
    data["attendees"][4]["priority"] = 1
    assert admitted(Event.model_validate(data)) == ["e1", "e5"]


def test_lottery_is_reproducible_and_fair():
    data = queue_event([(f"e{i}", None, "2020-04-10") for i in range(3)], seat_limit=1)
    data["admission"] = {"rule": "lottery"}
    event = Event.model_validate(data)
    assert admitted(event, seed=7) == admitted(event, seed=7)
    wins = Counter(admitted(event, seed=seed)[0] for seed in range(300))
    assert set(wins) == {"e0", "e1", "e2"}
    assert all(70 <= n <= 130 for n in wins.values()), wins  # 100 expected each


def test_registration_after_the_deadline_is_refused_even_with_free_seats():
    people = [("on-time", None, "2021-03-01"), ("late", None, "2021-03-02")]
    event = Event.model_validate(queue_event(people, registration_deadline="2021-03-01"))
    allocation = solve(event, work_limit=30)
    assert admitted(event) == ["on-time"]
    (entry,) = allocation.waitlist
    assert (entry.attendee, entry.position, entry.code) == ("late", None, "late")
    assert entry.reason == "registered on 2021-03-02, after the registration deadline 2021-03-01"


def test_as_of_leaves_out_later_registrations():
    people = [("a", None, "2020-04-10"), ("b", None, "2020-04-20")]
    event = Event.model_validate(queue_event(people, seat_limit=5))
    assert admitted(event, as_of=date(2020, 4, 15)) == ["a"]
    assert waitlist(event, as_of=date(2020, 4, 15)) == [("b", None, "not-yet-registered")]
    assert admitted(event) == ["a", "b"]  # default: as of the last registration day


def test_pinned_attendees_are_always_admitted_and_count_against_the_limit():
    data = queue_event(FIVE, seat_limit=2)
    data["attendees"][4]["fixed"] = {"P1": "A"}
    assert admitted(Event.model_validate(data)) == ["e1", "e5"]


def test_one_who_cannot_be_seated_in_every_pass_yields_the_seat_to_the_next():
    data = queue_event(FIVE, seat_limit=2)
    data["attendees"][0]["needs"] = ["hearing-loop"]  # no room has it
    event = Event.model_validate(data)
    assert admitted(event) == ["e2", "e3"]
    assert ("e1", None, "cannot-seat") in waitlist(event)


# Reserves ---------------------------------------------------------------------------------

RESERVED = [
    ("a", "o2", "2020-04-01"),
    ("b", "o2", "2020-04-02"),
    ("c", "o2", "2020-04-03"),
    ("d", "o1", "2020-04-04"),
    ("e", "o1", "2020-04-25"),
]


def reserve_event(**reserve) -> Event:
    return Event.model_validate(
        queue_event(
            RESERVED,
            seat_limit=4,
            reserves=[{"organisation": "o1", "reserved": 2, "until": "2020-04-20", **reserve}],
        )
    )


def test_held_reserve_keeps_seats_for_its_organisation():
    # As of 10 April: o1 has 1 registrant for 2 held seats; the open 2 seats go to a and b.
    event = reserve_event()
    assert admitted(event, as_of=date(2020, 4, 10)) == ["a", "b", "d"]
    assert waitlist(event, as_of=date(2020, 4, 10))[0] == ("c", 1, "event-full")


def test_released_reserve_keeps_claimed_seats_and_opens_the_rest():
    # As of 30 April: d claimed 1 of the 2 reserved seats before the release; 3 seats are
    # open, to a, b and c by registration time; e registered after the release and waits.
    event = reserve_event()
    assert admitted(event, as_of=date(2020, 4, 30)) == ["a", "b", "c", "d"]
    assert waitlist(event, as_of=date(2020, 4, 30)) == [("e", 1, "event-full")]


def test_locked_reserve_caps_the_organisation_until_release():
    people = [(f"m{i}", "o1", "2020-04-0" + str(i + 1)) for i in range(4)]
    data = queue_event(
        people, seat_limit=10, reserves=[{"organisation": "o1", "reserved": 2, "until": "2020-04-20"}]
    )
    event = Event.model_validate(data)
    assert admitted(event, as_of=date(2020, 4, 10)) == ["m0", "m1"]
    entries = solve(event, as_of=date(2020, 4, 10), work_limit=30).waitlist
    assert [(w.attendee, w.position, w.code) for w in entries] == [
        ("m2", 1, "reserve-full"),
        ("m3", 2, "reserve-full"),
    ]
    assert "they open to everyone from 2020-04-21" in entries[0].reason
    assert admitted(event, as_of=date(2020, 4, 21)) == ["m0", "m1", "m2", "m3"]


# Reserved-first against open-first (Dur, Kominers, Pathak and Sönmez 2018) -----------------

ORDERED = [
    ("a", "o1", "2020-04-01"),
    ("b", "o1", "2020-04-02"),
    ("c", "o2", "2020-04-03"),
    ("d", "o2", "2020-04-04"),
    ("e", "o1", "2020-04-05"),
    ("f", "o2", "2020-04-06"),
    ("g", "o1", "2020-04-07"),
]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # Reserve first: o1's first two (a, b) take the reserve; c, d take the open seats.
        ("reserved-first", ["a", "b", "c", "d"]),
        # Open first: a, b take the open seats, then o1's next two (e, g) the reserve.
        ("open-first", ["a", "b", "e", "g"]),
    ],
)
def test_processing_order_decides_who_gets_in(order, expected):
    data = queue_event(
        ORDERED,
        seat_limit=4,
        reserves=[{"organisation": "o1", "reserved": 2, "locked": False}],
        admission={"order": order},
    )
    assert admitted(Event.model_validate(data)) == expected


def test_plan_is_the_same_for_the_same_seed():
    data = queue_event(ORDERED, seat_limit=3, admission={"rule": "lottery"})
    event = Event.model_validate(data)
    first = plan_admission(event, seed=3)
    again = plan_admission(event, seed=3)
    assert first.chosen.tolist() == again.chosen.tolist()
    assert first.position.tolist() == again.position.tolist()


def test_reserves_over_the_seat_limit_are_an_input_error():
    with pytest.raises(ValueError, match=r"event\.reserves: 5 seats reserved, more than the seat_limit 4"):
        Event.model_validate(
            queue_event(ORDERED, seat_limit=4, reserves=[{"organisation": "o1", "reserved": 5}])
        )


def test_reserve_for_unknown_organisation_is_named():
    with pytest.raises(ValueError, match=r"reserves\[0\]\.organisation: unknown organisation 'zz'"):
        Event.model_validate(queue_event(ORDERED, reserves=[{"organisation": "zz", "reserved": 1}]))
