"""Bad inputs and mismatches on the command line: each ends in a clear message and its exit code.

One row per class of problem found by running real-world bad inputs through every command:
the exit code, and words the message must hold; never a traceback.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import event_dict
from seatalloc.cli.main import main


def _event(path: Path, data: dict | None = None) -> str:
    path.write_text(json.dumps(data or event_dict()), encoding="utf-8")
    return str(path)


def _solved(tmp: Path) -> tuple[str, str]:
    """An event and its allocation, written in ``tmp``."""
    event = _event(tmp / "event.json")
    allocation = tmp / "allocation.json"
    assert main(["solve", event, "-o", str(allocation), "--work-limit", "5"]) == 0
    return event, str(allocation)


def _other_event(tmp: Path) -> str:
    """Another event: other attendees, a room and a pass of its own."""
    data = event_dict()
    data["passes"][1]["id"] = "Q2"
    for session in data["sessions"]:
        session["pass"] = "Q2" if session["pass"] == "P2" else session["pass"]
    for person in data["attendees"]:
        person["id"] = "y" + person["id"]
    return _event(tmp / "other.json", data)


def _changed(tmp: Path, change: Callable[[dict], None]) -> str:
    data = event_dict()
    change(data)
    return _event(tmp / "changed.json", data)


def _deep(tmp: Path) -> str:
    path = tmp / "deep.json"
    path.write_text('{"passes": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return str(path)


def _with_bom(tmp: Path) -> str:
    path = tmp / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(event_dict()).encode())
    return str(path)


def _set(path: tuple, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


# (name, argv from the temporary folder, exit code, words the message holds)
CASES: list[tuple[str, Callable[[Path], list[str]], int, tuple[str, ...]]] = [
    (
        "capacity beyond 64 bits",
        lambda t: ["solve", _changed(t, _set(("rooms", 0, "capacity"), 10**20))],
        2,
        ("rooms[0] 'R1'.capacity", "less than or equal to 1000000000"),
    ),
    (
        "priority 1e30",
        lambda t: ["solve", _changed(t, _set(("attendees", 0, "priority"), 1e30))],
        2,
        ("attendees[0] 'x1'.priority", "valid integer"),
    ),
    (
        "capacity true",
        lambda t: ["solve", _changed(t, _set(("rooms", 0, "capacity"), True))],
        2,
        ("rooms[0] 'R1'.capacity", "valid integer"),
    ),
    (
        "an Excel serial date",
        lambda t: ["solve", _changed(t, _set(("attendees", 0, "registered"), 43937.5))],
        2,
        ("attendees[0] 'x1'.registered", "ISO 8601"),
    ),
    (
        "seconds since 1970 as a day",
        lambda t: ["solve", _changed(t, _set(("registration_deadline",), 1587945600))],
        2,
        ("registration_deadline", "ISO 8601"),
    ),
    ("JSON nested 100,000 deep", lambda t: ["solve", _deep(t)], 2, ("deep.json",)),
    ("a seed beyond 32 bits", lambda t: ["solve", _event(t / "e.json"), "--seed", str(2**70)], 2, ("seed",)),
    (
        "a time limit of nan",
        lambda t: ["solve", _event(t / "e.json"), "--time-limit", "nan"],
        2,
        ("time_limit",),
    ),
    (
        "an allocation where the event is due",
        lambda t: ["solve", _solved(t)[1]],
        2,
        ("looks like an allocation, not an event", "allocation.json"),
    ),
    (
        "an event where the allocation is due",
        lambda t: ["check", _event(t / "e.json"), _event(t / "e2.json")],
        2,
        ("looks like an event, not an allocation",),
    ),
    (
        "rosters of another event's allocation",
        lambda t: ["rosters", _other_event(t), _solved(t)[1], "-o", str(t / "r.csv")],
        2,
        (
            "does not belong",
            "unknown attendee 'x1'",
            "unknown pass 'P2'",
            "attendees of the event are not in it",
        ),
    ),
    (
        "a report of another event's allocation",
        lambda t: ["report", _other_event(t), _solved(t)[1], "-o", str(t / "r.html")],
        2,
        ("does not belong",),
    ),
    (
        "an audit of another event's allocation",
        lambda t: ["audit", _other_event(t), _solved(t)[1]],
        2,
        ("does not belong",),
    ),
    (
        "explanations of another event's allocation",
        lambda t: ["explain", _other_event(t), _solved(t)[1]],
        2,
        ("does not belong",),
    ),
    (
        "a re-solve of another event's allocation",
        lambda t: ["resolve", _other_event(t), _solved(t)[1], "--work-limit", "2"],
        2,
        ("does not belong", "unknown pass 'P2'"),
    ),
    (
        "two rosters in one CSV file",
        lambda t: ["rosters", *_solved(t), "-o", str(t / "r.csv"), "--by", "session", "--by", "attendee"],
        2,
        ("rosters.kinds", "holds one roster"),
    ),
    (
        "rosters in a format seatalloc does not write",
        lambda t: ["rosters", *_solved(t), "-o", str(t / "r.ods")],
        2,
        ("not .ods",),
    ),
]


@pytest.mark.parametrize(("name", "argv", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_message(tmp_path, capsys, name, argv, code, words) -> None:
    args = argv(tmp_path)
    capsys.readouterr()
    assert main(args) == code, name
    said = capsys.readouterr()
    text = said.out + said.err
    for word in words:
        assert word in text, (word, text)
    assert "Traceback" not in text


def test_no_file_is_written_for_an_unknown_roster_format(tmp_path) -> None:
    event, allocation = _solved(tmp_path)
    assert main(["rosters", event, allocation, "-o", str(tmp_path / "r.ods")]) == 2
    assert not (tmp_path / "r.ods").exists()


def test_a_byte_order_mark_is_read(tmp_path, capsys) -> None:
    assert main(["solve", _with_bom(tmp_path), "--work-limit", "5"]) == 0


def test_the_file_is_written_before_a_reader_that_stops_early(tmp_path, monkeypatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    event = _event(tmp_path / "event.json")
    out = tmp_path / "allocation.json"
    monkeypatch.setattr("sys.stdout", Closed())
    assert main(["solve", event, "-o", str(out), "--work-limit", "5"]) == 0
    assert json.loads(out.read_text())["status"] == "optimal"


def test_solve_without_output_says_nothing_was_kept(tmp_path, capsys) -> None:
    assert main(["solve", _event(tmp_path / "event.json"), "--work-limit", "5"]) == 0
    assert "not written anywhere" in capsys.readouterr().err


def test_check_against_another_event_is_short(tmp_path, capsys) -> None:
    data = event_dict()
    data["attendees"] = [{"id": f"x{i}", "organisation": "o1", "choices": ["A", "B"]} for i in range(1, 200)]
    data["rooms"] = [{"id": "R1", "capacity": 200}, {"id": "R2", "capacity": 200}]
    event = _event(tmp_path / "big.json", data)
    allocation = tmp_path / "allocation.json"
    assert main(["solve", event, "-o", str(allocation), "--work-limit", "5"]) == 0
    capsys.readouterr()
    assert main(["check", _other_event(tmp_path), str(allocation)]) == 1
    out = capsys.readouterr().out
    assert "does not belong" in out and "by kind" in out
    assert len(out.splitlines()) < 60


def test_check_of_an_allocation_without_seats_says_what_it_is(tmp_path, capsys) -> None:
    data = event_dict()
    for person in data["attendees"]:
        person["fixed"] = {"P1": "B"}  # three people pinned to a room of one: infeasible
    event = _event(tmp_path / "event.json", data)
    allocation = tmp_path / "allocation.json"
    assert main(["solve", event, "-o", str(allocation), "--work-limit", "5"]) == 3
    capsys.readouterr()
    assert main(["check", event, str(allocation)]) == 3
    assert "status is infeasible" in capsys.readouterr().out
    assert main(["rosters", event, str(allocation), "-o", str(tmp_path / "r.csv")]) == 3
    assert not (tmp_path / "r.csv").exists()


def test_the_version_is_the_package_version(capsys) -> None:
    from importlib.metadata import version

    import seatalloc

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert (
        capsys.readouterr().out.strip()
        == f"seatalloc {version('seatalloc')}"
        == f"seatalloc {seatalloc.__version__}"
    )


def test_an_event_without_sessions_is_planned_from_the_seminars_runs(tmp_path, capsys) -> None:
    data = event_dict()
    del data["sessions"]
    data["seminars"] = [{"id": "A", "runs": 2}, {"id": "B", "runs": 2}]
    allocation = tmp_path / "allocation.json"
    assert (
        main(["solve", _event(tmp_path / "event.json", data), "-o", str(allocation), "--work-limit", "5"])
        == 0
    )
    seated = json.loads(allocation.read_text())["assignments"]
    assert {(x["seminar"], x["pass"]) for x in seated} <= {("A", "P1"), ("A", "P2"), ("B", "P1"), ("B", "P2")}
    assert len(seated) == 6  # two rooms, three seats in each pass: everyone seated in both


def test_a_minimum_beyond_the_room_names_the_room_and_the_smallest_fix(tmp_path, capsys) -> None:
    data = event_dict()
    data["seminars"][0]["min_attendance"] = 5  # A's rooms seat 2 and 1; three attendees in all
    allocation = tmp_path / "allocation.json"
    assert (
        main(["solve", _event(tmp_path / "event.json", data), "-o", str(allocation), "--work-limit", "5"])
        == 3
    )
    out = capsys.readouterr().out
    assert "seats at least 5 (its room 'R1' seats 2)" in out
    assert "smallest fix: seminar 'A', pass 'P1' needs a minimum" in out
    assert out.count("conflict:") == len(set(json.loads(allocation.read_text())["conflicts"]))
    assert "fill per session" not in out and "100.0%" not in out  # nobody is seated: no table of it
    report = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "event.json"), str(allocation), "-o", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Why there is no allocation" in page and "smallest change" in page and "R1" in page


def test_progress_never_reports_a_cost_bound_below_zero() -> None:
    from seatalloc import Event, solve

    heard: list[tuple[str, float | None]] = []
    event = Event.from_json(Path(__file__).resolve().parents[2] / "examples" / "fokus-jamstalldhet-2017.json")
    for method in ("cp-sat", "auto"):
        solve(event, work_limit=5, method=method, progress=lambda s, t, best, bound: heard.append((s, bound)))
    costs = [bound for stage, bound in heard if stage == "rank cost" and bound is not None]
    assert costs and min(costs) >= 0
