"""fairpyx's own experiment, side by side: the Ariel 5783 course allocation (issue 18).

fairpyx's ``experiments/compare_course_allocation_algorithms.py`` resamples the 26 real bidding
prototypes of Ariel University's year 5783 (``../shared/data/fairpyx-course-allocation``) until
the students' course counts reach 1,000, 1,115 (the real size), 1,500 and 2,000, with seeds 0-9,
and runs eight algorithms on each instance. Here, in one run, for every size and seed:

1. fairpyx, in its own virtual environment (``benchmarks/fairpyx_ariel_peer.py``), makes the
   instance with its own generator and runs its eight algorithms;
2. the instance becomes a seatalloc event (:func:`to_event`), solved under ``rank-cost`` (the
   total value) and ``value-leximin``;
3. every allocation, fairpyx's and seatalloc's, is scored by fairpyx's own metric code, and
   checked by seatalloc's checker against the event.

The normalised utilitarian value of fairpyx is the mean over students of their bundle's value
divided by their maximum value (the sum of their best ``capacity`` bids), times 100. The event
gives each student the bids scaled the same way, as integers: ``round(SCALE x bid / maximum)``,
so the total score is the utilitarian value times ``SCALE x students / 100`` up to that rounding,
and seatalloc's proven optimum of the total value is the utilitarian optimum within
``ROUNDING`` points.

    python -m benchmarks.fairpyx_ariel [--sizes 1000,1115,1500,2000] [--seeds 0-9]

writes ``benchmarks/out/fairpyx-ariel.csv`` (fairpyx's columns, seatalloc's rows beside theirs)
and prints the summary that ``docs/benchmarks-fairpyx-ariel.md`` shows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

from benchmarks.suite import OUT, ROOT, fairpyx_python, from_assignments

DATA = ROOT.parent / "shared" / "data" / "fairpyx-course-allocation"
INPUT = DATA / "ariel_5783_input.json"
PUBLISHED = DATA / "course_allocation_ariel_results.csv"
PEER = ROOT / "benchmarks" / "fairpyx_ariel_peer.py"
#: A student's maximum value, as an integer score (a bid of all their value scores SCALE).
SCALE = 100_000
#: How far the rounded scores can move one student's normalised value (6 courses at most, each
#: rounded by half a unit), in points of 100; the mean moves no more.
ROUNDING = 6 * 0.5 * 100 / SCALE
#: fairpyx's algorithms iterate over sets of strings, whose order follows Python's hash seed: a
#: fixed seed makes their runs the same from one run to the next.
PEER_ENV = {**os.environ, "PYTHONHASHSEED": "0"}
#: seatalloc's objectives, by the name of their rows.
OURS = {"seatalloc_total_value": "rank-cost", "seatalloc_value_leximin": "value-leximin"}
COLUMNS = (
    "max_total_agent_capacity",
    "algorithm",
    "random_seed",
    "utilitarian_value",
    "egalitarian_value",
    "max_envy",
    "mean_envy",
    "max_deficit",
    "mean_deficit",
    "num_with_top_1",
    "num_with_top_2",
    "num_with_top_3",
    "runtime",
)


def to_event(instance: dict) -> dict:
    """The fairpyx instance as a seatalloc event (a dict in the event's JSON layout).

    Each course section is a seminar with one session, in a room of its capacity, in a pass of
    its own (a student takes up to ``max_sessions`` of them); the timetable is in ``clashes``:
    each pair of sections fairpyx says conflict (two sections of one course, or two courses at
    one time). A student's own conflicts are ``excluded``; their bids become ``scores`` (see
    the module's docstring), and an empty place costs as much as a course they did not bid on,
    so the total cost is a constant minus the total score.
    """
    items = instance["items"]
    attendees = []
    for a in instance["agents"]:
        most = instance["maximum_values"][a]
        bids = instance["valuations"][a]
        scores = {i: round(SCALE * v / most) for i, v in bids.items() if v > 0 and most > 0}
        attendees.append(
            {
                "id": a,
                "scores": {i: s for i, s in scores.items() if s > 0},
                "excluded": list(instance["agent_conflicts"][a]),
                "max_sessions": instance["agent_capacities"][a],
            }
        )
    pairs = sorted({tuple(sorted((i, j))) for i in items for j in instance["item_conflicts"][i]})
    top = max(s for person in attendees for s in person["scores"].values())
    return {
        "name": "fairpyx Ariel 5783 sample",
        "passes": [{"id": i} for i in items],
        "rooms": [{"id": i, "capacity": instance["item_capacities"][i]} for i in items],
        "seminars": [{"id": i} for i in items],
        "sessions": [{"seminar": i, "pass": i, "room": i} for i in items],
        "clashes": [list(pair) for pair in pairs],
        "attendees": attendees,
        "objective": {"unseated_cost": top, "unranked_cost": top},
    }


def solve_ours(event_dict: dict, kind: str, time_limit: float) -> tuple[dict, dict]:
    """Solve under ``kind``; return the bundles by student and what the solver says."""
    from seatalloc import Event, SolveOptions, solve
    from seatalloc.check import check

    event = Event.model_validate(event_dict)
    started = time.perf_counter()
    allocation = solve(event, SolveOptions(objective=kind, time_limit=time_limit, seed=0))
    seconds = time.perf_counter() - started
    bundles: dict[str, list[str]] = defaultdict(list)
    for x in allocation.assignments:
        bundles[x.attendee].append(x.seminar)
    report = check(event, allocation)
    said = {
        "status": allocation.status,
        "objective": allocation.objective,
        "bound": allocation.bound,
        "stages": len(allocation.stages),
        "seconds": seconds,
        "violations": list(report.violations),
    }
    return dict(bundles), said


def check_theirs(event_dict: dict, bundles: dict[str, list[str]]) -> list[str]:
    """seatalloc's checker on a fairpyx allocation: the violations it finds."""
    from seatalloc import Event
    from seatalloc.check import check

    event = Event.model_validate(event_dict)
    assignments = [
        {"attendee": a, "pass": i, "seminar": i, "room": i} for a, items in bundles.items() for i in items
    ]
    allocation = from_assignments(event, assignments)
    report = check(event, allocation)
    # The checker prices a peer's seats: only the violations of rules count here.
    return [v for v in report.violations if not v.startswith("stated objective")]


def run_instance(size: int, seed: int, time_limit: float) -> list[dict]:
    """Every row of one instance: fairpyx's algorithms, then seatalloc's objectives."""
    work = OUT / "fairpyx-ariel"
    work.mkdir(parents=True, exist_ok=True)
    ran = work / f"{size}-{seed}.run.json"
    python = str(fairpyx_python())
    command = [python, str(PEER), "run", str(INPUT), str(size), str(seed), str(ran)]
    subprocess.run(command, check=True, env=PEER_ENV)
    done = json.loads(ran.read_text(encoding="utf-8"))
    event = to_event(done["instance"])
    (work / f"{size}-{seed}.event.json").write_text(json.dumps(event), encoding="utf-8")
    bundles = dict(done["allocations"])
    info: dict[str, dict] = {
        name: {"seconds": done["seconds"][name], "violations": check_theirs(event, alloc)}
        for name, alloc in bundles.items()
    }
    for name, error in done["failures"].items():
        info[name] = {"seconds": done["seconds"][name], "failed": error}
    for name, kind in OURS.items():
        bundles[name], info[name] = solve_ours(event, kind, time_limit)
    given = work / f"{size}-{seed}.bundles.json"
    given.write_text(json.dumps(bundles), encoding="utf-8")
    scored = work / f"{size}-{seed}.metrics.json"
    command = [python, str(PEER), "score", str(INPUT), str(size), str(seed), str(given), str(scored)]
    subprocess.run(command, check=True, env=PEER_ENV)
    metrics = json.loads(scored.read_text(encoding="utf-8"))
    rows = []
    for name in [*done["seconds"], *OURS]:
        row = {"max_total_agent_capacity": size, "algorithm": name, "random_seed": seed}
        row |= metrics.get(name, {}) | {"runtime": info[name]["seconds"]}
        row |= {"agents": len(done["instance"]["agents"])}
        row |= {
            k: info[name][k] for k in ("failed", "status", "objective", "bound", "stages") if k in info[name]
        }
        row["valid"] = "" if "failed" in info[name] else not info[name]["violations"]
        row["violations"] = "; ".join(info[name].get("violations", [])[:3])
        rows.append(row)
    return rows


def published() -> dict[tuple[int, str], list[dict]]:
    """The published rows, per (size, algorithm)."""
    out: dict[tuple[int, str], list[dict]] = defaultdict(list)
    with PUBLISHED.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[(int(row["max_total_agent_capacity"]), row["algorithm"])].append(row)
    return out


def summary(rows: list[dict]) -> str:
    """The results page's table, in the columns of fairpyx's CSV: per size and algorithm, the
    mean over the seeds re-run here, and the published mean beside it; then the verdicts."""
    metrics = COLUMNS[3:]
    paper = published()
    head = ["size", "algorithm", "source", "seeds", *metrics]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size in sorted({r["max_total_agent_capacity"] for r in rows}):
        for name in dict.fromkeys(r["algorithm"] for r in rows):
            mine = [r for r in rows if r["algorithm"] == name and r["max_total_agent_capacity"] == size]
            scored = [r for r in mine if "utilitarian_value" in r]
            cells = [_mean(scored, m) for m in metrics] if scored else ["failed"] * len(metrics)
            failed = len(mine) - len(scored)
            seeds = f"{len(scored)}" + (f" ({failed} failed)" if failed else "")
            lines.append("| " + " | ".join([str(size), name, "re-run", seeds, *cells]) + " |")
            theirs = paper.get((size, name), [])
            if theirs:
                cells = [_mean(theirs, m) for m in metrics]
                cells = [str(size), name, "published", str(len(theirs)), *cells]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", *verdicts(rows)])


def _mean(rows: list[dict], metric: str) -> str:
    return f"{mean(float(r[metric]) for r in rows):.2f}"


def verdicts(rows: list[dict]) -> list[str]:
    """Per instance: is seatalloc's total value at least every fairpyx utilitarian value (within
    the rounding), its value-leximin at least every egalitarian value; which rows are invalid."""
    out = []
    by_instance: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for r in rows:
        by_instance[(r["max_total_agent_capacity"], r["random_seed"])].append(r)
    below_util, below_egal, unproven, invalid = [], [], [], []
    for key, group in sorted(by_instance.items()):
        mine = {r["algorithm"]: r for r in group}
        total, fair = mine["seatalloc_total_value"], mine["seatalloc_value_leximin"]
        theirs = [r for r in group if r["algorithm"] not in OURS and "utilitarian_value" in r]
        for r in theirs:
            flag = "" if r["valid"] else " (invalid: it breaks rules of the instance)"
            if total["utilitarian_value"] < r["utilitarian_value"] - ROUNDING:
                below_util.append(
                    f"{key} {r['algorithm']}: {total['utilitarian_value']:.3f} < "
                    f"{r['utilitarian_value']:.3f}{flag}"
                )
            if fair["egalitarian_value"] < r["egalitarian_value"] - ROUNDING:
                below_egal.append(
                    f"{key} {r['algorithm']}: {fair['egalitarian_value']:.3f} < "
                    f"{r['egalitarian_value']:.3f}{flag}"
                )
        unproven += [f"{key} {r['algorithm']}" for r in (total, fair) if r.get("status") != "optimal"]
        invalid += [f"{key} {r['algorithm']}: {r['violations']}" for r in group if r["valid"] is False]
    n = len(by_instance)
    out.append(
        f"- instances: {n}; seatalloc's total value below a fairpyx utilitarian value: {len(below_util)}"
    )
    out.append(f"  (up to the rounding of the scores, at most {ROUNDING:.3f} points)")
    out += [f"  - {x}" for x in below_util]
    out.append(f"- seatalloc's value-leximin below a fairpyx egalitarian value: {len(below_egal)}")
    out += [f"  - {x}" for x in below_egal]
    out.append(f"- seatalloc rows not proven optimal: {len(unproven)}")
    out += [f"  - {x}" for x in unproven]
    out.append(f"- allocations the checker rejects: {len(invalid)}")
    out += [f"  - {x}" for x in invalid]
    failed = [r for r in rows if "failed" in r]
    out.append(f"- fairpyx runs that failed: {len(failed)}")
    out += sorted({f"  - {r['algorithm']}: {r['failed'][:120]}" for r in failed})
    return out


def seeds(text: str) -> list[int]:
    """'0-9' or '0,3,5'."""
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def read_rows(path: Path) -> list[dict]:
    """The rows of a CSV this module wrote, with numbers and truth values as they were."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for raw in csv.DictReader(f):
            row: dict = {k: v for k, v in raw.items() if v != ""}
            for k in ("max_total_agent_capacity", "random_seed", "agents", "stages"):
                if k in row:
                    row[k] = int(row[k])
            for k in COLUMNS[3:]:
                if k in row:
                    row[k] = float(row[k])
            row["valid"] = {"True": True, "False": False}.get(raw["valid"], "")
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1115,1500,2000")
    parser.add_argument("--seeds", default="0-9")
    parser.add_argument("--time-limit", type=float, default=60.0, help="per seatalloc solve")
    parser.add_argument("--summary-of", type=Path, help="only print the summary of a CSV written before")
    args = parser.parse_args()
    if args.summary_of:
        print(summary(read_rows(args.summary_of)))
        return
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in seeds(args.seeds):
            rows += run_instance(size, seed, args.time_limit)
            print(f"size {size} seed {seed}: done", flush=True)
    path = OUT / "fairpyx-ariel.csv"
    extra = ("agents", "status", "objective", "bound", "stages", "valid", "violations", "failed")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=[*COLUMNS, *extra])
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r.get(k, "") for k in (*COLUMNS, *extra)})
    print(summary(rows))
    print(f"\nrows: {path}")


if __name__ == "__main__":
    main()
