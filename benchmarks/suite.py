"""The benchmark suite: seatalloc against baselines, on generated and real data, in one run.

Every (instance, method) runs in a fresh process, so peak memory is its own
and HiGHS never shares a process with OR-Tools. Every allocation a method
returns is priced and validated by seatalloc's independent checker; the
table shows each method's cost as a ratio of seatalloc's.

Methods: ``seatalloc`` (the library as it comes: ``method="auto"``), its
two methods on their own (``seatalloc-flow``: seminar flow and pass
colouring; ``seatalloc-cpsat``: the type model in CP-SAT; ``seatalloc-lns``: the
large-neighbourhood method), ``fcfs`` (first come first served),
``rsd`` (random serial dictatorship, seed 0), ``cpsat-per-attendee`` (one
boolean per attendee and session), ``highs-mip`` (the per-attendee MIP in
HiGHS through SciPy, which seatalloc depends on), and the peer fairpyx
(``fairpyx-imm``: iterated maximum matching, ``fairpyx-utilitarian``),
installed in its own virtual environment under benchmarks/out and driven
through files (benchmarks/fairpyx_peer.py).

    python -m benchmarks                 # the full suite; writes benchmarks/out/suite.csv and docs/results.md
    python -m benchmarks --smoke         # a subset for CI, well under 5 minutes on 2 cores
    python -m benchmarks --instances umass-2024   # run some instances again, keep the other rows
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import resource
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
FIELDS = [
    "instance", "method", "seed", "status", "objective", "bound", "gap",
    "valid", "first_s", "wall_s", "peak_mb", "ratio", "versions",
]  # fmt: skip

# (name, how to make it, methods beyond seatalloc, time limit)
SMOKE = [
    ("s1-430", "s1:430", ["fcfs", "rsd", "cpsat-per-attendee", "highs-mip"], 10),
    ("catalog-500", "catalog:500", ["fcfs", "rsd", "highs-mip"], 20),
    ("sparse-500", "sparse:500", ["seatalloc-flow", "highs-mip"], 20),
    ("sdu-2016", "sdu", ["fcfs", "rsd"], 30),
    ("agh-2003", "agh:1", ["fcfs", "rsd"], 10),
    ("umass-2024", "umass", ["fcfs", "rsd"], 30),
]
FULL = [
    *SMOKE,
    ("s1-430-peers", "s1:430", ["fairpyx-imm", "fairpyx-utilitarian"], 10),
    ("catalog-500-peers", "catalog:500", ["fairpyx-imm", "fairpyx-utilitarian"], 20),
    ("s1-10000", "s1:10000", ["fcfs", "rsd", "cpsat-per-attendee", "highs-mip"], 60),
    ("s1-100000", "s1:100000", ["fcfs", "rsd"], 120),
    (
        "catalog-2000",
        "catalog:2000",
        ["seatalloc-cpsat", "fcfs", "rsd", "cpsat-per-attendee", "highs-mip"],
        60,
    ),
    ("catalog-10000", "catalog:10000", ["seatalloc-cpsat", "fcfs", "rsd", "highs-mip"], 30),
    ("catalog-100000", "catalog:100000", ["fcfs"], 120),
    ("catalog-1000000", "catalog:1000000", [], 600),
    ("sparse-2000", "sparse:2000", ["seatalloc-flow", "seatalloc-cpsat", "fcfs", "rsd", "highs-mip"], 60),
    ("sparse-10000", "sparse:10000", ["seatalloc-flow", "fcfs", "highs-mip"], 120),
    ("agh-2004", "agh:2", ["fcfs", "rsd"], 10),
    ("santa-2019", "santa", ["fcfs"], 300),
    ("wassign-realistic120", "wassign:realistic120", [], 60),
    ("wassign-realistic300", "wassign:realistic300", [], 60),
    ("wassign-realistic5000", "wassign:realistic5000", [], 120),
]


# Issue 7's targets for heterogeneous catalogues: (instance, largest gap, seconds).
TARGETS = [("catalog-10000", 0.001, 30), ("catalog-100000", 0.005, 120)]


def make(spec: str) -> dict:
    """Return the event (as a dict) an instance spec names."""
    family, _, arg = spec.partition(":")
    if family in ("s1", "catalog", "sparse", "quotas", "county", "reserves"):
        from benchmarks.generate import FAMILIES

        return FAMILIES[family](int(arg))
    if family == "sdu":
        from benchmarks.realdata import sdu_event

        return json.loads(sdu_event().to_json())
    if family == "agh":
        from benchmarks.realdata import agh_event

        return json.loads(agh_event(int(arg)).to_json())
    if family == "umass":
        from benchmarks.umass import umass_event

        return json.loads(umass_event().to_json())
    if family == "wassign":
        from benchmarks.wassign import DATA, parse

        return parse((DATA / "realistic" / f"{arg}.wassign").read_text(encoding="utf-8"))
    if family == "santa":
        from benchmarks.santa import santa_event

        return json.loads(santa_event().to_json())
    raise ValueError(f"unknown instance {spec!r}")


def worker(method: str, event_path: str, out_path: str, time_limit: float) -> None:
    """Run one method on one event in this (fresh) process; write the result JSON."""
    started = time.perf_counter()
    if method == "highs-mip":
        from benchmarks.highs_mip import solve_mip

        with open(event_path, encoding="utf-8") as f:
            result = solve_mip(json.load(f), time_limit)
    else:
        from seatalloc import Event, solve

        event = Event.from_json(event_path)
        if method.startswith("seatalloc"):
            how = {
                "seatalloc": "auto",
                "seatalloc-flow": "flow",
                "seatalloc-cpsat": "cp-sat",
                "seatalloc-lns": "lns",
            }[method]
            allocation = solve(event, time_limit=time_limit, method=how)
            result = {"allocation": json.loads(allocation.to_json(indent=None))}
        elif method in ("fcfs", "rsd"):
            from benchmarks.baselines import first_come_first_served, random_serial_dictatorship

            allocation = (
                first_come_first_served(event) if method == "fcfs" else random_serial_dictatorship(event)
            )
            result = {"allocation": json.loads(allocation.to_json(indent=None))}
        else:
            from benchmarks.per_attendee import solve_per_attendee

            found = solve_per_attendee(event, time_limit=time_limit, workers=1)
            result = {"status": found.status, "objective": found.objective, "bound": found.bound}
    result["wall_s"] = time.perf_counter() - started
    peak = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    # with the largest child's (lns solves LPs in other interpreters, one beside the search)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_mb"] = (int(peak.group(1)) + children) // 1024 if peak else None
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")


def run_one(method: str, event_path: Path, time_limit: float) -> dict:
    """Run ``method`` in a fresh process and validate what it returns with the checker."""
    from seatalloc import Allocation, Event, check

    out = event_path.with_suffix(f".{method}.json")
    if method.startswith("fairpyx-"):
        started = time.perf_counter()
        command = [str(fairpyx_python()), str(ROOT / "benchmarks" / "fairpyx_peer.py"), method[8:]]
        subprocess.run([*command, str(event_path), str(out)], check=True, timeout=time_limit * 3 + 300)
        result = json.loads(out.read_text(encoding="utf-8")) | {"wall_s": time.perf_counter() - started}
        result["peak_mb"] = None
    else:
        call = f"worker({method!r}, {str(event_path)!r}, {str(out)!r}, {time_limit})"
        code = f"from benchmarks.suite import worker; {call}"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=time_limit * 3 + 300)
        result = json.loads(out.read_text(encoding="utf-8"))
    row = {"wall_s": round(result["wall_s"], 2), "peak_mb": result["peak_mb"]}
    event = Event.from_json(event_path)
    if "allocation" in result or "assignments" in result:
        allocation = (
            Allocation.model_validate(result["allocation"])
            if "allocation" in result
            else from_assignments(event, result["assignments"])
        )
        report = check(event, allocation)
        if "allocation" not in result:  # a peer's seats: priced by the checker, then checked with it
            allocation = allocation.model_copy(update={"objective": report.objective})
            report = check(event, allocation)
        status = result.get("status", allocation.status)
        bound = result.get("bound", allocation.bound)
        objective = report.objective if status in ("optimal", "feasible") else None
        valid = report.ok if objective is not None else ""  # nothing to validate without seats
        row |= {"status": status, "objective": objective, "bound": bound, "valid": valid}
        if allocation.solver is not None and allocation.solver.first_time is not None:
            row["first_s"] = round(allocation.solver.first_time, 2)
        elif objective is not None and "wall_s" in result:
            row["first_s"] = row["wall_s"]  # its only allocation came at the end
        if not report.ok:
            row["violations"] = len(report.violations)
    else:
        row |= {
            "status": result["status"],
            "objective": result["objective"],
            "bound": result["bound"],
            "valid": "",
        }
    if row["objective"] is not None and row["bound"] is not None:
        row["gap"] = round(max(0.0, (row["objective"] - row["bound"]) / max(1, abs(row["objective"]))), 4)
    return row


def from_assignments(event, assignments: list[dict]):
    """An allocation from a peer's seats: everyone else is unseated, for the checker."""
    from seatalloc.schema import Allocation

    seated = {(x["attendee"], x["pass"]) for x in assignments}
    unseated = [
        {"attendee": a.id, "pass": p.id, "code": "full", "reason": "-"}
        for a in event.attendees
        for p in event.passes
        if (a.id, p.id) not in seated
    ]
    return Allocation.model_validate(
        {
            "status": "feasible",  # the checker then validates the seats, and prices them
            "objective": None,
            "bound": None,
            "gap": None,
            "assignments": assignments,
            "unseated": unseated,
            "stats": {
                "attendees": len(event.attendees),
                "types": 0,
                "choice_counts": {"1": len(assignments)},
                "sessions": [],
            },
        }
    )


def fairpyx_python() -> Path:
    """The interpreter of fairpyx's own virtual environment, made on first use."""
    venv = OUT / "fairpyx-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "fairpyx"], check=True)
    return python


def versions() -> str:
    names = ["ortools", "numpy", "pydantic", "scipy"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return f"python {platform.python_version()}; " + "; ".join(found)


def run(cases: list, methods_filter: set[str] | None = None) -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, spec, others, limit in cases:
        path = OUT / f"{name}.json"
        if not path.exists():
            path.write_text(json.dumps(make(spec), ensure_ascii=False), encoding="utf-8")
        ours = None
        for method in ["seatalloc", *others]:
            if methods_filter and method not in methods_filter:
                continue
            if method == "highs-mip" and not _has("scipy"):
                continue
            row = {
                "instance": name,
                "method": method,
                "seed": 0,
                "versions": versions(),
                **run_one(method, path, limit),
            }
            if method == "seatalloc":
                ours = row["objective"]
            if ours and row.get("objective") is not None:
                row["ratio"] = round(row["objective"] / ours, 3)
            rows.append(row)
            print(" | ".join(str(row.get(k, "")) for k in FIELDS[:-1]), flush=True)
    return rows


def _has(module: str) -> bool:
    try:
        metadata.version(module)
    except metadata.PackageNotFoundError:
        return False
    return True


def write(rows: list[dict], page: Path | None, csv_too: bool = True) -> None:
    if csv_too:
        with (OUT / "suite.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    if page is None:
        return
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks` (do not edit by hand). Each method runs in a fresh process on",
        "2 cores; every allocation a method returns is priced and validated by seatalloc's independent",
        "checker (*valid*). *ratio* is the method's cost divided by seatalloc's on the same instance",
        "(lower is better; 1.0 matches). Instances and methods: `benchmarks/suite.py`.",
        "",
        f"Versions: {versions()}.",
        "",
        "| instance | method | status | objective | bound | gap | valid | first (s) | wall (s) | peak MB "
        "| ratio |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        cells = {k: "" if r.get(k) in (None, "") else r[k] for k in FIELDS}
        cells["gap"] = "" if cells["gap"] == "" else _percent(cells["gap"])
        if cells["objective"] == "":  # no seats, no verdict on them
            cells["valid"] = ""
        lines.append("| " + " | ".join(str(cells[k]) for k in FIELDS if k not in ("seed", "versions")) + " |")
    lines += ["", "Targets for heterogeneous catalogues (issue 7), seatalloc as it comes:", ""]
    for instance, gap, seconds in TARGETS:
        found = [r for r in rows if r["instance"] == instance and r["method"] == "seatalloc"]
        if not found:
            continue
        r = found[0]
        met = r.get("gap") not in (None, "") and float(r["gap"]) <= gap and float(r["wall_s"]) < seconds
        lines.append(
            f"- {instance}: within {gap:.1%} of the bound in under {seconds} s: "
            f"{'met' if met else 'NOT met'} (gap {_percent(r.get('gap'))}, {r['wall_s']} s)."
        )
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _percent(value: object) -> str:
    return "none" if value in (None, "") else f"{float(str(value)):.2%}"


def read_rows() -> list[dict]:
    """The rows of the last run, from benchmarks/out/suite.csv, or on a fresh checkout (where
    benchmarks/out is empty) from the table of docs/results.md."""
    path = OUT / "suite.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            return [
                {k: (None if v in ("", "None") else v) for k, v in row.items()} for row in csv.DictReader(f)
            ]
    names = {"first (s)": "first_s", "wall (s)": "wall_s", "peak MB": "peak_mb"}
    header: list[str] = []
    rows = []
    for line in (ROOT / "docs" / "results.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] == "---":
            continue
        if cells[0] == "instance":
            header = [names.get(c, c) for c in cells]
            continue
        if len(cells) != len(header):
            continue
        row: dict = {k: (c or None) for k, c in zip(header, cells, strict=True)}
        if row.get("gap") is not None:
            row["gap"] = None if row["gap"] == "none" else str(float(row["gap"].rstrip("%")) / 100)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the CI subset (no docs page written)")
    parser.add_argument("--methods", help="comma-separated methods to run (default: all)")
    parser.add_argument(
        "--instances", help="comma-separated instances to run again; their rows replace the last run's"
    )
    parser.add_argument(
        "--page-only", action="store_true", help="rewrite docs/results.md from the last run's CSV"
    )
    args = parser.parse_args(argv)
    page = ROOT / "docs" / "results.md"
    if args.page_only:
        write(read_rows(), page, csv_too=False)
        return
    print(" | ".join(FIELDS[:-1]))
    methods = set(args.methods.split(",")) if args.methods else None
    if args.instances:
        names = set(args.instances.split(","))
        fresh = run([case for case in FULL if case[0] in names], methods)
        order = [case[0] for case in FULL]
        rows = [r for r in read_rows() if r["instance"] not in names] + fresh
        rows.sort(key=lambda r: order.index(r["instance"]) if r["instance"] in order else len(order))
        write(rows, page)
    else:
        rows = run(SMOKE if args.smoke else FULL, methods)
        write(rows, None if args.smoke else page)
    print(f"CSV in {OUT / 'suite.csv'}")
