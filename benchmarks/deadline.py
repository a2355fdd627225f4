"""The time limit bounds the whole call: ``solve()``'s wall time against its ``time_limit``, at every size.

For each instance and time limit a fresh process loads the event (not timed),
times one call of ``seatalloc.solve(event, time_limit=T)`` from entry to the
returned allocation (compiling, every method, the hand-out, and for an
infeasible event the conflicts and the smallest fix), then checks the
allocation with the independent checker. Each row reports the wall time, its
overrun past the limit and its ratio to the limit, the status, objective and
bound, the method, why it stopped, and the process's peak memory.

Instances (``benchmarks/generate.py``): S1-shaped events, heterogeneous
catalogues (``catalog``), catalogues whose seminars run in 2 of 4 passes
(``sparse``), catalogues with an organisation quota (``quota``: the flow
method declines them, the CP-SAT type model takes them) and an infeasible
catalogue with too many pins (``pinned``).

    python -m benchmarks.deadline              # 430 .. 100,000 attendees, limits 0.5, 2, 10 s (and 60 s)
    python -m benchmarks.deadline --smoke      # CI: two small instances, 0.5 and 2 s
    python -m benchmarks.deadline --instances quota:10000 --limits 2
    python -m benchmarks.deadline --command    # the whole command at 100,000 and 1,000,000: 1, 10, 120 s

Target (issue 12): every row within the limit plus 2 s, every allocation valid. The exit
code is 1 only for an invalid allocation: times are measurements, not verdicts.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
FIELDS = [
    "instance", "limit_s", "wall_s", "overrun_s", "ratio", "status", "objective", "bound",
    "method", "stop", "valid", "peak_mb", "process_s",
]  # fmt: skip
#: Seconds a call may run past its limit (issue 12).
SLACK = 2.0

FULL = [
    ("s1:430", (0.5, 2, 10)),
    ("s1:10000", (0.5, 2, 10)),
    ("catalog:2000", (0.5, 2, 10)),
    ("sparse:3000", (0.5, 2, 10)),
    ("quota:2000", (0.5, 2, 10)),
    ("pinned:2000", (0.5, 2, 10)),
    ("catalog:20000", (0.5, 2, 10)),
    ("quota:10000", (0.5, 2, 10)),
    ("catalog:100000", (0.5, 2, 10, 60)),
    ("sparse:100000", (0.5, 2, 10, 60)),
    ("quota:100000", (0.5, 2, 10, 60)),
]
SMOKE = [("s1:430", (0.5, 2)), ("quota:2000", (0.5, 2))]
#: The whole command (``--command``): reading the event, the solve, writing the allocation and the
#: summary, at 100,000 and 1,000,000 attendees (issue 31).
COMMAND = [
    ("catalog:100000", (1, 10, 120)),
    ("quota:100000", (1, 10, 120)),
    ("catalog:1000000", (1, 10, 120)),
]
COMMAND_SMOKE = [("quota:2000", (1,))]

# Runs ``seatalloc solve`` as the command line does, then says the seconds from the moment its
# clock starts (after the interpreter and the solver libraries have loaded, which the command does
# before its clock: issue 31) to its end, and the process's peak memory.
_COMMAND = """
import re, sys, time
from seatalloc.cli.main import main
from seatalloc.solve.options import SolveOptions
from seatalloc.solve.solver import load_methods
load_methods(SolveOptions())  # (a solve pauses its clock while a method loads: not timed here either)
started = time.perf_counter()
code = main()  # (the process's own command line, as the installed command runs it)
print(f"clock {time.perf_counter() - started}", file=sys.stderr)
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(f"peak {peak}", file=sys.stderr)
sys.exit(code)
"""
# Checks a written allocation, in a process of its own (not timed).
_CHECKER = """
import json, sys
from seatalloc import Allocation, Event, check
event, allocation = Event.from_json(sys.argv[1]), Allocation.from_json(sys.argv[2])
solver = allocation.solver
print(json.dumps({
    "status": allocation.status, "objective": allocation.objective, "bound": allocation.bound,
    "method": solver.method if solver else "-", "stop": solver.stop if solver else None,
    "valid": check(event, allocation).ok,
}))
"""

# Runs in a fresh process: one timed call of solve(), then the checker, then the peak memory.
_WORKER = """
import json, re, sys, time
from seatalloc import Event, check, solve
event = Event.from_json(sys.argv[1])
started = time.perf_counter()
allocation = solve(event, time_limit=float(sys.argv[2]))
wall = time.perf_counter() - started
report = check(event, allocation)
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(json.dumps({
    "wall_s": wall, "status": allocation.status, "objective": allocation.objective,
    "bound": allocation.bound, "method": allocation.solver.method, "stop": allocation.solver.stop,
    "valid": report.ok, "peak_mb": peak / 1024,
}))
"""


def event_file(spec: str) -> Path:
    """Write (once) and return the event an instance spec such as ``quota:10000`` names."""
    from benchmarks.generate import FAMILIES

    family, size = spec.split(":")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"deadline-{family}-{size}.json"
    if not path.exists():
        path.write_text(json.dumps(FAMILIES[family](int(size))), encoding="utf-8")
    return path


def measure(spec: str, limit: float) -> dict:
    """Time one call of ``solve()`` on ``spec`` with ``limit`` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(event_file(spec)), str(limit)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=limit * 10 + 600,
    )
    row = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "instance": spec,
        "limit_s": limit,
        **row,
        "overrun_s": row["wall_s"] - limit,
        "ratio": row["wall_s"] / limit,
    }


def measure_command(spec: str, limit: float) -> dict:
    """Time the whole ``seatalloc solve EVENT --time-limit limit -o OUT`` in a fresh process, from
    the moment its clock starts to its end (``wall_s``) and from the process's start to its exit
    (``process_s``); then check what it wrote, in another process."""
    event = event_file(spec)
    written = OUT / f"deadline-{spec.replace(':', '-')}-{limit:g}s.allocation.json"
    written.unlink(missing_ok=True)
    command = [sys.executable, "-c", _COMMAND, "solve", str(event), "--time-limit", str(limit)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "-o", str(written)], capture_output=True, text=True, cwd=ROOT, timeout=limit * 10 + 1800
    )
    process = time.perf_counter() - started
    peak = re.search(r"peak (\d+)", done.stderr)
    clock = re.search(r"clock ([\d.]+)", done.stderr)
    if not written.exists():  # no file written: say why, never a silent row
        raise RuntimeError(
            f"{spec} at {limit:g} s wrote nothing (exit {done.returncode}):\n{done.stderr[-2000:]}"
        )
    checked = subprocess.run(
        [sys.executable, "-c", _CHECKER, str(event), str(written)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=3600,
    )
    row = json.loads(checked.stdout.strip().splitlines()[-1])
    wall = float(clock.group(1)) if clock else process
    return {
        "instance": spec,
        "limit_s": limit,
        "wall_s": wall,
        "process_s": process,
        **row,
        "overrun_s": wall - limit,
        "ratio": wall / limit,
        "peak_mb": int(peak.group(1)) / 1024 if peak else float("nan"),
    }


def table(rows: list[dict]) -> str:
    """Return the rows as a Markdown table."""
    lines = [
        "| instance | limit (s) | wall (s) | overrun (s) | wall / limit | status | objective | bound "
        "| method | stopped by | valid | peak MB | process (s) |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- | --- | ---: | ---: |",
    ]
    for r in rows:
        process = f"{r['process_s']:.2f}" if "process_s" in r else "-"  # (the whole command's rows)
        lines.append(
            f"| {r['instance']} | {r['limit_s']:g} | {r['wall_s']:.2f} | {r['overrun_s']:+.2f} | "
            f"{r['ratio']:.2f} | {r['status']} | {r['objective'] if r['objective'] is not None else '-'} | "
            f"{r['bound'] if r['bound'] is not None else '-'} | {r['method']} | {r['stop'] or '-'} | "
            f"{'yes' if r['valid'] else 'NO'} | {r['peak_mb']:.0f} | {process} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="two small instances (for CI)")
    parser.add_argument("--instances", help="comma-separated specs, e.g. quota:10000,catalog:2000")
    parser.add_argument("--limits", help="comma-separated seconds (default: per instance)")
    parser.add_argument(
        "--csv", type=Path, default=None, help="default benchmarks/out/deadline[-command].csv"
    )
    parser.add_argument(
        "--command",
        action="store_true",
        help="time the whole seatalloc solve command (100,000 and 1,000,000)",
    )
    args = parser.parse_args(argv)
    if args.csv is None:
        args.csv = OUT / ("deadline-command.csv" if args.command else "deadline.csv")
    cases = (COMMAND_SMOKE if args.smoke else COMMAND) if args.command else (SMOKE if args.smoke else FULL)
    if args.instances:
        cases = [(spec, (0.5, 2, 10)) for spec in args.instances.split(",")]
    if args.limits:
        cases = [(spec, tuple(float(x) for x in args.limits.split(","))) for spec, _ in cases]
    rows = []
    for spec, limits in cases:
        for limit in limits:
            row = measure_command(spec, limit) if args.command else measure(spec, limit)
            rows.append(row)
            print(
                f"{spec:<16} limit {limit:>5g}s  wall {row['wall_s']:7.2f}s  {row['status']:<10} "
                f"{row['method']:<12} valid {row['valid']}",
                flush=True,
            )
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with args.csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print()
    print(table(rows))
    late = [r for r in rows if r["overrun_s"] > SLACK]
    invalid = [r for r in rows if not r["valid"]]
    worst = max(rows, key=lambda r: r["overrun_s"])
    print(
        f"\nlargest overrun {worst['overrun_s']:+.2f} s ({worst['instance']}, limit {worst['limit_s']:g} s); "
        f"{len(late)} of {len(rows)} rows beyond the limit + {SLACK:g} s; {len(invalid)} invalid"
    )
    # Timing is reported, never a verdict (a busy machine is slower); an invalid allocation is a bug.
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
