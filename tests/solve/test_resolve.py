"""Re-solving a published allocation: stability, cancellations, pins, move limits and costs."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import event_dict, queue_event
from seatalloc import Allocation, Event, check, resolve, solve
from strategies import admission_events, events

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seats(allocation: Allocation) -> dict[tuple[str, str], tuple[str, str]]:
    return {(x.attendee, x.pass_): (x.seminar, x.room) for x in allocation.assignments}


def outcome_costs(event: Event, allocation: Allocation) -> dict[tuple[str, str], int]:
    """Cost per attendee-pass (unseated included), as the objective counts it."""
    costs = event.objective.costs_for(len(event.seminars))
    got = {(x.attendee, x.pass_): x.seminar for x in allocation.assignments}
    out = {}
    for a in event.attendees:
        for p in event.passes:
            seminar = got.get((a.id, p.id))
            if seminar is None:
                out[(a.id, p.id)] = event.objective.unseated_cost
            elif a.costs is not None:  # the attendee's own costs replace the rank costs
                out[(a.id, p.id)] = a.costs.get(seminar, event.objective.unranked_cost)
            elif a.scores is not None:  # scores: the event's highest score minus the seminar's
                top = max(v for b in event.attendees for v in (b.scores or {}).values())
                score = a.scores.get(seminar)
                out[(a.id, p.id)] = event.objective.unranked_cost if score is None else top - score
            elif seminar in a.choices and a.choices.index(seminar) < len(costs):
                out[(a.id, p.id)] = costs[a.choices.index(seminar)]
            else:
                out[(a.id, p.id)] = event.objective.unranked_cost
    return out


def without(event: Event, attendee: str) -> Event:
    return event.model_copy(update={"attendees": tuple(a for a in event.attendees if a.id != attendee)})


# Properties -------------------------------------------------------------------------------


@SETTINGS
@given(events())
def test_re_solving_an_unchanged_event_moves_nobody(event: Event) -> None:
    published = solve(event, work_limit=30)
    assume(published.status == "optimal")
    again = resolve(event, published, work_limit=30)
    assert again.moves == ()
    assert seats(again) == seats(published)
    assert check(event, again).ok


@SETTINGS
@given(admission_events())
def test_re_solving_an_unchanged_admission_moves_nobody(case) -> None:
    event, as_of = case
    published = solve(event, as_of=as_of, work_limit=30)
    again = resolve(event, published, as_of=as_of, work_limit=30)
    assert again.moves == ()
    assert seats(again) == seats(published)
    assert [w.attendee for w in again.waitlist] == [w.attendee for w in published.waitlist]


@SETTINGS
@given(events(min_attendees=2), st.data())
def test_a_cancellation_never_makes_anyone_else_worse_off(event: Event, data) -> None:
    # Parity, diversity and minimum attendance depend on who is there: without them, the
    # published allocation minus the cancelled attendee stays valid, so nobody needs to lose.
    seminars = tuple(m.model_copy(update={"min_attendance": 0}) for m in event.seminars)
    event = event.model_copy(update={"parity": (), "diversity": (), "seminars": seminars})
    published = solve(event, work_limit=30)
    assume(published.status == "optimal")
    gone = data.draw(st.sampled_from([a.id for a in event.attendees]))
    after = without(event, gone)
    again = resolve(after, published, work_limit=30)
    assert again.status == "optimal"
    assert check(after, again).ok
    before, now = outcome_costs(event, published), outcome_costs(after, again)
    assert all(now[key] <= before[key] for key in now)


@SETTINGS
@given(admission_events(), st.data())
def test_a_cancellation_promotes_without_making_anyone_worse_off(case, data) -> None:
    event, as_of = case
    published = solve(event, as_of=as_of, work_limit=30)
    seated = sorted({x.attendee for x in published.assignments})
    assume(seated)
    gone = data.draw(st.sampled_from(seated))
    after = without(event, gone)
    again = resolve(after, published, as_of=as_of, work_limit=30)
    assert check(after, again).ok
    before, now = outcome_costs(event, published), outcome_costs(after, again)
    assert all(now[key] <= before[key] for key in now)
    place = {w.attendee: w.position for w in published.waitlist}
    for w in again.waitlist:  # nobody waits further back than before
        if w.position is not None:
            assert place[w.attendee] is not None and w.position <= place[w.attendee]
    # The freed seat goes to someone from the queue, unless it was held for a reserve.
    promoted = {x.attendee for x in again.assignments} - {x.attendee for x in published.assignments}
    assert len(promoted) <= 1


# Cases ------------------------------------------------------------------------------------

QUEUE = [(f"q{i}", "o2", f"2020-04-{i + 1:02d}") for i in range(5)]


def test_a_cancellation_promotes_the_first_on_the_waitlist() -> None:
    event = Event.model_validate(queue_event(QUEUE, seat_limit=3))
    published = solve(event, work_limit=30)
    assert [w.attendee for w in published.waitlist] == ["q3", "q4"]
    again = resolve(without(event, "q1"), published, work_limit=30)
    assert {x.attendee for x in again.assignments} == {"q0", "q2", "q3"}
    assert [(w.attendee, w.position) for w in again.waitlist] == [("q4", 1)]
    assert again.moves == ()


def test_promotion_respects_a_locked_reserve() -> None:
    people = [*QUEUE, ("r0", "o1", "2020-04-01"), ("r1", "o1", "2020-04-02"), ("r2", "o1", "2020-04-03")]
    reserves = [{"organisation": "o1", "reserved": 2, "until": "2020-05-01"}]
    event = Event.model_validate(queue_event(people, seat_limit=5, reserves=reserves))
    published = solve(event, work_limit=30)
    assert [w.attendee for w in published.waitlist] == ["r2", "q3", "q4"]
    # r0 cancels: its reserved seat goes to r2, not to q3 who is ahead in time order.
    again = resolve(without(event, "r0"), published, work_limit=30)
    assert {x.attendee for x in again.assignments} == {"q0", "q1", "q2", "r1", "r2"}
    # q0 cancels: the open seat goes to q3; r2 may not take it while the lock holds.
    again = resolve(without(event, "q0"), published, work_limit=30)
    assert {x.attendee for x in again.assignments} == {"q1", "q2", "q3", "r0", "r1"}


def shrunk(room_capacity: int) -> dict:
    """Four attendees in seminar A, one of them a pinned speaker; room R1 seats 4 then fewer."""
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 4}, {"id": "R2", "capacity": 4}],
        attendees=[
            {"id": "speaker", "choices": ["A", "B"], "fixed": {"P1": "A"}},
            *({"id": f"x{i}", "choices": ["A", "B"]} for i in range(3)),
        ],
    )
    data["rooms"][0]["capacity"] = room_capacity
    return data


def test_pins_never_move_and_only_needed_moves_are_made() -> None:
    # R1 holds A in P1 and B in P2. At 2 seats, two of the three others must leave A in
    # P1 for B, and therefore also leave B in P2 for A: four moves, never the speaker.
    event = Event.model_validate(shrunk(4))
    published = solve(event, method="cp-sat", work_limit=30)  # one of several optima: everyone in A in P1
    assert {seminar for (_, p), (seminar, _) in seats(published).items() if p == "P1"} == {"A"}
    smaller = Event.model_validate(shrunk(2))
    again = resolve(smaller, published, work_limit=30)
    assert check(smaller, again).ok
    assert seats(again)[("speaker", "P1")] == ("A", "R1")
    assert len(again.moves) == 4
    assert len({m.attendee for m in again.moves}) == 2
    assert "speaker" not in {m.attendee for m in again.moves}
    first = [m for m in again.moves if m.pass_ == "P1"]
    assert all(m.code == "needed" and "now seats 2, fewer than the 4 published" in m.reason for m in first)


def test_max_moves_limits_the_changes() -> None:
    published = solve(Event.model_validate(shrunk(4)), method="cp-sat", work_limit=30)  # as above
    smaller = Event.model_validate(shrunk(2))
    stuck = resolve(smaller, published, max_moves=3, work_limit=30)
    assert stuck.status == "infeasible"
    assert "at most 3 move(s)" in stuck.conflicts
    assert stuck.relaxation == ("allow 1 more move(s)",)
    assert resolve(smaller, published, max_moves=4, work_limit=30).status == "optimal"


def improvable(rank_costs: list[int]) -> tuple[Event, Allocation]:
    """x2 got its second choice because x1 held the last seat of A; then x1 cancels."""
    data = event_dict(
        passes=[{"id": "P1"}],
        rooms=[{"id": "R1", "capacity": 1}, {"id": "R2", "capacity": 5}],
        sessions=[{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        attendees=[
            {"id": "x1", "choices": ["A"], "fixed": {"P1": "A"}},
            {"id": "x2", "choices": ["A", "B"]},
        ],
        objective={"rank_costs": rank_costs},
    )
    event = Event.model_validate(data)
    published = solve(event, work_limit=30)
    assert seats(published)[("x2", "P1")] == ("B", "R2")
    return without(event, "x1"), published


def test_without_a_move_cost_nobody_moves_for_a_better_rank_alone() -> None:
    event, published = improvable([0, 4])
    assert resolve(event, published, work_limit=30).moves == ()


def test_a_move_is_made_when_the_gain_beats_its_cost() -> None:
    event, published = improvable([0, 4])
    again = resolve(event, published, move_cost=3, work_limit=30)
    (move,) = again.moves
    assert (move.attendee, move.to_seminar, move.code) == ("x2", "A", "improved")
    assert again.objective == 0 + 3
    assert check(event, again).ok


def test_a_move_is_not_made_when_it_costs_more_than_it_gains() -> None:
    event, published = improvable([0, 4])
    again = resolve(event, published, move_cost=5, work_limit=30)
    assert again.moves == ()
    assert again.objective == 4
