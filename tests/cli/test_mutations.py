"""Events and allocations mutated at random, through every command that reads them: each ends
with an exit code (0 done, 1 violations, 2 bad input, 3 no allocation), never with an exception."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import event_dict
from seatalloc.cli.main import main

HOSTILE: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**20,
    1e30,
    float("nan"),
    43937.5,
    "",
    "=HYPERLINK(1)",
    "P1",
    "x1",
    "2020-04-27",
    [],
    {},
    [None],
    {"id": None},
]


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    """Every position in a JSON document: keys of objects, items of arrays."""
    found = [here] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*here, i))
    return found


def _mutated(document: Any, path: tuple, value: Any, delete: bool) -> Any:
    data = json.loads(json.dumps(document))
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@cache
def _allocation() -> dict:
    """A valid allocation of the base event (solved once)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        event, out = Path(folder) / "event.json", Path(folder) / "allocation.json"
        event.write_text(json.dumps(event_dict()), encoding="utf-8")
        assert main(["solve", str(event), "-o", str(out), "--work-limit", "2"]) == 0
        return json.loads(out.read_text(encoding="utf-8"))


def _mutation(document: Any) -> st.SearchStrategy:
    paths = _paths(document)
    return st.tuples(st.sampled_from(paths), st.sampled_from(HOSTILE), st.booleans())


def _run(tmp: Path, event: Any, allocation: Any) -> None:
    event_path, allocation_path = tmp / "event.json", tmp / "allocation.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    allocation_path.write_text(json.dumps(allocation), encoding="utf-8")
    e, a = str(event_path), str(allocation_path)
    for argv in (
        ["solve", e, "-o", str(tmp / "out.json"), "--work-limit", "1"],
        ["check", e, a],
        ["audit", e, a],
        ["explain", e, a],
        ["report", e, a, "-o", str(tmp / "report.html")],
        ["rosters", e, a, "-o", str(tmp / "rosters.xlsx")],
        ["rosters", e, a, "-o", str(tmp / "roster.csv"), "--by", "attendee"],
        ["resolve", e, a, "-o", str(tmp / "again.json"), "--work-limit", "1"],
        ["compare-objectives", e, "--work-limit", "1"],
    ):
        assert main(argv) in (0, 1, 2, 3), argv


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=_mutation(event_dict()))
def test_a_mutated_event_gets_an_exit_code(tmp_path, capsys, change) -> None:
    path, value, delete = change
    _run(tmp_path, _mutated(event_dict(), path, value, delete), _allocation())
    capsys.readouterr()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_allocation_gets_an_exit_code(tmp_path, capsys, data) -> None:
    allocation = _allocation()
    path, value, delete = data.draw(_mutation(allocation))
    _run(tmp_path, event_dict(), _mutated(allocation, path, value, delete))
    capsys.readouterr()
