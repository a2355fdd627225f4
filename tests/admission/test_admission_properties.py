"""Properties of admission on random registrations, checked by the independent checker."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import HealthCheck, given, settings

from seatalloc import Event, check, solve
from strategies import admission_events

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(admission_events())
def test_every_admission_passes_the_checker(case):
    event, as_of = case
    allocation = solve(event, as_of=as_of, work_limit=30)
    assert allocation.status == "optimal"
    report = check(event, allocation)
    assert report.ok, report.violations


@SETTINGS
@given(admission_events())
def test_waitlist_is_in_priority_then_registration_order(case):
    event, as_of = case
    allocation = solve(event, as_of=as_of, work_limit=30)
    people = {a.id: a for a in event.attendees}
    queue = [people[w.attendee] for w in allocation.waitlist if w.position is not None]
    keys = [(-a.priority, a.registered) for a in queue]
    assert keys == sorted(keys)
    assert [w.position for w in allocation.waitlist if w.position] == list(range(1, len(queue) + 1))


def org_counts(event: Event, order: str, as_of: date) -> Counter[str | None]:
    admission = event.admission.model_copy(update={"order": order})  # type: ignore[union-attr]
    allocation = solve(event.model_copy(update={"admission": admission}), as_of=as_of, work_limit=30)
    seated = {x.attendee for x in allocation.assignments}
    return Counter(a.organisation for a in event.attendees if a.id in seated)


@SETTINGS
@given(admission_events(reserves=1))
def test_open_first_never_admits_fewer_of_the_reserved_organisation(case):
    event, as_of = case
    reserved_first = org_counts(event, "reserved-first", as_of)
    open_first = org_counts(event, "open-first", as_of)
    for r in event.reserves:
        assert open_first[r.organisation] >= reserved_first[r.organisation]
    assert sum(open_first.values()) <= (event.seat_limit or 0)
