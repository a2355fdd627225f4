"""Admission and re-solving at every size, against plain solving in the same run.

S2-shaped events (examples/make_s2.py scaled: 13 administrations with
reserves until 27 April, registrations before and after, 558 registrants
per 499 seats at scale 1), solved as of 28 April. Per size, each in a fresh
process so peak memory is its own:

- *admission*: ``solve()`` with the seat limit, reserves and queue;
- *plain*: the same registrants and rooms without admission (no seat limit,
  no reserves), the baseline the ratio is taken against;
- *re-solve*: ``resolve()`` after 1 % of the admitted cancel, against a
  fresh ``solve()`` of the same changed event; it also counts moves.

Run from the repository root::

    python -m benchmarks.admission                       # scales 1, 18, 180, 1800 (558 .. 1,004,400)
    python -m benchmarks.admission --scales 1,18
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
FIELDS = ["registrants", "method", "status", "admitted", "waitlist", "moves", "seconds", "ratio", "peak_mb"]


def measure(scale: int) -> list[dict]:
    """Measure one scale in this process; return one row per method."""
    sys.path.insert(0, str(ROOT / "examples"))
    from make_s2 import make_event

    from seatalloc import Event, check, resolve, solve

    data = make_event(scale=scale)
    event = Event.model_validate(data)
    plain_event = Event.model_validate({**data, "seat_limit": None, "reserves": [], "admission": None})
    rows: list[dict] = []

    def timed(method: str, run, on: Event, baseline: float | None = None):
        started = time.perf_counter()
        allocation = run()
        seconds = time.perf_counter() - started
        if scale <= 18:  # the independent checker is plain Python: keep it to the small sizes
            assert check(on, allocation).ok, method
        rows.append(
            {
                "registrants": len(on.attendees),
                "method": method,
                "status": allocation.status,
                "admitted": len({x.attendee for x in allocation.assignments}),
                "waitlist": len(allocation.waitlist),
                "moves": len(allocation.moves),
                "seconds": round(seconds, 3),
                "ratio": "" if baseline is None else round(seconds / baseline, 2),
            }
        )
        return allocation, seconds

    _, plain = timed("plain solve (baseline)", lambda: solve(plain_event), plain_event)
    published, _ = timed("admission solve", lambda: solve(event), event, plain)
    admitted = sorted({x.attendee for x in published.assignments})
    gone = set(admitted[::100])  # 1 % cancel
    after = event.model_copy(update={"attendees": tuple(a for a in event.attendees if a.id not in gone)})
    _, fresh = timed("fresh solve after 1% cancel", lambda: solve(after), after)
    timed("re-solve after 1% cancel", lambda: resolve(after, published), after, fresh)
    return rows


def run_scale(scale: int) -> list[dict]:
    """Measure one scale in a fresh process; add its peak memory to every row."""
    code = (
        "import json, re, sys\n"
        "from benchmarks.admission import measure\n"
        f"rows = measure({scale})\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(json.dumps({'rows': rows, 'peak_kb': int(peak)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for row in result["rows"]:
        row["peak_mb"] = result["peak_kb"] // 1024
    return result["rows"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,18,180,1800", help="comma-separated S2 scales")
    args = parser.parse_args(argv)
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        rows += run_scale(scale)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "admission.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(" | ".join(FIELDS))
    for row in rows:
        print(" | ".join(str(row.get(k, "")) for k in FIELDS))
    print(f"(peak memory is per scale; CSV in {OUT / 'admission.csv'})")


if __name__ == "__main__":
    main()
