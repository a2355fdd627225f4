"""Solve options: one validated object, built by the keywords too, taken by every entry point."""

from __future__ import annotations

import math
from datetime import date

import pytest

from helpers import event_dict
from seatalloc import Allocation, Event, InputError, SolveOptions, resolve, solve
from seatalloc.cli.main import main


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"time_limit": 0}, "options.time_limit: must be a finite number > 0, got 0"),
        ({"time_limit": -1.5}, "options.time_limit: must be a finite number > 0, got -1.5"),
        ({"time_limit": math.inf}, "options.time_limit: must be a finite number > 0, got inf"),
        ({"time_limit": math.nan}, "options.time_limit: must be a finite number > 0, got nan"),
        ({"time_limit": "10"}, "options.time_limit: must be a finite number > 0, got '10'"),
        ({"work_limit": 0.0}, "options.work_limit: must be a finite number > 0, got 0.0"),
        ({"seed": -1}, "options.seed: must be an integer from 0 to 2147483647, got -1"),
        ({"seed": 2**31}, "options.seed: must be an integer from 0 to 2147483647, got 2147483648"),
        ({"seed": 1.5}, "options.seed: must be an integer from 0 to 2147483647, got 1.5"),
        ({"seed": True}, "options.seed: must be an integer from 0 to 2147483647, got True"),
        ({"workers": 0}, "options.workers: must be an integer from 1 to 256, got 0"),
        ({"workers": 10_000}, "options.workers: must be an integer from 1 to 256, got 10000"),
        ({"objective": "fairest"}, "options.objective: unknown objective 'fairest': use rank-cost"),
        ({"method": "fast"}, "options.method: unknown method 'fast': use auto, cp-sat, flow"),
        ({"as_of": "2020-04-20"}, "options.as_of: must be a date, got '2020-04-20'"),
        ({"progress": 3}, "options.progress: must be callable, got 3"),
    ],
)
def test_a_bad_option_is_an_input_error_naming_the_field(changes: dict, said: str) -> None:
    with pytest.raises(InputError) as caught:
        SolveOptions(**changes)
    assert said in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(InputError, match="options"):  # solve() checks its keywords the same way
        solve(Event.model_validate(event_dict()), **changes)


def test_every_bad_option_is_listed_at_once() -> None:
    with pytest.raises(InputError) as caught:
        SolveOptions(time_limit=-1, seed=-1, workers=0)
    assert [p.field for p in caught.value.problems] == ["time_limit", "seed", "workers"]


def test_the_time_limit_defaults_to_30_s_unless_only_a_work_limit_is_given() -> None:
    assert SolveOptions().seconds == 30
    assert SolveOptions(work_limit=5).seconds is None
    assert SolveOptions(time_limit=2, work_limit=5).seconds == 2


def test_keywords_build_the_options_and_override_given_ones() -> None:
    event = Event.model_validate(event_dict())
    given = solve(event, SolveOptions(seed=3, work_limit=5))
    built = solve(event, seed=3, work_limit=5)
    overridden = solve(
        event, SolveOptions(seed=9, work_limit=5, objective="leximin"), seed=3, objective="rank-cost"
    )
    for allocation in (given, built, overridden):
        assert allocation.solver is not None
        assert (allocation.solver.seed, allocation.solver.work_limit, allocation.solver.time_limit) == (
            3,
            5,
            None,
        )
        assert allocation.solver.objective == "rank-cost"
    assert given.to_json(timings=False) == built.to_json(timings=False) == overridden.to_json(timings=False)


def test_options_are_frozen() -> None:
    options = SolveOptions()
    with pytest.raises(AttributeError):
        options.seed = 4  # type: ignore[misc]


def test_resolve_checks_its_own_options_and_takes_the_shared_ones() -> None:
    event = Event.model_validate(event_dict())
    published = solve(event, work_limit=5)
    with pytest.raises(InputError, match="options.move_cost: must be an integer >= 0, got -1"):
        resolve(event, published, move_cost=-1, work_limit=30)
    with pytest.raises(InputError, match="options.max_moves"):
        resolve(event, published, max_moves=1.5, work_limit=30)  # type: ignore[arg-type]
    again = resolve(event, published, SolveOptions(work_limit=5, seed=2))
    assert again.solver is not None and again.solver.seed == 2 and again.moves == ()


def test_the_command_line_reports_bad_options_without_a_traceback(tmp_path, capsys, s1_path) -> None:
    out = tmp_path / "a.json"
    assert main(["solve", str(s1_path), "--time-limit", "-1", "-o", str(out)]) == 2
    assert main(["solve", str(s1_path), "--seed", "-5", "--workers", "0", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "options.time_limit: must be a finite number > 0, got -1.0" in err
    assert "options.seed" in err and "options.workers" in err and "Traceback" not in err
    assert not out.exists()


def test_the_command_line_takes_a_work_limit(tmp_path, s1_path) -> None:
    out = tmp_path / "a.json"
    assert main(["solve", str(s1_path), "--work-limit", "20", "--no-timings", "-o", str(out)]) == 0
    allocation = Allocation.from_json(out)
    assert allocation.solver is not None and allocation.status == "optimal"
    assert allocation.solver.work_limit == 20 and allocation.solver.time_limit is None
    assert allocation.solver.wall_time is None  # --no-timings


def test_as_of_reaches_admission_through_the_options() -> None:
    from helpers import queue_event

    people = [("early", None, "2020-04-01"), ("late", None, "2020-04-25")]
    event = Event.model_validate(queue_event(people, seat_limit=5))
    allocation = solve(event, SolveOptions(as_of=date(2020, 4, 10), work_limit=5))
    assert [w.attendee for w in allocation.waitlist] == ["late"]
    assert allocation.waitlist[0].code == "not-yet-registered"


def test_progress_hears_only_of_a_better_allocation_or_a_higher_bound() -> None:
    from seatalloc.solve.options import Steady

    heard: list[tuple] = []
    steady = Steady(lambda stage, seconds, best, bound: heard.append((stage, best, bound)))
    steady("rank cost", 0.1, 457_339, 400_000)  # the greedy start's
    steady("rank cost", 0.2, 835_664, 0)  # another method's first allocation, without a bound
    steady("rank cost", 0.3, None, 410_000)  # a higher bound alone
    steady("rank cost", 0.4, 450_000, 5)  # a better allocation: with the best bound so far
    steady("rank cost", 0.5, 450_000, 410_000)  # nothing new
    steady("fewest unseated", 0.6, 9, None)  # another stage counts on its own
    assert heard == [
        ("rank cost", 457_339, 400_000),
        ("rank cost", None, 410_000),
        ("rank cost", 450_000, 410_000),
        ("fewest unseated", 9, None),
    ]


def test_a_solve_reports_ever_better_allocations_and_bounds() -> None:
    from benchmarks.generate import quota

    heard: list[tuple] = []
    event = Event.model_validate(quota(600, seed=3))  # a greedy start, a flow's, then the search's
    solve(event, work_limit=3, progress=lambda *call: heard.append(call))
    assert len(heard) > 1
    bests = [best for _, _, best, _ in heard if best is not None]
    bounds = [bound for _, _, _, bound in heard if bound is not None]
    assert bests == sorted(bests, reverse=True) and bounds == sorted(bounds)
