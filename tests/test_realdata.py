"""Real preference data (../shared/data) solved to the reference values in its SOURCE.md files."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.baselines import first_come_first_served
from benchmarks.realdata import AGH, SDU, agh_event, glasgow_event, sdu_event, worst_rank
from benchmarks.umass import DATA as UMASS
from benchmarks.umass import umass_event
from seatalloc import check, solve

pytestmark = pytest.mark.skipif(
    not (SDU.exists() and AGH.exists()), reason="../shared/data is not beside the checkout"
)


@pytest.mark.parametrize(
    ("make", "rank_sum", "worst", "most"),
    [
        (sdu_event, 590, 5, 15),  # SDU 2016: 416 students, teams of [min, max] or closed, type rules
        (lambda cut=None: agh_event(1, cut), 347, 5, 9),  # AGH 2003, capacity ceil(N/m)
        (lambda cut=None: agh_event(2, cut), 360, 4, 7),  # AGH 2004
    ],
)
def test_reference_rank_sum_and_worst_rank(make, rank_sum, worst, most) -> None:
    event = make()
    allocation = solve(event, work_limit=60)
    assert allocation.status == "optimal" and not allocation.unseated
    assert allocation.objective == rank_sum
    assert check(event, allocation).ok
    assert worst_rank(make, most) == worst


@pytest.mark.parametrize(
    ("number", "rank_sum", "profile"),
    [
        (1, 57, [20, 9, 5, 0, 1]),
        (2, 54, [27, 4, 2, 1, 2]),
        (4, 50, [25, 4, 3, 1, 1]),  # from file 4 on: supervisors' limits across their projects
        (5, 44, [22, 6, 2, 1, 0]),
        (6, 58, [26, 6, 3, 2, 1]),
        (7, 111, [29, 9, 3, 2, 0]),
        (8, 101, [32, 8, 3, 1, 1]),
    ],
)
def test_glasgow_min_rank_sum_and_rank_maximal_profile(number, rank_sum, profile) -> None:
    event = glasgow_event(number)
    allocation = solve(event, work_limit=60)
    assert allocation.status == "optimal" and not allocation.unseated  # maximum cardinality: everyone
    assert allocation.objective == rank_sum
    maximal = solve(event, work_limit=60, objective="rank-maximal")
    counts = maximal.stats.choice_counts
    assert [counts.get(str(r), 0) for r in range(1, 6)] == profile
    assert check(event, maximal).ok


@pytest.mark.skipif(not UMASS.exists(), reason="../shared/data is not beside the checkout")
def test_umass_survey_converts_and_solves_within_every_course_load() -> None:
    event = umass_event()
    assert (len(event.attendees), len(event.sessions), len(event.passes)) == (700, 96, 13)
    allocation = solve(event, work_limit=60)
    assert allocation.status == "optimal" and check(event, allocation).ok
    per_student = Counter(x.attendee for x in allocation.assignments)
    loads = {a.id: a.max_sessions for a in event.attendees}
    assert all(n <= loads[who] for who, n in per_student.items())
    assert max(per_student.values()) > 1  # course loads above one are used
    served = first_come_first_served(event)
    assert check(event, served).ok and served.objective > allocation.objective
