"""Memory: an event that will not fit is refused before the work starts, a solve that runs out
ends with an allocation without seats that says so, and the command line exits with the code for
'no allocation' and a sentence, never a traceback."""

from __future__ import annotations

import importlib
import json
import resource
import subprocess
import sys

import pytest

from helpers import event_dict
from seatalloc import Event, OutOfMemory, check, solve
from seatalloc.cli.main import EXIT_NO_ALLOCATION, main
from seatalloc.schema import Allocation

solver = importlib.import_module("seatalloc.solve.solver")
guards = importlib.import_module("seatalloc.solve.guards")


def test_an_event_whose_allocation_will_not_fit_is_refused_before_the_work_starts(monkeypatch) -> None:
    monkeypatch.setattr(guards, "available_bytes", lambda: 100)
    monkeypatch.setattr(solver, "run_event", pytest.fail)  # (never reached)
    event = Event.model_validate(event_dict())
    allocation = solve(event, work_limit=5)
    assert allocation.status == "unknown" and allocation.solver is not None
    note = allocation.solver.note or ""
    assert "refused before the work started" in note and "6 attendee-passes" in note, note
    assert check(event, allocation).ok


def _out_of_memory(*args: object, **kwargs: object) -> None:
    raise MemoryError


def test_a_solve_that_runs_out_of_memory_returns_an_allocation_without_seats_that_says_so(
    monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setattr(solver, "run_event", _out_of_memory)
    event = Event.model_validate(event_dict())
    allocation = solve(event, work_limit=5)
    assert allocation.status == "unknown" and allocation.assignments == ()
    assert "ran out of memory" in (allocation.solver.note or "")  # type: ignore[union-attr]
    assert {u.code for u in allocation.unseated} == {"no-solution"}
    assert check(event, allocation).ok
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event_dict()))
    out = tmp_path / "allocation.json"
    assert main(["solve", str(path), "-o", str(out), "--work-limit", "5"]) == EXIT_NO_ALLOCATION
    assert Allocation.from_json(out).status == "unknown"  # written, saying why
    assert "ran out of memory" in capsys.readouterr().out


def test_when_not_even_an_allocation_without_seats_fits_the_command_says_so(
    monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setattr(solver, "run_event", _out_of_memory)
    monkeypatch.setattr(solver, "no_allocation", _out_of_memory)
    event = Event.model_validate(event_dict())
    with pytest.raises(OutOfMemory, match="not even one without seats"):
        solve(event, work_limit=5)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event_dict()))
    assert (
        main(["solve", str(path), "-o", str(tmp_path / "a.json"), "--work-limit", "5"]) == EXIT_NO_ALLOCATION
    )
    said = capsys.readouterr().err
    assert "seatalloc: no allocation: the solve ran out of memory" in said and "Traceback" not in said
    monkeypatch.setattr(importlib.import_module("seatalloc.cli.main"), "Event", _RunsOut)
    assert main(["solve", str(path), "-o", str(tmp_path / "b.json")]) == EXIT_NO_ALLOCATION
    assert "seatalloc: out of memory in 'solve'" in capsys.readouterr().err
    assert not (tmp_path / "b.json").exists()


class _RunsOut:
    @staticmethod
    def from_json(path: object) -> None:
        raise MemoryError


def test_the_memory_available_is_no_more_than_the_address_space_left_under_ulimit() -> None:
    limit = 3 * 2**30
    code = "from seatalloc.solve import memory; print(memory.available_bytes())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )
    assert 0 < int(out.stdout) < limit
