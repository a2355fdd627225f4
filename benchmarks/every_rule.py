"""Issue 13's benchmark: every rule at every size, seatalloc beside the type model and a MIP.

Events with the rules organisers add (organisation quotas, a county mix, a seat
limit with reserves, sessions planned with minimum attendance) on attendees
who are not interchangeable, from 2,000 to 100,000, plus plain sparse
catalogues. Each method runs in a fresh process (``benchmarks.suite``) and
every allocation is validated by the independent checker. Each row reports
the first allocation's time (``first_s``: when the method returned its first
valid allocation to the caller), the gap to the method's own proven bound,
and the best bound any method proved in the run (``best_bound``); the page
states each target of the issue as met or not, from the run.

    python -m benchmarks.every_rule               # every instance (about 35 minutes on 2 cores)
    python -m benchmarks.every_rule --quick       # the small ones (a few minutes)
    python -m benchmarks.every_rule --instances quotas-2000,wassign-realistic300   # again; others kept
"""

from __future__ import annotations

import argparse
import csv
import json

from benchmarks.suite import OUT, ROOT, make, run_one, versions

# (name, spec, methods beyond seatalloc, time limit in seconds, target gap (None: no target, the
# gap is stated), in the quick set)
CASES = [
    ("quotas-2000", "quotas:2000", ["seatalloc-cpsat", "highs-mip"], 10, 0.0, True),
    ("quotas-10000", "quotas:10000", ["seatalloc-cpsat"], 30, 0.005, False),
    ("quotas-100000", "quotas:100000", [], 120, 0.01, False),
    ("county-10000", "county:10000", [], 60, 0.01, False),
    ("reserves-10000", "reserves:10000", [], 60, 0.01, False),
    ("wassign-realistic120", "wassign:realistic120", ["seatalloc-cpsat"], 60, 0.01, True),
    ("wassign-realistic300", "wassign:realistic300", ["seatalloc-cpsat"], 10, 0.02, True),
    ("wassign-realistic5000", "wassign:realistic5000", [], 60, 0.05, False),
    ("sparse-10000", "sparse:10000", ["seatalloc-lns"], 30, 0.001, False),
    ("sparse-100000", "sparse:100000", [], 120, 0.005, False),
    ("sparse-1000000", "sparse:1000000", [], 300, 0.01, False),
    # the MemoryError row: no target, an allocation within memory
    ("quotas-1000000", "quotas:1000000", [], 300, None, False),
]
#: The share of the time limit by which the first valid allocation is due.
FIRST_SHARE = 0.1
FIELDS = [
    "instance", "method", "status", "objective", "bound", "gap", "best_bound", "valid", "first_s",
    "wall_s", "peak_mb", "limit_s",
]  # fmt: skip


def run(cases: list) -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, spec, others, limit, _gap, _quick in cases:
        path = OUT / f"{name}.json"
        if not path.exists():
            path.write_text(json.dumps(make(spec), ensure_ascii=False), encoding="utf-8")
        mine = []
        for method in ["seatalloc", *others]:
            row = {"instance": name, "method": method, "limit_s": limit, **run_one(method, path, limit)}
            mine.append(row)
            print(" | ".join(str(row.get(k, "")) for k in FIELDS), flush=True)
        best = max((r["bound"] for r in mine if r.get("bound") is not None), default=None)
        for row in mine:
            row["best_bound"] = best
        rows += mine
    return rows


def verdict(row: dict, gap: float | None, limit: float) -> str:
    """Say whether seatalloc's row meets the issue's target: within ``gap`` of a proven bound
    (None: a valid allocation, the gap stated)."""
    if row.get("objective") is None:
        return "NOT met: no allocation"
    best = row.get("best_bound")
    measured = (row["objective"] - best) / max(1, row["objective"]) if best is not None else None
    valid = row.get("valid") is True
    in_time = row["wall_s"] <= limit * 1.1
    ok = valid and in_time and measured is not None and (gap is None or measured <= gap + 1e-12)
    first = row.get("first_s")
    shown = "no bound" if measured is None else f"{measured:.2%}"
    if gap is not None:
        met = "met" if ok else "NOT met"
    else:
        met = "valid" if valid else "NOT valid"
        met += "" if in_time else ", but over the limit (the wall time includes reading the event)"
    early = first is not None and first <= FIRST_SHARE * limit
    return (
        f"{met} (gap {shown}, {row['wall_s']} s); first allocation within {FIRST_SHARE:.0%} of the limit: "
        f"{'met' if early else 'NOT met'} ({first} s)"
    )


def write(rows: list[dict]) -> None:
    with (OUT / "every_rule.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    lines = [
        "# Every rule at every size (issue 13)",
        "",
        "Written by `python -m benchmarks.every_rule` (do not edit by hand). 2 cores, one worker; every",
        "method in a fresh process; every allocation validated by the independent checker. *first* is",
        "when the method returned its first valid allocation (for methods that return only at the end,",
        "the end); *gap* is to the method's own bound, *best bound* the best any method proved in the run.",
        "",
        f"Versions: {versions()}.",
        "",
        "| instance | method | status | objective | bound | gap | best bound | valid | first (s) | "
        "wall (s) | "
        "peak MB | limit (s) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        cells = ["" if r.get(k) is None else r[k] for k in FIELDS]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "Targets (seatalloc as it comes, within the gap of the best proven bound, in the limit):",
        "",
    ]
    for name, _spec, _others, limit, gap, _quick in CASES:
        found = [r for r in rows if r["instance"] == name and r["method"] == "seatalloc"]
        if found:
            target = "no gap target, an allocation" if gap is None else f"within {gap:.1%}"
            lines.append(f"- {name}: {target} in {limit} s: {verdict(found[0], gap, limit)}.")
    (ROOT / "docs" / "results-every-rule.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read() -> list[dict]:
    """The rows of the last run (numbers back as numbers), to keep those not run again."""
    path = OUT / "every_rule.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for key, value in row.items():
            if value in ("", "None"):
                row[key] = None
            elif value in ("True", "False"):
                row[key] = value == "True"
            elif key not in ("instance", "method", "status"):
                row[key] = float(value) if "." in value else int(value)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small instances only")
    parser.add_argument("--instances", help="comma-separated instance names")
    args = parser.parse_args(argv)
    cases = CASES
    if args.quick:
        cases = [c for c in CASES if c[5]]
    earlier: list[dict] = []
    if args.instances:
        names = set(args.instances.split(","))
        cases = [c for c in CASES if c[0] in names]
        earlier = [r for r in _read() if r["instance"] not in names]
    print(" | ".join(FIELDS))
    rows = earlier + run(cases)
    order = [c[0] for c in CASES]
    rows.sort(key=lambda r: order.index(r["instance"]) if r["instance"] in order else len(order))
    write(rows)
    print(f"CSV in {OUT / 'every_rule.csv'}; page in docs/results-every-rule.md")


if __name__ == "__main__":
    main()
