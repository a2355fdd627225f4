"""Seeded benchmark instances, written as seatalloc event JSON (the documented public format).

- ``s1``: S1-shaped (examples/make_s1.py): six seminars in two passes, 13
  organisations, ranked top-3, needs, quotas; any size.
- ``catalog``: a large catalogue, as in issue 7: ``seminars`` seminars each
  running in every one of ``passes`` passes, rooms of varied size (per pass
  about 10 % more seats than attendees), each attendee ranks ``top`` seminars
  drawn with a skewed popularity and gets only seminars they ranked
  (``only_listed``), squared rank costs, no seat costs 100 a pass. Nearly
  every attendee is unique, so merging into types saves little: this is the
  hard shape.
- ``sparse``: the catalogue with each seminar in 2 of its 4 passes.
- ``quota``: the catalogue with eight organisations, one of which may have at
  most about half its share of any session (``max_per_session``): one rule
  the flow method does not honour, on attendees who are not interchangeable.
- ``pinned``: the catalogue with everyone who ranked the most popular
  seminar pinned to it in the first pass, more than its room seats: infeasible.
- ``quotas``: issue 13's quota catalogue: the sparse catalogue (each seminar in
  2 of 4 passes) with 13 organisations of skewed sizes (the largest about a
  third of everyone, like S1's), each capped at 30 % of the mean session
  (``max_per_session``) in every session.
- ``county``: the sparse catalogue with a county attribute (21 counties of
  skewed sizes) and a diversity rule: at most 25 % of a session from one county.
- ``reserves``: the sparse catalogue with the quota catalogue's organisations,
  a seat limit of 90 % of the registrations and a reserve per organisation of
  its share of the seats (S2's admission, at catalogue scale).

    python -m benchmarks.generate catalog 10000 --seed 1 > catalog-10000.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def s1(size: int, seed: int = 1) -> dict:
    """The S1-shaped event of ``size`` attendees."""
    sys.path.insert(0, str(ROOT / "examples"))
    from make_s1 import make_event

    return make_event(seed=seed, attendees=size)


def catalog(
    size: int, seed: int = 1, seminars: int = 40, passes: int = 4, top: int = 6, runs: int | None = None
) -> dict:
    """A catalogue of ``seminars`` seminars in ``passes`` passes, attendees ranking ``top`` each.

    With ``runs``, each seminar runs in that many passes drawn at random, in rooms
    ``passes / runs`` times as large.
    """
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, seminars + 1) ** 0.6
    popularity /= popularity.sum()
    # Rooms: sizes spread around the mean, shuffled, so popular seminars are not always in big rooms.
    mean = 1.1 * size / seminars * passes / (runs or passes)
    capacity = np.maximum(1, rng.normal(mean, 0.35 * mean, seminars)).astype(int)
    ids = [f"W{j:02d}" for j in range(seminars)]
    choices = [rng.choice(seminars, size=top, replace=False, p=popularity).tolist() for _ in range(size)]
    running = [set(rng.choice(passes, size=runs or passes, replace=False).tolist()) for _ in range(seminars)]
    return {
        "name": f"catalogue {seminars}x{passes}, {size} attendees",
        "passes": [{"id": f"P{p}"} for p in range(passes)],
        "rooms": [
            {"id": f"R{j:02d}P{p}", "capacity": int(capacity[(j + 7 * p) % seminars])}
            for p in range(passes)
            for j in range(seminars)
        ],
        "seminars": [{"id": s} for s in ids],
        "sessions": [
            {"seminar": ids[j], "pass": f"P{p}", "room": f"R{j:02d}P{p}"}
            for p in range(passes)
            for j in range(seminars)
            if p in running[j]
        ],
        "attendees": [{"id": f"a{i}", "choices": [ids[j] for j in c]} for i, c in enumerate(choices)],
        "objective": {"rank_costs": [r * r for r in range(top)], "only_listed": True, "unseated_cost": 100},
    }


def sparse(size: int, seed: int = 1) -> dict:
    """The catalogue with each seminar in 2 of its 4 passes."""
    return catalog(size, seed, runs=2) | {"name": f"sparse catalogue 40x4 (2 runs each), {size} attendees"}


def quota(size: int, seed: int = 1) -> dict:
    """The catalogue with eight organisations and a per-session quota on one of them."""
    event = catalog(size, seed)
    rng = np.random.default_rng(seed + 1)
    event["organisations"] = [{"id": f"o{k}"} for k in range(8)]
    for attendee, org in zip(event["attendees"], rng.integers(8, size=size).tolist(), strict=True):
        attendee["organisation"] = f"o{org}"
    # o0 has about size / 320 attendees per session (an eighth of size * 4 / 160 seats): allow half.
    event["quotas"] = [{"organisation": "o0", "max_per_session": max(1, size // 640)}]
    return event | {"name": f"catalogue 40x4 with a quota, {size} attendees"}


def pinned(size: int, seed: int = 1) -> dict:
    """The catalogue with everyone who ranked W00 pinned to it in P0: more than its room seats."""
    event = catalog(size, seed)
    for attendee in event["attendees"]:
        if "W00" in attendee["choices"]:
            attendee["fixed"] = {"P0": "W00"}
    return event | {"name": f"catalogue 40x4 with too many pins, {size} attendees"}


def _skewed(size: int, groups: int, rng: np.random.Generator) -> list[int]:
    """Draw ``size`` group indices with sizes falling like 1/k (the first about a third of all)."""
    weight = 1.0 / np.arange(1, groups + 1)
    return rng.choice(groups, size=size, p=weight / weight.sum()).tolist()


def quotas(size: int, seed: int = 1) -> dict:
    """The sparse catalogue with 13 organisations, each at most 30 % of the mean session."""
    event = sparse(size, seed)
    rng = np.random.default_rng(seed + 2)
    event["organisations"] = [{"id": f"o{k:02d}"} for k in range(13)]
    for attendee, org in zip(event["attendees"], _skewed(size, 13, rng), strict=True):
        attendee["organisation"] = f"o{org:02d}"
    mean = np.mean([r["capacity"] for r in event["rooms"]])
    cap = max(1, round(0.3 * mean))
    event["quotas"] = [{"organisation": o["id"], "max_per_session": cap} for o in event["organisations"]]
    return event | {"name": f"sparse catalogue with 13 organisation quotas, {size} attendees"}


def county(size: int, seed: int = 1) -> dict:
    """The sparse catalogue with 21 counties of skewed sizes, at most 25 % of a session from one."""
    event = sparse(size, seed)
    rng = np.random.default_rng(seed + 3)
    for attendee, c in zip(event["attendees"], _skewed(size, 21, rng), strict=True):
        attendee["attributes"] = {"county": f"c{c:02d}"}
    event["diversity"] = [{"attribute": "county", "max_share": 25, "min_session_size": 8}]
    return event | {"name": f"sparse catalogue with a county mix, {size} attendees"}


def reserves(size: int, seed: int = 1) -> dict:
    """The quota catalogue's organisations, a seat limit of 90 % and a reserve per organisation."""
    event = quotas(size, seed)
    del event["quotas"]
    limit = int(0.9 * size)
    counts = np.bincount([int(a["organisation"][1:]) for a in event["attendees"]], minlength=13)
    event["seat_limit"] = limit
    event["reserves"] = [
        {"organisation": f"o{k:02d}", "reserved": int(0.8 * limit * n / size)} for k, n in enumerate(counts)
    ]
    start = np.datetime64("2026-03-01T08:00")
    for i, attendee in enumerate(event["attendees"]):
        attendee["registered"] = str(start + np.timedelta64(i * 30 * 24 * 3600 // size, "s"))
    return event | {"name": f"sparse catalogue with a seat limit and reserves, {size} attendees"}


FAMILIES = {
    "s1": s1,
    "catalog": catalog,
    "sparse": sparse,
    "quota": quota,
    "pinned": pinned,
    "quotas": quotas,
    "county": county,
    "reserves": reserves,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("family", choices=sorted(FAMILIES))
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    json.dump(FAMILIES[args.family](args.size, args.seed), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
