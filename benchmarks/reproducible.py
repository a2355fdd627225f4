"""Reproducible under a limit: the same event, seed and work limit give the same bytes, busy or not.

For each instance, ``seatalloc solve --work-limit W --no-timings`` runs three
times in fresh processes: twice on a quiet machine, once with every core kept
busy by other processes. The allocations' SHA-256 must agree; the wall times
show how much slower the busy run was (its ratio to the first quiet run), which
changes nothing in the result. A time limit, by contrast, stops the same solve
at different points: the last rows run the first instance with ``--time-limit``
instead, quiet and busy, for comparison.

    python -m benchmarks.reproducible
    python -m benchmarks.reproducible --smoke
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.deadline import event_file

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
FULL = [("sparse:3000", 10.0), ("quota:2000", 5.0), ("sparse:20000", 20.0)]
SMOKE = [("sparse:3000", 2.0)]


def run(spec: str, limit: str, value: float, busy: bool) -> tuple[str, float, str]:
    """Solve ``spec`` in a fresh process; return the output's SHA-256, the wall time and the status."""
    out = OUT / f"reproducible-{spec.replace(':', '-')}.json"
    command = [sys.executable, "-m", "seatalloc", "solve", str(event_file(spec)), limit, str(value)]
    burners = []
    if busy:
        burners = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)
        ]
    try:
        started = time.perf_counter()
        subprocess.run([*command, "--no-timings", "-o", str(out)], cwd=ROOT, capture_output=True, check=False)
        wall = time.perf_counter() - started
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    data = out.read_bytes()
    return hashlib.sha256(data).hexdigest()[:16], wall, json.loads(data)["status"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one small instance (for CI)")
    args = parser.parse_args(argv)
    cases = SMOKE if args.smoke else FULL
    lines = [
        "| instance | limit | run | status | SHA-256 | wall (s) | ratio |",
        "| --- | --- | --- | --- | --- | ---: | ---: |",
    ]
    differ = []
    for spec, work in cases:
        runs = [("quiet", False), ("quiet again", False), ("busy", True)]
        results = [(name, *run(spec, "--work-limit", work, busy)) for name, busy in runs]
        if len({digest for _, digest, _, _ in results}) > 1:
            differ.append(spec)
        for name, digest, wall, status in results:
            ratio = wall / results[0][2]
            lines.append(
                f"| {spec} | work {work:g} | {name} | {status} | `{digest}` | {wall:.1f} | {ratio:.2f} |"
            )
    spec, work = cases[0]
    for name, busy in (("quiet", False), ("busy", True)):
        digest, wall, status = run(spec, "--time-limit", work, busy)
        lines.append(f"| {spec} | time {work:g} s | {name} | {status} | `{digest}` | {wall:.1f} | |")
    print("\n".join(lines))
    print(f"\nwork-limited runs that differ: {', '.join(differ) or 'none'}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
