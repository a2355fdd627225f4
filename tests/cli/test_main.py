"""The command line: solve, check, exit codes, messages without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import event_dict, queue_event
from seatalloc.cli.main import main
from seatalloc.schema import Allocation

ROOT = Path(__file__).resolve().parents[2]


def _write(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_solve_writes_an_allocation_that_check_accepts(tmp_path, capsys) -> None:
    event = _write(tmp_path / "event.json", event_dict())
    out = tmp_path / "allocation.json"
    assert main(["solve", event, "--output", str(out), "--seed", "2", "--work-limit", "5"]) == 0
    printed = capsys.readouterr().out
    assert "(optimal)" in printed and "no allocation scores lower" in printed
    assert re.search(r"total disappointment score \(lower is better\) +102  \(objective\)", printed)
    assert re.search(r"no allocation can score below +102  \(proven bound\)", printed)
    assert "first choice" in printed and "fill per session" in printed
    assert f"wrote the allocation to {out.resolve()}" in printed
    written = json.loads(out.read_text())
    assert {"status", "objective", "bound", "assignments", "unseated", "stats"} <= written.keys()
    assert set(written["assignments"][0]) == {"attendee", "pass", "seminar", "room"}
    assert main(["check", event, str(out)]) == 0
    assert "ok: every rule holds; objective 102" in capsys.readouterr().out


def test_check_exits_1_on_violations(tmp_path, capsys) -> None:
    event = _write(tmp_path / "event.json", event_dict())
    out = tmp_path / "allocation.json"
    main(["solve", event, "-o", str(out), "--work-limit", "30"])
    allocation = json.loads(out.read_text())
    allocation["assignments"] = allocation["assignments"][1:]
    broken = _write(tmp_path / "broken.json", allocation)
    capsys.readouterr()
    assert main(["check", event, broken]) == 1
    assert "neither seated nor unseated" in capsys.readouterr().out


def test_bad_event_exits_2_and_lists_every_problem(tmp_path, capsys) -> None:
    data = event_dict()
    data["rooms"][1]["capacity"] = -1
    data["attendees"][0]["choices"] = ["A", "Q"]
    event = _write(tmp_path / "event.json", data)
    assert main(["solve", event]) == 2
    err = capsys.readouterr().err
    assert "rooms[1] 'R2'.capacity" in err
    assert "Traceback" not in err


def test_malformed_json_exits_2(tmp_path, capsys) -> None:
    path = tmp_path / "event.json"
    path.write_text('{"passes": [', encoding="utf-8")
    assert main(["solve", str(path)]) == 2
    assert "malformed JSON" in capsys.readouterr().err


def test_infeasible_event_exits_3_and_names_the_conflict(tmp_path, capsys) -> None:
    data = event_dict()
    for person in data["attendees"]:
        person["fixed"] = {"P1": "B"}
    event = _write(tmp_path / "event.json", data)
    assert main(["solve", event, "--work-limit", "30"]) == 3
    assert "conflict:" in capsys.readouterr().out


def test_json_through_standard_streams() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seatalloc", "solve", "-", "-o", "-", "--work-limit", "30"],
        input=json.dumps(event_dict()),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective"] == 102
    assert "(optimal)" in done.stderr


def test_solve_as_of_and_resolve_after_a_cancellation(tmp_path, capsys) -> None:
    people = [(f"q{i}", "o1", f"2020-04-{i + 1:02d}") for i in range(4)]
    data = queue_event(people, seat_limit=2)
    event = _write(tmp_path / "event.json", data)
    published = tmp_path / "published.json"
    assert main(["solve", event, "--as-of", "2020-04-03", "-o", str(published), "--work-limit", "30"]) == 0
    printed = capsys.readouterr().out
    assert "admission as of 2020-04-03: 2 admitted, 2 not: " in printed
    assert "the event was full (1)" in printed and "not registered yet on the day solved (1)" in printed
    data["attendees"] = [a for a in data["attendees"] if a["id"] != "q0"]
    after = _write(tmp_path / "after.json", data)
    out = tmp_path / "after-allocation.json"
    assert (
        main(
            ["resolve", after, str(published), "--as-of", "2020-04-03", "-o", str(out), "--work-limit", "30"]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert (
        "admission as of 2020-04-03: 2 admitted, 1 not: not registered yet on the day solved (1)" in printed
    )
    assert {x["attendee"] for x in json.loads(out.read_text())["assignments"]} == {"q1", "q2"}
    assert main(["check", after, str(out)]) == 0


def test_bad_as_of_day_is_a_usage_error(tmp_path, capsys) -> None:
    event = _write(tmp_path / "event.json", event_dict())
    with pytest.raises(SystemExit) as exit_info:
        main(["solve", event, "--as-of", "28 April"])
    assert exit_info.value.code == 2
    assert "not a day (YYYY-MM-DD): '28 April'" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["event", "allocation"])
def test_schema_is_printed_and_published_in_docs(which, capsys) -> None:
    from pathlib import Path

    assert main(["schema", which]) == 0
    printed = capsys.readouterr().out
    schema = json.loads(printed)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert ("attendees" if which == "event" else "assignments") in schema["properties"]
    published = Path(__file__).resolve().parents[2] / "docs" / "schema" / f"{which}.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == schema, "run: seatalloc schema > docs/schema"


def _interrupted(tmp_path, data: dict, *options: str) -> Allocation:
    """Solve ``data`` on the command line, press Ctrl-C at its first allocation; return what it wrote."""
    import signal

    from seatalloc import Event, check

    event_path = _write(tmp_path / "event.json", data)
    out = tmp_path / "allocation.json"
    command = [sys.executable, "-m", "seatalloc.cli.main", "solve", event_path, "--progress", "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--time-limit", "300", *options], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:  # progress lines: wait for a first allocation
        if "best" in line:
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-2000:]
    assert "interrupted: this is the best allocation found so far" in stdout
    allocation = Allocation.from_json(out)
    assert allocation.status == "feasible" and allocation.solver is not None and allocation.solver.interrupted
    assert check(Event.model_validate(data), allocation).ok
    return allocation


def test_ctrl_c_returns_the_best_allocation_found(tmp_path) -> None:
    # S1 with rooms open and venue moves penalised: CP-SAT takes far longer than this test to
    # prove it, so the search is still running when Ctrl-C comes after its first solution.
    data = json.loads((ROOT / "examples" / "jamlikhetskonferensen-2019-rooms-open.json").read_text())
    data["venue_moves"] = {"rule": "penalised", "cost": 3}
    solver = _interrupted(tmp_path, data, "--method", "cp-sat").solver
    assert solver is not None and solver.method == "cp-sat"


def test_ctrl_c_stops_the_flow_method_with_the_best_allocation_found(tmp_path) -> None:
    from benchmarks.generate import catalog

    # A catalogue whose seminars run in 2 of 4 passes: the flow method's colouring leaves a gap,
    # so seat prices and neighbourhoods run until the time limit unless stopped.
    solver = _interrupted(tmp_path, catalog(3000, seed=2, runs=2), "--method", "flow").solver
    assert solver is not None and solver.method == "flow"
    assert solver.wall_time is not None and solver.wall_time < 150  # stopped, not run to the limit


def test_the_fill_table_has_headers_and_aligned_columns(tmp_path, capsys) -> None:
    data = event_dict()
    data["seminars"][0]["title"] = "A title far longer than the table shows of any seminar's title here"
    data["rooms"][0]["venue"] = "Angered Arena"
    event = _write(tmp_path / "event.json", data)
    assert main(["solve", event, "-o", str(tmp_path / "a.json"), "--work-limit", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[lines.index("fill per session:") + 1 :][:5]
    header = table[0].split()
    assert header == ["pass", "seminar", "title", "room", "venue", "seated", "/", "capacity"]
    assert len({line.index("R") for line in table[1:]}) == 1  # the room column starts at one place
    assert any("…" in line for line in table) and any("Angered Arena" in line for line in table)
