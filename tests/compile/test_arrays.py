"""Compiling an event: interchangeable attendees merge, arcs respect needs and pins."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import event_dict
from seatalloc import Event
from seatalloc.compile import NEEDS, NO_SESSION, OPEN, compile_event
from strategies import events


def _compiled(**changes):
    return compile_event(Event.model_validate(event_dict(**changes)))


def test_attendees_with_the_same_registration_merge_into_one_type() -> None:
    people = [{"id": f"p{i}", "organisation": "o1", "choices": ["A", "B"]} for i in range(5)]
    people.append({"id": "other", "organisation": "o1", "choices": ["B", "A"]})
    data = _compiled(attendees=people)
    assert data.n_types == 2
    assert sorted(data.types.count.tolist()) == [1, 5]


def test_organisation_splits_types_only_when_it_has_a_quota() -> None:
    people = [
        {"id": "p1", "organisation": "o1", "choices": ["A"]},
        {"id": "p2", "organisation": "o2", "choices": ["A"]},
    ]
    assert _compiled(attendees=people).n_types == 1
    quota = [{"organisation": "o1", "max_per_session": 1}]
    assert _compiled(attendees=people, quotas=quota).n_types == 2


def test_arcs_respect_needs_and_exclusions() -> None:
    people = [{"id": "p1", "choices": ["A"], "needs": ["step-free"], "excluded": ["B"]}]
    data = _compiled(attendees=people, organisations=[])
    rooms = {data.room_ids[data.sessions.room[s]] for s in data.arcs.session}
    seminars = {data.seminar_ids[data.sessions.seminar[s]] for s in data.arcs.session}
    assert rooms == {"R1"} and seminars == {"A"}
    # A runs in R2 in P2 (no step-free), B is excluded: nothing in P2, because of the room.
    assert data.types.pass_block.tolist() == [[OPEN, NEEDS]]


def test_a_pin_closes_the_seminar_in_other_passes() -> None:
    people = [{"id": "p1", "choices": ["A", "B"], "fixed": {"P2": "B"}}]
    data = _compiled(attendees=people, organisations=[])
    pairs = {
        (data.pass_ids[data.sessions.pass_[s]], data.seminar_ids[data.sessions.seminar[s]])
        for s in data.arcs.session
    }
    assert pairs == {("P1", "A"), ("P2", "B")}


def test_no_session_block_when_every_seminar_is_excluded() -> None:
    people = [{"id": "p1", "choices": [], "excluded": ["A", "B"]}]
    data = _compiled(attendees=people, organisations=[])
    assert (data.types.pass_block == NO_SESSION).all()


def test_costs_follow_ranks_and_unranked() -> None:
    people = [{"id": "p1", "choices": ["B"]}]
    data = _compiled(
        attendees=people,
        organisations=[],
        objective={"rank_costs": [3], "unranked_cost": 7, "unseated_cost": 99},
    )
    cost = {
        data.seminar_ids[data.sessions.seminar[s]]: c
        for s, c in zip(data.arcs.session, data.arcs.cost, strict=True)
    }
    assert cost == {"A": 7, "B": 3}
    assert data.unseated_cost == 99


def test_arrays_are_read_only() -> None:
    data = _compiled()
    with pytest.raises(ValueError):
        data.arcs.cost[0] = 5
    assert isinstance(data.members.grouped, np.ndarray) and not data.members.grouped.flags.writeable


arcs_module = importlib.import_module("seatalloc.compile.arcs")


def _same_compiled(event: Event, monkeypatch) -> None:
    fast = compile_event(event)
    monkeypatch.setattr(arcs_module, "FAST", False)  # every type through the loop
    slow = compile_event(event)
    monkeypatch.setattr(arcs_module, "FAST", True)
    for field in ("type", "session", "cost", "rank"):
        assert getattr(fast.arcs, field).tolist() == getattr(slow.arcs, field).tolist(), field
    assert [None if f is None else f.tolist() for f in fast.arcs.fits] == [
        None if f is None else f.tolist() for f in slow.arcs.fits
    ]
    assert fast.types.pass_block.tolist() == slow.types.pass_block.tolist()
    assert fast.types.previous_cost.tolist() == slow.types.previous_cost.tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=st.one_of(events(), events(planned=True), events(venues=True)))
def test_plain_types_get_the_arcs_the_loop_gives_them(event: Event, monkeypatch) -> None:
    _same_compiled(event, monkeypatch)


@pytest.mark.parametrize("only_listed", [True, False])
def test_plain_types_beside_pinned_excluded_and_needy_ones_get_the_arcs_the_loop_gives_them(
    monkeypatch, only_listed: bool
) -> None:
    people = [
        {"id": "plain", "choices": ["B", "A"]},
        {"id": "scores", "scores": {"A": 3, "B": 9}},
        {"id": "pinned", "choices": ["A"], "fixed": {"P2": "B"}},
        {"id": "excluded", "choices": ["A"], "excluded": ["B"]},
        {"id": "needs", "choices": ["B"], "needs": ["step_free"]},
        {"id": "nothing", "choices": []},
    ]
    spec = event_dict(attendees=people)
    spec["objective"] = {"kind": "rank-cost", "only_listed": only_listed, "unranked_cost": 7}
    _same_compiled(Event.model_validate(spec), monkeypatch)
