"""Speed of the core at every size, against the per-attendee model in the same run.

For S1-shaped events (seminars A-F in two passes, 13 organisations, top-3
choices with skewed popularity, rooms and quotas scaled with the size) this
prints, per size: wall time from JSON file to written allocation (the
``seatalloc solve`` command in a fresh process), the time inside ``solve()``
and inside CP-SAT, peak memory, status and gap. Beside it, the per-attendee
boolean CP-SAT model on the same events at the baseline sizes, with its
objective and bound as ratios of seatalloc's proven optimum.

Run from the repository root::

    python -m benchmarks.core_scale                    # 430 .. 1,000,000; baseline at 430, 5,000
    python -m benchmarks.core_scale --sizes 430,10000 --baseline-sizes 430 --baseline-time-limit 20

Targets (issue 2): S1 proven optimal and the whole command under 1 s;
100,000 proven optimal under 10 s end to end; 1,000,000 under 60 s and 4 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.per_attendee import solve_per_attendee
from seatalloc import Event

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "examples"))
from make_s1 import make_event  # noqa: E402

FIELDS = [
    "attendees",
    "method",
    "status",
    "objective",
    "bound",
    "gap",
    "wall_s",
    "solve_s",
    "cpsat_s",
    "peak_mb",
    "types",
    "objective_ratio",
    "time_ratio",
]

# Runs the real command line in a fresh process and reports its own peak memory.
# VmHWM, unlike ru_maxrss, is not inherited from the parent across fork and exec.
_RUNNER = (
    "import re, sys\n"
    "from seatalloc.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "print('peak_kb', re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def event_file(size: int, seed: int) -> Path:
    """Write (once) and return the S1-shaped event of ``size`` attendees."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"s1_{size}_seed{seed}.json"
    if not path.exists():
        path.write_text(json.dumps(make_event(seed=seed, attendees=size)), encoding="utf-8")
    return path


def run_cli(path: Path, seed: int, time_limit: float) -> dict:
    """Run ``seatalloc solve`` in a fresh process; return timings and the result."""
    output = path.with_suffix(".allocation.json")
    command = [
        sys.executable,
        "-c",
        _RUNNER,
        "solve",
        str(path),
        "--output",
        str(output),
        "--seed",
        str(seed),
        "--time-limit",
        str(time_limit),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"seatalloc failed on {path.name}: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.split("peak_kb")[-1].split()[0])
    allocation = json.loads(output.read_text(encoding="utf-8"))
    return {
        "wall_s": wall,
        "solve_s": allocation["solver"]["wall_time"],
        "cpsat_s": allocation["solver"]["solve_time"],
        "peak_mb": peak_kb / 1024,
        "status": allocation["status"],
        "objective": allocation["objective"],
        "bound": allocation["bound"],
        "gap": allocation["gap"],
        "types": allocation["stats"]["types"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="430,10000,100000,1000000")
    parser.add_argument("--baseline-sizes", default="430,5000")
    parser.add_argument("--baseline-time-limit", type=float, default=60.0)
    parser.add_argument("--baseline-workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csv", type=Path, default=OUT / "core_scale.csv")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    baseline_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]

    rows = []
    for size in sorted(set(sizes) | set(baseline_sizes)):
        path = event_file(size, args.seed)
        ours = run_cli(path, args.seed, args.time_limit)
        row = {"attendees": size, "method": "seatalloc (types)", **ours}
        rows.append(row)
        print(_line(row), flush=True)
        if size in baseline_sizes:
            event = Event.from_json(path)
            base = solve_per_attendee(
                event, time_limit=args.baseline_time_limit, seed=args.seed, workers=args.baseline_workers
            )
            rows.append(
                {
                    "attendees": size,
                    "method": "per-attendee booleans",
                    "wall_s": base.seconds,
                    "solve_s": base.seconds,
                    "cpsat_s": base.seconds,
                    "peak_mb": None,
                    "status": base.status,
                    "objective": base.objective,
                    "bound": base.bound,
                    "gap": None
                    if base.objective is None
                    else (base.objective - base.bound) / max(1, base.objective),
                    "types": size,
                    "objective_ratio": None
                    if base.objective is None
                    else base.objective / max(1, ours["objective"]),
                    "time_ratio": base.seconds / max(1e-9, ours["solve_s"]),
                }
            )
            print(_line(rows[-1]), flush=True)
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with args.csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.csv}")


def _line(row: dict) -> str:
    peak = "" if row["peak_mb"] is None else f"{row['peak_mb']:8.0f} MB"
    gap = "-" if row["gap"] is None else f"{row['gap']:.2%}"
    text = (
        f"{row['attendees']:>9} {row['method']:<22} {row['status']:<9} wall {row['wall_s']:7.2f}s "
        f"solve {row['solve_s']:7.2f}s cp-sat {row['cpsat_s']:6.2f}s {peak:>11} gap {gap:>7} "
        f"objective {row['objective']} bound {row['bound']}"
    )
    if "objective_ratio" in row:
        ratio = "-" if row["objective_ratio"] is None else f"{row['objective_ratio']:.3f}"
        text += f"  [vs seatalloc: objective x{ratio}, time x{row['time_ratio']:.0f}]"
    return text


if __name__ == "__main__":
    main()
