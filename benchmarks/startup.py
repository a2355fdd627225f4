"""Instant start and I/O at scale: the command line against Python's own floor, in one run.

Two tables, every figure a median of fresh processes with its ratio to a
baseline timed in the same run, in turn with it (A B A B ...), so a machine
that drifts moves both:

- **start-up**: ``import seatalloc``, ``seatalloc --help``, ``schema``,
  ``check``, ``report`` and the whole ``solve`` of S1 (430 attendees, from the
  JSON file to the written allocation), each against a bare ``python -c pass``;
  which of them loaded OR-Tools, numpy or pydantic;
- **I/O at scale**: the whole ``seatalloc solve`` of S1-shaped events (read,
  validate, solve, write), against a plain ``json.load`` of the same event file
  and ``json.dump`` of the same allocation, with both peak memories.

Run from the repository root::

    python -m benchmarks.startup                      # start-up, and I/O at 100,000 and 1,000,000
    python -m benchmarks.startup --sizes 100000 --runs 5

Targets (issue 15): import under 0.25 s, the S1 run under 0.5 s, and at
1,000,000 attendees the run within 2x of the plain JSON I/O and under 2 GB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.core_scale import OUT, event_file

ROOT = Path(__file__).resolve().parents[1]
S1 = ROOT / "examples" / "jamlikhetskonferensen-2019.json"

# A command run in a fresh process that reports its peak memory and what it loaded.
_PROBE = (
    "import re, sys, runpy\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n"
    "    if sys.argv[0] == '-':  # - CODE ARGS: run CODE with sys.argv[1:] = ARGS\n"
    "        sys.argv = sys.argv[1:]\n"
    "        exec(sys.argv[0])\n"
    "    else:  # MODULE ARGS: run the module as a script\n"
    "        runpy.run_module(sys.argv[0], run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "status = open('/proc/self/status').read()\n"
    "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'ortools', 'numpy', 'pydantic', 'pandas'})\n"
    "peak = re.search(r'VmHWM:\\s+(\\d+)', status).group(1)\n"
    "print('probe', peak, ','.join(heavy) or '-', file=sys.stderr)\n"
)
# The plain JSON floor: read the event and the allocation as Python data, write the allocation.
_PLAIN_IO = (
    "import json, sys\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    event = json.load(f)\n"
    "with open(sys.argv[2], encoding='utf-8') as f:\n"
    "    allocation = json.load(f)\n"
    "with open(sys.argv[3], 'w', encoding='utf-8') as f:\n"
    "    json.dump(allocation, f, indent=1)\n"
)


def _run(command: list[str]) -> tuple[float, float, str]:
    """Run ``command`` under the probe; return wall seconds, peak MB and the heavy modules loaded."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PROBE, *command], capture_output=True, text=True)
    wall = time.perf_counter() - started
    line = [x for x in done.stderr.splitlines() if x.startswith("probe ")]
    if not line:
        raise RuntimeError(f"{command} failed: {done.stderr[-2000:]}")
    _, peak_kb, heavy = line[-1].split()
    return wall, int(peak_kb) / 1024, heavy


def paired(command: list[str], baseline: list[str], runs: int) -> dict[str, object]:
    """Median wall time and peak memory of ``command`` and of ``baseline``, run in turn; the median
    of the pairwise ratios."""
    _run(command), _run(baseline)  # warm the file cache and the byte code
    a, b = [], []
    for _ in range(runs):
        a.append(_run(command))
        b.append(_run(baseline))
    return {
        "wall_s": statistics.median(x[0] for x in a),
        "peak_mb": max(x[1] for x in a),
        "loaded": a[-1][2],
        "baseline_s": statistics.median(x[0] for x in b),
        "baseline_mb": max(x[1] for x in b),
        "ratio": statistics.median(x[0] / y[0] for x, y in zip(a, b, strict=True)),
    }


def startup(runs: int, tmp: Path) -> list[tuple[str, dict[str, object]]]:
    allocation, report = tmp / "s1-allocation.json", tmp / "s1-report.html"
    cli = ["seatalloc.cli.main"]
    commands = [
        ("import seatalloc", ["-", "import seatalloc"]),
        ("seatalloc --help", [*cli, "--help"]),
        ("seatalloc schema event", [*cli, "schema", "event"]),
        ("seatalloc solve S1 (whole run)", [*cli, "solve", str(S1), "-o", str(allocation)]),
        ("seatalloc check S1", [*cli, "check", str(S1), str(allocation)]),
        ("seatalloc report S1", [*cli, "report", str(S1), str(allocation), "-o", str(report)]),
    ]
    bare = ["-", "pass"]
    return [(name, paired(command, bare, runs)) for name, command in commands]


def at_scale(size: int, runs: int, tmp: Path) -> dict[str, object]:
    event = event_file(size, seed=1)
    allocation = tmp / f"s1-{size}-allocation.json"
    solve = ["seatalloc.cli.main", "solve", str(event), "-o", str(allocation), "--time-limit", "300"]
    _run(solve)  # the allocation the plain JSON baseline reads
    plain = ["-", _PLAIN_IO, str(event), str(allocation), str(tmp / "plain.json")]
    return paired(solve, plain, runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs timed per start-up command")
    parser.add_argument("--sizes", default="100000,1000000", help="S1-shaped sizes for I/O at scale")
    parser.add_argument("--scale-runs", type=int, default=3, help="pairs timed per size")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / "startup"
    tmp.mkdir(exist_ok=True)
    print("start-up: median wall seconds of fresh processes, ratio to a bare `python -c pass` in turn")
    print(f"{'command':32} {'seconds':>8} {'bare':>6} {'ratio':>6} {'peak MB':>8}  loaded")
    for name, row in startup(args.runs, tmp):
        print(
            f"{name:32} {row['wall_s']:8.3f} {row['baseline_s']:6.3f} {row['ratio']:5.1f}x "
            f"{row['peak_mb']:8.0f}  {row['loaded']}"
        )
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        print("\nI/O at scale: the whole `seatalloc solve` against plain json.load of the event and the")
        print("allocation and json.dump of the allocation, in turn")
        print(f"{'attendees':>10} {'seconds':>8} {'plain':>6} {'ratio':>6} {'peak MB':>8} {'plain MB':>8}")
    for size in sizes:
        row = at_scale(size, args.scale_runs, tmp)
        print(
            f"{size:>10,} {row['wall_s']:8.2f} {row['baseline_s']:6.2f} {row['ratio']:5.2f}x "
            f"{row['peak_mb']:8.0f} {row['baseline_mb']:8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
