"""One budget for the whole call: every step stops when it is spent and returns what it has.

Nothing here waits for a clock: budgets are made already spent, or the clock is
replaced by one that jumps, so the verdicts do not depend on the machine's speed.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks.generate import catalog, pinned, quota
from helpers import event_dict
from seatalloc import Event, check, solve
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods import get_method
from seatalloc.solve.methods.cp_sat.conflicts import GENERAL, find_conflicts, find_relaxation
from seatalloc.solve.methods.flow.steps import relax_and_colour
from seatalloc.solve.options import SolveOptions


def test_a_share_splits_the_work_when_there_is_a_work_limit_and_the_time_otherwise() -> None:
    by_work = Budget(60, 10.0).share(0.25)
    assert by_work.work_limit == 2.5 and by_work.deadline == by_work.parent.deadline  # type: ignore[union-attr]
    by_time = Budget(8.0, None).share(0.25)
    assert by_time.work_limit is None and by_time.seconds_left() <= 2.0
    assert Budget(None, 1.0).seconds_left() == math.inf


def test_work_spent_in_a_share_counts_in_the_whole() -> None:
    whole = Budget(None, 3.0)
    part = whole.share(0.5)
    part.spend(1.5)
    assert part.stop() == "work-limit" and whole.stop() is None
    assert whole.work == 1.5 and whole.work_left() == 1.5
    whole.spend(1.5)
    assert whole.stop() == "work-limit"


def test_a_deadline_passed_while_compiling_leaves_everyone_listed_and_says_so(monkeypatch) -> None:
    ticks = iter(range(0, 10**9, 100))  # a clock that jumps 100 s at every look
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(ticks)))
    event = Event.model_validate(event_dict())
    allocation = solve(event, time_limit=30)
    monkeypatch.undo()
    assert allocation.status == "unknown" and allocation.objective is None
    assert allocation.solver is not None and allocation.solver.stop == "time-limit"
    assert allocation.solver.note == "the time limit ran out while the event was compiled"
    assert len(allocation.unseated) == len(event.attendees) * len(event.passes)
    assert {u.code for u in allocation.unseated} == {"no-solution"}
    assert all("while the event was compiled" in u.reason for u in allocation.unseated)
    assert check(event, allocation).ok


def test_a_limit_short_for_the_event_says_what_it_holds_back(monkeypatch) -> None:
    event = Event.model_validate(catalog(20_000))
    places = len(event.attendees) * len(event.passes)
    ticks = iter(range(0, 10**9, 100))  # a clock that jumps 100 s at every look
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(ticks)))
    allocation = solve(event, time_limit=30)
    monkeypatch.undo()
    assert allocation.status == "unknown" and allocation.solver is not None
    held = f" s of the limit are held back for handing out, checking and writing the seats of {places:,} "
    assert allocation.solver.note is not None and held in allocation.solver.note
    assert allocation.solver.note.startswith("the time limit ran out while the event was compiled (")


def test_cp_sat_stops_building_a_model_when_the_deadline_has_passed() -> None:
    data = compile_event(Event.model_validate(quota(300)))
    outcome = get_method("cp-sat").run(data, SolveOptions(), Budget(0.0, None))
    assert outcome.status == "unknown" and outcome.seats is None and outcome.stop == "time-limit"
    assert outcome.note is not None and "was not built" in outcome.note


def test_the_flow_method_keeps_its_bound_when_the_work_runs_out_before_the_colouring() -> None:
    data = compile_event(Event.model_validate(catalog(400, seed=5, seminars=10, passes=2, top=4)))
    early = relax_and_colour(data, Budget(None, 1e-9), np.random.default_rng(0))
    assert early.seats is None and early.stop == "work-limit"
    assert early.bound is not None  # the relaxation ran: its bound is proven
    spent = relax_and_colour(data, Budget(0.0, None), np.random.default_rng(0))
    assert spent.seats is None and spent.bound is None and spent.stop == "time-limit"


def test_conflicts_and_the_smallest_fix_take_only_what_is_left() -> None:
    data = compile_event(Event.model_validate(pinned(300)))
    assert find_conflicts(data, seed=0, budget=Budget(0.0, None)) == (GENERAL,)
    assert find_relaxation(data, seed=0, budget=Budget(0.0, None)) == ()
    named = find_conflicts(data, seed=0, budget=Budget(None, 50.0))
    assert any("seats" in rule.text for rule in named)


def test_an_infeasible_event_names_its_conflicts_within_one_work_limit() -> None:
    event = Event.model_validate(pinned(300))
    allocation = solve(event, work_limit=20)
    assert allocation.status == "infeasible" and allocation.solver is not None
    assert allocation.solver.work <= 20 + 1  # a search may pass its limit by a step, not by a whole limit
    assert allocation.relaxation and "more seats" in allocation.relaxation[0]
    assert check(event, allocation).ok


def test_loading_a_method_is_not_charged_to_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    methods = importlib.import_module("seatalloc.solve.methods")  # (seatalloc.solve is also a function)
    budget_module = importlib.import_module("seatalloc.solve.budget")
    now = [100.0]  # a clock of the test's own: seconds pass only when it says
    monkeypatch.setattr(budget_module.time, "perf_counter", lambda: now[0])
    budget = Budget(1.0, None)
    search = budget.before(0.2)  # (made before the load: its deadline moves too)
    real = importlib.import_module

    def slow(name: str) -> object:
        now[0] += 5.0  # loading OR-Tools on a busy machine
        return real(name)

    monkeypatch.setattr(methods.importlib, "import_module", slow)
    method = methods.get_method("cp-sat", budget)
    assert method.name == "cp-sat"
    assert budget.elapsed() == 5.0  # (the wall time says what happened)
    assert budget.seconds_left() == 1.0 and search.seconds_left() == pytest.approx(0.8)
    assert budget.stop() is None and search.share(0.5).seconds_left() == pytest.approx(0.4)
    now[0] += 0.9
    assert search.stop() == "time-limit" and budget.stop() is None
    methods.get_method("flow")  # without a budget: the load is charged
    assert budget.stop() == "time-limit"  # (its 5 s passed the deadline)


def test_a_solve_loads_only_the_methods_it_runs() -> None:
    import json
    import subprocess
    import sys

    probe = """
import json, sys
from seatalloc import Event, solve
event = Event.from_json(sys.argv[1])
allocation = solve(event, work_limit=5)  # (a work limit: the same answer on a slow machine)
loaded = sorted(m for m in sys.modules if m.startswith("seatalloc.solve.methods."))
print(json.dumps([allocation.status, loaded]))
"""
    s1 = str(Path(__file__).resolve().parents[2] / "examples" / "jamlikhetskonferensen-2019.json")
    run = subprocess.run([sys.executable, "-c", probe, s1], capture_output=True, text=True, check=True)
    status, loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert status == "optimal"  # S1's quotas never bind: the flow method proves it alone
    assert "seatalloc.solve.methods.flow" in loaded
    assert "seatalloc.solve.methods.cp_sat" not in loaded and "seatalloc.solve.methods.lns" not in loaded
