"""Every registered method on events drawn from every rule family: it declines the event by name,
or its allocation passes the checker, and when it says optimal its objective is the optimum
(the CP-SAT model's, itself held to the brute-force optimum in ``test_properties``)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatalloc import Event, InputError, check, solve
from seatalloc.solve.registry import method_names
from strategies import admission_events, events


def plain(event: Event) -> Event:
    """Return ``event`` without its rules across attendees and its lexicographic objective: an
    event every method accepts (the flow method's own kind)."""
    data = event.model_dump(by_alias=True, exclude_none=True)
    for key in ("quotas", "parity", "diversity", "shared_limits", "parties", "clashes"):
        data.pop(key, None)
    kept = ("rank_costs", "unranked_cost", "unseated_cost", "only_listed")
    data["objective"] = {k: v for k, v in data["objective"].items() if k in kept}
    for record in data["seminars"] + data["sessions"]:
        record.pop("min_attendance", None)
    for person in data["attendees"]:
        for key in ("size", "party", "required", "max_sessions", "priority", "history"):
            person.pop(key, None)
    return Event.model_validate(data)


ANY_EVENT = st.one_of(
    events().map(plain),
    events(),
    events(planned=True),
    events(venues=True),
    events(planned=True, venues=True),
    admission_events().map(lambda pair: pair[0]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_EVENT, st.integers(0, 3))
def test_every_method_keeps_every_rule_it_claims_and_its_optimum_is_the_optimum(
    event: Event, seed: int
) -> None:
    exact = solve(event, method="cp-sat", work_limit=10, seed=0)
    for name in method_names():
        try:
            allocation = solve(event, method=name, work_limit=1, seed=seed)
        except InputError as declined:  # a rule family the method does not honour, named
            assert f"the {name} method does not apply: " in str(declined)
            continue
        assert allocation.solver is not None
        assert "allocation broke" not in (allocation.solver.note or ""), (name, allocation.solver.note)
        report = check(event, allocation)
        assert report.ok, (name, report.violations)
        listed = len(allocation.assignments) + len(allocation.unseated)
        assert listed == len(event.attendees) * len(event.passes)
        if exact.status == "optimal":
            assert allocation.status != "infeasible", name
            if allocation.status == "optimal":
                assert allocation.objective == exact.objective, name
            if allocation.bound is not None and event.objective.kind == "rank-cost":
                assert allocation.bound <= exact.objective, name
        elif exact.status == "infeasible":
            assert allocation.status in ("infeasible", "unknown"), name
