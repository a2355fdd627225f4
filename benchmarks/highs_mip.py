"""Baseline: the per-attendee MIP solved by HiGHS through SciPy, in a process of its own.

Importing HiGHS and OR-Tools in one process crashes on a symbol clash, so this
script imports neither seatalloc nor OR-Tools: it reads the event JSON as
plain data and writes the result as JSON, which the suite turns into an
allocation for the independent checker. It covers what the benchmark events
use: capacities, needs, exclusions, pins, ranked choices or costs, rank
costs, unranked or only-listed seminars, the unseated cost, session quotas.

    python -m benchmarks.highs_mip EVENT.json RESULT.json [--time-limit 60]
    python -m benchmarks.highs_mip EVENT.json RESULT.json --lp   # the LP relaxation: a bound
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


def _cost(person: dict, seminar: str, objective: dict, top: int, n_seminars: int) -> int | None:
    if person.get("costs"):
        if seminar in person["costs"]:
            return person["costs"][seminar]
    elif person.get("scores"):
        if seminar in person["scores"]:
            return top - person["scores"][seminar]
    elif seminar in person.get("choices", []):
        rank = person["choices"].index(seminar)
        given = objective.get("rank_costs")
        costs = given if given is not None else [r * r for r in range(n_seminars)]
        if rank < len(costs):
            return costs[rank]
    return None if objective.get("only_listed") else objective.get("unranked_cost", 100)


def solve_mip(event: dict, time_limit: float, *, relaxed: bool = False) -> dict:
    """Solve the per-attendee MIP (``relaxed``: its LP relaxation, whose optimum is a lower bound on
    any allocation's cost, found without any of seatalloc's code)."""
    started = time.perf_counter()
    objective = event.get("objective", {})
    unseated = objective.get("unseated_cost", 10_000)
    rooms = {r["id"]: r for r in event["rooms"]}
    sessions = event["sessions"]
    passes = [p["id"] for p in event["passes"]]
    top = max((v for a in event["attendees"] for v in a.get("scores", {}).values()), default=0)
    columns: list[tuple[int, int]] = []  # (attendee, session)
    weights: list[float] = []
    for i, person in enumerate(event["attendees"]):
        for k, s in enumerate(sessions):
            pinned = person.get("fixed", {}).get(s["pass"])
            if (pinned and pinned != s["seminar"]) or s["seminar"] in person.get("excluded", []):
                continue
            if not set(person.get("needs", [])) <= set(rooms[s["room"]].get("features", [])):
                continue
            cost = _cost(person, s["seminar"], objective, top, len(event["seminars"]))
            if cost is None:
                continue
            columns.append((i, k))
            weights.append(cost - unseated)
    n = len(columns)
    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0

    def add(idx: list[int], low: float, high: float, coeff: dict[int, float] | None = None) -> None:
        """Add the row ``low <= sum(coeff[j] * x[j] for j in idx) <= high``."""
        nonlocal row
        for j in idx:
            rows.append(row)
            cols.append(j)
            vals.append(1.0 if coeff is None else coeff[j])
        lower.append(low)
        upper.append(high)
        row += 1

    per_pass: dict = {}
    per_seminar: dict = {}
    per_session: dict = {}
    for j, (i, k) in enumerate(columns):
        s = sessions[k]
        per_pass.setdefault((i, s["pass"]), []).append(j)
        per_seminar.setdefault((i, s["seminar"]), []).append(j)
        per_session.setdefault(k, []).append(j)
    for (i, p), idx in per_pass.items():
        pinned = p in event["attendees"][i].get("fixed", {})
        add(idx, 1 if pinned else 0, 1)
    for idx in per_seminar.values():
        add(idx, 0, 1)
    size = {j: float(event["attendees"][i].get("size", 1)) for j, (i, _) in enumerate(columns)}
    for k, idx in per_session.items():
        add(idx, 0, rooms[sessions[k]["room"]]["capacity"], size)
    for q in event.get("quotas", []):
        if q.get("max_per_session") is None:
            continue
        for k, idx in per_session.items():
            s = sessions[k]
            if q.get("seminar") not in (None, s["seminar"]) or q.get("pass") not in (None, s["pass"]):
                continue
            mine = [
                j for j in idx if event["attendees"][columns[j][0]].get("organisation") == q["organisation"]
            ]
            if mine:
                add(mine, 0, q["max_per_session"], size)
    matrix = coo_matrix((vals, (rows, cols)), shape=(row, n)).tocsr()
    result = milp(
        c=np.asarray(weights, dtype=float),
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.zeros(n) if relaxed else np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": float(time_limit), "disp": False},
    )
    base = len(event["attendees"]) * len(passes) * unseated
    if relaxed:  # the LP's optimum, when HiGHS proved it (status 0), is the bound
        proven = result.status == 0 and result.fun is not None
        return {
            "status": "optimal" if proven else "unknown",
            "bound": float(result.fun) + base if proven else None,
            "columns": n,
            "seconds": time.perf_counter() - started,
        }
    x = None if result.x is None else np.round(result.x)
    if x is not None:  # stopped by its time limit, HiGHS may hand back a point that is no solution
        rows_x = matrix @ x
        integral = bool(np.all(np.abs(result.x - x) < 1e-6))
        if (
            not integral
            or np.any(rows_x < np.asarray(lower) - 1e-6)
            or np.any(rows_x > np.asarray(upper) + 1e-6)
        ):
            x = None
    chosen = [] if x is None else [columns[j] for j in np.flatnonzero(x > 0.5)]
    return {
        "status": {0: "optimal", 1: "feasible"}.get(result.status, "unknown") if x is not None else "unknown",
        "objective": None if x is None else round(float(np.asarray(weights) @ x) + base),
        "bound": None
        if getattr(result, "mip_dual_bound", None) is None
        else float(result.mip_dual_bound) + base,
        "seconds": time.perf_counter() - started,
        "assignments": [
            {
                "attendee": event["attendees"][i]["id"],
                "pass": sessions[k]["pass"],
                "seminar": sessions[k]["seminar"],
                "room": sessions[k]["room"],
            }
            for i, k in chosen
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event")
    parser.add_argument("result")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--lp", action="store_true", help="the LP relaxation's optimum: a lower bound")
    args = parser.parse_args()
    with open(args.event, encoding="utf-8") as f:
        event = json.load(f)
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(solve_mip(event, args.time_limit, relaxed=args.lp), f)


if __name__ == "__main__":
    main()
