"""The methods seam: a registry, a protocol, and one table of which rule families each honours."""

from __future__ import annotations

import importlib
import typing

import pytest
from pydantic import BaseModel

from helpers import event_dict
from seatalloc import Event, InputError, check, solve
from seatalloc.schema.event import Event as EventModel
from seatalloc.solve import memory
from seatalloc.solve.methods.families import FAMILIES, PLAIN_FIELDS
from seatalloc.solve.registry import REGISTRY


def test_a_new_method_is_one_module_and_one_registry_line(monkeypatch) -> None:
    monkeypatch.setitem(REGISTRY, "unseating", "unseating_method")
    event = Event.model_validate(event_dict())
    allocation = solve(event, method="unseating", work_limit=5)
    assert allocation.solver is not None and allocation.solver.method == "unseating"
    assert allocation.status == "feasible" and allocation.assignments == ()
    assert check(event, allocation).ok
    # its work, and then the LP's prices for a certificate of its bound (GLOP's iterations)
    assert allocation.certificate is not None and allocation.solver.work > 0.5


def test_an_allocation_that_breaks_a_rule_is_never_returned(monkeypatch) -> None:
    monkeypatch.setitem(REGISTRY, "overfilling", "overfilling_method")
    rooms = [{"id": "R1", "capacity": 1, "features": ["step-free"]}, {"id": "R2", "capacity": 1}]
    event = Event.model_validate(event_dict(rooms=rooms))
    allocation = solve(event, method="overfilling", work_limit=5)
    assert allocation.status == "unknown" and allocation.assignments == ()
    assert allocation.solver is not None and allocation.solver.method == "overfilling"
    assert "the overfilling method's allocation broke" in (allocation.solver.note or "")
    # R1 holds two in P1 and in P2; and the LP's prices prove a bound above what overfilled seats cost
    assert "broke 3 rule(s)" in (allocation.solver.note or "")
    assert {u.code for u in allocation.unseated} == {"no-solution"}
    assert check(event, allocation).ok
    roomy = Event.model_validate(event_dict())  # where the rooms hold everyone, it stands
    kept = solve(roomy, method="overfilling", work_limit=5)
    assert kept.status == "optimal" and check(roomy, kept).ok


def test_a_method_honours_no_rule_family_until_the_table_says_so(monkeypatch) -> None:
    monkeypatch.setitem(REGISTRY, "unseating", "unseating_method")
    event = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_per_session": 1}]))
    with pytest.raises(InputError, match="the unseating method does not apply: organisation quotas"):
        solve(event, method="unseating")


def _fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of a model and of the records it holds, as 'field' or 'record.field'."""
    out = set()
    for name, info in model.model_fields.items():
        key = prefix + (info.alias or name)
        out.add(key)
        for arg in typing.get_args(info.annotation) or (info.annotation,):
            for inner in typing.get_args(arg) or (arg,):
                if isinstance(inner, type) and issubclass(inner, BaseModel) and not prefix:
                    out |= _fields(inner, key + ".")
    return out


def test_every_field_of_the_event_is_plain_or_claimed_by_a_rule_family() -> None:
    by_family = set().union(*(f.fields for f in FAMILIES))
    claimed = set(PLAIN_FIELDS) | by_family
    # A record a family claims whole (a quota, a reserve) brings its fields with it.
    unclaimed = sorted(f for f in _fields(EventModel) - claimed if f.split(".")[0] not in by_family)
    assert not unclaimed, f"say in solve/methods/families.py which methods honour {unclaimed}"
    assert "attendees.party" in _fields(EventModel)  # the walk reaches the records inside lists


@pytest.mark.parametrize(
    ("changes", "family"),
    [
        ({"quotas": [{"organisation": "o1", "max_seats": 1}]}, "organisation quotas"),
        ({"parity": [{"attribute": "organisation", "max_gap": 50}]}, "parity rules"),
        ({"diversity": [{"attribute": "organisation", "max_seats": 2}]}, "diversity rules"),
        ({"shared_limits": [{"seminars": ["A", "B"], "max_seats": 2}]}, "shared limits"),
        ({"seat_limit": 2}, "admission"),
        ({"seminars": [{"id": "A", "min_attendance": 1}, {"id": "B"}]}, "minimum attendance"),
        ({"seminars": [{"id": "A", "optional": True}, {"id": "B"}]}, "sessions planned by the optimiser"),
        (
            {
                "seminars": [{"id": "A"}, {"id": "B", "parts": 2}],
                "sessions": [
                    {"seminar": "A", "pass": "P1", "room": "R1"},
                    {"seminar": "B", "pass": "P1", "room": "R2"},
                    {"seminar": "A", "pass": "P2", "room": "R1"},
                ],
            },
            "seminars in several parts",
        ),
    ],
)
def test_the_flow_method_declines_every_family_it_does_not_honour_by_name(changes: dict, family: str) -> None:
    event = Event.model_validate(event_dict(**changes))
    with pytest.raises(InputError, match=f"the flow method does not apply: .*{family}"):
        solve(event, method="flow")
    assert solve(event, work_limit=10).status in ("optimal", "infeasible")  # auto: CP-SAT takes it


def test_cp_sat_declines_a_model_larger_than_the_memory_available(monkeypatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    quota = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_per_session": 1}]))
    with pytest.raises(
        InputError, match=r"cp-sat method does not apply: its type model \(\d+ arcs\) would need"
    ):
        solve(quota, method="cp-sat", work_limit=30)
    allocation = solve(quota, work_limit=5)  # auto: no method can, and it says why
    assert allocation.status == "unknown" and allocation.solver is not None
    note = allocation.solver.note or ""
    assert "no method can solve this event" in note and "organisation quotas" in note and "memory" in note
    assert check(quota, allocation).ok
    plain = Event.model_validate(event_dict())
    assert solve(plain, work_limit=5).status == "optimal"  # the flow method needs no such model


def test_the_large_neighbourhood_method_declines_an_event_too_large_for_the_memory_and_says_what_fits(
    monkeypatch,
) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    monkeypatch.setattr(importlib.import_module("seatalloc.solve.methods.auto"), "LNS_ARCS", 0)
    quota = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_per_session": 1}]))
    with pytest.raises(
        InputError,
        match=r"lns method does not apply: its search over \d+ arcs \(\d+ attendees\) would need .* "
        r"about 2 arcs \(some \d+ attendees like these\) would fit",
    ):
        solve(quota, method="lns", work_limit=5)
    allocation = solve(quota, work_limit=5)  # auto asks the lns method too, and says why not
    assert allocation.status == "unknown" and allocation.solver is not None
    assert "lns: its search over" in (allocation.solver.note or "")
