"""The same event, seed and work limit give the same bytes, also when the limit stops the solve."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.generate import catalog, quota
from seatalloc import Event, solve
from seatalloc.cli.main import main

#: A catalogue whose seminars run in 2 of 4 passes: the flow method's seat prices and
#: neighbourhoods are still improving when the work limit stops them.
SPARSE = catalog(700, seed=4, seminars=16, passes=4, top=5, runs=2)


def test_a_flow_solve_stopped_by_its_work_limit_gives_the_same_bytes_twice() -> None:
    event = Event.model_validate(SPARSE)
    first, again = (solve(event, method="flow", work_limit=2, seed=5) for _ in range(2))
    assert first.solver is not None and first.solver.stop == "work-limit" and first.status == "feasible"
    assert first.to_json(timings=False) == again.to_json(timings=False)


def test_a_cp_sat_solve_stopped_by_its_work_limit_gives_the_same_bytes_twice() -> None:
    event = Event.model_validate(quota(1000))
    first, again = (solve(event, method="cp-sat", work_limit=1.5, seed=1) for _ in range(2))
    assert first.solver is not None and first.solver.method == "cp-sat" and first.solver.stop == "work-limit"
    assert first.to_json(timings=False) == again.to_json(timings=False)


def test_a_large_neighbourhood_solve_stopped_by_its_work_limit_gives_the_same_bytes_twice() -> None:
    event = Event.model_validate(quota(1000))
    first, again = (solve(event, method="lns", work_limit=1.0, seed=1) for _ in range(2))
    assert first.solver is not None and first.solver.method == "lns" and first.solver.stop == "work-limit"
    assert first.status == "feasible"
    assert first.to_json(timings=False) == again.to_json(timings=False)


def test_a_busy_machine_gives_the_same_bytes(tmp_path) -> None:
    path = tmp_path / "event.json"
    path.write_text(Event.model_validate(SPARSE).to_json(), encoding="utf-8")
    quiet, busy = tmp_path / "quiet.json", tmp_path / "busy.json"
    command = ["solve", str(path), "--work-limit", "2", "--seed", "5", "--no-timings"]
    assert main([*command, "-o", str(quiet)]) == 0
    # Both cores kept busy while the same solve runs again.
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        assert main([*command, "-o", str(busy)]) == 0
    finally:
        for burner in burners:
            burner.kill()
            burner.wait(timeout=30)
    assert quiet.read_bytes() == busy.read_bytes()
